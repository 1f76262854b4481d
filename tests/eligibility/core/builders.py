"""Builders of members and compositions for the rule tests.

Every builder returns a member that fully qualifies for a meccanica polo at
``REFERENCE_DATE`` unless told otherwise, so a test changes only the field it
is about. Keys, school codes and partite IVA derive from the key, so members
built with distinct keys never look like duplicates.
"""

from __future__ import annotations

import zlib
from datetime import date
from typing import Any

from eligibility.core import (
    LOMBARDIA_DGR_124_2013,
    AtecoCode,
    Composition,
    Kind,
    Member,
    Offering,
    RuleResult,
    SchoolYear,
    registry,
)

from .catalogue_data import CATALOGUE

AREA = "meccanica"
REFERENCE_DATE = date(2026, 11, 23)  # school year 2026/27
SINCE_2010 = SchoolYear(2010)


def sy(text: str) -> SchoolYear:
    """Return the school year written ``YYYY/YY``."""
    return SchoolYear.parse(text)


def offering(programme: str, first: str, last: str | None = None) -> Offering:
    """Return an offering between two school years written ``YYYY/YY``."""
    return Offering(programme, sy(first), sy(last) if last else None)


def _digits(key: str, width: int) -> str:
    return f"{zlib.crc32(key.encode()) % 10**width:0{width}d}"


def institute(key: str, **fields: Any) -> Member:
    """Return a statale institute offering IT-MME since 2010/11."""
    defaults: dict[str, Any] = {
        "name": f"IIS {key}",
        "school_code": f"MIIS{_digits(key, 5)}X",
        "school_status": "statale",
        "province": "MI",
        "offerings": (Offering("IT-MME", SINCE_2010),),
    }
    return Member(key=key, kind=Kind.INSTITUTE, **{**defaults, **fields})


def company(key: str, *codes: str, **fields: Any) -> Member:
    """Return a registered, committed company with ATECO 2025 codes (default 28.11)."""
    defaults: dict[str, Any] = {
        "name": f"{key} S.r.l.",
        "vat_number": _digits(key, 11),
        "ateco": tuple(AtecoCode.current(code) for code in codes or ("28.11",)),
        "chamber_registered": True,
        "commitment_signed": True,
    }
    return Member(key=key, kind=Kind.COMPANY, **{**defaults, **fields})


def body(key: str, **fields: Any) -> Member:
    """Return a body accredited in Section A offering IEFP-MEC since 2010/11."""
    defaults: dict[str, Any] = {
        "name": f"Ente {key}",
        "sections": frozenset({"A"}),
        "accreditation_id": f"LOM-{_digits(key, 4)}",
        "offerings": (Offering("IEFP-MEC", SINCE_2010),),
    }
    return Member(key=key, kind=Kind.ACCREDITED_BODY, **{**defaults, **fields})


def its(key: str, **fields: Any) -> Member:
    """Return an ITS offering ITSO-MI-MEC until 2023/24, then ITS-06."""
    defaults: dict[str, Any] = {
        "name": f"ITS {key}",
        "offerings": (
            Offering("ITSO-MI-MEC", SINCE_2010, sy("2023/24")),
            Offering("ITS-06", sy("2024/25")),
        ),
    }
    return Member(key=key, kind=Kind.ITS, **{**defaults, **fields})


def other(key: str, kind: Kind = Kind.OTHER, **fields: Any) -> Member:
    """Return a member outside the minimum composition (default: kind ``other``)."""
    return Member(key=key, kind=kind, name=fields.pop("name", f"Soggetto {key}"), **fields)


def minimal_members() -> tuple[Member, ...]:
    """Return a network exactly at the Lombardia minimums, all qualifying."""
    return (
        institute("i1"),
        institute("i2"),
        company("c1"),
        company("c2"),
        body("b1"),
        its("t1"),
    )


def network(
    *members: Member,
    area: str = AREA,
    lead: str | None = "",
    reference_date: date = REFERENCE_DATE,
    catalogue: Any = CATALOGUE,
) -> Composition:
    """Return a composition of ``members`` (default: the minimal network), led by the first."""
    members = members or minimal_members()
    lead_key = (members[0].key if members else None) if lead == "" else lead
    return Composition(
        area=area,
        reference_date=reference_date,
        lead_partner=lead_key,
        members=members,
        catalogue=catalogue,
    )


def replace_member(composition: Composition, key: str, member: Member) -> Composition:
    """Return ``composition`` with the member ``key`` replaced."""
    members = tuple(member if m.key == key else m for m in composition.members)
    return Composition(
        composition.area,
        composition.reference_date,
        composition.lead_partner,
        members,
        composition.catalogue,
    )


def run_rule(
    code: str,
    composition: Composition,
    *,
    as_of: date | None = None,
    params: dict[str, Any] | None = None,
) -> RuleResult:
    """Return the result of the rule ``code`` alone, checking the contract every result keeps.

    Parameters default to the Lombardia ruleset's; ``params`` overrides some.
    """
    rule = registry.get(code)
    result = rule.check(
        composition,
        params={**LOMBARDIA_DGR_124_2013.params, **(params or {})},
        as_of=as_of or composition.reference_date,
    )
    assert result.code == code
    assert result.citation.strip()
    assert result.description.strip()
    assert result.message.strip()
    if result.status == "pass":
        assert len(result.hint) <= 120
    else:
        assert result.hint.strip(), f"{code} {result.status} without a hint: {result.message}"
    if result.status == "warning":
        assert result.severity == "advisory"
    else:
        assert result.severity == rule.severity
    assert set(result.members) <= {m.key for m in composition.members}
    return result
