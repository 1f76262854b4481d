"""Break the production set-up under load and check how it recovers.

    DATABASE_URL=postgres://... .venv/bin/python bench/faults.py [--only worker,postgres,disk]

Against a database filled by ``bench/generate.py`` (each scenario starts its
own gunicorn with production settings and keeps 4 client threads of GETs on
it, as ``load.py`` does, bounded in time):

1. ``worker``: SIGKILL one gunicorn worker while both are busy. Expected: the
   master starts a new worker, the requests in flight on the killed worker
   fail (at most one per sync worker), every request after the respawn
   succeeds, and the counts of applications, versions and decrees do not move.
2. ``postgres``: restart PostgreSQL (``pg_ctl restart -m fast`` on the data
   directory the server reports, so it works for ``scripts/with-postgres`` and
   ``bench/launcher.py`` servers alike). Reported: the restart's duration, the
   errors during the outage by cause, the recovery time (from the restart to
   the last failed request) and that nothing fails afterwards.
3. ``disk``: fill the uploads' file system and upload a PDF. As root it mounts a
   4 MiB tmpfs as ``DJANGO_MEDIA_ROOT``, checks that ``/salute/`` says 200 (its
   threshold set to 2 MB for the drill), fills it; without root it points
   the media root below a regular file (ENOTDIR: a simulation, said so in the
   output). Reported: the status and page the applicant gets, whether a
   ``Document`` row or a half-written file stayed behind, what ``/salute/`` says.

Prints one verdict per check, writes ``bench/results/faults-<time>.json`` and
exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from launcher import (
    ROOT,
    PostgresServer,
    ProductionServer,
    configure_django,
    get,
    get_with_cookies,
    post_multipart,
    production_env,
    session_cookie,
    write_results,
)
from load import Sample, Traffic, load_targets, summarise

# Cheap pages only, and the health check, so that the timeline has a fine grain.
LIGHT_MIX = (
    ("register", 30),
    ("polo", 25),
    ("queue", 18),
    ("application", 13),
    ("panel", 10),
)
CLIENTS = 4


def integrity_counts() -> dict[str, int]:
    """Count the rows that must never move under these faults (retrying stale pooled connections)."""
    from django.db import OperationalError

    from networks.models import Application, ApplicationVersion, Decree, Document

    for attempt in range(5):
        try:
            return {
                "applications": Application.objects.count(),
                "versions": ApplicationVersion.objects.count(),
                "decrees": Decree.objects.count(),
                "documents": Document.objects.count(),
            }
        except OperationalError:
            # This process uses the same pool settings: a connection from before a restart is
            # broken, fails once and is discarded, as in the web workers.
            close_db()
            time.sleep(0.2 * (attempt + 1))
    raise RuntimeError("il database non risponde")


def close_db() -> None:
    """Drop this process's database connection (it may have been broken by a restart)."""
    from django.db import connections

    connections.close_all()


