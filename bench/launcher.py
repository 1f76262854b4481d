"""Start and stop what the benchmarks run against: a local PostgreSQL and the production server.

The benchmarks (``latency.py``, ``load.py``, ``faults.py``) need a database
that outlives one script (the generated region takes minutes to build) and a
server they can restart, so this module controls both:

- ``PostgresServer``: a PostgreSQL cluster in a directory of its own, with the
  options of ``scripts/with-postgres`` (loopback only, ``fsync=off``), that can
  be started, stopped and restarted by data directory. ``from_url`` finds the
  data directory of any running server through ``SHOW data_directory``, so a
  server started by ``scripts/with-postgres`` can be restarted too.
- ``ProductionServer``: gunicorn with ``ptp_portal.settings.prod`` on
  127.0.0.1, a random secret, collected static files in a temporary
  directory, media in a temporary directory (or one given).
- ``configure_django``: set up Django in this process with the same
  settings and secret as the server, so sessions created here are accepted
  there (``session_cookie``).
- ``get``: one timed GET over ``http.client`` (pure Python, no dependency).

Command line (to keep a generated database between runs)::

    .venv/bin/python bench/launcher.py postgres up --dir /tmp/ptp-bench   # prints DATABASE_URL
    .venv/bin/python bench/launcher.py postgres down --dir /tmp/ptp-bench
"""

from __future__ import annotations

import argparse
import glob
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"


def free_port() -> int:
    """Return a TCP port free on the loopback interface now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def postgres_bin() -> Path:
    """Return the directory of PostgreSQL's server programs (initdb, pg_ctl), newest first."""
    on_path = shutil.which("pg_ctl")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for candidate in candidates:
        if all((candidate / name).exists() for name in ("initdb", "pg_ctl", "createdb", "pg_dump")):
            return candidate
    raise SystemExit("PostgreSQL non trovato (initdb/pg_ctl): installa il pacchetto 'postgresql'.")


def _as_postgres(command: list[str]) -> list[str]:
    """Run server programs as the postgres user when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@dataclass
class PostgresServer:
    """A PostgreSQL cluster: ``base`` holds ``data/``, the socket, ``server.log`` and ``port``."""

    base: Path
    port: int = 0
    data_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        self.base = Path(self.base)
        self.data_dir = self.base / "data"
        port_file = self.base / "port"
        if not self.port:
            self.port = int(port_file.read_text()) if port_file.exists() else free_port()

    @classmethod
    def from_url(cls, database_url: str) -> PostgresServer:
        """Return the server behind ``database_url`` (asks it for its data directory)."""
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            data_dir = Path(conn.execute("SHOW data_directory").fetchone()[0])
        server = cls(data_dir.parent, port=urlparse(database_url).port or 5432)
        server.data_dir = data_dir
        return server

    def url(self, database: str = "ptp") -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = _as_postgres([str(postgres_bin() / "pg_ctl"), "-D", str(self.data_dir), *args])
        return subprocess.run(command, check=check, capture_output=True, text=True)

    def init(self) -> None:
        """Create the cluster if the directory holds none."""
        self.base.mkdir(parents=True, exist_ok=True)
        (self.base / "port").write_text(str(self.port))
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
        if (self.data_dir / "PG_VERSION").exists():
            return
        subprocess.run(
            _as_postgres(
                [
                    str(postgres_bin() / "initdb"),
                    *("-D", str(self.data_dir), "-U", "postgres", "-A", "trust"),
                    *("-E", "UTF8", "--locale=C.UTF-8"),
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses={HOST} -c max_connections=200 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._pg_ctl("-l", str(self.base / "server.log"), "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "-w", "stop", check=False)

    def restart(self, mode: str = "fast") -> None:
        """Restart with the options the server was started with (``postmaster.opts``)."""
        # -l: without it the new postmaster writes to our pipes, and run() waits for them forever.
        self._pg_ctl("-l", str(self.base / "server.log"), "-m", mode, "-w", "restart")

    def is_running(self) -> bool:
        return self._pg_ctl("status", check=False).returncode == 0

    def createdb(self, name: str = "ptp") -> None:
        createdb = str(postgres_bin() / "createdb")
        subprocess.run(
            [createdb, "-h", HOST, "-p", str(self.port), "-U", "postgres", name],
            check=False,
            capture_output=True,
        )

    def version(self) -> str:
        output = subprocess.run(
            [str(postgres_bin() / "postgres"), "--version"], capture_output=True, text=True
        ).stdout
        return output.strip()


# --- the production server -----------------------------------------------------------------


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """Return the environment of a production process on loopback HTTP."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ptp_portal.settings.prod",
            "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
        }
    )
    env.update(extra)
    return env


