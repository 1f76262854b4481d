"""The catalogue admin is for the Amministratore catalogo only; in-use entries are never deleted."""

import json
import re
from html import unescape as html_unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from networks.models import AtecoMapping, EconomicArea, Organisation, StudyProgramme
from tests.factories import CallFactory, OfferingFactory, OrganisationFactory
from tests.helpers import submitted_unchanged
from tests.networks.public.helpers import bulk_recognised_poli

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


def test_programme_named_only_by_a_submitted_network_cannot_be_deleted(
    client, catalogue_admin, officer
):
    """The registry's offering may be gone: the frozen version, the decree and poli.json name it."""
    bulk_recognised_poli(1, user=officer, call=CallFactory(), organisation=OrganisationFactory())
    programme = StudyProgramme.objects.get(code="IEFP-MEC")
    assert not programme.offerings.exists()
    assert not programme.predecessors.exists()
    client.force_login(catalogue_admin)
    url = reverse("admin:networks_studyprogramme_delete", args=[programme.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert StudyProgramme.objects.filter(code="IEFP-MEC").exists()
    assert "domande presentate" in html_unescape(response.content.decode())
    assert "disattivalo invece" in response.content.decode()


def test_programme_named_by_no_network_nor_offering_can_be_deleted(
    client, catalogue_admin, officer
):
    bulk_recognised_poli(1, user=officer, call=CallFactory(), organisation=OrganisationFactory())
    programme = StudyProgramme.objects.get(code="IT-INF")
    client.force_login(catalogue_admin)
    client.post(
        reverse("admin:networks_studyprogramme_delete", args=[programme.pk]), {"post": "yes"}
    )
    assert not StudyProgramme.objects.filter(code="IT-INF").exists()


def test_unused_area_can_be_deleted(client, catalogue_admin):
    area = EconomicArea.objects.create(code="prova", name="Prova")
    client.force_login(catalogue_admin)
    client.post(reverse("admin:networks_economicarea_delete", args=[area.pk]), {"post": "yes"})
    assert not EconomicArea.objects.filter(code="prova").exists()


def test_bulk_delete_is_not_offered_for_the_catalogue(client, catalogue_admin):
    client.force_login(catalogue_admin)
    response = client.get(reverse("admin:networks_economicarea_changelist"))
    assert "delete_selected" not in response.content.decode()


def test_every_position_input_of_the_area_list_is_named_after_its_area(client, catalogue_admin):
    """The list-editable "ordine" inputs have no <label>: each gets an aria-label (axe: label)."""
    client.force_login(catalogue_admin)
    response = client.get(reverse("admin:networks_economicarea_changelist"))
    html = response.content.decode()
    inputs = re.findall(r'<input[^>]*name="form-\d+-position"[^>]*>', html)
    areas = list(response.context["cl"].result_list)
    assert areas
    assert len(inputs) == len(areas)
    for tag, area in zip(inputs, areas, strict=True):
        label = re.search(r'aria-label="([^"]*)"', tag)
        assert label, tag
        assert html_unescape(label.group(1)) == f"Ordine di «{area.name}»"


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


def test_deactivating_an_area_warns_of_the_undecided_applications_it_reaches(
    client, catalogue_admin, applicant
):
    """The area's own rule fails for them at the decision: the admin is told how many."""
    from tests.factories import submitted_application

    submitted_application(applicant)
    area = EconomicArea.objects.get(code="meccanica")
    client.force_login(catalogue_admin)
    page = client.get(reverse("admin:networks_economicarea_change", args=[area.pk]))
    assert "non superano più il requisito PTP-AREA" in page.content.decode()
    response = client.post(
        reverse("admin:networks_economicarea_change", args=[area.pk]),
        {"name": area.name, "description": area.description, "position": area.position},
        follow=True,
    )
    texts = [str(message) for message in response.context["messages"]]
    assert (
        "1 domanda presentata nell'area «Meccanica» non è ancora decisa: alla decisione non "
        "supererà il requisito PTP-AREA, perché l'area non è più attiva. Riattivala se la "
        "disattivazione non deve riguardarla." in texts
    )
    # Saving it again, already inactive, deactivates nothing and says nothing of it.
    response = client.post(
        reverse("admin:networks_economicarea_change", args=[area.pk]),
        {"name": area.name, "description": area.description, "position": area.position},
        follow=True,
    )
    assert not any("PTP-AREA" in str(message) for message in response.context["messages"])


def test_a_new_ateco_mapping_warns_that_undecided_applications_use_it(
    client, catalogue_admin, applicant
):
    from tests.factories import submitted_application

    submitted_application(applicant)
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_atecomapping_add"),
        {"edition": "2025", "prefix": "72.1", "area": EconomicArea.objects.get(code="cultura").pk},
        follow=True,
    )
    texts = [str(message) for message in response.context["messages"]]
    assert any(text.startswith("1 domanda presentata non è ancora decisa") for text in texts)


def test_mappings_deleted_together_warn_as_one_deleted_alone(client, catalogue_admin, applicant):
    from networks.models import AtecoMapping
    from tests.factories import submitted_application

    submitted_application(applicant)
    area = EconomicArea.objects.get(code="cultura")
    mappings = [
        AtecoMapping.objects.create(edition="2025", prefix=prefix, area=area)
        for prefix in ("72.1", "72.2")
    ]
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_atecomapping_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(mapping.pk) for mapping in mappings],
            "post": "yes",
        },
        follow=True,
    )
    texts = [str(message) for message in response.context["messages"]]
    assert not AtecoMapping.objects.filter(pk__in=[m.pk for m in mappings]).exists()
    assert any(text.startswith("1 domanda presentata non è ancora decisa") for text in texts)


