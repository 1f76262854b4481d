"""The values the rules read and the results they return.

Everything is an immutable, hashable value: a composition is built once by an
adapter (from the ORM or from ``ptp-network/1`` JSON) and then only read, so
rules cannot change what other rules see, and an evaluation can be repeated or
cached. The core never validates input the way the adapters do (partita IVA
checksums, codici meccanografici, programme validity): it trusts well-typed
values and degrades gracefully on odd ones (an unknown programme simply links
to no area).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal

from .schoolyear import SchoolYear

ProgrammeKind = Literal["tecnico", "professionale", "iefp", "its"]
SchoolStatus = Literal["statale", "paritaria", "non_paritaria", ""]
Status = Literal["pass", "fail", "warning"]
Severity = Literal["blocking", "advisory"]
Outcome = Literal["eligible", "eligible_with_warnings", "not_eligible"]

CURRENT_ATECO_EDITION = "2025"

# The shortest ATECO prefix the mapping may use: a division ("30").
_MIN_ATECO_PREFIX = 2


class Kind(StrEnum):
    """The kinds of member of ``ptp-network/1``."""

    INSTITUTE = "institute"
    COMPANY = "company"
    ACCREDITED_BODY = "accredited_body"
    ITS = "its"
    UNIVERSITY = "university"
    RESEARCH_CENTRE = "research_centre"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Return the Italian name of the kind, lower case, for use inside a sentence."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.INSTITUTE: "istituto",
    Kind.COMPANY: "impresa",
    Kind.ACCREDITED_BODY: "soggetto accreditato",
    Kind.ITS: "ITS",
    Kind.UNIVERSITY: "università",
    Kind.RESEARCH_CENTRE: "centro di ricerca",
    Kind.OTHER: "altro soggetto",
}


def _frozen_mapping(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a read-only copy, so a catalogue cannot change under a running evaluation."""
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class Area:
    """An economic-professional area of the DGR (``meccanica``, ``turismo`` ...)."""

    code: str
    name: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class Programme:
    """A study programme (indirizzo), IeFP qualification or ITS area, and its areas."""

    code: str
    name: str
    kind: ProgrammeKind
    areas: frozenset[str]
    valid_from: SchoolYear
    valid_to: SchoolYear | None = None
    successor: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "areas", frozenset(self.areas))


@dataclass(frozen=True, slots=True)
class AtecoCode:
    """An ATECO code of a company, with its targets in the 2025 edition.

    The adapter fills ``codes_2025`` from the official correspondence: for a
    2025 code it is the code itself; an empty tuple means the correspondence
    has no target and the code needs an officer's assessment.
    """

    code: str
    edition: str = CURRENT_ATECO_EDITION
    codes_2025: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes_2025", tuple(self.codes_2025))

    @classmethod
    def current(cls, code: str) -> AtecoCode:
        """Return a code of the current edition, which corresponds to itself."""
        return cls(code, CURRENT_ATECO_EDITION, (code,))

    def __str__(self) -> str:
        if self.edition == CURRENT_ATECO_EDITION:
            return self.code
        return f"{self.code} (ATECO {self.edition})"


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Areas, programmes and the ATECO 2025 prefix mapping, as the rules see them."""

    areas: Mapping[str, Area]
    programmes: Mapping[str, Programme]
    ateco_prefixes: Mapping[str, frozenset[str]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "areas", _frozen_mapping(self.areas))
        object.__setattr__(self, "programmes", _frozen_mapping(self.programmes))
        object.__setattr__(
            self,
            "ateco_prefixes",
            _frozen_mapping({k: frozenset(v) for k, v in self.ateco_prefixes.items()}),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalogue):
            return NotImplemented
        return (
            dict(self.areas) == dict(other.areas)
            and dict(self.programmes) == dict(other.programmes)
            and dict(self.ateco_prefixes) == dict(other.ateco_prefixes)
        )

    def __hash__(self) -> int:
        # Equal catalogues have equal keys, which is all a hash must honour;
        # hashing the values too would cost more and buy nothing.
        return hash(
            (frozenset(self.areas), frozenset(self.programmes), frozenset(self.ateco_prefixes))
        )

    def area_name(self, code: str) -> str:
        """Return the area's name, or its code when the catalogue does not know it."""
        area = self.areas.get(code)
        return area.name if area is not None else code

    def areas_for_ateco(self, code_2025: str) -> frozenset[str] | None:
        """Return the areas of an ATECO 2025 code by its longest mapped prefix, or ``None``.

        Prefixes are tried from the whole code down to the division, one
        character at a time (``30.11`` → ``30.1`` → ``30``), so a class or a
        group mapping overrides its division's; a partial division (``3``)
        is never used. A prefix mapped to no area marks its codes as unmapped,
        which lets the catalogue carve a class out of a mapped division.
        """
        code = code_2025.strip()
        prefixes = self.ateco_prefixes
        for end in range(len(code), _MIN_ATECO_PREFIX - 1, -1):
            candidate = code[:end]
            if candidate.endswith("."):
                continue
            areas = prefixes.get(candidate)
            if areas is not None:
                return areas or None
        return None

    def areas_for_code(self, code: AtecoCode) -> frozenset[str] | None:
        """Return the union of the areas of the code's mapped 2025 targets, or ``None``."""
        found: frozenset[str] | None = None
        for target in code.codes_2025:
            areas = self.areas_for_ateco(target)
            if areas is not None:
                found = areas if found is None else found | areas
        return found


