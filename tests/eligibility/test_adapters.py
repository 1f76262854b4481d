"""The bridges: ptp-network/1 validation with JSON paths, the ORM adapter, and their agreement."""

import copy
import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from eligibility.adapters import (
    NetworkInputError,
    ateco_code,
    catalogue_from_db,
    composition_from_network,
)
from eligibility.core import evaluate
from networks.models import AtecoMapping, EconomicArea

pytestmark = pytest.mark.django_db
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


def liguria() -> dict:
    return json.loads((DEMO / "liguria-meccanica.json").read_text(encoding="utf-8"))


def errors_of(data: dict) -> list[str]:
    with pytest.raises(NetworkInputError) as error:
        composition_from_network(data)
    return [str(item) for item in error.value.errors]


def test_demo_networks_are_valid_input():
    composition = composition_from_network(liguria())
    assert len(composition.members) == 25
    assert composition.area == "meccanica"


def test_every_error_is_reported_at_once_with_its_json_path():
    data = liguria()
    data["area"] = "astronautica"
    data["members"][7]["vat_number"] = "00397130585"
    data["members"][0]["school_code"] = "SP123"
    data["members"][0]["offerings"][0]["programme"] = "IT-XXX"
    data["members"][20]["founders"] = ["nessuno"]
    data["members"][3]["colour"] = "blu"
    data["members"][4]["key"] = data["members"][5]["key"]
    errors = errors_of(data)
    expected_paths = [
        "area:",
        "members[7].vat_number:",
        "members[0].school_code:",
        "members[0].offerings[0].programme:",
        "members[20].founders[0]:",
        "members[3].colour:",
        "members[4].key:",
        "members[5].key:",
    ]
    for path in expected_paths:
        assert any(error.startswith(path) for error in errors), (path, errors)
    assert any("cifra di controllo" in error for error in errors)


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.__setitem__("format", "ptp-network/2"), "format"),
        (lambda d: d.pop("members"), "members"),
        (lambda d: d.__setitem__("reference_date", "23/11/2026"), "reference_date"),
        # School years around year 1 or 9999 do not exist: once a server error in the simulator.
        (lambda d: d.__setitem__("reference_date", "0001-01-01"), "reference_date"),
        (lambda d: d.__setitem__("reference_date", "9999-12-31"), "reference_date"),
        (lambda d: d["members"][7].__setitem__("ateco", ["99.99"]), "members[7].ateco[0]"),
        (
            lambda d: d["members"][7].__setitem__("ateco_edition", "1991"),
            "members[7].ateco_edition",
        ),
        (lambda d: d["members"][16].__setitem__("sections", ["C"]), "members[16].sections"),
        # Found by the fuzz test: a list inside the list used to raise TypeError.
        (lambda d: d["members"][16].__setitem__("sections", [[]]), "members[16].sections"),
        (lambda d: d["members"][16].__setitem__("sections", [{"A": 1}]), "members[16].sections"),
        (lambda d: d["members"][3].__setitem__("kind", []), "members[3].kind"),
        (lambda d: d["members"][3].__setitem__("kind", {"institute": 1}), "members[3].kind"),
        (
            lambda d: d["members"][0]["offerings"][1].__setitem__("to", None),
            "members[0].offerings[1].to",
        ),
        (
            lambda d: d["members"][2]["offerings"][0].__setitem__("from", "2009/10"),
            "members[2].offerings[0].from",
        ),
        (
            lambda d: d["members"][2]["offerings"][0].__setitem__("from", "2012/14"),
            "members[2].offerings[0].from",
        ),
        (lambda d: d["members"][2].__setitem__("status", "privata"), "members[2].status"),
        (lambda d: d["members"][2].__setitem__("kind", "scuola"), "members[2].kind"),
        (lambda d: d["members"][2].__setitem__("province", "ZZ"), "members[2].province"),
        (
            lambda d: d["members"][7].__setitem__("commitment_signed", "sì"),
            "members[7].commitment_signed",
        ),
        (
            lambda d: d["members"][16]["offerings"][0].__setitem__("programme", "ITS-06"),
            "members[16].offerings[0].programme",
        ),
    ],
)
def test_invalid_input_names_the_path(mutate, path):
    data = liguria()
    mutate(data)
    assert any(error.startswith(f"{path}:") for error in errors_of(data))


def test_a_member_without_a_kind_is_told_the_field_is_missing():
    data = liguria()
    del data["members"][3]["kind"]
    assert (
        "members[3].kind: campo obbligatorio mancante: indica il tipo, uno di institute, company, "
        "accredited_body, its, university, research_centre, other"
    ) in errors_of(data)


@pytest.mark.parametrize("written", ["2026-11-23\n", "２０２６-１１-２３", "20261123"])
def test_a_reference_date_not_written_as_yyyy_mm_dd_is_refused_as_such(written):
    data = liguria()
    data["reference_date"] = written
    assert errors_of(data) == ["reference_date: deve essere una data ISO, per esempio 2026-11-23"]


