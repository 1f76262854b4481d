"""The admin refuses implausible or tampered input with an Italian message under the field, never a 500.

It also keeps access out of the catalogue role's hands: only a superuser
changes an organisation's representatives, and no staff account lists
someone else's draft through the applications admin.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from networks.constants import ApplicationStatus
from networks.models import (
    Application,
    Call,
    EconomicArea,
    Offering,
    Organisation,
    StudyProgramme,
)
from tests.factories import (
    CallFactory,
    OfferingFactory,
    OrganisationFactory,
    UserFactory,
    draft_application,
    fictitious_school_code,
    fictitious_vat,
    submitted_application,
)
from tests.helpers import page_messages, submitted_unchanged

pytestmark = pytest.mark.django_db

TAMPERED_IDS = ["abc", "1" * 30]


def _call_data(**changes: str) -> dict[str, str]:
    data = {
        "title": "Avviso 2027",
        "ruleset": "lombardia-dgr-124-2013",
        "opens_at_0": "01/01/2027",
        "opens_at_1": "09:00",
        "closes_at_0": "31/03/2027",
        "closes_at_1": "12:00",
        "term_days": "30",
        "max_attachment_mb": "10",
        "recognition_school_years": "3",
    }
    data.update(changes)
    return data


def _add_call(client, user, **changes: str):
    client.force_login(user)
    return client.post(reverse("admin:networks_call_add"), _call_data(**changes))


def _errors(response) -> dict[str, list[str]]:
    form = response.context["adminform"].form
    return {name: list(messages) for name, messages in form.errors.items()}


def test_a_call_closing_before_it_opens_is_refused_under_the_closing_date(client, catalogue_admin):
    response = _add_call(client, catalogue_admin, closes_at_0="31/12/2026")
    assert response.status_code == 200
    assert _errors(response) == {
        "closes_at": ["La data di chiusura deve essere successiva alla data di apertura."]
    }
    assert "call_closes_after_opening" not in response.content.decode()
    assert not Call.objects.filter(title="Avviso 2027").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"opens_at_0": "01/01/0001", "opens_at_1": "00:00"}, "opens_at"),
        ({"opens_at_0": "31/12/1999", "opens_at_1": "23:00"}, "opens_at"),
        ({"closes_at_0": "31/12/9999", "closes_at_1": "23:59"}, "closes_at"),
        ({"closes_at_0": "01/01/2101", "closes_at_1": "00:00"}, "closes_at"),
    ],
)
def test_a_call_date_in_an_implausible_year_is_refused_under_that_date(
    client, catalogue_admin, changes, field
):
    response = _add_call(client, catalogue_admin, **changes)
    assert response.status_code == 200
    label = "apertura" if field == "opens_at" else "chiusura"
    assert _errors(response) == {
        field: [f"La data di {label} deve cadere tra il 2000 e il 2100: controlla l'anno."]
    }
    assert not Call.objects.filter(title="Avviso 2027").exists()


def test_a_call_cannot_move_past_the_applications_filed_in_it(client, catalogue_admin, applicant):
    """Opening after the first filing or closing before the last one is refused under the date."""
    application = submitted_application(applicant)
    call = application.call
    filed = timezone.localtime(application.submitted_at)
    url = reverse("admin:networks_call_change", args=[call.pk])
    client.force_login(catalogue_admin)
    data, _inputs = submitted_unchanged(client.get(url), "call_form")
    later = filed + timedelta(days=1)
    data.update(
        {
            "opens_at_0": [later.strftime("%d/%m/%Y")],
            "closes_at_0": [(later + timedelta(days=30)).strftime("%d/%m/%Y")],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    stamp = f"il {filed:%d/%m/%Y} alle {filed:%H:%M}"
    assert _errors(response) == {
        "opens_at": [
            f"La prima domanda di questo avviso è stata presentata {stamp}: "
            "l'apertura non può essere successiva."
        ]
    }
    earlier = filed - timedelta(days=1)
    data.update({"opens_at_0": [(earlier - timedelta(days=30)).strftime("%d/%m/%Y")]})
    data.update({"closes_at_0": [earlier.strftime("%d/%m/%Y")]})
    response = client.post(url, data)
    assert _errors(response) == {
        "closes_at": [
            f"L'ultima domanda di questo avviso è stata presentata {stamp}: "
            "la chiusura deve essere successiva."
        ]
    }
    before = (call.opens_at, call.closes_at)
    call.refresh_from_db()
    assert (call.opens_at, call.closes_at) == before
    data.update({"closes_at_0": [(filed + timedelta(days=2)).strftime("%d/%m/%Y")]})
    assert client.post(url, data).status_code == 302  # around the filing: saved


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ("0", "La dimensione massima degli allegati deve essere di almeno 1 MB."),
        ("51", "La dimensione massima degli allegati non può superare 50 MB."),
    ],
)
def test_an_attachment_limit_out_of_range_is_refused(client, catalogue_admin, size, message):
    response = _add_call(client, catalogue_admin, max_attachment_mb=size)
    assert response.status_code == 200
    assert _errors(response) == {"max_attachment_mb": [message]}


@pytest.mark.parametrize("size", ["1", "50"])
def test_the_attachment_limits_at_the_bounds_are_accepted(client, catalogue_admin, size):
    response = _add_call(client, catalogue_admin, max_attachment_mb=size)
    assert response.status_code == 302
    assert Call.objects.get(title="Avviso 2027").max_attachment_mb == int(size)


@pytest.mark.parametrize("title", ['=HYPERLINK("http://example.org")', " +39", "@SUM(A1)"])
def test_a_call_title_a_spreadsheet_would_run_is_refused(client, catalogue_admin, title):
    """poli.csv prints the call's title raw (decision 0004): the admin refuses a formula."""
    response = _add_call(client, catalogue_admin, title=title)
    assert response.status_code == 200
    (message,) = _errors(response)["title"]
    assert message.startswith(f"Non può iniziare con {title.strip()[0]} ")
    assert not Call.objects.filter(title=title).exists()