def test_an_area_in_use_offers_no_delete_link(client, catalogue_admin):
    client.force_login(catalogue_admin)
    in_use = EconomicArea.objects.get(code="meccanica")
    page = client.get(reverse("admin:networks_economicarea_change", args=[in_use.pk]))
    assert reverse("admin:networks_economicarea_delete", args=[in_use.pk]) not in (
        page.content.decode()
    )


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
    again = client.post(
        reverse("admin:networks_atecomapping_add"),
        {"edition": "2025", "prefix": "72.1", "area": area.pk},
    )
    assert again.status_code == 200
    html = again.content.decode()
    assert "Questo prefisso ATECO è già associato a quest&#x27;area nella stessa edizione." in html
    assert "Edizione ATECO, Prefisso ATECO e Area" not in html
    assert AtecoMapping.objects.filter(prefix="72.1", area=area).count() == 1


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
            "recognition_school_years": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # Django's Italian says "Il avviso … è stato aggiunto": locale/it words it without an article.
    saved = client.get(response["Location"]).content.decode()
    assert "Aggiunta registrata: avviso «<a " in saved
    assert "Il avviso" not in saved
    call = Call.objects.get(title="Avviso 2027")
    assert (
        call.opens_at.astimezone(ZoneInfo("Europe/Rome")).strftime("%d/%m/%Y %H:%M")
        == "01/01/2027 09:00"
    )
    used = draft_application(applicant).call
    response = client.get(reverse("admin:networks_call_delete", args=[used.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:networks_call_change", args=[used.pk])
    assert (
        f"L&#x27;avviso «{used.title}» ha domande, presentate o in bozza, e fa parte dei loro "
        "atti: non si può eliminare. Per non riceverne altre, anticipa la data di chiusura."
    ) in response.content.decode()
    assert Call.objects.filter(pk=used.pk).exists()
    listing = client.get(reverse("admin:networks_call_changelist")).content.decode()
    assert 'value="delete_selected"' not in listing


def _school_year_pages():
    """Return (url, form id, school-year input names and their expected values) of each page."""
    programme = StudyProgramme.objects.get(code="IPO-MAT")
    offering = OfferingFactory(programme=StudyProgramme.objects.get(code="IT-INF"), first_year=2012)
    institute = OfferingFactory(first_year=2015, last_year=2019).organisation
    return {
        "programme": (
            reverse("admin:networks_studyprogramme_change", args=[programme.pk]),
            "studyprogramme_form",
            {"valid_from": "2010/11", "valid_to": "2017/18"},
        ),
        "new programme": (
            reverse("admin:networks_studyprogramme_add"),
            "studyprogramme_form",
            {"valid_from": "", "valid_to": ""},
        ),
        "offering": (
            reverse("admin:networks_offering_change", args=[offering.pk]),
            "offering_form",
            {"first_year": "2012/13", "last_year": ""},
        ),
        "organisation with offerings": (
            reverse("admin:networks_organisation_change", args=[institute.pk]),
            "organisation_form",
            {"offerings-0-first_year": "2015/16", "offerings-0-last_year": "2019/20"},
        ),
    }


@pytest.mark.parametrize(
    "page", ["programme", "new programme", "offering", "organisation with offerings"]
)
def test_school_years_are_text_inputs_showing_the_school_notation(client, catalogue_admin, page):
    """A number input can neither show 2010/11 (Chromium leaves it empty) nor take the slash."""
    url, form_id, expected = _school_year_pages()[page]
    client.force_login(catalogue_admin)
    _data, inputs = submitted_unchanged(client.get(url), form_id)
    for name, value in expected.items():
        assert inputs[name].get("type") == "text", (name, inputs[name])
        assert inputs[name].get("value", "") == value
        assert inputs[name]["placeholder"] == "AAAA/AA"
        assert inputs[name]["pattern"] == r"\d{4}/\d{2}"


@pytest.mark.parametrize("page", ["programme", "offering", "organisation with offerings"])
def test_an_unchanged_change_form_with_school_years_saves(client, catalogue_admin, page):
    url, form_id, expected = _school_year_pages()[page]
    client.force_login(catalogue_admin)
    data, _inputs = submitted_unchanged(client.get(url), form_id)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    again, _inputs = submitted_unchanged(client.get(url), form_id)
    assert {name: again[name] for name in expected} == {
        name: [value] for name, value in expected.items()
    }


def test_a_school_year_typed_on_the_add_page_is_saved(client, catalogue_admin):
    client.force_login(catalogue_admin)
    url = reverse("admin:networks_studyprogramme_add")
    data, _inputs = submitted_unchanged(client.get(url), "studyprogramme_form")
    data.update(
        {
            "code": ["IT-PRV"],
            "name": ["Indirizzo di prova"],
            "kind": ["tecnico"],
            "valid_from": ["2015/16"],
            "areas": [str(EconomicArea.objects.get(code="meccanica").pk)],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    programme = StudyProgramme.objects.get(code="IT-PRV")
    assert (programme.valid_from, programme.valid_to) == (2015, None)
    data["code"], data["valid_from"] = ["IT-PRW"], ["2015/17"]
    response = client.post(url, data)
    assert "dopo 2015 viene 2015/16" in response.content.decode()


@pytest.mark.parametrize(
    ("code", "name", "message"),
    [
        ("MECCANICA", "Meccanica pesante", "in minuscolo"),
        ("Meccanica-2", "Meccanica pesante", "in minuscolo"),
        ("meccanica_2", "Meccanica pesante", "in minuscolo"),
        ("meccanica2", "Meccanica", "Esiste già un'area con questo nome"),
        ("meccanica2", "MECCANICA", "Esiste già un'area con questo nome"),
    ],
)
def test_an_area_that_could_not_be_told_apart_is_refused(
    client, catalogue_admin, code, name, message
):
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_economicarea_add"),
        {"code": code, "name": name, "active": "on", "position": "8"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert any(message in text for error in errors.values() for text in error[0].messages)
    assert EconomicArea.objects.count() == 7


def test_an_area_cannot_be_renamed_like_another(client, catalogue_admin):
    area = EconomicArea.objects.get(code="cultura")
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_economicarea_change", args=[area.pk]),
        {"name": "turismo", "active": "on", "position": area.position},
    )
    assert response.status_code == 200
    assert "Esiste già un&#x27;area con questo nome" in response.content.decode()


def test_a_distinct_lowercase_area_is_accepted(client, catalogue_admin):
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_economicarea_add"),
        {"code": "meccanica-navale", "name": "Meccanica navale", "active": "on", "position": "8"},
    )
    assert response.status_code == 302
    assert EconomicArea.objects.filter(code="meccanica-navale").exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [("it-inf", "in maiuscolo"), ("IT INF", "in maiuscolo"), ("It-Inf", "in maiuscolo")],
)
def test_a_programme_code_in_another_case_is_refused(client, catalogue_admin, code, message):
    client.force_login(catalogue_admin)
    url = reverse("admin:networks_studyprogramme_add")
    data, _inputs = submitted_unchanged(client.get(url), "studyprogramme_form")
    data.update({"code": [code], "name": ["Informatica"], "kind": ["tecnico"]})
    data["valid_from"] = ["2010/11"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["code"])
    assert not StudyProgramme.objects.filter(code__iexact="IT-INF").exclude(code="IT-INF").exists()


def test_the_programme_add_page_speaks_italian_in_django_s_own_texts(client, catalogue_admin):
    client.force_login(catalogue_admin)
    response = client.get(reverse("admin:networks_studyprogramme_add"))
    content = response.content.decode()
    assert "Select an option" not in content
    assert '<option value="" selected>- Scegli -</option>' in content


def test_the_admin_script_catalogue_is_served_in_italian_under_the_csp(client, catalogue_admin):
    """The areas selector's texts come from jsi18n; a neutral wording avoids "aree scelti"."""
    client.force_login(catalogue_admin)
    page = client.get(reverse("admin:networks_studyprogramme_add"))
    script_src = next(
        part.split()[1:]
        for part in page["Content-Security-Policy"].split(";")
        if part.split()[0] == "script-src"
    )
    assert "'self'" in script_src
    assert f'<script src="{reverse("admin:jsi18n")}"' in page.content.decode()
    response = client.get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    catalogue = json.loads(
        re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S)[1]
    )
    assert catalogue["Chosen %s"] == "%s nella selezione"
    assert catalogue["Available %s"] == "%s disponibili"
    assert catalogue[
        'Choose %s by selecting them and then select the "Choose" arrow button.'
    ].startswith("Seleziona le voci da scegliere")


@pytest.mark.parametrize(
    ("domain", "packages"),
    [
        ("django", ["conf", "contrib/admin"]),
        ("djangojs", ["contrib/admin"]),
    ],
)
def test_every_message_of_django_and_its_admin_has_an_italian_translation(domain, packages):
    """A Django upgrade that adds untranslated messages fails here: add them to locale/it."""
    import django
    from django.utils.translation.trans_real import DjangoTranslation

    root = Path(django.__file__).parent
    localedirs = [root / package / "locale" for package in packages]
    translation = DjangoTranslation(
        "it", domain=domain, localedirs=None if domain == "django" else localedirs
    )
    catalog = translation._catalog
    missing = []
    for localedir in localedirs:
        source = (localedir / "en" / "LC_MESSAGES" / f"{domain}.po").read_text(encoding="utf-8")
        for msgid, plural in _po_messages(source):
            found = catalog.get((msgid, 0) if plural else msgid)
            if not found:
                missing.append(msgid)
    assert missing == []


def _po_messages(source: str) -> list[tuple[str, bool]]:
    """Return each (msgid, has plural) of a .po file, with msgctxt joined as gettext does."""
    messages = []
    for block in source.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not match:
            continue
        msgid = "".join(
            json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', match.group(1))
        )
        if not msgid:
            continue
        context = re.search(r'^msgctxt (".*")', block, re.M)
        if context:
            msgid = f"{json.loads(context[1])}\x04{msgid}"
        messages.append((msgid, "msgid_plural" in block))
    return messages


def test_a_user_in_the_records_cannot_be_deleted_and_the_admin_says_to_deactivate(
    client, applicant, officer
):
    """The protected records are listed, not a permission nobody has."""
    from tests.factories import UserFactory, application_in_review

    application = application_in_review(applicant, officer)
    superuser = UserFactory(username="superutente", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    url = reverse("admin:auth_user_delete", args=[officer.pk])
    for response in (client.get(url), client.post(url, {"post": "yes"})):
        assert response.status_code == 200
        html = response.content.decode()
        assert "oggetti collegati protetti" in html
        assert "permess" not in html  # no permission is what is missing
        assert "togli la spunta ad «Attivo»" in html
        assert str(application) in html
        taken = timezone.localtime(application.events.get(action="take_charge").at)
        assert f"{taken:%d/%m/%Y %H:%M}, Presentata → In istruttoria" in html
    officer.refresh_from_db()  # still there


def test_admin_actions_and_filters_read_as_italian_whatever_the_models_gender(
    client, catalogue_admin
):
    """Django's Italian writes «Cancella offerte formative selezionati» and «Per attiva»."""
    OfferingFactory(programme=StudyProgramme.objects.get(code="IT-MME"), first_year=2015)
    client.force_login(catalogue_admin)
    offerings = client.get(reverse("admin:networks_offering_changelist")).content.decode()
    assert "Cancella la selezione (offerte formative)" in offerings
    assert "offerte formative selezionati" not in offerings
    areas = client.get(reverse("admin:networks_economicarea_changelist")).content.decode()
    assert "Filtra per: attiva" in areas
    assert " Per attiva " not in areas
    organisation = client.get(reverse("admin:networks_organisation_add")).content.decode()
    assert "Aggiungi: Offerta formativa" in organisation
    assert "Aggiungi un altro Offerta" not in organisation
    script = client.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S)[1])
    assert catalogue["%(sel)s of %(cnt)s selected"] == [
        "Selezione: %(sel)s di %(cnt)s",
        "Selezione: %(sel)s di %(cnt)s",
    ]
