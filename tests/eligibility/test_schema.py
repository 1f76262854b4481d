"""The JSON Schema in docs/ describes what the portal reads and writes as ptp-network/1."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator

from eligibility.adapters import application_queryset_for_evaluation, network_from_application
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
