"""The catalogue admin is for the Amministratore catalogo only; in-use entries are never deleted."""

from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from networks.models import AtecoMapping, EconomicArea, Organisation, StudyProgramme
from tests.factories import OfferingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CATALOGUE_URLS = [
    "admin:networks_economicarea_changelist",
    "admin:networks_studyprogramme_changelist",
    "admin:networks_atecomapping_changelist",
    "admin:networks_organisation_changelist",
]


@pytest.mark.parametrize("url_name", CATALOGUE_URLS)
def test_catalogue_admin_sees_every_catalogue_list(client, catalogue_admin, url_name):
    client.force_login(catalogue_admin)
    response = client.get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["applicant", "officer", "manager"])
@pytest.mark.parametrize("url_name", CATALOGUE_URLS)
def test_other_roles_are_kept_out_of_the_admin(client, request, role, url_name):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_officer_made_staff_still_cannot_change_the_catalogue(client, officer):
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get(reverse("admin:networks_economicarea_changelist")).status_code == 403
    area = EconomicArea.objects.get(code="meccanica")
    response = client.post(
        reverse("admin:networks_economicarea_change", args=[area.pk]), {"name": "X"}
    )
    assert response.status_code == 403


def test_area_in_use_cannot_be_deleted_and_the_admin_says_to_deactivate(client, catalogue_admin):
    client.force_login(catalogue_admin)
    area = EconomicArea.objects.get(code="meccanica")
    response = client.post(
        reverse("admin:networks_economicarea_delete", args=[area.pk]), {"post": "yes"}, follow=True
    )
    assert EconomicArea.objects.filter(pk=area.pk).exists()
    assert "disattivala invece" in response.content.decode()


def test_programme_offered_by_an_organisation_cannot_be_deleted(client, catalogue_admin):
    offering = OfferingFactory(programme=StudyProgramme.objects.get(code="IT-INF"))
    client.force_login(catalogue_admin)
    url = reverse("admin:networks_studyprogramme_delete", args=[offering.programme.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert StudyProgramme.objects.filter(code="IT-INF").exists()
    assert "disattivalo invece" in response.content.decode()


def test_unused_area_can_be_deleted(client, catalogue_admin):
    area = EconomicArea.objects.create(code="prova", name="Prova")
    client.force_login(catalogue_admin)
    client.post(reverse("admin:networks_economicarea_delete", args=[area.pk]), {"post": "yes"})
    assert not EconomicArea.objects.filter(code="prova").exists()


def test_bulk_delete_is_not_offered_for_the_catalogue(client, catalogue_admin):
    client.force_login(catalogue_admin)
    response = client.get(reverse("admin:networks_economicarea_changelist"))
    assert "delete_selected" not in response.content.decode()


def test_deactivating_an_area_is_recorded_in_the_history(client, catalogue_admin):
    area = EconomicArea.objects.get(code="cultura")
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_economicarea_change", args=[area.pk]),
        {"name": "Cultura", "description": area.description, "position": area.position},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.active is False
    entry = LogEntry.objects.get(object_id=str(area.pk), content_type__model="economicarea")
    assert entry.user == catalogue_admin
    history = client.get(reverse("admin:networks_economicarea_history", args=[area.pk]))
    assert catalogue_admin.username in history.content.decode()


def test_area_code_cannot_be_changed_once_created(client, catalogue_admin):
    area = EconomicArea.objects.get(code="turismo")
    client.force_login(catalogue_admin)
    client.post(
        reverse("admin:networks_economicarea_change", args=[area.pk]),
        {"code": "altro", "name": "Turismo", "active": "on", "position": 5},
    )
    area.refresh_from_db()
    assert area.code == "turismo"


def test_ateco_mapping_prefix_is_validated_against_istat(client, catalogue_admin):
    client.force_login(catalogue_admin)
    area = EconomicArea.objects.get(code="cultura")
    response = client.post(
        reverse("admin:networks_atecomapping_add"),
        {"edition": "2025", "prefix": "99.99", "area": area.pk},
    )
    assert response.status_code == 200
    assert "non esiste nell&#x27;edizione 2025" in response.content.decode()
    response = client.post(
        reverse("admin:networks_atecomapping_add"),
        {"edition": "2025", "prefix": "72.1", "area": area.pk},
    )
    assert response.status_code == 302
    assert AtecoMapping.objects.filter(prefix="72.1", area=area).exists()
    response = client.post(
        reverse("admin:networks_atecomapping_add"),
        {"edition": "2022", "prefix": "72.1", "area": area.pk},
    )
    assert "si definiscono sull&#x27;ATECO 2025" in response.content.decode()


@pytest.mark.parametrize("query", ["Meccatronica", "MIIS00900T", "00010019990"])
def test_organisations_are_searchable_by_name_code_and_vat(client, catalogue_admin, query):
    OrganisationFactory(name="Istituto Meccatronica Lombarda", school_code="MIIS00900T")
    OrganisationFactory(company=True, name="Officine Riunite", vat_number="00010019990")
    client.force_login(catalogue_admin)
    response = client.get(reverse("admin:networks_organisation_changelist"), {"q": query})
    assert response.context["cl"].result_count == 1


def test_organisation_admin_reports_a_bad_vat_number_in_italian(client, catalogue_admin):
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_organisation_add"),
        {
            "kind": "company",
            "name": "Officina",
            "vat_number": "00397130585",
            "ateco_codes": "28.13",
            "ateco_edition": "2025",
            "chamber_registered": "on",
            "offerings-TOTAL_FORMS": "0",
            "offerings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "la cifra di controllo non corrisponde" in response.content.decode()
    assert not Organisation.objects.filter(name="Officina").exists()


def test_catalogue_admin_opens_a_call_and_cannot_delete_one_in_use(
    client, catalogue_admin, applicant
):
    from networks.models import Call
    from tests.factories import draft_application

    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_call_add"),
        {
            "title": "Avviso 2027",
            "ruleset": "lombardia-dgr-124-2013",
            "opens_at_0": "01/01/2027",
            "opens_at_1": "09:00",
            "closes_at_0": "31/03/2027",
            "closes_at_1": "12:00",
            "term_days": "30",
            "max_attachment_mb": "10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get(title="Avviso 2027")
    assert (
        call.opens_at.astimezone(ZoneInfo("Europe/Rome")).strftime("%d/%m/%Y %H:%M")
        == "01/01/2027 09:00"
    )
    used = draft_application(applicant).call
    response = client.get(reverse("admin:networks_call_delete", args=[used.pk]))
    assert response.status_code == 403