def test_non_object_documents_are_rejected_not_crashed():
    for document in ([], "rete", 42, None, {"members": "tutti"}):
        assert errors_of(document)


def test_missing_lead_partner_is_a_rule_failure_not_invalid_input():
    data = liguria()
    del data["lead_partner"]
    verdict = evaluate(composition_from_network(data))
    assert verdict.result("PTP-LEAD-PARTNER").status == "fail"


def test_as_of_overrides_the_reference_date():
    composition = composition_from_network(liguria(), as_of=date(2014, 1, 1))
    assert composition.reference_date == date(2014, 1, 1)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("garbage", "deve essere una data ISO, per esempio 2026-11-23"),
        ("2026-02-31", "la data '2026-02-31' non esiste"),
        ("1999-12-31", "la data 1999-12-31 è fuori dall'intervallo ammesso: usa una data tra "
                       "2000-01-01 e 2099-12-31"),
    ],
)  # fmt: skip
def test_the_files_reference_date_is_checked_when_as_of_replaces_it(written, message):
    data = liguria()
    data["reference_date"] = written
    with pytest.raises(NetworkInputError) as error:
        composition_from_network(data, as_of=date(2014, 1, 1))
    assert [str(item) for item in error.value.errors] == [f"reference_date: {message}"]


def test_an_as_of_the_rules_cannot_be_asked_about_is_the_callers_error():
    """check_network says so under --as-of before asking: this is no error of the file."""
    with pytest.raises(ValueError, match="fuori dall'intervallo ammesso"):
        composition_from_network(liguria(), as_of=date(1999, 12, 31))


def test_an_admin_mapping_change_changes_the_verdict():
    data = liguria()
    assert evaluate(composition_from_network(data)).result("PTP-COMPANY-AREA").status == "pass"
    AtecoMapping.objects.filter(prefix__in=["28", "30", "33"]).update(
        area=EconomicArea.objects.get(code="manifattura")
    )
    result = evaluate(composition_from_network(data)).result("PTP-COMPANY-AREA")
    assert result.status == "fail"


def test_an_inactive_area_fails_the_area_rule():
    EconomicArea.objects.filter(code="meccanica").update(active=False)
    assert evaluate(composition_from_network(liguria())).result("PTP-AREA").status == "fail"


def test_ateco_codes_of_older_editions_go_through_the_istat_correspondence():
    assert ateco_code("30.11", "2025").codes_2025 == ("30.11",)
    assert "30.11" in ateco_code("30.11", "2022").codes_2025
    assert ateco_code("30.11", "2007").codes_2025 == ()
    catalogue = catalogue_from_db()
    assert catalogue.areas_for_code(ateco_code("30.11", "2022")) == frozenset({"meccanica"})
    assert catalogue.areas_for_code(ateco_code("30.11", "2007")) is None


def test_catalogue_from_db_reflects_the_migration():
    catalogue = catalogue_from_db()
    assert len(catalogue.areas) == 7
    assert len(catalogue.programmes) == 67
    assert catalogue.programmes["IPO-MAT"].successor == "IP-MAT"
    assert catalogue.areas_for_ateco("30.11") == frozenset({"meccanica"})
    assert catalogue.areas_for_ateco("72.10") is None


def test_input_is_not_mutated():
    data = liguria()
    before = copy.deepcopy(data)
    composition_from_network(data)
    assert data == before


def test_an_export_lists_founders_of_the_same_name_by_identifier_then_id(applicant):
    """Founders called alike (a company's branches) come out in one order on every export and
    every database: by name, then VAT number or school code, then id; never as the rows fall."""
    from eligibility.adapters import application_queryset_for_evaluation, network_from_application
    from networks.constants import OrganisationKind
    from networks.models import Application
    from networks.services.applications import application_member_add
    from tests.factories import OrganisationFactory, draft_application, fictitious_vat

    application = draft_application(applicant)
    its = application.members.get(organisation__kind=OrganisationKind.ITS).organisation
    # Created (and linked) in an order that is neither the VAT numbers' nor its reverse.
    branches = [
        OrganisationFactory(
            company=True, name="Officine Riunite S.p.A.", vat_number=fictitious_vat(n)
        )
        for n in (2, 3, 1)
    ]
    keys = {
        branch.vat_number: application_member_add(
            application=application, organisation=branch, by=applicant
        ).key
        for branch in branches
    }
    its.founders.add(*branches)

    def founders() -> list[str]:
        loaded = application_queryset_for_evaluation(Application.objects.filter(pk=application.pk))
        network = network_from_application(loaded.get())
        return next(m for m in network["members"] if m["kind"] == "its")["founders"]

    assert founders() == [keys[vat] for vat in sorted(keys)]
    assert founders() == founders()
