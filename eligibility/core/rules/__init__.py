"""The built-in rules, registered in ``registry`` when this package is imported.

Each topic module registers its rules; the order of registration is not the
order of evaluation, which every ruleset states in its ``rule_codes``.
"""

from . import companies, composition, members, offer
from .base import (
    DuplicateRuleError,
    MinimumRule,
    Rule,
    RuleDefinitionError,
    RuleRegistry,
    UnknownRuleError,
    crash_result,
    registry,
)

__all__ = [
    "DuplicateRuleError",
    "MinimumRule",
    "Rule",
    "RuleDefinitionError",
    "RuleRegistry",
    "UnknownRuleError",
    "companies",
    "composition",
    "crash_result",
    "members",
    "offer",
    "registry",
]
