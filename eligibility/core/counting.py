"""Who counts, computed in one place and once per evaluation.

Several rules ask the same questions: for how many school years has a subject
offered the area? Is this company in the area? Which members founded the ITS?
The answers live here, as plain functions and as a ``Facts`` object that the
engine builds once per evaluation and hands to every rule. Each fact is
computed on first use and then reused, so a network of 2,000 members costs
one pass per fact, and a fact that fails to compute affects only the rules
that need it.

Counting follows ``network-format.md`` ("Counting"); the interpretations the
law leaves open are listed in ``docs/eligibility.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property

from .schoolyear import SchoolYear
from .types import Catalogue, Composition, Kind, Member

SCHOOL_PROGRAMME_KINDS = frozenset({"tecnico", "professionale"})
COUNTING_SCHOOL_STATUSES = frozenset({"statale", "paritaria"})
SECTION_A = "A"


class RulesetParameterError(LookupError):
    """A ruleset lacks a parameter a rule needs, or gives it the wrong type."""


def int_param(params: Mapping[str, object], name: str) -> int:
    """Return the integer parameter ``name``; raise ``RulesetParameterError`` in Italian."""
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RulesetParameterError(
            f"Il regolamento non definisce il parametro «{name}» come intero non negativo "
            f"(valore: {value!r})."
        )
    return value


def date_param(params: Mapping[str, object], name: str) -> date:
    """Return the date parameter ``name``; raise ``RulesetParameterError`` in Italian."""
    value = params.get(name)
    if not isinstance(value, date):
        raise RulesetParameterError(
            f"Il regolamento non definisce il parametro «{name}» come data (valore: {value!r})."
        )
    return value


def is_linked(programme_code: str, area: str, catalogue: Catalogue) -> bool:
    """Return whether a programme, or a programme of its successor chain, covers ``area``.

    Following successors keeps an offer continuous across reforms: a course
    of the old order counts for the area of the course that replaced it.
    """
    seen: set[str] = set()
    programme = catalogue.programmes.get(programme_code)
    while programme is not None and programme.code not in seen:
        if area in programme.areas:
            return True
        seen.add(programme.code)
        programme = catalogue.programmes.get(programme.successor or "")
    return False


def coverage(
    member: Member, area: str, catalogue: Catalogue, up_to: SchoolYear
) -> tuple[tuple[SchoolYear, SchoolYear], ...]:
    """Return the school years, up to ``up_to``, in which ``member`` offered the area.

    The answer is a sorted tuple of disjoint ``(first, last)`` ranges, where
    ranges that touch (one ends the year before the next starts) are merged.
    """
    spans = sorted(
        (offering.first, up_to if offering.last is None else min(offering.last, up_to))
        for offering in member.offerings
        if offering.first <= up_to and is_linked(offering.programme, area, catalogue)
    )
    merged: list[tuple[SchoolYear, SchoolYear]] = []
    for first, last in spans:
        if last < first:
            continue
        if merged and first - merged[-1][1] <= 1:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return tuple(merged)


def offer_years(member: Member, area: str, catalogue: Catalogue, ref_year: SchoolYear) -> int:
    """Return how many consecutive school years, ending with ``ref_year``, offered the area."""
    spans = coverage(member, area, catalogue, ref_year)
    if not spans or spans[-1][1] != ref_year:
        return 0
    return ref_year - spans[-1][0] + 1


def offers_school_programme(member: Member, catalogue: Catalogue, year: SchoolYear) -> bool:
    """Return whether ``member`` offers in ``year`` a tecnico or professionale programme.

    Of any area, as ``network-format.md`` counts institutes: the area is the
    three-year offer's concern, which IeFP courses of the area meet too.
    """
    for offering in member.offerings:
        programme = catalogue.programmes.get(offering.programme)
        if (
            programme is not None
            and programme.kind in SCHOOL_PROGRAMME_KINDS
            and offering.active_in(year)
        ):
            return True
    return False


def is_training_subject(member: Member) -> bool:
    """Return whether ``member`` must show a three-year offer (institute, accredited body, ITS)."""
    if member.kind is Kind.ACCREDITED_BODY:
        # A body accredited only for labour services trains nobody.
        return bool(member.sections)
    return member.kind in (Kind.INSTITUTE, Kind.ITS)


class CompanyFit(StrEnum):
    """How a company's ATECO codes relate to the polo's area."""

    IN_AREA = "in_area"
    OTHER_AREAS = "other_areas"
    UNMAPPED = "unmapped"


def company_fit(member: Member, area: str, catalogue: Catalogue) -> CompanyFit:
    """Return whether some code maps to ``area``, all mapped codes miss it, or none maps."""
    mapped = False
    for code in member.ateco:
        areas = catalogue.areas_for_code(code)
        if areas is None:
            continue
        if area in areas:
            return CompanyFit.IN_AREA
        mapped = True
    return CompanyFit.OTHER_AREAS if mapped else CompanyFit.UNMAPPED


def canonical_school_code(code: str) -> str:
    """Return a codice meccanografico as the registry writes it: capitals, no spaces."""
    return "".join(code.split()).upper()


def canonical_vat_number(number: str) -> str:
    """Return a partita IVA as its digits alone: no spaces, separators or ``IT`` prefix.

    The adapters hand over canonical identifiers; comparing the canonical forms
    here too keeps one company from counting twice whatever a caller passes.
    """
    return re.sub(r"[\s\-:.]", "", number).upper().removeprefix("IT")


def organisation_key(member: Member) -> str:
    """Return what identifies the organisation behind a member, for counting it once.

    Sites (plessi) of a school share their main institution's code; other
    organisations are told apart by partita IVA; failing both, by member key.
    """
    if member.kind is Kind.INSTITUTE and member.institution_code.strip():
        return "school:" + canonical_school_code(member.institution_code)
    if member.vat_number.strip():
        return "vat:" + canonical_vat_number(member.vat_number)
    return "key:" + member.key


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A member of the counted kind that does not count, and every reason why."""

    member: Member
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.member.label}: {', '.join(self.reasons)}"


