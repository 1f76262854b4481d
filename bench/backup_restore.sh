#!/usr/bin/env bash
# Backup and restore round trip of the portal's PostgreSQL database, checked.
#
#   scripts/with-postgres bench/backup_restore.sh        # on a throwaway server
#   DATABASE_URL=postgres://user@host:port/any bench/backup_restore.sh [--keep]
#
# On the server of DATABASE_URL it creates a database, migrates it and loads
# the demo data (manage.py seed_demo: real services, a real decree PDF/A in a
# temporary MEDIA_ROOT), dumps it with pg_dump -Fc, restores the dump with
# pg_restore into a second, new database, then compares the row count of every
# networks_* table and the decrees (year, number, SHA-256) of both databases,
# and checks the SHA-256 of each decree PDF on disk against the restored rows.
# Exit 0 when everything matches. Both databases are dropped unless --keep.
# The dump holds the database only: uploads and PDFs live in MEDIA_ROOT (or
# the object storage) and are backed up separately (docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?Imposta DATABASE_URL (PostgreSQL) o usa scripts/with-postgres}"
keep=false
[ "${1:-}" = "--keep" ] && keep=true

pg_bin=""
for dir in "$(dirname "$(readlink -f "$(command -v pg_dump 2>/dev/null || echo /nonexistent/x)")")" /usr/lib/postgresql/*/bin; do
  if [ -x "$dir/pg_dump" ] && [ -x "$dir/pg_restore" ] && [ -x "$dir/psql" ]; then pg_bin="$dir"; fi
done
[ -n "$pg_bin" ] || { echo "pg_dump/pg_restore/psql non trovati" >&2; exit 1; }

server="${DATABASE_URL%/*}"
suffix="$(date +%s)_$$"
source_db="ptp_backup_src_$suffix"
restored_db="ptp_backup_dst_$suffix"
work=$(mktemp -d /tmp/ptp-backup.XXXXXX)
psql_admin=("$pg_bin/psql" "$server/postgres" -v ON_ERROR_STOP=1 -qAt)
cleanup() {
  if [ "$keep" = false ]; then
    "${psql_admin[@]}" -c "DROP DATABASE IF EXISTS $source_db" -c "DROP DATABASE IF EXISTS $restored_db" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"${psql_admin[@]}" -c "CREATE DATABASE $source_db"
export DJANGO_MEDIA_ROOT="$work/media"
echo "1. migrate + seed_demo in $source_db"
DATABASE_URL="$server/$source_db" .venv/bin/python manage.py migrate --noinput -v0
DATABASE_URL="$server/$source_db" .venv/bin/python manage.py seed_demo >"$work/seed.log"

echo "2. pg_dump -Fc"
started=$EPOCHREALTIME
"$pg_bin/pg_dump" -Fc -d "$server/$source_db" -f "$work/ptp.dump"
dumped=$EPOCHREALTIME
echo "   $(du -h "$work/ptp.dump" | cut -f1) in $(awk "BEGIN { printf \"%.2f\", $dumped - $started }") s"

echo "3. pg_restore in $restored_db"
"${psql_admin[@]}" -c "CREATE DATABASE $restored_db"
"$pg_bin/pg_restore" --no-owner --exit-on-error -d "$server/$restored_db" "$work/ptp.dump"
restored=$EPOCHREALTIME
echo "   in $(awk "BEGIN { printf \"%.2f\", $restored - $dumped }") s"

counts() {
  local db="$1"
  local tables
  tables=$("$pg_bin/psql" "$server/$db" -qAt -c \
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'networks\_%' ORDER BY 1")
  for table in $tables; do
    printf '%s %s\n' "$table" "$("$pg_bin/psql" "$server/$db" -qAt -c "SELECT count(*) FROM $table")"
  done
}
decrees() {
  "$pg_bin/psql" "$server/$1" -qAt -F ' ' -c \
    "SELECT year, number, kind, render_status, sha256, pdf FROM networks_decree ORDER BY year, number"
}

echo "4. confronto"
counts "$source_db" >"$work/source.counts"
counts "$restored_db" >"$work/restored.counts"
decrees "$source_db" >"$work/source.decrees"
decrees "$restored_db" >"$work/restored.decrees"
status=0
printf '   %-32s %8s %8s\n' tabella origine ripristino
paste -d ' ' "$work/source.counts" "$work/restored.counts" | while read -r table a _table b; do
  mark=""; [ "$a" = "$b" ] || mark="  <-- DIVERSO"
  printf '   %-32s %8s %8s%s\n' "$table" "$a" "$b" "$mark"
done
if ! diff -q "$work/source.counts" "$work/restored.counts" >/dev/null; then
  echo "   FAIL: i conteggi differiscono"; status=1
else
  echo "   OK: $(wc -l <"$work/source.counts") tabelle networks_* con gli stessi conteggi"
fi
if ! diff -q "$work/source.decrees" "$work/restored.decrees" >/dev/null; then
  echo "   FAIL: i decreti differiscono"; status=1
else
  echo "   OK: $(wc -l <"$work/source.decrees") decreti con stesso anno, numero e SHA-256"
fi
while read -r year number _kind render sha pdf; do
  if [ "$render" = rendered ] && [ -n "${pdf:-}" ]; then
    actual=$(sha256sum "$DJANGO_MEDIA_ROOT/$pdf" | cut -d' ' -f1)
    if [ "$actual" = "$sha" ]; then
      echo "   OK: decreto $number/$year, SHA-256 del PDF su disco = database ripristinato ($sha)"
    else
      echo "   FAIL: decreto $number/$year, PDF $actual != $sha"; status=1
    fi
  fi
done <"$work/restored.decrees"
[ "$status" = 0 ] && echo "Backup e ripristino: OK" || echo "Backup e ripristino: FALLITO"
exit "$status"