@pytest.mark.parametrize("name", ['=HYPERLINK("http://example.org")', "-Meccanica", "@Cultura"])
def test_an_area_name_a_spreadsheet_would_run_is_refused(client, catalogue_admin, name):
    """poli.csv and the statistics print the area's name raw: a renamed area is checked too."""
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_economicarea_add"),
        {"code": "prova", "name": name, "active": "on", "position": "9"},
    )
    assert response.status_code == 200
    (message,) = _errors(response)["name"]
    assert message.startswith(f"Il nome non può iniziare con {name[0]} ")
    area = EconomicArea.objects.get(code="meccanica")
    response = client.post(
        reverse("admin:networks_economicarea_change", args=[area.pk]),
        {"name": name, "active": "on", "position": area.position},
    )
    assert response.status_code == 200
    assert "name" in _errors(response)
    area.refresh_from_db()
    assert area.name == "Meccanica"


def test_an_area_description_with_a_control_character_is_refused(client, catalogue_admin):
    """The catalogue's open data publish the description: it keeps its lines, not U+0001."""
    client.force_login(catalogue_admin)
    data = {"code": "prova", "name": "Prova", "active": "on", "position": "9"}
    response = client.post(
        reverse("admin:networks_economicarea_add"),
        {**data, "description": "Prima riga.\r\nSeconda\x01 riga."},
    )
    assert response.status_code == 200
    (message,) = _errors(response)["description"]
    assert "(U+0001) alla riga 2, subito dopo «Seconda»" in message
    assert not EconomicArea.objects.filter(code="prova").exists()
    response = client.post(
        reverse("admin:networks_economicarea_add"),
        {**data, "description": "Prima riga.\r\nSeconda riga."},
    )
    assert response.status_code == 302
    assert EconomicArea.objects.get(code="prova").description.splitlines() == [
        "Prima riga.",
        "Seconda riga.",
    ]