@dataclass(frozen=True, slots=True)
class Tally:
    """The members that count towards a minimum, grouped by organisation."""

    groups: tuple[tuple[Member, ...], ...]
    excluded: tuple[Exclusion, ...]

    @property
    def units(self) -> int:
        """Return the number of distinct organisations that count."""
        return len(self.groups)

    @property
    def keys(self) -> tuple[str, ...]:
        """Return the keys of every counting member, sites included."""
        return tuple(member.key for group in self.groups for member in group)

    @property
    def merged(self) -> tuple[tuple[Member, ...], ...]:
        """Return the groups of several members that count as one organisation."""
        return tuple(group for group in self.groups if len(group) > 1)


def _tally(members: Iterable[Member], reasons_of: Callable[[Member], list[str]]) -> Tally:
    """Count the members ``reasons_of`` finds nothing against; exclude the others, with why."""
    groups: dict[str, list[Member]] = {}
    excluded: list[Exclusion] = []
    for member in members:
        reasons = reasons_of(member)
        if reasons:
            excluded.append(Exclusion(member, tuple(reasons)))
        else:
            groups.setdefault(organisation_key(member), []).append(member)
    return Tally(tuple(tuple(group) for group in groups.values()), tuple(excluded))


def years_phrase(years: int) -> str:
    """Return ``1 anno scolastico`` / ``3 anni scolastici``."""
    return f"{years} anno scolastico" if years == 1 else f"{years} anni scolastici"


def consecutive_years_phrase(years: int) -> str:
    """Return ``1 anno scolastico consecutivo`` / ``3 anni scolastici consecutivi``."""
    return f"{years_phrase(years)} {'consecutivo' if years == 1 else 'consecutivi'}"


