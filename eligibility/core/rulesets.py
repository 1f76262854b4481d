"""Rulesets: which rules run, in which order, with which parameters.

A ruleset is data, selected by name. The engine and the rules read every
threshold and date from ``params``, so a second region whose rules differ
only in numbers is one more entry in ``RULESETS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .rules.base import RuleRegistry, UnknownRuleError


class UnknownRuleset(LookupError):
    """No ruleset has this name."""


@dataclass(frozen=True, slots=True)
class Ruleset:
    """A named, cited set of rules and the parameters they read.

    ``citations`` replaces the citation of some rules for this ruleset, for a
    region whose legal source for the same check is another act.
    """

    name: str
    title: str
    citation: str
    params: Mapping[str, object]
    rule_codes: tuple[str, ...]
    citations: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        object.__setattr__(self, "rule_codes", tuple(self.rule_codes))
        object.__setattr__(self, "citations", MappingProxyType(dict(self.citations)))


def ruleset_problems(ruleset: Ruleset, registry: RuleRegistry) -> list[str]:
    """Return what is wrong with ``ruleset`` against ``registry`` (empty when sound).

    Meant for a start-up system check and for tests: unknown or repeated rule
    codes, missing parameters, citations for rules the ruleset does not run.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for code in ruleset.rule_codes:
        if code in seen:
            problems.append(f"{ruleset.name}: rule {code} is listed twice")
        seen.add(code)
        try:
            rule = registry.get(code)
        except UnknownRuleError:
            problems.append(f"{ruleset.name}: rule {code} is not registered")
            continue
        problems.extend(
            f"{ruleset.name}: rule {code} needs parameter {name!r}"
            for name in rule.param_names
            if name not in ruleset.params
        )
    problems.extend(
        f"{ruleset.name}: citation given for rule {code}, which the ruleset does not run"
        for code in ruleset.citations
        if code not in seen
    )
    return problems


LOMBARDIA_DGR_124_2013 = Ruleset(
    name="lombardia-dgr-124-2013",
    title="Regione Lombardia — Poli Tecnici Professionali (DGR X/124 del 14 maggio 2013)",
    citation=(
        "DGR Lombardia X/124 del 14/05/2013; DI 7 febbraio 2013, Allegato C "
        "(GU n. 92 del 19/04/2013)"
    ),
    params={
        "min_institutes": 2,
        "min_companies": 2,
        "min_accredited_a": 1,
        "min_its": 1,
        # Three years from the DGR of 14/05/2013: the ITS is optional "nel primo triennio".
        "its_binding_from": date(2016, 5, 14),
        "min_offer_years": 3,
    },
    rule_codes=(
        "PTP-AREA",
        "PTP-LEAD-PARTNER",
        "PTP-UNIQUE",
        "PTP-INSTITUTES",
        "PTP-COMPANIES",
        "PTP-ACCREDITED-A",
        "PTP-ITS",
        "PTP-OFFER-3Y",
        "PTP-COMPANY-AREA",
        "PTP-COMPANY-COMMITMENT",
        "PTP-ITS-FOUNDERS",
        "PTP-MEMBER-TYPES",
    ),
)

DEFAULT_RULESET = LOMBARDIA_DGR_124_2013.name

RULESETS: dict[str, Ruleset] = {ruleset.name: ruleset for ruleset in (LOMBARDIA_DGR_124_2013,)}


def get_ruleset(name: str) -> Ruleset:
    """Return the ruleset called ``name``; raise ``UnknownRuleset`` in Italian otherwise."""
    try:
        return RULESETS[name]
    except KeyError:
        raise UnknownRuleset(
            f"Regolamento «{name}» sconosciuto; quelli disponibili sono: {', '.join(RULESETS)}"
        ) from None