def timeline(samples: list[Sample], step: float = 1.0) -> list[tuple[int, int, int]]:
    """Return (second, requests, errors) per ``step`` seconds."""
    buckets: dict[int, list[int]] = {}
    for sample in samples:
        bucket = buckets.setdefault(int(sample.at // step), [0, 0])
        bucket[0] += 1
        bucket[1] += sample.status != 200
    return [(second, *counts) for second, counts in sorted(buckets.items())]


def check(results: list[dict[str, Any]], name: str, ok: bool, detail: str = "") -> None:
    results.append({"check": name, "ok": bool(ok), "detail": detail})
    print(f"{'OK  ' if ok else 'FAIL'} {name}{f' — {detail}' if detail else ''}", flush=True)


# --- 1. a worker killed mid-request ------------------------------------------------------------


def scenario_worker(
    database_url: str, targets: Any, checks: list[dict[str, Any]]
) -> dict[str, Any]:
    print("\n== worker: SIGKILL di un worker di gunicorn sotto carico ==", flush=True)
    before = integrity_counts()
    with ProductionServer(database_url, workers=2) as server:
        traffic = Traffic(server.port, targets, workers=CLIENTS, seconds=25, mix=LIGHT_MIX).start()
        time.sleep(5)
        workers = server.worker_pids()
        victim = workers[0]
        killed_at = traffic.elapsed()
        os.kill(victim, signal.SIGKILL)
        respawned_at = None
        while traffic.elapsed() < killed_at + 15:
            now = server.worker_pids()
            if len(now) == len(workers) and victim not in now:
                respawned_at = traffic.elapsed()
                break
            time.sleep(0.05)
        traffic.join()
        samples = traffic.snapshot()
        still_answers = get(server.port, "/salute/").status == 200
        master_alive = server.process is not None and server.process.poll() is None
    close_db()
    after = integrity_counts()
    at_kill = [s for s in samples if s.status != 200 and killed_at - 1 <= s.at <= killed_at + 5]
    later = [s for s in samples if s.status != 200 and s.at > killed_at + 5]
    respawn = None if respawned_at is None else round(respawned_at - killed_at, 2)
    check(checks, "il master riavvia il worker", respawn is not None, f"in {respawn} s")
    check(checks, "il master resta in vita e /salute/ risponde 200", master_alive and still_answers)
    check(
        checks,
        "al più una richiesta fallita per worker ucciso",
        len(at_kill) <= 1,
        f"{len(at_kill)} fallite: {sorted({s.error or s.status for s in at_kill})}",
    )
    check(checks, "nessun errore dopo il riavvio", not later, f"{len(later)} errori dopo")
    check(checks, "conteggi invariati (domande, versioni, decreti, documenti)", before == after)
    return {
        "killed_pid": victim,
        "killed_at_s": round(killed_at, 2),
        "respawn_s": respawn,
        "failed_at_kill": [{"kind": s.kind, "status": s.status, "error": s.error} for s in at_kill],
        "summary": summarise(samples, 25),
        "counts_before": before,
        "counts_after": after,
    }


# --- 2. PostgreSQL restarted -------------------------------------------------------------------


def scenario_postgres(
    database_url: str, targets: Any, checks: list[dict[str, Any]]
) -> dict[str, Any]:
    print("\n== postgres: riavvio di PostgreSQL sotto carico ==", flush=True)
    before = integrity_counts()
    close_db()
    postgres = PostgresServer.from_url(database_url)
    mix = (*LIGHT_MIX, ("health", 10))
    with ProductionServer(database_url, workers=2) as server:
        traffic = Traffic(server.port, targets, workers=CLIENTS, seconds=30, mix=mix).start()
        time.sleep(5)
        restart_at = traffic.elapsed()
        postgres.restart()
        restarted_at = traffic.elapsed()
        traffic.join()
        samples = traffic.snapshot()
        final = get(server.port, "/salute/").status
    after = integrity_counts()
    failed = [s for s in samples if s.status != 200]
    during = [s for s in failed if s.at + s.seconds >= restart_at]
    last_error = max((s.at + s.seconds for s in during), default=restart_at)
    recovery = round(last_error - restart_at, 2)
    settled = [s for s in samples if s.at > last_error]
    check(
        checks,
        "PostgreSQL riavviato",
        True,
        f"pg_ctl restart in {restarted_at - restart_at:.2f} s",
    )
    check(
        checks,
        "il servizio torna a rispondere dopo il riavvio",
        final == 200 and settled and all(s.status == 200 for s in settled),
        f"{len(settled)} richieste tutte riuscite dopo il recupero",
    )
    check(checks, "recupero entro 10 s dal riavvio", recovery <= 10, f"{recovery} s")
    causes: dict[str, int] = {}
    for sample in during:
        key = f"HTTP {sample.status} {sample.kind}" if sample.status else sample.error.split(":")[0]
        causes[key] = causes.get(key, 0) + 1
    print(f"     errori durante l'interruzione: {len(during)} {causes}")
    check(checks, "conteggi invariati", before == after)
    return {
        "restart_at_s": round(restart_at, 2),
        "restart_seconds": round(restarted_at - restart_at, 2),
        "recovery_s": recovery,
        "errors_during_outage": len(during),
        "errors_by_cause": causes,
        "timeline": timeline(samples),
        "summary": summarise(samples, 30),
    }


# --- 3. the uploads' disk is full -------------------------------------------------------------


DISK_MIB = 4  # the uploads' tmpfs
HEALTH_MIN_FREE_MB = 2  # /salute/'s threshold during the drill: below the empty tmpfs


def _fill(directory: Path) -> int:
    """Write zeros into ``directory`` until the file system is full; return the bytes written."""
    written = 0
    with open(directory / "riempimento.bin", "wb") as handle:
        chunk = b"\0" * 65536
        try:
            while True:
                handle.write(chunk)
                handle.flush()
                written += len(chunk)
        except OSError:
            pass
    # Small writes may still fit in the last page: fill byte by byte blocks too.
    try:
        with open(directory / "riempimento-2.bin", "wb") as handle:
            while True:
                handle.write(b"\0" * 512)
                handle.flush()
                written += 512
    except OSError:
        pass
    return written


def scenario_disk(database_url: str, checks: list[dict[str, Any]]) -> dict[str, Any]:
    print("\n== disk: file system degli allegati pieno ==", flush=True)
    from networks.constants import ApplicationStatus, DocumentKind
    from networks.models import Application, Document

    workdir = Path(tempfile.mkdtemp(prefix="ptp-bench-disk-"))
    media = workdir / "media"
    media.mkdir()
    mounted = False
    if os.geteuid() == 0:
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={DISK_MIB}m,mode=0755", "tmpfs", str(media)],
                capture_output=True,
            ).returncode
            == 0
        )
    if mounted:
        method = f"tmpfs da {DISK_MIB} MiB riempito fino a ENOSPC"
        media_root = media
    else:
        method = "SIMULAZIONE: MEDIA_ROOT sotto un file regolare (ENOTDIR), non un disco pieno"
        (workdir / "file").write_text("non una cartella")
        media_root = workdir / "file" / "media"
        print(f"     {method}")
    application = (
        Application.objects.filter(
            status=ApplicationStatus.DRAFT, applicant_organisation__representatives__isnull=False
        )
        .order_by("pk")
        .first()
    )
    user = application.applicant_organisation.representatives.first()
    documents_before = list(
        Document.objects.filter(application=application).values_list("pk", "current")
    )
    pdf = (ROOT / "fixtures" / "demo" / "documento-dimostrativo.pdf").read_bytes()
    result: dict[str, Any] = {"method": method, "application": application.pk}
    server = ProductionServer(database_url, workers=1, media_root=media_root)
    # The health threshold sits below the empty tmpfs: /salute/ must say 200 before the
    # filling and 503 after it, so the 503 is the full disk's and not the threshold's.
    server.env["PORTAL_HEALTH_MIN_FREE_MB"] = str(HEALTH_MIN_FREE_MB)
    if not mounted:
        server.env["DJANGO_MEDIA_ROOT"] = str(media_root)
    health_before = None
    try:
        server.start()
        if mounted:
            health_before = get(server.port, "/salute/", keep_body=True)
            filled = _fill(media)
            print(f"     {method}: {filled} byte scritti")
        health = get(server.port, "/salute/", keep_body=True)
        cookie = session_cookie(user)
        page, cookies = get_with_cookies(
            server.port, f"/domande/{application.pk}/modifica/documenti/", cookie=cookie
        )
        token_match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        csrf_cookie = cookies.get("csrftoken", "")
        if page.status != 200 or not token_match or not csrf_cookie:
            raise RuntimeError(f"pagina dei documenti: HTTP {page.status}, token CSRF non trovato")
        response, headers = post_multipart(
            server.port,
            f"/domande/{application.pk}/documenti/",
            fields={
                "csrfmiddlewaretoken": token_match.group(1).decode(),
                "kind": DocumentKind.NETWORK_AGREEMENT,
            },
            files={"file": ("accordo-di-rete.pdf", pdf)},
            cookie=f"{cookie}; csrftoken={csrf_cookie}",
        )
        followed = None
        if response.status in {301, 302, 303} and headers.get("location"):
            followed = get(server.port, headers["location"], cookie=cookie, keep_body=True)
        log = server.log_tail(15)
    finally:
        server.stop()
    leftovers = []
    if mounted:
        leftovers = [
            str(path.relative_to(media))
            for path in media.rglob("*")
            if path.is_file() and not path.name.startswith("riempimento")
        ]
        subprocess.run(["umount", str(media)], check=False)
    subprocess.run(["rm", "-rf", str(workdir)], check=False)
    documents_after = list(
        Document.objects.filter(application=application).values_list("pk", "current")
    )
    body = (followed.body if followed else response.body).decode(errors="replace")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    message = next(
        (
            m
            for m in re.findall(
                r"[^.]*(?:spazio|disco|salva|riprova|errore|Error)[^.]*\.?", text, re.I
            )
        ),
        text[:200],
    )
    result |= {
        "health_before_status": health_before.status if health_before else None,
        "health_status": health.status,
        "health_body": health.body.decode(errors="replace"),
        "upload_status": response.status,
        "upload_redirect_status": followed.status if followed else None,
        "page_message": message.strip()[:300],
        "documents_unchanged": documents_before == documents_after,
        "leftover_files": leftovers,
        "server_log": log,
    }
    print(f"     /salute/ con disco pieno: HTTP {health.status} {result['health_body']}")
    print(f"     caricamento: HTTP {response.status}; messaggio: {result['page_message']!r}")
    check(
        checks,
        "il caricamento fallisce senza righe Document nuove né modifiche",
        documents_before == documents_after,
    )
    check(
        checks,
        "nessun file scritto a metà resta nel media",
        not leftovers,
        ", ".join(leftovers) or "nessuno",
    )
    clear = response.status in {302, 303, 400, 413, 503, 507} and followed is not None
    check(
        checks,
        "l'utente riceve una pagina d'errore chiara (non un 500 generico)",
        clear or (response.status < 500 and "spazio" in text.lower()),
        f"HTTP {response.status}",
    )
    if health_before is not None:
        check(
            checks,
            "/salute/ risponde 200 con il disco vuoto",
            health_before.status == 200,
            f"HTTP {health_before.status}",
        )
    check(
        checks,
        "/salute/ segnala il disco pieno (503)",
        health.status == 503,
        f"HTTP {health.status}",
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="worker,postgres,disk")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Imposta DATABASE_URL su PostgreSQL (vedi bench/README.md).")
    # One secret for this process and every server started here, so sessions stay valid.
    os.environ.setdefault("BENCH_SECRET_KEY", secrets.token_urlsafe(50))
    configure_django(production_env(database_url))
    targets = load_targets(drafts=10, officers=2)
    scenarios = {name.strip() for name in args.only.split(",")}
    checks: list[dict[str, Any]] = []
    report: dict[str, Any] = {}
    if "worker" in scenarios:
        report["worker"] = scenario_worker(database_url, targets, checks)
    if "postgres" in scenarios:
        report["postgres"] = scenario_postgres(database_url, targets, checks)
    if "disk" in scenarios:
        close_db()
        report["disk"] = scenario_disk(database_url, checks)
    output = write_results("faults", {"checks": checks, **report})
    failed = [c for c in checks if not c["ok"]]
    print(
        f"\n{len(checks) - len(failed)}/{len(checks)} verifiche superate. Risultati in {output.relative_to(ROOT)}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