class Facts:
    """What the rules need to know about one composition, computed once and lazily.

    A ``Facts`` belongs to one ``(composition, params, as_of)``; ``describes``
    tells a rule whether a precomputed one may be reused.
    """

    def __init__(
        self, composition: Composition, *, params: Mapping[str, object], as_of: date
    ) -> None:
        self.composition = composition
        self.params = params
        self.as_of = as_of
        self.catalogue = composition.catalogue
        self.area = composition.area
        self.area_name = composition.catalogue.area_name(composition.area)
        self.ref_year = SchoolYear.containing(as_of)

    def describes(
        self, composition: Composition, params: Mapping[str, object], as_of: date
    ) -> bool:
        """Return whether these facts were computed for exactly these inputs."""
        return self.composition is composition and self.params is params and self.as_of == as_of

    @cached_property
    def min_offer_years(self) -> int:
        """Return the ruleset's minimum of consecutive school years of offer."""
        return int_param(self.params, "min_offer_years")

    @cached_property
    def by_key(self) -> Mapping[str, Member]:
        """Return the members by key (the first one, should a key repeat)."""
        members: dict[str, Member] = {}
        for member in self.composition.members:
            members.setdefault(member.key, member)
        return members

    def of_kind(self, kind: Kind) -> tuple[Member, ...]:
        """Return the members of ``kind``, in network order."""
        return self._by_kind.get(kind, ())

    @cached_property
    def _by_kind(self) -> Mapping[Kind, tuple[Member, ...]]:
        grouped: dict[Kind, list[Member]] = {}
        for member in self.composition.members:
            grouped.setdefault(member.kind, []).append(member)
        return {kind: tuple(members) for kind, members in grouped.items()}

    @cached_property
    def founded_by(self) -> Mapping[str, tuple[Member, ...]]:
        """Return, for each member whose organisation founded an ITS of the network, those ITS.

        Founding belongs to the institution, not to the member that names it:
        the sites (plessi) of a founding school are founders too (DOMAIN.md §3,
        rules 1 and 8), whichever of them the ITS lists.
        """
        founded: dict[str, dict[int, Member]] = {}
        for its in self.of_kind(Kind.ITS):
            for key in its.founders:
                if key in self.by_key:
                    founded.setdefault(organisation_key(self.by_key[key]), {})[id(its)] = its
        return {
            member.key: tuple(founded[organisation_key(member)].values())
            for member in self.composition.members
            if organisation_key(member) in founded
        }

    @cached_property
    def named_founders(self) -> frozenset[str]:
        """Return the keys the network's ITS name as their founders."""
        return frozenset(key for its in self.of_kind(Kind.ITS) for key in its.founders)

    @cached_property
    def training_subjects(self) -> tuple[Member, ...]:
        """Return the members that must show a three-year offer, in network order."""
        return tuple(m for m in self.composition.members if is_training_subject(m))

    @cached_property
    def offer_years(self) -> Mapping[str, int]:
        """Return the consecutive years of area offer of every training subject, by key."""
        return {
            member.key: offer_years(member, self.area, self.catalogue, self.ref_year)
            for member in self.training_subjects
        }

    def offers_enough(self, member: Member) -> bool:
        """Return whether a training subject meets the ruleset's three-year offer."""
        return self.offer_years.get(member.key, 0) >= self.min_offer_years

    @cached_property
    def company_fits(self) -> Mapping[str, CompanyFit]:
        """Return how each company's codes relate to the area, by key."""
        return {
            member.key: company_fit(member, self.area, self.catalogue)
            for member in self.of_kind(Kind.COMPANY)
        }

    def _offer_reason(self, member: Member) -> str:
        years = self.offer_years.get(member.key, 0)
        if years == 0:
            return f"nessuna offerta dell'area {self.area_name} nel {self.ref_year}"
        required = "richiesto" if self.min_offer_years == 1 else "richiesti"
        return (
            f"offerta dell'area da {consecutive_years_phrase(years)} "
            f"su {self.min_offer_years} {required}"
        )

    def _founder_reasons(self, member: Member) -> list[str]:
        its = self.founded_by.get(member.key)
        if not its:
            return []
        founders = ", ".join(m.label for m in its)
        if member.key in self.named_founders:
            return ["tra i soci fondatori di " + founders]
        return ["stessa istituzione di un socio fondatore di " + founders]

    @cached_property
    def institutes(self) -> Tally:
        """Return the institutes that count towards the minimum, and why others do not."""

        def reasons_of(member: Member) -> list[str]:
            reasons: list[str] = []
            if member.school_status not in COUNTING_SCHOOL_STATUSES:
                reasons.append(
                    "non paritario"
                    if member.school_status == "non_paritaria"
                    else "non risulta né statale né paritario"
                )
            if not offers_school_programme(member, self.catalogue, self.ref_year):
                reasons.append(f"nessun indirizzo tecnico o professionale nel {self.ref_year}")
            if not self.offers_enough(member):
                reasons.append(self._offer_reason(member))
            return reasons + self._founder_reasons(member)

        return _tally(self.of_kind(Kind.INSTITUTE), reasons_of)

    @cached_property
    def companies(self) -> Tally:
        """Return the companies that count towards the minimum, and why others do not."""

        def reasons_of(member: Member) -> list[str]:
            reasons: list[str] = []
            if not member.chamber_registered:
                reasons.append("non iscritta alla Camera di commercio")
            if self.company_fits[member.key] is CompanyFit.OTHER_AREAS:
                reasons.append(f"codici ATECO di aree diverse da {self.area_name}")
            return reasons + self._founder_reasons(member)

        return _tally(self.of_kind(Kind.COMPANY), reasons_of)

    @cached_property
    def section_a_bodies(self) -> Tally:
        """Return the Section-A bodies that count towards the minimum, and why others do not."""

        def reasons_of(member: Member) -> list[str]:
            if SECTION_A not in member.sections:
                if member.sections:
                    return ["accreditato solo in Sezione B"]
                if member.labour_services:
                    return ["accreditato solo ai servizi per il lavoro"]
                return ["nessuna sezione di accreditamento indicata"]
            if not self.offers_enough(member):
                return [self._offer_reason(member)]
            return []

        return _tally(self.of_kind(Kind.ACCREDITED_BODY), reasons_of)

    @cached_property
    def its(self) -> Tally:
        """Return the ITS that count towards the minimum, and why others do not."""
        return _tally(
            self.of_kind(Kind.ITS),
            lambda member: [] if self.offers_enough(member) else [self._offer_reason(member)],
        )
