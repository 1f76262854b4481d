"""Catalogue entries in use by applications, and network files that are almost right."""

import io
import json
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from networks.models import Application, EconomicArea
from tests.factories import draft_application
from tests.networks.applicant.test_import_robustness import example, refused
from tests.networks.test_commands import run

pytestmark = pytest.mark.django_db


def test_area_chosen_only_by_an_application_cannot_be_deleted_and_says_to_deactivate(
    client, catalogue_admin, applicant
):
    """Django's page said deleting the area would delete the application, which it never may."""
    area = EconomicArea.objects.create(code="prova", name="Prova")
    application = draft_application(applicant)
    Application.objects.filter(pk=application.pk).update(area=area)
    client.force_login(catalogue_admin)
    url = reverse("admin:networks_economicarea_delete", args=[area.pk])
    for response in (client.get(url, follow=True), client.post(url, {"post": "yes"}, follow=True)):
        assert response.status_code == 200
        page = response.content.decode()
        assert "disattivala invece" in page
        assert "eliminerebbe anche oggetti collegati" not in page
    assert EconomicArea.objects.filter(pk=area.pk).exists()


DUPLICATE_AREA = (
    '{"format": "ptp-network/1", "name": "Polo", "area": "turismo", "area": "meccanica", '
    '"members": [{"key": "a", "kind": "other", "name": "A", "name": "B"}]}'
)


def test_the_checker_refuses_a_field_named_twice_with_its_path():
    """The parser kept the last value silently: the verdict was about an area nobody chose."""
    code, out, err = run("-", stdin=DUPLICATE_AREA)
    assert code == 2
    assert out == ""
    assert "area: il campo è ripetuto" in err
    assert "members[0].name: il campo è ripetuto" in err


def test_the_import_refuses_a_field_named_twice_and_changes_nothing(client, applicant):
    document = json.dumps(example())
    twice = document.replace('"area": "meccanica"', '"area": "turismo", "area": "meccanica"', 1)
    page = refused(client, applicant, twice.encode())
    assert "area: il campo è ripetuto nello stesso oggetto" in page


@pytest.mark.parametrize(
    "raw", ["Codognò".encode("latin-1"), "Polo".encode("utf-16")], ids=["latin-1", "utf-16"]
)
def test_the_checker_says_a_file_on_standard_input_is_not_utf8(raw):
    """Standard input was decoded leniently: Latin-1 became "half a surrogate pair"."""
    document = b'{"format": "ptp-network/1", "name": "' + raw + b'"}'
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(document), encoding="utf-8", errors="surrogateescape")
    try:
        with pytest.raises(SystemExit) as exit_:
            call_command("check_network", "-", stdout=out, stderr=err)
    finally:
        sys.stdin = old_stdin
    assert exit_.value.code == 2
    assert out.getvalue() == ""
    assert "-: il file non è in UTF-8 (byte non valido alla riga 1)" in err.getvalue()
    assert "surrogata" not in err.getvalue()


def test_the_checker_says_in_italian_that_a_file_does_not_exist(tmp_path):
    code, out, err = run(str(tmp_path / "manca.json"))
    assert (code, out) == (2, "")
    assert "manca.json: il file non esiste" in err


@pytest.mark.parametrize("prefix", ["", "30.11\x00"], ids=["empty", "null character"])
def test_an_ateco_prefix_the_field_refuses_gets_one_message_not_two(
    client, catalogue_admin, prefix
):
    """The model's check ran on the empty prefix too: «Il codice ATECO  non è nella forma attesa»."""
    client.force_login(catalogue_admin)
    area = EconomicArea.objects.get(code="meccanica")
    response = client.post(
        reverse("admin:networks_atecomapping_add"),
        {"edition": "2025", "prefix": prefix, "area": area.pk},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["prefix"]
    assert len(errors["prefix"]) == 1


@pytest.mark.parametrize("value", ["abc", "1" * 20, "1" * 30])
def test_a_tampered_row_id_in_the_area_list_is_no_server_error(client, catalogue_admin, value):
    """The list's editable «ordine» column posted an id too large for SQLite: a 500."""
    client.force_login(catalogue_admin)
    areas = list(EconomicArea.objects.order_by("position", "name"))
    data = {
        "form-TOTAL_FORMS": str(len(areas)),
        "form-INITIAL_FORMS": str(len(areas)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Salva",
    }
    for index, area in enumerate(areas):
        data[f"form-{index}-id"] = str(area.pk)
        data[f"form-{index}-position"] = str(area.position)
    data["form-0-id"] = value
    response = client.post(reverse("admin:networks_economicarea_changelist"), data)
    assert response.status_code == 200
    assert "Questa riga non corrisponde ai dati salvati" in response.content.decode()
    assert EconomicArea.objects.count() == len(areas)


def test_the_area_list_still_saves_a_new_order(client, catalogue_admin):
    client.force_login(catalogue_admin)
    areas = list(EconomicArea.objects.order_by("position", "name"))
    data = {
        "form-TOTAL_FORMS": str(len(areas)),
        "form-INITIAL_FORMS": str(len(areas)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Salva",
    }
    for index, area in enumerate(areas):
        data[f"form-{index}-id"] = str(area.pk)
        data[f"form-{index}-position"] = str(area.position)
    data["form-0-position"] = "42"
    response = client.post(reverse("admin:networks_economicarea_changelist"), data)
    assert response.status_code == 302
    assert EconomicArea.objects.get(pk=areas[0].pk).position == 42
