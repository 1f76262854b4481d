"""The value types: ATECO mapping by longest prefix, immutability, the verdict JSON."""

import json
from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from eligibility.core import AtecoCode, Kind, Member, Offering, RuleResult, SchoolYear, Verdict
from eligibility.core.types import RESULT_FIELDS

from .catalogue_data import CATALOGUE, build_catalogue

MECC = frozenset({"meccanica"})
TUR = frozenset({"turismo"})


@pytest.mark.parametrize(
    ("code", "areas"),
    [
        ("30", MECC),
        ("30.11", MECC),
        ("30.11.00", MECC),
        ("55.10", TUR),
        ("01.11.10", frozenset({"agroalimentare"})),
        ("72.19", None),  # unmapped on purpose
        ("85.32", None),
        ("3", None),  # a partial division is never a prefix
        ("", None),
    ],
)
def test_maps_ateco_2025_codes_by_division(code, areas):
    assert CATALOGUE.areas_for_ateco(code) == areas


def test_uses_the_longest_matching_prefix():
    catalogue = build_catalogue(extra_prefixes={"30.1": frozenset({"manifattura"}), "30.12": TUR})
    assert catalogue.areas_for_ateco("30.11") == frozenset({"manifattura"})
    assert catalogue.areas_for_ateco("30.12") == TUR
    assert catalogue.areas_for_ateco("30.12.00") == TUR
    assert catalogue.areas_for_ateco("30.20") == MECC
    assert catalogue.areas_for_ateco("30.2") == MECC


def test_a_prefix_mapped_to_no_area_carves_codes_out_of_their_division():
    catalogue = build_catalogue(extra_prefixes={"28.99": frozenset()})
    assert catalogue.areas_for_ateco("28.99.39") is None
    assert catalogue.areas_for_ateco("28.11") == MECC


def test_an_older_code_takes_the_union_of_its_mapped_2025_targets():
    split = AtecoCode("33.12.10", "2007", ("33.12", "55.10", "72.19"))
    assert CATALOGUE.areas_for_code(split) == MECC | TUR


@pytest.mark.parametrize(
    "code",
    [AtecoCode("99.99.99", "2007", ()), AtecoCode("72.19.09", "2007", ("72.19",))],
    ids=["no-correspondence", "only-unmapped-targets"],
)
def test_an_older_code_without_mapped_targets_is_unmapped(code):
    assert CATALOGUE.areas_for_code(code) is None


def test_a_current_code_corresponds_to_itself():
    assert AtecoCode.current("28.11") == AtecoCode("28.11", "2025", ("28.11",))
    assert str(AtecoCode.current("28.11")) == "28.11"
    assert str(AtecoCode("28.11.00", "2007", ())) == "28.11.00 (ATECO 2007)"


def test_members_store_immutable_forms_of_what_adapters_pass():
    member = Member(
        "x",
        "institute",  # type: ignore[arg-type]
        "X",
        sections=["A"],  # type: ignore[arg-type]
        founders=["a"],  # type: ignore[arg-type]
        offerings=[Offering("IT-MME", SchoolYear(2010))],  # type: ignore[arg-type]
    )
    assert member.kind is Kind.INSTITUTE
    assert member.sections == frozenset({"A"})
    assert member.founders == ("a",)
    assert isinstance(member.offerings, tuple)
    hash(member)
    with pytest.raises(FrozenInstanceError):
        member.name = "Y"  # type: ignore[misc]


def test_a_site_names_its_main_institution():
    main = Member("a", Kind.INSTITUTE, "A", school_code="SPIS00600X")
    site = Member("b", Kind.INSTITUTE, "B", school_code="SPTF00601A", main_school_code="SPIS00600X")
    assert main.institution_code == site.institution_code == "SPIS00600X"


def test_catalogues_compare_by_value_and_cannot_be_changed():
    assert build_catalogue() == CATALOGUE
    assert hash(build_catalogue()) == hash(CATALOGUE)
    assert build_catalogue(inactive=frozenset({"turismo"})) != CATALOGUE
    with pytest.raises(TypeError):
        CATALOGUE.areas["nuova"] = CATALOGUE.areas["turismo"]  # type: ignore[index]


def test_a_catalogue_does_not_follow_later_changes_to_the_dicts_it_was_built_from():
    prefixes = {"28": MECC}
    catalogue = type(CATALOGUE)(areas={}, programmes={}, ateco_prefixes=prefixes)
    prefixes["55"] = TUR
    assert catalogue.areas_for_ateco("55.10") is None


def test_kinds_have_italian_labels():
    assert {kind.label for kind in Kind} >= {"istituto", "impresa", "ITS", "università"}


def _institutes_result() -> RuleResult:
    return RuleResult(
        code="PTP-INSTITUTES",
        status="fail",
        severity="blocking",
        citation="DGR X/124/2013",
        description="Istituti",
        message="1 istituto su 2 richiesti",
        members=("a",),
        counted=1,
        required=2,
        hint="Aggiungi almeno 1 istituto",
    )


def test_a_verdict_serialises_to_ptp_verdict_1_with_exactly_its_fields():
    result = _institutes_result()
    verdict = Verdict("lombardia-dgr-124-2013", date(2026, 11, 23), "not_eligible", (result,))
    data = json.loads(json.dumps(verdict.to_contract()))
    assert list(data) == ["format", "ruleset", "reference_date", "verdict", "results"]
    assert data["format"] == "ptp-verdict/1"
    assert data["reference_date"] == "2026-11-23"
    assert data["results"] == [
        {
            "code": "PTP-INSTITUTES",
            "status": "fail",
            "severity": "blocking",
            "citation": "DGR X/124/2013",
            "message": "1 istituto su 2 richiesti",
            "members": ["a"],
            "counted": 1,
            "required": 2,
            "hint": "Aggiungi almeno 1 istituto",
        }
    ]
    assert list(data["results"][0]) == list(RESULT_FIELDS)
    assert verdict.result("PTP-INSTITUTES") is result
    with pytest.raises(KeyError):
        verdict.result("PTP-NOPE")


def test_the_stored_form_of_a_verdict_keeps_each_rules_description():
    """The workflow stores ``to_dict()`` and the pages title each rule with its description."""
    verdict = Verdict(
        "lombardia-dgr-124-2013", date(2026, 11, 23), "not_eligible", (_institutes_result(),)
    )
    data = json.loads(json.dumps(verdict.to_dict()))
    assert list(data) == ["format", "ruleset", "reference_date", "verdict", "results"]
    assert data["results"] == [
        {
            "code": "PTP-INSTITUTES",
            "status": "fail",
            "severity": "blocking",
            "citation": "DGR X/124/2013",
            "description": "Istituti",
            "message": "1 istituto su 2 richiesti",
            "members": ["a"],
            "counted": 1,
            "required": 2,
            "hint": "Aggiungi almeno 1 istituto",
        }
    ]