def machine() -> dict[str, Any]:
    """Describe the machine a benchmark ran on, for its results file."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": sys.version.split()[0],
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }


def write_results(name: str, data: dict[str, Any]) -> Path:
    """Write a benchmark's results to ``bench/results/<name>-<UTC stamp>.json``; return the path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    output = RESULTS / f"{name}-{stamp}.json"
    output.write_text(json.dumps({"at": stamp, **data}, indent=2, ensure_ascii=False))
    return output


def configure_django(env: dict[str, str]) -> None:
    """Set up Django in this process with the server's settings and secret."""
    for name in (
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_SECURE_SSL_REDIRECT",
        "DJANGO_STATIC_ROOT",
        "DJANGO_MEDIA_ROOT",
        "DJANGO_LOG_LEVEL",
        "DATABASE_URL",
    ):
        if name in env:
            os.environ[name] = env[name]
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def session_cookie(user: Any) -> str:
    """Return a ``Cookie`` header value logging ``user`` in (a session made as login() would)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


@dataclass
class ProductionServer:
    """Gunicorn serving ``ptp_portal.wsgi`` with production settings on 127.0.0.1."""

    database_url: str
    workers: int = 2
    port: int = 0
    media_root: Path | None = None
    timeout: int = 30
    env: dict[str, str] = field(init=False)
    workdir: Path = field(init=False)
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.port = self.port or free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="ptp-bench-server-"))
        media = self.media_root or self.workdir / "media"
        Path(media).mkdir(parents=True, exist_ok=True)
        self.env = production_env(
            self.database_url,
            DJANGO_STATIC_ROOT=str(self.workdir / "static"),
            DJANGO_MEDIA_ROOT=str(media),
        )

    @property
    def log_path(self) -> Path:
        return self.workdir / "gunicorn.log"

    def collectstatic(self) -> None:
        """Collect static files into the temporary STATIC_ROOT (manifest storage, as in production)."""
        subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )

    def start(self, *, wait: float = 60.0) -> None:
        """Collect static files, start gunicorn and wait until ``/salute/`` answers 200."""
        self.collectstatic()
        command = [
            str(VENV_BIN / "gunicorn"),
            "ptp_portal.wsgi",
            *("-w", str(self.workers), "-b", f"{HOST}:{self.port}"),
            *("--timeout", str(self.timeout), "--graceful-timeout", "5"),
            *("--error-logfile", str(self.log_path)),
        ]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn è terminato: vedi {self.log_path}")
            try:
                # Any answer means the server is up: a full disk makes /salute/ say 503 on purpose.
                if get(self.port, "/salute/", timeout=5).status in {200, 503}:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn non risponde entro {wait:.0f} s: vedi {self.log_path}")

    def worker_pids(self) -> list[int]:
        """Return the PIDs of the workers (the master's children), read from /proc."""
        assert self.process is not None
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return sorted(children)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> ProductionServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- the client ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    status: int
    seconds: float
    size: int
    body: bytes = b""


def get(
    port: int, path: str, *, cookie: str = "", timeout: float = 30.0, keep_body: bool = False
) -> Response:
    """GET ``path`` from 127.0.0.1:``port``; time it from connect to the last byte."""
    headers = {"Host": HOST, "User-Agent": "ptp-bench"}
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return Response(
        response.status, time.perf_counter() - started, len(body), body if keep_body else b""
    )


def post_multipart(
    port: int,
    path: str,
    *,
    fields: dict[str, str],
    files: dict[str, tuple[str, bytes]],
    cookie: str = "",
    timeout: float = 30.0,
) -> tuple[Response, dict[str, str]]:
    """POST a multipart form to 127.0.0.1:``port``; return the response and its headers."""
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    headers = {
        "Host": HOST,
        "User-Agent": "ptp-bench",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(body)),
    }
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        response_headers = {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()
    return (
        Response(response.status, time.perf_counter() - started, len(data), data),
        response_headers,
    )


def get_with_cookies(port: int, path: str, *, cookie: str = "") -> tuple[Response, dict[str, str]]:
    """GET ``path`` and return the response with the cookies it sets (name -> value)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Host": HOST, "User-Agent": "ptp-bench"}
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _sep, val = pair.partition("=")
                cookies[key.strip()] = val.strip()
    finally:
        conn.close()
    return Response(response.status, time.perf_counter() - started, len(body), body), cookies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    pg = sub.add_parser("postgres", help="un server PostgreSQL in una cartella")
    pg.add_argument("action", choices=["up", "down", "restart", "status"])
    pg.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "ptp-bench-pg")
    pg.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = PostgresServer(args.dir, port=args.port)
    if args.action == "up":
        server.init()
        if not server.is_running():
            server.start()
        server.createdb()
        print(f"export DATABASE_URL={server.url()}")
    elif args.action == "down":
        server.stop()
    elif args.action == "restart":
        server.restart()
    else:
        print("in esecuzione" if server.is_running() else "fermo", server.url())


if __name__ == "__main__":
    main()