def test_a_programme_name_a_spreadsheet_would_run_is_refused(client, catalogue_admin):
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_studyprogramme_add"),
        {"code": "IP-ZZZ", "name": "=SOMMA(A1)", "kind": "professionale", "valid_from": "2018/19"},
    )
    assert response.status_code == 200
    (message,) = _errors(response)["name"]
    assert message.startswith("Il nome non può iniziare con = ")
    assert not StudyProgramme.objects.filter(code="IP-ZZZ").exists()


@pytest.mark.parametrize(
    ("url", "data", "message", "model"),
    [
        (
            "admin:networks_economicarea_add",
            {"code": "meccanica", "name": "Meccanica bis", "active": "on", "position": "9"},
            "Esiste già un'area con questo codice.",
            EconomicArea,
        ),
        (
            "admin:networks_studyprogramme_add",
            {
                "code": "IP-MAT",
                "name": "Doppione",
                "kind": "professionale",
                "valid_from": "2018/19",
            },
            "Esiste già un indirizzo con questo codice.",
            StudyProgramme,
        ),
    ],
)
def test_a_code_already_taken_is_refused_in_plain_italian(
    client, catalogue_admin, url, data, message, model
):
    """Django's own message would capitalise the field: «… con questo Codice esiste già»."""
    client.force_login(catalogue_admin)
    response = client.post(reverse(url), data)
    assert response.status_code == 200
    assert _errors(response)["code"] == [message]
    assert not model.objects.filter(name=data["name"]).exists()


@pytest.mark.parametrize(
    "query",
    [
        {"opens_at__year": "9999"},
        {"opens_at__year": "1"},
        {"opens_at__year": "abc"},
        {"opens_at__year": "2027", "opens_at__month": "1" * 30},
        {"opens_at__year": "9999", "opens_at__month": "12"},
    ],
)
def test_an_impossible_date_drill_down_of_calls_leads_back_to_the_list(
    client, catalogue_admin, query
):
    CallFactory()
    client.force_login(catalogue_admin)
    url = reverse("admin:networks_call_changelist")
    response = client.get(url, query)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"
    assert client.get(response["Location"]).status_code == 200


def test_a_possible_date_drill_down_of_calls_still_filters(client, catalogue_admin):
    call = CallFactory()
    client.force_login(catalogue_admin)
    url = reverse("admin:networks_call_changelist")
    response = client.get(url, {"opens_at__year": str(call.opens_at.year)})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    response = client.get(url, {"opens_at__year": "2099"})
    assert response.context["cl"].result_count == 0


