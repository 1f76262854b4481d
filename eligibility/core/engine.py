"""Run a ruleset on a composition and derive the verdict.

The engine runs every rule of the ruleset, in the ruleset's order, and keeps
every result (like Django's ``validate_password``): an applicant sees all
that is wrong at once. It builds one ``Facts`` per evaluation and passes it to
each rule, so the counting is done once however many rules read it. It never
reads the clock: the date comes from the caller or from the composition.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date

from .counting import Facts
from .rules import registry as default_registry
from .rules.base import RuleRegistry, crash_result
from .rulesets import DEFAULT_RULESET, Ruleset, get_ruleset
from .types import Composition, Outcome, RuleResult, Verdict


def outcome(results: Iterable[RuleResult]) -> Outcome:
    """Return ``not_eligible`` on any failure, else ``eligible_with_warnings`` on any warning."""
    statuses = {result.status for result in results}
    if "fail" in statuses:
        return "not_eligible"
    if "warning" in statuses:
        return "eligible_with_warnings"
    return "eligible"


def evaluate_ruleset(
    composition: Composition,
    ruleset: Ruleset,
    *,
    as_of: date | None = None,
    registry: RuleRegistry = default_registry,
) -> Verdict:
    """Return the verdict of ``ruleset`` (rules taken from ``registry``) on ``composition``.

    A rule that raises, or returns something other than a ``RuleResult``,
    becomes a blocking failure: a check that did not run cannot pass a network.
    """
    day = composition.reference_date if as_of is None else as_of
    rules = [registry.get(code) for code in ruleset.rule_codes]
    facts = Facts(composition, params=ruleset.params, as_of=day)
    results = []
    for rule in rules:
        try:
            result = rule.check(composition, params=ruleset.params, as_of=day, facts=facts)
            if not isinstance(result, RuleResult):
                raise TypeError(f"check() returned {type(result).__name__}, not RuleResult")
        # The safety net under rules that override check() and break its contract.
        except Exception as exc:
            result = crash_result(rule, exc)
        citation = ruleset.citations.get(result.code)
        if citation:
            result = dataclasses.replace(result, citation=citation)
        results.append(result)
    return Verdict(
        ruleset=ruleset.name, reference_date=day, verdict=outcome(results), results=tuple(results)
    )


def evaluate(
    composition: Composition,
    ruleset_name: str = DEFAULT_RULESET,
    *,
    as_of: date | None = None,
) -> Verdict:
    """Return the verdict of the named ruleset on ``composition`` at ``as_of``.

    ``as_of`` defaults to the composition's reference date. Raise
    ``UnknownRuleset`` for a name that is not in ``RULESETS``.
    """
    return evaluate_ruleset(composition, get_ruleset(ruleset_name), as_of=as_of)
