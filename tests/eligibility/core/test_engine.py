"""The engine: every rule runs, the verdict follows, nothing a rule does escapes."""

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from eligibility.core import (
    LOMBARDIA_DGR_124_2013,
    AtecoCode,
    Composition,
    Facts,
    Kind,
    Member,
    Rule,
    RuleRegistry,
    RuleResult,
    Ruleset,
    UnknownRuleset,
    counting,
    evaluate,
    evaluate_ruleset,
    outcome,
    registry,
)

from .builders import institute, minimal_members, network, offering, other
from .catalogue_data import CATALOGUE

REPO_ROOT = Path(__file__).resolve().parents[3]


def result(status):
    return RuleResult("X", status, "blocking", "c", "d", "m", hint="h")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), "eligible"),
        (("pass", "pass"), "eligible"),
        (("pass", "warning"), "eligible_with_warnings"),
        (("warning", "fail", "pass"), "not_eligible"),
        (("fail",), "not_eligible"),
    ],
)
def test_derives_the_verdict_from_the_results(statuses, expected):
    assert outcome(result(s) for s in statuses) == expected


def test_runs_every_rule_of_the_ruleset_once_in_order():
    verdict = evaluate(network())
    assert verdict.ruleset == "lombardia-dgr-124-2013"
    assert tuple(r.code for r in verdict.results) == LOMBARDIA_DGR_124_2013.rule_codes
    assert verdict.verdict == "eligible"


def test_collects_every_failure_not_just_the_first():
    verdict = evaluate(network(other("x"), lead=None))
    failed = {r.code for r in verdict.results if r.status == "fail"}
    assert failed == {
        "PTP-LEAD-PARTNER",
        "PTP-INSTITUTES",
        "PTP-COMPANIES",
        "PTP-ACCREDITED-A",
        "PTP-ITS",
    }
    assert verdict.verdict == "not_eligible"
    assert verdict.result("PTP-MEMBER-TYPES").status == "warning"


def test_warnings_alone_still_make_a_network_eligible():
    verdict = evaluate(network(*minimal_members(), other("conf")))
    assert verdict.verdict == "eligible_with_warnings"


def test_evaluates_at_the_reference_date_unless_told_otherwise():
    composition = network(*minimal_members()[:5], reference_date=date(2016, 5, 13))
    assert evaluate(composition).verdict == "eligible_with_warnings"
    assert evaluate(composition).reference_date == date(2016, 5, 13)
    later = evaluate(composition, as_of=date(2016, 5, 14))
    assert later.verdict == "not_eligible"
    assert later.reference_date == date(2016, 5, 14)
    assert later.result("PTP-ITS").status == "fail"


def test_an_unknown_ruleset_is_an_error():
    with pytest.raises(UnknownRuleset):
        evaluate(network(), "veneto")


def test_the_example_of_the_network_format_is_not_eligible_for_the_right_reasons():
    """The La Spezia polo of ``network-format.md``, checked against the Lombardia rules."""
    members = (
        institute("capellini-sauro", name="IISS Capellini Sauro", school_code="SPIS00600X",
                  main_school_code="SPIS00600X", province="SP",
                  offerings=(offering("IT-TRL", "2010/11"),)),
        Member("fincantieri", Kind.COMPANY, "Fincantieri S.p.A.", vat_number="00397130584",
               ateco=(AtecoCode.current("30.11"),), commitment_signed=True, province="SP"),
        Member("cisita", Kind.ACCREDITED_BODY, "Cisita Formazione Superiore",
               sections=frozenset({"A"}), accreditation_id="LOM-123",
               offerings=(offering("IEFP-MEC", "2012/13"),)),
        Member("its-meccanica", Kind.ITS, "ITS Innovazione di Processi e Prodotti Meccanici",
               founders=("fincantieri",),
               offerings=(offering("ITSO-MI-MEC", "2011/12", "2023/24"),
                          offering("ITS-06", "2024/25"))),
        Member("unige", Kind.UNIVERSITY, "Polo Universitario della Spezia"),
        Member("ismar", Kind.RESEARCH_CENTRE, "CNR ISMAR"),
        Member("confindustria-sp", Kind.OTHER, "Confindustria La Spezia"),
    )  # fmt: skip
    composition = Composition("meccanica", date(2026, 11, 23), "capellini-sauro", members,
                              CATALOGUE)  # fmt: skip
    verdict = evaluate(composition)
    statuses = {r.code: r.status for r in verdict.results}
    assert statuses == {
        "PTP-AREA": "pass",
        "PTP-LEAD-PARTNER": "pass",
        "PTP-UNIQUE": "pass",
        "PTP-INSTITUTES": "fail",
        "PTP-COMPANIES": "fail",
        "PTP-ACCREDITED-A": "pass",
        "PTP-ITS": "pass",
        "PTP-OFFER-3Y": "pass",
        "PTP-COMPANY-AREA": "pass",
        "PTP-COMPANY-COMMITMENT": "pass",
        "PTP-ITS-FOUNDERS": "warning",
        "PTP-MEMBER-TYPES": "warning",
    }
    assert verdict.verdict == "not_eligible"
    assert verdict.result("PTP-COMPANIES").message == (
        "0 imprese su 2 richieste. Non contano — Fincantieri S.p.A.: tra i soci fondatori "
        "di ITS Innovazione di Processi e Prodotti Meccanici"
    )
    json.dumps(verdict.to_dict())