def test_an_impossible_date_drill_down_of_applications_leads_back_to_the_list(
    client, admin_user, applicant
):
    submitted_application(applicant)
    client.force_login(admin_user)
    url = reverse("admin:networks_application_changelist")
    response = client.get(url, {"submitted_at__year": "9999"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


# Organisations and their offerings


def _organisation_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "company",
        "name": "Officina Prova",
        "vat_number": fictitious_vat(4242),
        "ateco_codes": "28.13",
        "ateco_edition": "2025",
        "chamber_registered": "on",
        "offerings-TOTAL_FORMS": "0",
        "offerings-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def _with_offering(data: dict[str, object], *, programme: str, first_year: str) -> dict:
    return {
        **data,
        "offerings-TOTAL_FORMS": "1",
        "offerings-0-programme": str(StudyProgramme.objects.get(code=programme).pk),
        "offerings-0-first_year": first_year,
        "offerings-0-last_year": "",
    }


def _inline_errors(response) -> list[dict[str, list[str]]]:
    formset = response.context["inline_admin_formsets"][0].formset
    return [{name: list(messages) for name, messages in form.items()} for form in formset.errors]


def test_a_new_company_with_an_offering_is_refused_in_the_inline(client, catalogue_admin):
    client.force_login(catalogue_admin)
    data = _with_offering(_organisation_data(), programme="IP-MAT", first_year="2019/20")
    response = client.post(reverse("admin:networks_organisation_add"), data)
    assert response.status_code == 200
    assert _inline_errors(response) == [
        {"programme": ["Solo istituti, enti accreditati e ITS hanno un'offerta formativa."]}
    ]
    assert not Organisation.objects.filter(name="Officina Prova").exists()


def test_a_partita_iva_already_held_is_refused_naming_the_holder(client, catalogue_admin):
    holder = Organisation.objects.create(
        kind="its", name="Fondazione ITS Prova", vat_number=fictitious_vat(4242)
    )
    client.force_login(catalogue_admin)
    response = client.post(reverse("admin:networks_organisation_add"), _organisation_data())
    assert response.status_code == 200
    assert _errors(response)["vat_number"] == [
        f"La partita IVA {holder.vat_number} è già nell'anagrafe, di «Fondazione ITS Prova» "
        "(ITS Academy): cercala per partita IVA e usa quella."
    ]
    assert not Organisation.objects.filter(name="Officina Prova").exists()


def test_an_organisation_saved_again_with_its_own_partita_iva_is_not_its_own_duplicate(
    client, catalogue_admin
):
    client.force_login(catalogue_admin)
    response = client.post(reverse("admin:networks_organisation_add"), _organisation_data())
    assert response.status_code == 302
    company = Organisation.objects.get(name="Officina Prova")
    data = _organisation_data(name="Officina Prova S.r.l.", vat_number=f"IT{company.vat_number}")
    response = client.post(reverse("admin:networks_organisation_change", args=[company.pk]), data)
    assert response.status_code == 302, _errors(response)
    company.refresh_from_db()
    assert company.name == "Officina Prova S.r.l."


def test_the_constraint_behind_the_form_names_no_kind():
    """Two registrations at once pass the form's look-up: the constraint answers, for any kind."""
    Organisation.objects.create(kind="company", name="Prima", vat_number=fictitious_vat(4243))
    second = Organisation(kind="its", name="Seconda", vat_number=fictitious_vat(4243))
    with pytest.raises(ValidationError) as raised:
        second.validate_constraints()
    assert raised.value.messages == [
        "Un'organizzazione con questa partita IVA è già nell'anagrafe: cercala per partita IVA "
        "e usa quella."
    ]


def _institute_data() -> dict[str, object]:
    return _organisation_data(
        kind="institute",
        name="Istituto Prova",
        vat_number="",
        ateco_codes="",
        school_code=fictitious_school_code(4242),
        school_status="statale",
    )


def test_a_new_institute_with_the_same_offering_is_saved(client, catalogue_admin):
    client.force_login(catalogue_admin)
    data = _with_offering(_institute_data(), programme="IP-MAT", first_year="2019/20")
    response = client.post(reverse("admin:networks_organisation_add"), data)
    assert response.status_code == 302, _inline_errors(response)
    offering = Offering.objects.get(organisation__name="Istituto Prova")
    assert (offering.programme.code, offering.first_year) == ("IP-MAT", 2019)


def test_an_offering_of_an_unsaved_company_is_refused_by_its_model():
    offering = Offering(
        organisation=Organisation(kind="company", name="Non salvata"),
        programme=StudyProgramme.objects.get(code="IP-MAT"),
        first_year=2019,
    )
    with pytest.raises(ValidationError) as raised:
        offering.clean()
    assert list(raised.value.message_dict) == ["programme"]


def _organisation_change(client, organisation: Organisation) -> tuple[str, dict[str, list[str]]]:
    url = reverse("admin:networks_organisation_change", args=[organisation.pk])
    data, _inputs = submitted_unchanged(client.get(url), "organisation_form")
    return url, data


def test_repeated_new_offerings_are_named_by_their_italian_field_names(client, catalogue_admin):
    client.force_login(catalogue_admin)
    data = _with_offering(_institute_data(), programme="IP-MAT", first_year="2019/20")
    data.update(
        {
            "offerings-TOTAL_FORMS": "2",
            "offerings-1-programme": data["offerings-0-programme"],
            "offerings-1-first_year": "2019/20",
            "offerings-1-last_year": "",
        }
    )
    response = client.post(reverse("admin:networks_organisation_add"), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "Correggi i dati duplicati: più righe hanno gli stessi valori in «indirizzo di studio» "
        "e «primo anno scolastico»."
    ]
    assert "programme e first_year" not in response.content.decode()
    assert not Organisation.objects.filter(name="Istituto Prova").exists()


# Tampered ids


@pytest.mark.parametrize("value", TAMPERED_IDS)
def test_a_tampered_successor_id_is_a_form_error(client, catalogue_admin, value):
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_studyprogramme_add"),
        {"code": "IT-PRV", "name": "Prova", "kind": "tecnico", "successor": value},
    )
    assert response.status_code == 200
    assert "successor" in _errors(response)


@pytest.mark.parametrize("value", TAMPERED_IDS)
def test_a_tampered_area_id_is_a_form_error(client, catalogue_admin, value):
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_studyprogramme_add"),
        {"code": "IT-PRV", "name": "Prova", "kind": "tecnico", "areas": [value]},
    )
    assert response.status_code == 200
    assert _errors(response)["areas"] == [f'"{value}" non è un valore valido.']


