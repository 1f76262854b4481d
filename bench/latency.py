"""Measure the latency of the main pages on the production server, in one run.

    DATABASE_URL=postgres://... .venv/bin/python bench/latency.py [--requests 200] [--concurrency 4]

Against a database filled by ``bench/generate.py`` it starts gunicorn with
``ptp_portal.settings.prod`` (2 workers, 127.0.0.1, random secret, static
files collected into a temporary directory), logs users in by creating their
sessions directly (production cookies are ``Secure``: on loopback HTTP the
benchmark sends the session cookie itself), and times, for each endpoint,
``--requests`` GETs one after the other and then as many with
``--concurrency`` clients at once:

- ``/salute/``, the trivial view behind the same middleware (the baseline);
- ``/privacy/``, a static HTML page: the cost of the base template alone;
- the officer's queue ``/istruttoria/?status=in_review`` as an officer;
- an application page ``/istruttoria/<pk>/`` (a large network in review);
- the public register ``/poli/``;
- the queue and the register again with a parameter that changes on every
  request, so that the page cache always misses (reported, not a target);
- the admin changelist ``/admin/networks/application/?status__exact=in_review``
  as the superuser ``bench-admin``;
- the eligibility panel ``/domande/<pk>/verifica/`` of a draft, as the user
  representing its applicant organisation.

It prints p50, p95, requests per second and the ratio of each p95 to the
baseline's, checks the targets (queue and register p95 at most 3 times the
baseline and below the admin changelist's), counts the SQL queries of each
page in this process for two page sizes (they must not grow with the page),
writes everything to ``bench/results/latency-<time>.json`` and exits 1 when a
target is missed. Each measurement stops early after ``--max-seconds``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from launcher import (
    ROOT,
    PostgresServer,
    ProductionServer,
    configure_django,
    get,
    machine,
    session_cookie,
    write_results,
)

TARGET_RATIO = 3.0


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    cookie: str = ""
    # Add a parameter no page reads, different on every request: a miss of the page cache.
    uncached: bool = False


@dataclass
class Stats:
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    rps: float


def percentile(values: list[float], pct: int) -> float:
    """Return the ``pct``-th percentile (inclusive method) of ``values``."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def measure(
    port: int, endpoint: Endpoint, *, requests: int, concurrency: int, max_seconds: float
) -> Stats:
    """Time ``requests`` GETs with ``concurrency`` clients; stop early after ``max_seconds``."""
    deadline = time.monotonic() + max_seconds
    per_client = max(1, requests // concurrency)

    def client(index: int) -> list[tuple[int, float]]:
        out = []
        for number in range(per_client):
            if time.monotonic() > deadline:
                break
            path = endpoint.path
            if endpoint.uncached:
                separator = "&" if "?" in path else "?"
                path = f"{path}{separator}misura={time.time_ns()}-{index}-{number}"
            response = get(port, path, cookie=endpoint.cookie)
            out.append((response.status, response.seconds))
        return out

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = [item for chunk in pool.map(client, range(concurrency)) for item in chunk]
    wall = time.perf_counter() - started
    times = [seconds * 1000 for _status, seconds in results]
    return Stats(
        requests=len(results),
        errors=sum(1 for status, _seconds in results if status != 200),
        p50_ms=round(percentile(times, 50), 2),
        p95_ms=round(percentile(times, 95), 2),
        rps=round(len(results) / wall, 1),
    )


def pick_subjects() -> dict[str, Any]:
    """Return the users and applications the endpoints need (creating the superuser if missing)."""
    from django.contrib.auth.models import User
    from django.db.models import Count

    from networks.constants import ApplicationStatus, Role
    from networks.models import Application

    officer = User.objects.filter(groups__name=Role.OFFICER.value).order_by("pk").first()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        admin = User.objects.create_superuser("bench-admin", "bench-admin@example.org", None)
    in_review = Application.objects.filter(status=ApplicationStatus.IN_REVIEW).annotate(
        n=Count("members")
    )
    large = in_review.order_by("-n", "pk").first()
    small = in_review.order_by("n", "pk").first()
    drafts = (
        Application.objects.filter(
            status=ApplicationStatus.DRAFT, applicant_organisation__representatives__isnull=False
        )
        .annotate(n=Count("members", distinct=True))
        .order_by("-n", "pk")
    )
    draft_large, draft_small = drafts.first(), drafts.last()
    if None in (officer, large, draft_large):
        raise SystemExit("Database senza dati di prova: esegui prima bench/generate.py.")
    return {
        "officer": officer,
        "admin": admin,
        "application": large,
        "application_small": small,
        "draft": draft_large,
        "draft_small": draft_small,
        "applicant": draft_large.applicant_organisation.representatives.first(),
        "applicant_small": draft_small.applicant_organisation.representatives.first(),
    }


def count_queries(subjects: dict[str, Any]) -> list[dict[str, Any]]:
    """Count each page's SQL queries in this process, for two page sizes (or network sizes)."""
    from django.contrib import admin
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from networks.models import Application
    from networks.views import public

    backend = "django.contrib.auth.backends.ModelBackend"

    def queries(path: str, user: Any = None) -> tuple[int, int]:
        client = Client(SERVER_NAME="127.0.0.1")
        if user is not None:
            client.force_login(user, backend=backend)
        client.get(path)  # warm caches (content types, translations) before counting
        cache.clear()  # count the queries of a rendering, not of a page-cache hit
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        return status, len(captured)

    model_admin = admin.site._registry[Application]
    rows = []

    def row(
        name: str, small: str, large: str, measured: tuple[tuple[int, int], tuple[int, int]]
    ) -> None:
        (status_a, count_a), (status_b, count_b) = measured
        rows.append(
            {
                "page": name,
                "small": small,
                "large": large,
                "queries_small": count_a,
                "queries_large": count_b,
                "status": [status_a, status_b],
                "constant": count_a == count_b,
            }
        )

    officer, app = subjects["officer"], subjects["application"]
    row("health", "-", "-", (queries("/salute/"), queries("/salute/")))
    row(
        "queue",
        "per_page=25",
        "per_page=100",
        (
            queries("/istruttoria/?status=in_review&per_page=25", officer),
            queries("/istruttoria/?status=in_review&per_page=100", officer),
        ),
    )
    sizes = []
    for size in (25, 100):
        public.REGISTER_PAGE_SIZE = size  # in this process only, to compare page sizes
        sizes.append(queries("/poli/"))
    public.REGISTER_PAGE_SIZE = 25
    row("register", "25 per pagina", "100 per pagina", (sizes[0], sizes[1]))
    sizes = []
    for size in (25, 100):
        model_admin.list_per_page = size
        sizes.append(
            queries("/admin/networks/application/?status__exact=in_review", subjects["admin"])
        )
    model_admin.list_per_page = 100
    row("admin changelist", "25 per pagina", "100 per pagina", (sizes[0], sizes[1]))
    small = subjects["application_small"]
    row(
        "application page",
        f"{small.n} membri",
        f"{app.n} membri",
        (
            queries(f"/istruttoria/{small.pk}/", officer),
            queries(f"/istruttoria/{app.pk}/", officer),
        ),
    )
    draft, draft_small = subjects["draft"], subjects["draft_small"]
    row(
        "eligibility panel",
        f"{draft_small.n} membri",
        f"{draft.n} membri",
        (
            queries(f"/domande/{draft_small.pk}/verifica/", subjects["applicant_small"]),
            queries(f"/domande/{draft.pk}/verifica/", subjects["applicant"]),
        ),
    )
    return rows


def main() -> int:
    import os

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="richieste per endpoint e modo")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="worker di gunicorn")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="limite per misura")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Imposta DATABASE_URL su PostgreSQL (vedi bench/README.md).")

    server = ProductionServer(database_url, workers=args.workers)
    configure_django(server.env)
    subjects = pick_subjects()
    app, draft = subjects["application"], subjects["draft"]
    officer_cookie = session_cookie(subjects["officer"])
    endpoints = [
        Endpoint("health", "/salute/"),
        # Not a target: the cost of the base template alone, to read the other numbers against.
        Endpoint("static page", "/privacy/"),
        Endpoint("queue", "/istruttoria/?status=in_review", officer_cookie),
        # Not a target: the same pages when the page cache misses (a new query every time).
        Endpoint("queue, miss", "/istruttoria/?status=in_review", officer_cookie, uncached=True),
        Endpoint("application page", f"/istruttoria/{app.pk}/", officer_cookie),
        Endpoint("register", "/poli/"),
        Endpoint("register, miss", "/poli/", uncached=True),
        Endpoint(
            "admin changelist",
            "/admin/networks/application/?status__exact=in_review",
            session_cookie(subjects["admin"]),
        ),
        Endpoint(
            "eligibility panel",
            f"/domande/{draft.pk}/verifica/",
            session_cookie(subjects["applicant"]),
        ),
    ]
    print(
        f"Domanda in istruttoria: {app.pk} ({app.n} membri); bozza: {draft.pk} ({draft.n} membri)"
    )
    results: dict[str, dict[str, Any]] = {}
    with server:
        for endpoint in endpoints:
            for _ in range(5):  # warm-up, and a loud failure if the page does not answer 200
                response = get(server.port, endpoint.path, cookie=endpoint.cookie, keep_body=True)
                if response.status != 200:
                    raise SystemExit(
                        f"{endpoint.name} {endpoint.path}: HTTP {response.status}\n"
                        f"{response.body[:500].decode(errors='replace')}\n{server.log_tail()}"
                    )
            sequential = measure(
                server.port,
                endpoint,
                requests=args.requests,
                concurrency=1,
                max_seconds=args.max_seconds,
            )
            concurrent = measure(
                server.port,
                endpoint,
                requests=args.requests,
                concurrency=args.concurrency,
                max_seconds=args.max_seconds,
            )
            results[endpoint.name] = {
                "path": endpoint.path,
                "bytes": response.size,
                "sequential": asdict(sequential),
                f"concurrency_{args.concurrency}": asdict(concurrent),
            }
            print(f"  misurato {endpoint.name}", flush=True)
        # In this process, while the collected static files (and their manifest) still exist.
        query_counts = count_queries(subjects)

    concurrent_key = f"concurrency_{args.concurrency}"
    base = {mode: results["health"][mode]["p95_ms"] for mode in ("sequential", concurrent_key)}
    header = (
        f"{'endpoint':<18} {'modo':<8} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'req/s':>7} {'p95/salute':>10}"
    )
    print()
    print(header)
    print("-" * len(header))
    for name, result in results.items():
        for mode, label in (("sequential", "1"), (concurrent_key, str(args.concurrency))):
            stats = result[mode]
            stats["ratio_p95_to_health"] = round(stats["p95_ms"] / base[mode], 2)
            print(
                f"{name:<18} {label:<8} {stats['requests']:>5} {stats['errors']:>4} "
                f"{stats['p50_ms']:>8.1f} {stats['p95_ms']:>8.1f} {stats['rps']:>7.1f} "
                f"{stats['ratio_p95_to_health']:>9.1f}x"
            )
    print()
    print(f"{'pagina':<18} {'piccola':<16} {'grande':<16} {'query':>6} {'query':>6}  costante")
    for row in query_counts:
        print(
            f"{row['page']:<18} {row['small']:<16} {row['large']:<16} "
            f"{row['queries_small']:>6} {row['queries_large']:>6}  {'sì' if row['constant'] else 'NO'}"
        )

    checks = []
    for mode in ("sequential", concurrent_key):
        admin_p95 = results["admin changelist"][mode]["p95_ms"]
        for name in ("queue", "register"):
            stats = results[name][mode]
            checks.append(
                {
                    "check": f"{name} p95 <= {TARGET_RATIO:g}x salute ({mode})",
                    "ok": stats["ratio_p95_to_health"] <= TARGET_RATIO,
                }
            )
            checks.append(
                {
                    "check": f"{name} p95 < admin changelist p95 ({mode})",
                    "ok": stats["p95_ms"] < admin_p95,
                }
            )
    checks.append(
        {
            "check": "query costanti al variare della pagina",
            "ok": all(row["constant"] for row in query_counts),
        }
    )
    checks.append(
        {
            "check": "nessun errore HTTP",
            "ok": all(
                r[m]["errors"] == 0
                for r in results.values()
                for m in ("sequential", concurrent_key)
            ),
        }
    )
    print()
    for check in checks:
        print(f"{'OK  ' if check['ok'] else 'FAIL'} {check['check']}")

    output = write_results(
        "latency",
        {
            "machine": machine(),
            "postgres": PostgresServer.from_url(database_url).version(),
            "workers": args.workers,
            "requests": args.requests,
            "concurrency": args.concurrency,
            "application": {"pk": app.pk, "members": app.n},
            "draft": {"pk": draft.pk, "members": draft.n},
            "results": results,
            "queries": query_counts,
            "checks": checks,
        },
    )
    print(f"\nRisultati in {output.relative_to(ROOT)}")
    return 0 if all(check["ok"] for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
