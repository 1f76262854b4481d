"""Time the eligibility engine on a realistic network and on a very large one.

Run as ``.venv/bin/python bench/eligibility.py``. It builds, from core types
(what an adapter hands the engine after parsing), a 25-member network shaped
like the La Spezia polo and a 2,000-member network with the same mix of
kinds, times ``evaluate`` on each with ``timeit``, and prints the median and
minimum per evaluation, their ratio and the cost per member. It exits with
status 1 when the 25-member median exceeds 2 ms or the 2,000-member median
exceeds 50 ms, so CI can run it as a check.
"""

from __future__ import annotations

import statistics
import sys
import timeit
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eligibility.core import (
    AtecoCode,
    Composition,
    Kind,
    Member,
    Offering,
    SchoolYear,
    evaluate,
)
from tests.eligibility.core.catalogue_data import CATALOGUE

LIMIT_SMALL_MS = 2.0
LIMIT_LARGE_MS = 50.0
REFERENCE_DATE = date(2026, 11, 23)

# Codes drawn in turn, so that some companies are in the area, some elsewhere, some unmapped.
COMPANY_CODES = ("30.11", "28.11", "25.62", "33.15", "71.12", "47.11", "72.19", "26.51")
INSTITUTE_OFFERS = (
    (("IT-MME", 2010, None),),
    (("IPO-MAT", 2012, 2017), ("IP-MAT", 2018, None)),
    (("IT-TRL", 2010, None), ("IT-ELE", 2015, None)),
    (("IT-TUR", 2010, None),),  # another area: excluded, and short of the offer
    (("IT-MME", 2025, None),),  # too recent
)


def offers(*spans: tuple[str, int, int | None]) -> tuple[Offering, ...]:
    return tuple(
        Offering(code, SchoolYear(first), None if last is None else SchoolYear(last))
        for code, first, last in spans
    )


def build_members(size: int) -> list[Member]:
    """Return ``size`` members in the proportions of the La Spezia polo (25 partners)."""
    # Per 25: 7 institutes, 9 companies, 4 bodies, 1 ITS, 1 university, 1 research, 2 other.
    plan = (
        [Kind.INSTITUTE] * 7
        + [Kind.COMPANY] * 9
        + [Kind.ACCREDITED_BODY] * 4
        + [Kind.ITS, Kind.UNIVERSITY, Kind.RESEARCH_CENTRE, Kind.OTHER, Kind.OTHER]
    )
    members: list[Member] = []
    companies: list[str] = []
    for n in range(size):
        kind = plan[n % len(plan)]
        key = f"{kind.value}-{n}"
        if kind is Kind.INSTITUTE:
            main = f"SPIS{n:05d}X"
            # Every seventh institute is a site of the previous one.
            if n % 7 == 6 and members and members[-1].kind is Kind.INSTITUTE:
                main = members[-1].institution_code
            members.append(
                Member(
                    key,
                    kind,
                    f"IISS {n}",
                    province="SP",
                    school_code=f"SPTF{n:05d}A",
                    main_school_code=main,
                    school_status="paritaria" if n % 11 == 0 else "statale",
                    offerings=offers(*INSTITUTE_OFFERS[n % len(INSTITUTE_OFFERS)]),
                )
            )
        elif kind is Kind.COMPANY:
            codes = [COMPANY_CODES[n % len(COMPANY_CODES)]]
            if n % 4 == 0:
                codes.append(COMPANY_CODES[(n + 3) % len(COMPANY_CODES)])
            ateco = tuple(AtecoCode.current(code) for code in codes)
            if n % 13 == 0:
                ateco += (AtecoCode("28.99.39", "2007", ("28.99",)),)
            members.append(
                Member(
                    key,
                    kind,
                    f"Impresa {n} S.r.l.",
                    province="SP",
                    vat_number=f"{n:011d}",
                    ateco=ateco,
                    chamber_registered=n % 17 != 0,
                    commitment_signed=n % 19 != 0,
                )
            )
            companies.append(key)
        elif kind is Kind.ACCREDITED_BODY:
            members.append(
                Member(
                    key,
                    kind,
                    f"Ente {n}",
                    sections=frozenset({"A"} if n % 3 else {"B"}),
                    labour_services=n % 2 == 0,
                    accreditation_id=f"LOM-{n}",
                    offerings=offers(("IEFP-MEC", 2012, None), ("IEFP-RIS", 2014, 2019)),
                )
            )
        elif kind is Kind.ITS:
            members.append(
                Member(
                    key,
                    kind,
                    f"ITS {n}",
                    founders=tuple(companies[-2:]),
                    offerings=offers(("ITSO-MI-MEC", 2011, 2023), ("ITS-06", 2024, None)),
                )
            )
        else:
            members.append(Member(key, kind, f"Soggetto {n}"))
    return members


def build_network(size: int) -> Composition:
    members = build_members(size)
    return Composition("meccanica", REFERENCE_DATE, members[0].key, tuple(members), CATALOGUE)


def measure(composition: Composition, number: int, repeat: int) -> tuple[float, float]:
    """Return the median and minimum milliseconds of one evaluation."""
    runs = timeit.repeat(lambda: evaluate(composition), number=number, repeat=repeat)
    per_call = [run / number * 1000 for run in runs]
    return statistics.median(per_call), min(per_call)


def main() -> int:
    small, large = build_network(25), build_network(2000)
    verdict_small, verdict_large = evaluate(small), evaluate(large)
    small_median, small_min = measure(small, number=200, repeat=31)
    large_median, large_min = measure(large, number=5, repeat=31)
    print(f"25 members:    median {small_median:.3f} ms, min {small_min:.3f} ms "
          f"(verdict {verdict_small.verdict})")  # fmt: skip
    print(f"2,000 members: median {large_median:.3f} ms, min {large_min:.3f} ms "
          f"(verdict {verdict_large.verdict})")  # fmt: skip
    print(f"ratio 2000/25 (median): {large_median / small_median:.1f}")
    print(f"per member (median): 25 -> {small_median / 25 * 1000:.1f} us, "
          f"2,000 -> {large_median / 2000 * 1000:.1f} us")  # fmt: skip
    over = []
    if small_median > LIMIT_SMALL_MS:
        over.append(f"25-member median {small_median:.3f} ms > {LIMIT_SMALL_MS} ms")
    if large_median > LIMIT_LARGE_MS:
        over.append(f"2,000-member median {large_median:.3f} ms > {LIMIT_LARGE_MS} ms")
    for problem in over:
        print(f"TOO SLOW: {problem}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
