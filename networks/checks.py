"""System checks: every ruleset is sound and every rule it runs has a legal citation."""

from typing import Any

from django.core.checks import Error, register

from eligibility.core import RULESETS, registry, ruleset_problems


@register()
def check_rulesets(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Report unknown rules, missing parameters and rules without a citation."""
    errors = [
        Error(problem, id="networks.E001")
        for ruleset in RULESETS.values()
        for problem in ruleset_problems(ruleset, registry)
    ]
    for ruleset in RULESETS.values():
        for code in ruleset.rule_codes:
            rule = registry.get(code) if code in registry else None
            citation = ruleset.citations.get(code) or getattr(rule, "citation", "")
            if rule is not None and not citation.strip():
                errors.append(
                    Error(
                        f"{ruleset.name}: la regola {code} non ha una citazione normativa",
                        id="networks.E002",
                    )
                )
    return errors
