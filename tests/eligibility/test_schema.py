"""The JSON Schema in docs/ describes what the portal reads and writes as ptp-network/1."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from jsonschema import Draft202012Validator

from eligibility.adapters import (
    NetworkInputError,
    application_queryset_for_evaluation,
    composition_from_network,
    network_from_application,
)
from networks.models import Application
from tests.factories import draft_application

ROOT = Path(settings.BASE_DIR)
SCHEMA = json.loads((ROOT / "docs" / "ptp-network-1.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("name", ["liguria-meccanica", "lombardia-agroalimentare"])
def test_demo_networks_validate(name):
    document = json.loads((ROOT / "fixtures" / "demo" / f"{name}.json").read_text(encoding="utf-8"))
    assert list(VALIDATOR.iter_errors(document)) == []


@pytest.mark.django_db
def test_exported_applications_validate(applicant):
    application = draft_application(applicant)
    exported = network_from_application(
        application_queryset_for_evaluation(Application.objects.all()).get(pk=application.pk)
    )
    assert list(VALIDATOR.iter_errors(exported)) == []


def test_the_schema_rejects_an_unknown_field_and_a_bad_kind():
    document = json.loads(
        (ROOT / "fixtures" / "demo" / "liguria-meccanica.json").read_text(encoding="utf-8")
    )
    document["members"][0]["colour"] = "blu"
    document["members"][1]["kind"] = "scuola"
    assert len(list(VALIDATOR.iter_errors(document))) >= 2


@pytest.mark.parametrize("province", ["sp", "Spezia", "S", ""])
@pytest.mark.parametrize("member", [0, 7], ids=["institute", "company"])
def test_the_schema_requires_a_province_as_two_capitals(province, member):
    document = json.loads(
        (ROOT / "fixtures" / "demo" / "liguria-meccanica.json").read_text(encoding="utf-8")
    )
    document["members"][member]["province"] = "SP"
    assert list(VALIDATOR.iter_errors(document)) == []
    document["members"][member]["province"] = province
    assert list(VALIDATOR.iter_errors(document))


@pytest.mark.parametrize("field", ["key", "name"])
def test_the_schema_refuses_an_empty_key_or_name(field):
    document = json.loads(
        (ROOT / "fixtures" / "demo" / "liguria-meccanica.json").read_text(encoding="utf-8")
    )
    document["members"][0][field] = ""
    assert list(VALIDATOR.iter_errors(document))


def _demo() -> dict:
    return json.loads(
        (ROOT / "fixtures" / "demo" / "liguria-meccanica.json").read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("area", ["logistica-avanzata", "area2", "meccanica"])
def test_the_schema_takes_any_area_code_written_as_the_catalogue_writes_codes(area):
    """Admins may add areas (catalogue.md): whether the code exists is the portal's check."""
    document = _demo()
    document["area"] = area
    assert list(VALIDATOR.iter_errors(document)) == []


@pytest.mark.parametrize("area", ["Meccanica", "meccanica ", "servizi persona", "-turismo", ""])
def test_the_schema_refuses_an_area_not_written_as_a_code(area):
    document = _demo()
    document["area"] = area
    assert list(VALIDATOR.iter_errors(document))


@pytest.mark.parametrize("programme", ["IT-MME", "ITS-06", "LIC-SCI", "NUOVO1"])
def test_the_schema_takes_any_programme_code_written_as_the_catalogue_writes_codes(programme):
    document = _demo()
    document["members"][0]["offerings"][0]["programme"] = programme
    assert list(VALIDATOR.iter_errors(document)) == []


@pytest.mark.parametrize("programme", ["it-mme", "IT-MME ", "IT--MME", "IT_MME"])
def test_the_schema_refuses_a_programme_not_written_as_a_code(programme):
    document = _demo()
    document["members"][0]["offerings"][0]["programme"] = programme
    assert list(VALIDATOR.iter_errors(document))


def test_the_schemas_descriptions_say_codes_must_be_in_the_catalogue():
    offering = SCHEMA["$defs"]["offering"]["properties"]["programme"]
    for described in (SCHEMA["properties"]["area"], offering):
        assert "must be the code of" in described["description"]
        assert "portal's catalogue" in described["description"]


@pytest.mark.parametrize(
    ("where", "written"),
    [
        ("key", "capellini-sauro "),
        ("key", " capellini-sauro"),
        ("founder", "fincantieri "),
        ("year", "2010/11 "),
        ("year", "２０１０/１１"),
        ("ateco", "3011"),
        ("ateco", "３０.１１"),
    ],
)
def test_the_schema_refuses_what_the_checker_refuses_as_not_canonical(where, written):
    document = _demo()
    its = next(member for member in document["members"] if member["kind"] == "its")
    company = next(member for member in document["members"] if member["kind"] == "company")
    if where == "key":
        document["members"][0]["key"] = written
    elif where == "founder":
        its["founders"] = [written]
    elif where == "year":
        document["members"][0]["offerings"][0]["from"] = written
    else:
        company["ateco"] = [written]
    assert list(VALIDATOR.iter_errors(document))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("where", "written", "error"),
    [
        ("reference_date", None, "reference_date: togli il campo per usare la data di oggi, "
                                 "o scrivi una data ISO, per esempio 2026-11-23"),
        ("province", "", "members[0].province: scrivi la sigla della provincia (per esempio MI) "
                         "o togli il campo"),
        ("sections", ["A", "A"], "members[16].sections: scrivi ogni sezione una volta sola"),
    ],
)  # fmt: skip
def test_the_checker_refuses_what_the_schema_refuses(where, written, error):
    """A file other programs would refuse by the schema is no valid input here either."""
    document = _demo()
    assert document["members"][16]["kind"] == "accredited_body"
    if where == "reference_date":
        document["reference_date"] = written
    elif where == "province":
        document["members"][0]["province"] = written
    else:
        document["members"][16]["sections"] = written
    assert list(VALIDATOR.iter_errors(document))
    with pytest.raises(NetworkInputError) as refused:
        composition_from_network(document)
    assert [str(item) for item in refused.value.errors] == [error]


@pytest.mark.django_db
def test_a_file_without_reference_date_is_read_at_today():
    document = _demo()
    del document["reference_date"]
    assert list(VALIDATOR.iter_errors(document)) == []
    assert composition_from_network(document).reference_date == timezone.localdate()