# Rules that break the contract, to exercise the engine's safety net.


class Exploding(Rule):
    code = "TEST-EXPLODING"
    citation = "Legge di prova"
    description = "Esplode"

    def check(self, composition, *, params, as_of, facts=None):
        raise ZeroDivisionError("boom")

    def assess(self, facts):
        raise AssertionError("not reached")


class ReturnsNothing(Rule):
    code = "TEST-NOTHING"
    citation = "Legge di prova"
    description = "Non restituisce nulla"

    def check(self, composition, *, params, as_of, facts=None):
        return None

    def assess(self, facts):
        raise AssertionError("not reached")


class FailsInside(Rule):
    code = "TEST-INSIDE"
    citation = "Legge di prova"
    description = "Sbaglia dentro assess"

    def assess(self, facts):
        return {}["missing"]


class Fine(Rule):
    code = "TEST-FINE"
    citation = "Legge di prova"
    description = "Va bene"
    seen: list = []

    def assess(self, facts):
        self.seen.append(facts)
        return self.result("pass", "Tutto bene")


@pytest.fixture
def rules_under_test():
    rules = RuleRegistry()
    for rule_class in (Exploding, ReturnsNothing, FailsInside, Fine):
        rules.register(rule_class)
    return rules


def ruleset(*codes, **extra):
    return Ruleset("test", "Prova", "Legge di prova", {}, codes, **extra)


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("TEST-EXPLODING", "ZeroDivisionError: boom"),
        ("TEST-NOTHING", "TypeError: check() returned NoneType"),
        ("TEST-INSIDE", "KeyError: 'missing'"),
    ],
)
def test_a_rule_that_raises_or_misbehaves_becomes_a_blocking_failure(rules_under_test, code, says):
    verdict = evaluate_ruleset(network(), ruleset(code, "TEST-FINE"), registry=rules_under_test)
    broken, fine = verdict.results
    assert (broken.code, broken.status, broken.severity) == (code, "fail", "blocking")
    assert broken.citation == "Legge di prova"
    assert broken.message.startswith(f"La verifica {code} non è stata completata")
    assert says in broken.message
    assert "assistenza" in broken.hint
    assert fine.status == "pass"
    assert verdict.verdict == "not_eligible"


def test_a_rule_called_alone_never_raises():
    crashed = FailsInside().check(network(), params={}, as_of=date(2026, 1, 1))
    assert crashed.status == "fail"
    assert "KeyError" in crashed.message


def test_every_rule_of_an_evaluation_shares_one_facts_object():
    Fine.seen.clear()
    twice = RuleRegistry()
    twice.register(Fine)
    twice.register(type("Fine2", (Fine,), {"code": "TEST-FINE-2"}))
    evaluate_ruleset(network(), ruleset("TEST-FINE", "TEST-FINE-2"), registry=twice)
    assert len(Fine.seen) == 2
    assert Fine.seen[0] is Fine.seen[1]


def test_counts_each_member_s_years_of_offer_once_per_evaluation(monkeypatch):
    calls = []
    real = counting.offer_years

    def spy(member, *args):
        calls.append(member.key)
        return real(member, *args)

    monkeypatch.setattr(counting, "offer_years", spy)
    evaluate(network())
    assert sorted(calls) == ["b1", "i1", "i2", "t1"]


def test_a_ruleset_may_cite_its_own_act_for_a_shared_rule():
    liguria = replace(
        LOMBARDIA_DGR_124_2013,
        name="liguria-test",
        citations={"PTP-INSTITUTES": "DGR Liguria di prova, art. 2"},
    )
    verdict = evaluate_ruleset(network(), liguria)
    assert verdict.ruleset == "liguria-test"
    assert verdict.result("PTP-INSTITUTES").citation == "DGR Liguria di prova, art. 2"
    assert verdict.result("PTP-COMPANIES").citation.startswith("DGR X/124/2013")


def test_the_core_imports_neither_django_nor_ateco():
    code = (
        "import sys, eligibility.core; "
        "bad = [m for m in ('django', 'ateco') if m in sys.modules]; "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_rule_handed_facts_of_another_network_computes_its_own():
    rule = registry.get("PTP-INSTITUTES")
    params = LOMBARDIA_DGR_124_2013.params
    stale = Facts(network(), params=params, as_of=date(2026, 11, 23))
    alone = network(institute("solo"))
    result = rule.check(alone, params=params, as_of=date(2026, 11, 23), facts=stale)
    assert result.counted == 1
    assert result.members == ("solo",)
