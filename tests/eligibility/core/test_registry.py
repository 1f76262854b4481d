"""The rule registry, the built-in rules' identity, and the rulesets."""

from datetime import date

import pytest

from eligibility.core import (
    LOMBARDIA_DGR_124_2013,
    RULESETS,
    DuplicateRuleError,
    Rule,
    RuleDefinitionError,
    RuleRegistry,
    Ruleset,
    UnknownRuleError,
    UnknownRuleset,
    get_ruleset,
    registry,
    ruleset_problems,
)

CODES = (
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
)
ADVISORY = {"PTP-ITS-FOUNDERS", "PTP-MEMBER-TYPES"}


def make_rule(**attributes):
    """Return a rule class with the given class attributes over sound defaults."""
    defaults = {
        "code": "TEST-RULE",
        "citation": "Legge di prova",
        "description": "Regola di prova",
        "assess": lambda self, facts: self.result("pass", "ok"),
    }
    return type("TestRule", (Rule,), {**defaults, **attributes})


def test_the_lombardia_ruleset_runs_the_twelve_rules_in_the_contract_order():
    assert LOMBARDIA_DGR_124_2013.rule_codes == CODES
    assert set(CODES) == {rule.code for rule in registry}
    assert len(registry) == len(CODES)


@pytest.mark.parametrize("code", CODES)
def test_every_built_in_rule_is_cited_described_and_graded(code):
    rule = registry.get(code)
    assert rule.code == code
    assert rule.citation.strip()
    assert rule.description.strip()
    assert "\n" not in rule.description
    assert rule.severity == ("advisory" if code in ADVISORY else "blocking")


@pytest.mark.parametrize("code", CODES)
def test_every_built_in_rule_cites_the_act_it_applies(code):
    act = "DI 7 febbraio 2013, Allegato C" if code == "PTP-ITS-FOUNDERS" else "DGR X/124/2013"
    assert registry.get(code).citation.startswith(act)


def test_the_lombardia_ruleset_has_the_contract_parameters_and_every_one_its_rules_need():
    assert dict(LOMBARDIA_DGR_124_2013.params) == {
        "min_institutes": 2,
        "min_companies": 2,
        "min_accredited_a": 1,
        "min_its": 1,
        "its_binding_from": date(2016, 5, 14),
        "min_offer_years": 3,
    }
    for ruleset in RULESETS.values():
        assert ruleset_problems(ruleset, registry) == []


def test_finds_rulesets_by_name():
    assert get_ruleset("lombardia-dgr-124-2013") is LOMBARDIA_DGR_124_2013
    with pytest.raises(UnknownRuleset, match="Regolamento «liguria» sconosciuto"):
        get_ruleset("liguria")


def test_rulesets_cannot_be_changed_after_definition():
    with pytest.raises(TypeError):
        LOMBARDIA_DGR_124_2013.params["min_institutes"] = 1  # type: ignore[index]


def test_registers_a_rule_and_returns_its_class():
    rules = RuleRegistry()
    rule_class = make_rule()
    assert rules.register(rule_class) is rule_class
    assert "TEST-RULE" in rules
    assert isinstance(rules.get("TEST-RULE"), rule_class)
    assert list(rules) == [rules.get("TEST-RULE")]


def test_rejects_a_duplicate_code():
    rules = RuleRegistry()
    rules.register(make_rule())
    with pytest.raises(DuplicateRuleError, match="TEST-RULE"):
        rules.register(make_rule(citation="Altra legge"))


@pytest.mark.parametrize(
    ("attributes", "says"),
    [
        ({"citation": ""}, "no citation"),
        ({"citation": "   "}, "no citation"),
        ({"code": ""}, "no code"),
        ({"description": ""}, "no description"),
        ({"severity": "fatal"}, "severity"),
    ],
)
def test_rejects_a_rule_without_citation_code_description_or_valid_severity(attributes, says):
    with pytest.raises(RuleDefinitionError, match=says):
        RuleRegistry().register(make_rule(**attributes))


def test_rejects_a_rule_that_does_not_implement_assess():
    incomplete = type("Incomplete", (Rule,), {"code": "X", "citation": "c", "description": "d"})
    with pytest.raises(TypeError):
        RuleRegistry().register(incomplete)


def test_an_unknown_code_is_an_error():
    with pytest.raises(UnknownRuleError, match="PTP-NOPE"):
        registry.get("PTP-NOPE")


def test_finds_what_is_wrong_with_a_ruleset():
    broken = Ruleset(
        name="broken",
        title="Rotto",
        citation="Nessuna",
        params={"min_institutes": 2},
        rule_codes=("PTP-INSTITUTES", "PTP-NOPE", "PTP-INSTITUTES"),
        citations={"PTP-ITS": "Altro atto"},
    )
    assert ruleset_problems(broken, registry) == [
        "broken: rule PTP-INSTITUTES needs parameter 'min_offer_years'",
        "broken: rule PTP-NOPE is not registered",
        "broken: rule PTP-INSTITUTES is listed twice",
        "broken: rule PTP-INSTITUTES needs parameter 'min_offer_years'",
        "broken: citation given for rule PTP-ITS, which the ruleset does not run",
    ]
