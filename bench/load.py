"""A steady mix of public and logged-in traffic against the production server, bounded in time.

    DATABASE_URL=postgres://... .venv/bin/python bench/load.py [--seconds 120] [--workers 8]

Against a database filled by ``bench/generate.py``: gunicorn with production
settings (as ``latency.py``), then ``--workers`` client threads (pure Python,
``http.client``, one connection per request) issue GETs for ``--seconds``
drawn from a fixed mix:

- public: the register ``/poli/`` (with a page or an area filter), a polo's
  page ``/poli/<pk>/``, the statistics ``/statistiche/``, the open-data CSV
  ``/open-data/poli.csv``;
- logged in: the officer's queue ``/istruttoria/`` with a filter or a page,
  an application page ``/istruttoria/<pk>/``, the eligibility panel
  ``/domande/<pk>/verifica/`` of a draft as its applicant.

It prints throughput, p50/p95/p99 overall and per kind of request and the
errors (any status but 200, or a failed connection), writes the results to
``bench/results/load-<time>.json`` and exits 1 on any error. ``faults.py``
reuses ``Traffic`` to keep load on the server while it breaks things.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from latency import percentile
from launcher import (
    ROOT,
    ProductionServer,
    configure_django,
    get,
    machine,
    session_cookie,
    write_results,
)

# (kind, weight): about 60% public traffic, 40% logged in. The statistics page and the
# 8 MB open-data CSV cost up to a second each (docs/performance.md): they are a small share,
# as downloads are in real traffic (harvesters revalidate with the ETag).
MIX = (
    ("register", 30),
    ("polo", 25),
    ("statistics", 3),
    ("opendata_csv", 1),
    ("queue", 18),
    ("application", 13),
    ("panel", 10),
)


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the start of the traffic
    kind: str
    status: int  # 0 when the connection failed
    seconds: float
    error: str = ""


@dataclass
class Targets:
    """What the mix draws from: ids, filters and the cookies of the users acting."""

    poli: list[int]
    areas: list[int]
    applications: list[int]
    drafts: list[tuple[int, str]]  # (application pk, cookie of its applicant)
    officer_cookies: list[str]
    queue_filters: list[str] = field(
        default_factory=lambda: [
            "status=in_review",
            "status=submitted",
            "status=integration_requested",
            "overdue=si",
            "order=-protocol",
            "page=3",
            "q=meccanica",
            "",
        ]
    )


def load_targets(*, drafts: int = 20, officers: int = 4) -> Targets:
    """Read ids from the database and log in a few officers and applicants (in this process)."""
    from django.contrib.auth.models import User

    from networks.constants import ApplicationStatus, Role
    from networks.models import Application, EconomicArea
    from networks.selectors_public import recognised_poli

    draft_rows = list(
        Application.objects.filter(status=ApplicationStatus.DRAFT)
        .select_related("applicant_organisation")
        .order_by("pk")[:drafts]
    )
    draft_targets = []
    for draft in draft_rows:
        user = draft.applicant_organisation.representatives.first()
        if user is not None:
            draft_targets.append((draft.pk, session_cookie(user)))
    officer_users = User.objects.filter(groups__name=Role.OFFICER.value).order_by("pk")[:officers]
    targets = Targets(
        poli=list(recognised_poli().values_list("pk", flat=True)[:500]),
        areas=list(EconomicArea.objects.values_list("pk", flat=True)),
        applications=list(
            Application.objects.exclude(status=ApplicationStatus.DRAFT)
            .order_by("?")
            .values_list("pk", flat=True)[:500]
        ),
        drafts=draft_targets,
        officer_cookies=[session_cookie(user) for user in officer_users],
    )
    if not (targets.poli and targets.applications and targets.drafts and targets.officer_cookies):
        raise SystemExit("Database senza dati di prova: esegui prima bench/generate.py.")
    return targets


def request_for(kind: str, targets: Targets, rng: random.Random) -> tuple[str, str]:
    """Return (path, cookie) of one request of ``kind``."""
    if kind == "register":
        return rng.choice(
            [
                "/poli/",
                f"/poli/?page={rng.randint(1, 20)}",
                f"/poli/?area={rng.choice(targets.areas)}",
            ]
        ), ""
    if kind == "polo":
        return f"/poli/{rng.choice(targets.poli)}/", ""
    if kind == "statistics":
        return "/statistiche/", ""
    if kind == "health":
        return "/salute/", ""
    if kind == "opendata_csv":
        return "/open-data/poli.csv", ""
    if kind == "queue":
        query = rng.choice(targets.queue_filters)
        return f"/istruttoria/?{query}" if query else "/istruttoria/", rng.choice(
            targets.officer_cookies
        )
    if kind == "application":
        return f"/istruttoria/{rng.choice(targets.applications)}/", rng.choice(
            targets.officer_cookies
        )
    pk, cookie = rng.choice(targets.drafts)
    return f"/domande/{pk}/verifica/", cookie


class Traffic:
    """Client threads issuing the mix until ``stop()`` or their deadline."""

    def __init__(
        self,
        port: int,
        targets: Targets,
        *,
        workers: int = 8,
        seconds: float = 120.0,
        seed: int = 1,
        timeout: float = 30.0,
        mix: tuple[tuple[str, int], ...] = MIX,
    ) -> None:
        self.port, self.targets, self.workers, self.seconds = port, targets, workers, seconds
        self.seed, self.timeout, self.mix = seed, timeout, mix
        self.samples: list[Sample] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.started = 0.0

    def _worker(self, index: int) -> None:
        rng = random.Random(self.seed * 1000 + index)
        kinds = [kind for kind, _weight in self.mix]
        weights = [weight for _kind, weight in self.mix]
        deadline = self.started + self.seconds
        while not self._stop.is_set() and time.monotonic() < deadline:
            kind = rng.choices(kinds, weights=weights)[0]
            path, cookie = request_for(kind, self.targets, rng)
            began = time.monotonic()
            try:
                response = get(self.port, path, cookie=cookie, timeout=self.timeout)
                sample = Sample(began - self.started, kind, response.status, response.seconds)
            except OSError as error:  # refused, reset, timed out: the server did not answer
                sample = Sample(
                    began - self.started,
                    kind,
                    0,
                    time.monotonic() - began,
                    f"{type(error).__name__}: {error}",
                )
            with self._lock:
                self.samples.append(sample)
            if sample.status == 0:
                time.sleep(0.05)  # do not spin on a refused connection

    def start(self) -> Traffic:
        self.started = time.monotonic()
        self._threads = [
            threading.Thread(target=self._worker, args=(i,), daemon=True)
            for i in range(self.workers)
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.join()

    def join(self) -> None:
        for thread in self._threads:
            thread.join()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def snapshot(self) -> list[Sample]:
        with self._lock:
            return list(self.samples)


def summarise(samples: list[Sample], seconds: float) -> dict[str, Any]:
    """Return throughput, percentiles and errors, overall and per kind."""

    def block(items: list[Sample]) -> dict[str, Any]:
        ok = [s.seconds * 1000 for s in items if s.status == 200]
        return {
            "requests": len(items),
            "errors": sum(1 for s in items if s.status != 200),
            "rps": round(len(items) / seconds, 1) if seconds else 0.0,
            "p50_ms": round(percentile(ok, 50), 1) if ok else None,
            "p95_ms": round(percentile(ok, 95), 1) if ok else None,
            "p99_ms": round(percentile(ok, 99), 1) if ok else None,
        }

    kinds = sorted({s.kind for s in samples})
    errors: dict[str, int] = {}
    for sample in samples:
        if sample.status != 200:
            key = sample.error.split(":")[0] if sample.status == 0 else f"HTTP {sample.status}"
            errors[key] = errors.get(key, 0) + 1
    return {
        "all": block(samples),
        "by_kind": {kind: block([s for s in samples if s.kind == kind]) for kind in kinds},
        "errors_by_cause": errors,
    }


def print_summary(summary: dict[str, Any]) -> None:
    header = f"{'richiesta':<14} {'n':>6} {'err':>4} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    rows = [*summary["by_kind"].items(), ("TOTALE", summary["all"])]
    for kind, stats in rows:
        p50, p95, p99 = (
            stats[k] if stats[k] is not None else float("nan")
            for k in ("p50_ms", "p95_ms", "p99_ms")
        )
        print(
            f"{kind:<14} {stats['requests']:>6} {stats['errors']:>4} {stats['rps']:>7.1f} "
            f"{p50:>8.1f} {p95:>8.1f} {p99:>8.1f}"
        )
    if summary["errors_by_cause"]:
        print("errori:", ", ".join(f"{k} × {v}" for k, v in summary["errors_by_cause"].items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=8, help="client concorrenti")
    parser.add_argument("--server-workers", type=int, default=2, help="worker di gunicorn")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Imposta DATABASE_URL su PostgreSQL (vedi bench/README.md).")
    if not 1 <= args.seconds <= 3600 or not 1 <= args.workers <= 64:
        raise SystemExit("Limiti: 1-3600 secondi, 1-64 client.")
    server = ProductionServer(database_url, workers=args.server_workers)
    configure_django(server.env)
    targets = load_targets()
    with server:
        print(
            f"Carico per {args.seconds:.0f} s con {args.workers} client su 127.0.0.1:{server.port} "
            f"({args.server_workers} worker gunicorn)...",
            flush=True,
        )
        traffic = Traffic(
            server.port, targets, workers=args.workers, seconds=args.seconds, seed=args.seed
        ).start()
        traffic.join()
        elapsed = traffic.elapsed()
        if any(s.status != 200 for s in traffic.samples):
            print(server.log_tail(20), file=sys.stderr)
    summary = summarise(traffic.samples, elapsed)
    print_summary(summary)
    output = write_results(
        "load",
        {
            "machine": machine(),
            "seconds": round(elapsed, 1),
            "client_workers": args.workers,
            "server_workers": args.server_workers,
            "mix": dict(MIX),
            "summary": summary,
        },
    )
    print(f"Risultati in {output.relative_to(ROOT)}")
    return 1 if summary["all"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