@pytest.mark.parametrize("value", TAMPERED_IDS)
@pytest.mark.parametrize("field", ["main_institution", "founders"])
def test_a_tampered_organisation_id_is_a_form_error(client, catalogue_admin, field, value):
    client.force_login(catalogue_admin)
    data = _organisation_data(kind="its", name="ITS Prova", vat_number="", ateco_codes="")
    data[field] = [value] if field == "founders" else value
    response = client.post(reverse("admin:networks_organisation_add"), data)
    assert response.status_code == 200
    assert field in _errors(response)
    assert not Organisation.objects.filter(name="ITS Prova").exists()


@pytest.mark.parametrize("value", TAMPERED_IDS)
def test_a_tampered_representative_id_is_a_form_error_for_a_superuser(client, admin_user, value):
    client.force_login(admin_user)
    data = _organisation_data(kind="its", name="ITS Prova", vat_number="", ateco_codes="")
    response = client.post(
        reverse("admin:networks_organisation_add"), {**data, "representatives": [value]}
    )
    assert response.status_code == 200
    assert _errors(response)["representatives"] == [f'"{value}" non è un valore valido.']


@pytest.mark.parametrize("value", TAMPERED_IDS)
def test_a_tampered_programme_id_in_the_inline_is_a_row_error(client, catalogue_admin, value):
    client.force_login(catalogue_admin)
    data = _with_offering(_organisation_data(), programme="IP-MAT", first_year="2019/20")
    data["offerings-0-programme"] = value
    response = client.post(reverse("admin:networks_organisation_add"), data)
    assert response.status_code == 200
    assert "programme" in _inline_errors(response)[0]


@pytest.mark.parametrize("value", TAMPERED_IDS)
@pytest.mark.parametrize("field", ["organisation", "programme"])
def test_a_tampered_id_on_the_offering_page_is_a_form_error(client, catalogue_admin, field, value):
    client.force_login(catalogue_admin)
    data = {
        "organisation": str(OrganisationFactory().pk),
        "programme": str(StudyProgramme.objects.get(code="IP-MAT").pk),
        "first_year": "2019/20",
        field: value,
    }
    response = client.post(reverse("admin:networks_offering_add"), data)
    assert response.status_code == 200
    assert list(_errors(response)) == [field]
    assert not Offering.objects.exists()


@pytest.mark.parametrize("value", [*TAMPERED_IDS, "999999"])
def test_a_tampered_offering_id_is_said_under_its_row(client, catalogue_admin, value):
    institute = OfferingFactory(first_year=2015).organisation
    client.force_login(catalogue_admin)
    url, data = _organisation_change(client, institute)
    data["offerings-0-id"] = [value]
    response = client.post(url, data)
    assert response.status_code == 200
    message = "Questa riga non corrisponde ai dati salvati"
    (errors,) = _inline_errors(response)
    assert list(errors) == ["__all__"]
    assert errors["__all__"][0].startswith(message)
    content = response.content.decode()
    assert content.index('class="row-form-errors"') < content.index(message)


