"""The eligibility rules engine, in pure Python: no Django, no database, no clock.

Adapters turn ORM objects or ``ptp-network/1`` JSON into the types below;
``evaluate`` runs a ruleset on a ``Composition`` and returns a ``Verdict``
whose ``to_contract()`` is the ``ptp-verdict/1`` object (``to_dict()`` adds each
rule's description, for the portal to store and show). ``docs/eligibility.md``
explains the rules and the interpretations they rest on.
"""

from .counting import (
    CompanyFit,
    Exclusion,
    Facts,
    RulesetParameterError,
    Tally,
    company_fit,
    coverage,
    is_linked,
    is_training_subject,
    offer_years,
    offers_school_programme,
    organisation_key,
)
from .engine import evaluate, evaluate_ruleset, outcome
from .rules import (
    DuplicateRuleError,
    MinimumRule,
    Rule,
    RuleDefinitionError,
    RuleRegistry,
    UnknownRuleError,
    registry,
)
from .rulesets import (
    DEFAULT_RULESET,
    LOMBARDIA_DGR_124_2013,
    RULESETS,
    Ruleset,
    UnknownRuleset,
    get_ruleset,
    ruleset_problems,
)
from .schoolyear import SchoolYear
from .types import (
    Area,
    AtecoCode,
    Catalogue,
    Composition,
    Kind,
    Member,
    Offering,
    Programme,
    RuleResult,
    Verdict,
)

__all__ = [
    "DEFAULT_RULESET",
    "LOMBARDIA_DGR_124_2013",
    "RULESETS",
    "Area",
    "AtecoCode",
    "Catalogue",
    "CompanyFit",
    "Composition",
    "DuplicateRuleError",
    "Exclusion",
    "Facts",
    "Kind",
    "Member",
    "MinimumRule",
    "Offering",
    "Programme",
    "Rule",
    "RuleDefinitionError",
    "RuleRegistry",
    "RuleResult",
    "Ruleset",
    "RulesetParameterError",
    "SchoolYear",
    "Tally",
    "UnknownRuleError",
    "UnknownRuleset",
    "Verdict",
    "company_fit",
    "coverage",
    "evaluate",
    "evaluate_ruleset",
    "get_ruleset",
    "is_linked",
    "is_training_subject",
    "offer_years",
    "offers_school_programme",
    "organisation_key",
    "outcome",
    "registry",
    "ruleset_problems",
]