@dataclass(frozen=True, slots=True)
class Offering:
    """A programme a training subject offered from ``first`` to ``last`` (``None``: still)."""

    programme: str
    first: SchoolYear
    last: SchoolYear | None = None

    def active_in(self, year: SchoolYear) -> bool:
        """Return whether the programme was offered in ``year``."""
        return self.first <= year and (self.last is None or year <= self.last)


@dataclass(frozen=True, slots=True)
class Member:
    """A member of the network; fields that do not apply to its kind stay empty."""

    key: str
    kind: Kind
    name: str
    province: str = ""
    school_code: str = ""
    # Empty means the institute is its own main institution.
    main_school_code: str = ""
    school_status: SchoolStatus = ""
    vat_number: str = ""
    ateco: tuple[AtecoCode, ...] = ()
    chamber_registered: bool = True
    commitment_signed: bool = False
    sections: frozenset[str] = frozenset()
    labour_services: bool = False
    accreditation_id: str = ""
    founders: tuple[str, ...] = ()
    offerings: tuple[Offering, ...] = ()

    def __post_init__(self) -> None:
        # Adapters may hand over plain strings and lists; store the immutable forms.
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "ateco", tuple(self.ateco))
        object.__setattr__(self, "sections", frozenset(self.sections))
        object.__setattr__(self, "founders", tuple(self.founders))
        object.__setattr__(self, "offerings", tuple(self.offerings))

    @property
    def label(self) -> str:
        """Return the name to show in messages (the key when the name is empty)."""
        return self.name or self.key

    @property
    def institution_code(self) -> str:
        """Return the code of the main institution: sites of one school share it."""
        return self.main_school_code or self.school_code


@dataclass(frozen=True, slots=True)
class Composition:
    """A network as submitted for one area, ready to be checked against a ruleset."""

    area: str
    reference_date: date
    lead_partner: str | None
    members: tuple[Member, ...]
    catalogue: Catalogue

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(self.members))


@dataclass(frozen=True, slots=True)
class RuleResult:
    """The outcome of one rule on one composition."""

    code: str
    status: Status
    severity: Severity
    citation: str
    description: str
    message: str
    members: tuple[str, ...] = ()
    counted: int | None = None
    required: int | None = None
    hint: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the result as the portal stores and shows it: its contract fields and
        the rule's ``description``, which pages use as the rule's title."""
        return {
            "code": self.code,
            "status": self.status,
            "severity": self.severity,
            "citation": self.citation,
            "description": self.description,
            "message": self.message,
            "members": list(self.members),
            "counted": self.counted,
            "required": self.required,
            "hint": self.hint,
        }

    def to_contract(self) -> dict[str, Any]:
        """Return the result as an item of ``results`` in ``ptp-verdict/1``: its fields only."""
        return {name: value for name, value in self.to_dict().items() if name in RESULT_FIELDS}


VERDICT_FORMAT = "ptp-verdict/1"
# The fields of a result in ``ptp-verdict/1`` (network-format.md), in its order.
RESULT_FIELDS = (
    "code",
    "status",
    "severity",
    "citation",
    "message",
    "members",
    "counted",
    "required",
    "hint",
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Every rule's result and the overall outcome of a composition under a ruleset."""

    ruleset: str
    reference_date: date
    verdict: Outcome
    results: tuple[RuleResult, ...] = field(default=())

    def result(self, code: str) -> RuleResult:
        """Return the result of the rule ``code``; raise ``KeyError`` if it did not run."""
        for result in self.results:
            if result.code == code:
                return result
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        """Return the verdict as the portal stores it (an evaluation's snapshot, the pages).

        It is the ``ptp-verdict/1`` object with each result's ``description`` too;
        ``to_contract`` is the object exactly as the contract defines it.
        """
        return self._as_object([result.to_dict() for result in self.results])

    def to_contract(self) -> dict[str, Any]:
        """Return the verdict as the ``ptp-verdict/1`` JSON object, with its fields only."""
        return self._as_object([result.to_contract() for result in self.results])

    def _as_object(self, results: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "format": VERDICT_FORMAT,
            "ruleset": self.ruleset,
            "reference_date": self.reference_date.isoformat(),
            "verdict": self.verdict,
            "results": results,
        }