# Access


@pytest.fixture
def represented(db) -> tuple[Organisation, User]:
    organisation = OrganisationFactory()
    representative = UserFactory(username="rappresentante")
    organisation.representatives.add(representative)
    return organisation, representative


def test_the_catalogue_role_sees_representatives_but_cannot_change_them(
    client, catalogue_admin, represented
):
    organisation, representative = represented
    newcomer = UserFactory(username="nuovo")
    client.force_login(catalogue_admin)
    url, data = _organisation_change(client, organisation)
    assert "representatives" not in data
    response = client.get(url)
    assert 'name="representatives"' not in response.content.decode()
    assert representative.username in response.content.decode()
    data["representatives"] = [str(newcomer.pk)]
    data["name"] = ["Nome corretto"]
    response = client.post(url, data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Nome corretto"
    assert list(organisation.representatives.all()) == [representative]


def test_a_new_organisation_gets_no_representatives_from_the_catalogue_role(
    client, catalogue_admin
):
    newcomer = UserFactory(username="nuovo")
    client.force_login(catalogue_admin)
    data = _organisation_data(representatives=[str(newcomer.pk)])
    response = client.post(reverse("admin:networks_organisation_add"), data)
    assert response.status_code == 302
    assert not Organisation.objects.get(name="Officina Prova").representatives.exists()


def test_a_superuser_changes_representatives(client, admin_user, represented):
    organisation, _representative = represented
    newcomer = UserFactory(username="nuovo")
    client.force_login(admin_user)
    url, data = _organisation_change(client, organisation)
    data["representatives"] = [str(newcomer.pk)]
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(organisation.representatives.all()) == [newcomer]


def test_the_catalogue_role_cannot_reach_users_or_applications(client, catalogue_admin):
    client.force_login(catalogue_admin)
    for name in ["admin:auth_user_changelist", "admin:networks_application_changelist"]:
        assert client.get(reverse(name)).status_code == 403


def test_a_staff_officer_lists_no_draft_in_the_applications_admin(client, officer, applicant):
    officer.is_staff = True
    officer.save()
    draft = draft_application(applicant)
    submitted = submitted_application(applicant)
    assert draft.status == ApplicationStatus.DRAFT
    client.force_login(officer)
    response = client.get(reverse("admin:networks_application_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [submitted]
    response = client.get(reverse("admin:networks_application_change", args=[draft.pk]))
    assert response.status_code == 302
    assert reverse("admin:index") == response["Location"]


def test_a_superuser_lists_every_application_in_the_admin(client, admin_user, applicant):
    draft_application(applicant)
    submitted_application(applicant)
    client.force_login(admin_user)
    response = client.get(reverse("admin:networks_application_changelist"))
    assert response.context["cl"].result_count == Application.objects.count() == 2


def test_the_superuser_reads_permissions_in_italian(client, admin_user, applicant):
    """Django stores "Can add …"; the user's and the group's pages name the action in Italian."""
    client.force_login(admin_user)
    for url in (
        reverse("admin:auth_user_change", args=[applicant.pk]),
        reverse("admin:auth_group_add"),
    ):
        page = client.get(url).content.decode()
        assert "Può aggiungere domanda" in page, url
        assert "Può vedere avviso" in page, url
        assert "Can add" not in page, url
        assert "Can view" not in page, url


def test_permissions_follow_the_language_and_custom_names_stay(admin_user):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.utils import translation

    from networks.admin import permission_label
    from networks.models import Application

    add = Permission.objects.get(codename="add_application")
    with translation.override("en"):
        assert permission_label(add).endswith("| Can add application")
    custom = Permission.objects.create(
        codename="sign_application",
        name="Firma i decreti",
        content_type=ContentType.objects.get_for_model(Application),
    )
    assert permission_label(custom) == str(custom)


def test_an_organisation_in_an_application_cannot_be_deleted_and_the_admin_says_why(
    client, catalogue_admin, applicant
):
    """Not Django's page of «protected objects» listing one member row per application."""
    application = submitted_application(applicant)
    member = application.members.filter(organisation__kind="company").first().organisation
    client.force_login(catalogue_admin)
    change = client.get(reverse("admin:networks_organisation_change", args=[member.pk]))
    assert reverse("admin:networks_organisation_delete", args=[member.pk]) not in (
        change.content.decode()
    )
    response = client.post(
        reverse("admin:networks_organisation_delete", args=[member.pk]),
        {"post": "yes"},
        follow=True,
    )
    assert Organisation.objects.filter(pk=member.pk).exists()
    assert any(
        "non può essere eliminata: le domande e gli atti la citano" in message
        for message in page_messages(response)
    )
    unused = OrganisationFactory(kind="its", name="ITS Mai Usato")
    client.post(reverse("admin:networks_organisation_delete", args=[unused.pk]), {"post": "yes"})
    assert not Organisation.objects.filter(pk=unused.pk).exists()


def test_editing_an_organisation_of_an_undecided_application_warns_how_many(
    client, catalogue_admin, applicant
):
    """A draft reads the registry live: the edit moves its outcome (a filed network does not
    move: see the offering's test below)."""
    application = draft_application(applicant)
    company = application.members.filter(organisation__kind="company").first().organisation
    client.force_login(catalogue_admin)
    data = _organisation_data(
        name=company.name,
        vat_number=company.vat_number,
        ateco_codes=", ".join(company.ateco_codes),
        ateco_edition=company.ateco_edition,
        province=company.province,
        chamber_registered="",
    )
    response = client.post(
        reverse("admin:networks_organisation_change", args=[company.pk]), data, follow=True
    )
    assert response.redirect_chain
    assert (
        f"«{company.name}» è nella rete di 1 domanda in bozza o in attesa di integrazioni, "
        "che legge i dati dell'anagrafe come sono ora: la modifica vale anche per essa. Le "
        "domande già presentate si decidono sulla rete presentata."
    ) in page_messages(response)
    company.refresh_from_db()
    assert not company.chamber_registered
    # Saved again unchanged: nothing to warn of.
    response = client.post(
        reverse("admin:networks_organisation_change", args=[company.pk]), data, follow=True
    )
    assert not any("in attesa di integrazioni" in message for message in page_messages(response))


def _offered_in(application):
    offering = (
        Offering.objects.filter(organisation__memberships__application=application)
        .select_related("organisation", "programme")
        .first()
    )
    return offering


def test_editing_or_deleting_an_offering_on_its_own_page_warns_as_the_organisation_does(
    client, catalogue_admin, applicant, officer
):
    """The offering's own page and list warn as the organisation's page does for the same edit;
    an application awaiting integrations counts (it is filed again), a submitted one not."""
    from tests.procedure import bring_to

    awaiting = bring_to(
        ApplicationStatus.INTEGRATION_REQUESTED,
        applicant=applicant,
        officer=officer,
        manager=officer,
    )
    offering = _offered_in(awaiting)
    warning = (
        f"«{offering.organisation.name}» è nella rete di 1 domanda in bozza o in attesa di "
        "integrazioni, che legge i dati dell'anagrafe come sono ora: la modifica vale anche "
        "per essa. Le domande già presentate si decidono sulla rete presentata."
    )
    client.force_login(catalogue_admin)
    url = reverse("admin:networks_offering_change", args=[offering.pk])
    data, _inputs = submitted_unchanged(client.get(url), "offering_form")
    unchanged = client.post(url, data, follow=True)
    assert warning not in page_messages(unchanged)
    data["first_year"] = [f"{offering.first_year + 1}/{(offering.first_year + 2) % 100:02d}"]
    changed = client.post(url, data, follow=True)
    assert changed.redirect_chain, changed.content.decode()[:3000]
    assert warning in page_messages(changed)
    deleted = client.post(
        reverse("admin:networks_offering_changelist"),
        {"action": "delete_selected", "_selected_action": [offering.pk], "post": "yes"},
        follow=True,
    )
    assert not Offering.objects.filter(pk=offering.pk).exists()
    assert warning in page_messages(deleted)
    # Decided on the network it filed, a submitted application is not reached.
    Application.objects.filter(pk=awaiting.pk).update(status=ApplicationStatus.IN_REVIEW)
    other = _offered_in(awaiting)
    url = reverse("admin:networks_offering_change", args=[other.pk])
    data, _inputs = submitted_unchanged(client.get(url), "offering_form")
    data["first_year"] = [f"{other.first_year + 1}/{(other.first_year + 2) % 100:02d}"]
    filed = client.post(url, data, follow=True)
    assert filed.redirect_chain
    assert not any("in attesa di integrazioni" in m for m in page_messages(filed))


def test_editing_a_programme_offered_in_an_undecided_application_warns_how_many(
    client, catalogue_admin, applicant
):
    application = submitted_application(applicant)
    programme = _offered_in(application).programme
    # Counted from the network as filed, not from the registry's offerings.
    Offering.objects.filter(programme=programme).delete()
    client.force_login(catalogue_admin)
    url = reverse("admin:networks_studyprogramme_change", args=[programme.pk])
    data, _inputs = submitted_unchanged(client.get(url), "studyprogramme_form")
    assert warning_free(client.post(url, data, follow=True))
    data["name"] = [f"{programme.name} (rinominato)"]
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.content.decode()[:3000]
    assert (
        f"L'indirizzo «{programme.code}» è offerto da membri di 1 domanda non ancora decisa: "
        "alla decisione l'offerta triennale e gli istituti si verificano con l'indirizzo com'è "
        "ora (PTP-OFFER-3Y, PTP-INSTITUTES)."
    ) in page_messages(response)


def warning_free(response) -> bool:
    return response.redirect_chain and not any(
        "non ancora decisa" in message for message in page_messages(response)
    )


@pytest.mark.parametrize("code", ["area nuova!", "città", "Area-Nuova", "-nuova", "nuova--area"])
def test_an_area_code_not_written_as_the_catalogue_writes_codes_says_how(
    client, catalogue_admin, code
):
    """One message, the portal's, whatever is wrong: not Django's «slug» for some of them."""
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_economicarea_add"),
        {"code": code, "name": "Nuova", "active": "on", "position": "9"},
    )
    assert response.status_code == 200
    assert _errors(response)["code"] == [
        "Scrivi il codice dell'area in minuscolo, con lettere non accentate e cifre separate "
        "da trattini, per esempio servizi-persona."
    ]
    assert not EconomicArea.objects.filter(name="Nuova").exists()


def test_the_history_says_what_each_change_was_and_became(client, catalogue_admin):
    """A deactivation and a reactivation read differently; an offering's years are shown as
    school years; the inline rows keep Django's words after the fields."""
    from django.contrib.admin.models import LogEntry

    area = EconomicArea.objects.get(code="turismo")
    client.force_login(catalogue_admin)
    url = reverse("admin:networks_economicarea_change", args=[area.pk])
    data, _inputs = submitted_unchanged(client.get(url), "economicarea_form")
    data.pop("active", None)
    client.post(url, data)
    data["active"] = ["on"]
    data["name"] = ["Turismo e ospitalità"]
    client.post(url, data)
    entries = [
        entry.get_change_message()
        for entry in LogEntry.objects.filter(object_id=str(area.pk)).order_by("pk")
    ]
    assert entries == [
        "Modificati: Attiva da «sì» a «no».",
        "Modificati: Nome da «Turismo» a «Turismo e ospitalità»; Attiva da «no» a «sì».",
    ]
    offering = OfferingFactory(programme=StudyProgramme.objects.get(code="IT-MME"), first_year=2015)
    url = reverse("admin:networks_offering_change", args=[offering.pk])
    data, _inputs = submitted_unchanged(client.get(url), "offering_form")
    data["last_year"] = ["2020/21"]
    client.post(url, data)
    [entry] = LogEntry.objects.filter(object_id=str(offering.pk))
    assert entry.get_change_message() == "Modificati: Ultimo anno scolastico da «—» a «2020/21»."
