"""The applicant's pages: the guided steps, live panel, uploads, import/export and access rules."""

import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from eligibility.adapters import application_queryset_for_evaluation, network_from_application
from networks.constants import ApplicationStatus, DocumentKind
from networks.models import Application, Organisation
from networks.services.applications import DETAIL_FIELDS
from networks.services.workflow import evaluate_application, submission_problems
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    draft_application,
    pdf_upload,
    submitted_application,
)
from tests.helpers import languages_of, page_messages, page_title
from tests.procedure import bring_to

pytestmark = pytest.mark.django_db


def applicant_urls(application, *, member_pk=0, document_pk=0, organisation_pk=0):
    """Every URL of the applicant area that names an application, with its method."""
    pk = application.pk
    return [
        ("get", reverse("application_detail", args=[pk])),
        ("get", reverse("application_edit", args=[pk, "polo"])),
        ("get", reverse("application_edit", args=[pk, "partner"])),
        ("get", reverse("application_edit", args=[pk, "documenti"])),
        ("get", reverse("application_edit", args=[pk, "invio"])),
        ("get", reverse("application_panel", args=[pk])),
        ("post", reverse("member_add", args=[pk])),
        ("post", reverse("member_update", args=[pk, member_pk])),
        ("post", reverse("member_remove", args=[pk, member_pk])),
        ("post", reverse("organisation_register", args=[pk])),
        ("post", reverse("offering_add", args=[pk, organisation_pk])),
        ("post", reverse("offering_remove", args=[pk, organisation_pk, 1])),
        ("post", reverse("document_upload", args=[pk])),
        ("get", reverse("document_download", args=[pk, document_pk])),
        ("get", reverse("receipt_download", args=[pk, 1])),
        ("get", reverse("version_diff", args=[pk, 2])),
        ("get", reverse("applicant_decree_download", args=[pk, 1])),
        ("get", reverse("network_export", args=[pk])),
        ("post", reverse("network_import", args=[pk])),
        ("post", reverse("application_submit", args=[pk])),
        ("post", reverse("application_withdraw", args=[pk])),
        ("post", reverse("application_observations", args=[pk])),
    ]


@pytest.mark.parametrize("intruder", ["other_applicant", "officer", "manager"])
def test_someone_elses_application_is_404_on_every_applicant_url(
    client, request, applicant, intruder
):
    application = draft_application(applicant)
    member = application.members.first()
    document = application.documents.first()
    client.force_login(request.getfixturevalue(intruder))
    for method, url in applicant_urls(
        application,
        member_pk=member.pk,
        document_pk=document.pk,
        organisation_pk=member.organisation_id,
    ):
        response = getattr(client, method)(
            url, {"text": "x", "organisation": member.organisation_id}
        )
        assert response.status_code == 404, (method, url, response.status_code)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.members.count() == 6


def test_anonymous_users_are_sent_to_login(client, applicant):
    application = draft_application(applicant)
    for method, url in applicant_urls(application):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_start_a_draft_on_an_open_call(client, applicant):
    organisation = OrganisationFactory()
    organisation.representatives.add(applicant)
    call = CallFactory()
    client.force_login(applicant)
    response = client.post(
        reverse("application_new"),
        {"call": call.pk, "organisation": organisation.pk, "name": "Polo Nuovo"},
    )
    application = Application.objects.get(name="Polo Nuovo")
    assert response["Location"] == reverse("application_edit", args=[application.pk, "polo"])
    assert application.members.get().is_lead


def test_no_open_call_means_no_new_application(client, applicant):
    OrganisationFactory().representatives.add(applicant)
    CallFactory(closed=True)
    upcoming = CallFactory(future=True, title="Avviso 2027")
    client.force_login(applicant)
    content = client.get(reverse("application_new")).content.decode()
    assert "Non ci sono avvisi aperti" in content
    assert (
        f"«Avviso 2027», aperto dal {upcoming.opens_at.astimezone(ZoneInfo('Europe/Rome')):%d/%m/%Y %H:%M}"
        in content
    )


def test_details_step_saves_and_a_second_tab_is_refused_keeping_its_input(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    url = reverse("application_edit", args=[application.pk, "polo"])
    form = {
        "name": "Polo dalla prima scheda",
        "area": application.area_id,
        "contact_name": "Mario Rossi",
        "contact_email": "referente@example.org",
        "revision": application.revision,
    }
    assert client.post(url, form).status_code == 302
    second = {
        **form,
        "name": "Polo dalla seconda scheda",
        "objectives": "Obiettivi scritti nella seconda scheda",
    }
    response = client.post(url, second)
    content = response.content.decode()
    assert response.status_code == 200
    assert "modificata (forse in un&#x27;altra scheda" in content
    assert "Obiettivi scritti nella seconda scheda" in content
    application.refresh_from_db()
    assert application.name == "Polo dalla prima scheda"


def test_details_errors_are_in_italian_and_keep_the_input(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("application_edit", args=[application.pk, "polo"]),
        {
            "name": "Polo",
            "area": "",
            "contact_email": "non-una-email",
            "objectives": "da tenere",
            "revision": application.revision,
        },
    )
    content = response.content.decode()
    assert "Inserisci un indirizzo email valido" in content
    assert "da tenere" in content


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("abcabcabc-not-a-phone", None),
        ("12345", None),
        ("+39 02 1234 5678", "+39 02 1234 5678"),
        ("  0187/123456 ", "0187/123456"),
        ("(02) 1234-5678", "(02) 1234-5678"),
    ],
)
def test_the_referentes_phone_must_be_a_phone_number(client, applicant, typed, saved):
    application = draft_application(applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("application_edit", args=[application.pk, "polo"]),
        {
            "name": "Polo",
            "area": application.area_id,
            "contact_name": "Mario Rossi",
            "contact_email": "referente@example.org",
            "contact_phone": typed,
            "objectives": "da tenere",
            "revision": application.revision,
        },
    )
    application.refresh_from_db()
    if saved is None:
        content = response.content.decode()
        assert "Scrivi un numero di telefono" in content
        assert "da tenere" in content
        assert application.contact_phone != typed
    else:
        assert response.status_code == 302
        assert application.contact_phone == saved


def test_an_organisation_identifier_may_be_typed_with_spaces_and_prefix(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    response = register_company(client, application, "Officina Spaziata S.r.l.", "IT 0039 7130 584")
    assert response.status_code == 302
    assert application.members.filter(organisation__vat_number="00397130584").exists()


def test_panel_shows_every_rule_with_citation_and_previews_another_area(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    content = client.get(reverse("application_panel", args=[application.pk])).content.decode()
    for code in ("PTP-AREA", "PTP-INSTITUTES", "PTP-COMPANIES", "PTP-OFFER-3Y", "PTP-MEMBER-TYPES"):
        assert code in content
    assert "DGR X/124/2013" in content
    from networks.models import EconomicArea

    turismo = EconomicArea.objects.get(code="turismo")
    preview = client.get(
        reverse("application_panel", args=[application.pk]), {"area": turismo.pk}
    ).content.decode()
    assert 'data-verdict="not_eligible"' in preview
    application.refresh_from_db()
    assert application.area.code == "meccanica"


def test_a_refused_polo_form_shows_the_panel_of_the_area_it_shows(client, applicant):
    """The select comes back with the area chosen and not saved: the panel is that area's, the
    preview its script fetches, not the saved area's."""
    from networks.models import EconomicArea

    application = draft_application(applicant)
    turismo = EconomicArea.objects.get(code="turismo")
    client.force_login(applicant)
    panel = reverse("application_panel", args=[application.pk])
    saved = client.get(panel).content.decode()
    preview = client.get(panel, {"area": turismo.pk}).content.decode()
    assert preview != saved
    data = {field: getattr(application, field) or "" for field in DETAIL_FIELDS}
    data |= {"name": "", "area": turismo.pk, "revision": application.revision}
    response = client.post(reverse("application_edit", args=[application.pk, "polo"]), data)
    content = response.content.decode()
    assert f'<option value="{turismo.pk}" selected>' in content
    assert preview in content
    assert saved not in content
    application.refresh_from_db()
    assert application.area.code == "meccanica"


def test_adding_partners_turns_the_panel_from_red_to_green(client, applicant):
    from tests.factories import qualifying_members

    organisations = qualifying_members()
    lead = organisations[0]
    lead.representatives.add(applicant)
    client.force_login(applicant)
    client.post(
        reverse("application_new"),
        {"call": CallFactory().pk, "organisation": lead.pk, "name": "Polo"},
    )
    application = Application.objects.get(name="Polo")
    application.area_id = organisations[0].offerings.first().programme.areas.first().pk
    application.save()
    panel = reverse("application_panel", args=[application.pk])
    assert 'data-verdict="not_eligible"' in client.get(panel).content.decode()
    for organisation in organisations[1:]:
        client.post(reverse("member_add", args=[application.pk]), {"organisation": organisation.pk})
    content = client.get(panel).content.decode()
    assert 'data-rule="PTP-INSTITUTES" data-status="pass"' in content
    assert 'data-rule="PTP-COMPANY-COMMITMENT" data-status="fail"' in content
    for member in application.members.filter(organisation__kind="company"):
        client.post(
            reverse("document_upload", args=[application.pk]),
            {"kind": "commitment", "member": member.pk, "file": pdf_upload("impegno.pdf")},
        )
    content = client.get(panel).content.decode()
    assert 'data-verdict="eligible' in content


def register_company(client, application, name: str, vat_number: str):
    """Register a company of the meccanica area from the partner step, as the form posts it."""
    return client.post(
        reverse("organisation_register", args=[application.pk]),
        {
            "kind": "company",
            "name": name,
            "vat_number": vat_number,
            "ateco_codes": "28.13",
            "ateco_edition": "2025",
            "chamber_registered": "on",
        },
    )


def test_registering_a_bad_organisation_keeps_the_form_and_names_the_field(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    response = register_company(client, application, "Officina Nuova", "00397130585")
    content = response.content.decode()
    assert response.status_code == 400
    assert "cifra di controllo" in content
    assert "Officina Nuova" in content


def test_a_refused_registration_comes_back_scrolled_to_its_form_with_an_alert(client, applicant):
    """The form sits at the foot of a long page: the posted action carries the section's fragment,
    so the browser scrolls to it, and an alert announces that fields need fixing."""
    application = draft_application(applicant)
    client.force_login(applicant)
    page = client.get(reverse("application_edit", args=[application.pk, "partner"]))
    action = reverse("organisation_register", args=[application.pk]) + "#nuova-organizzazione"
    assert f'action="{action}"' in page.content.decode()
    assert 'id="nuova-organizzazione"' in page.content.decode()
    response = register_company(client, application, "Officina Nuova", "00397130585")
    content = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert">Correggi i campi segnalati e riprova.</div>' in content
    assert f'action="{action}"' in content


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil.example/","clic")', " +39 Officina", "@Officina"]
)
def test_a_name_a_spreadsheet_would_run_as_a_formula_is_refused(client, applicant, name):
    """The open data publish names as typed: a cell starting with = + - @ is a formula."""
    application = draft_application(applicant)
    client.force_login(applicant)
    response = register_company(client, application, name, "01114601006")
    assert response.status_code == 400
    assert "Il nome non può iniziare con" in response.content.decode()
    assert not Organisation.objects.filter(name=name).exists()
    data = {field: getattr(application, field) or "" for field in DETAIL_FIELDS}
    data |= {"name": name, "area": application.area_id, "revision": application.revision}
    response = client.post(reverse("application_edit", args=[application.pk, "polo"]), data)
    assert "Il nome non può iniziare con" in response.content.decode()
    application.refresh_from_db()
    assert application.name != name


def test_registering_an_organisation_already_in_the_registry_says_how_to_find_it(client, applicant):
    application = draft_application(applicant)
    company = application.members.filter(organisation__kind="company").first().organisation
    client.force_login(applicant)
    response = register_company(client, application, "Doppione S.r.l.", company.vat_number)
    content = response.content.decode()
    assert response.status_code == 400
    assert (
        f"La partita IVA {company.vat_number} è già nell&#x27;anagrafe, di «{escape(company.name)}» "
        "(Impresa): cercala per partita IVA e usa quella." in content
    )
    assert "Indica la partita IVA" not in content
    assert "vincolo" not in content
    assert "Doppione S.r.l." in content


def test_a_copy_of_an_accredited_body_or_an_its_in_the_registry_is_refused(client, applicant):
    """A second record would escape the lock on the first and count twice in a network.

    An accredited body is the same by its accreditation id (whatever its case), an ITS
    by its name (whatever its case and accents), as an import looks them up.
    """
    OrganisationFactory(
        kind="accredited_body", name="Cisita Formazione", accreditation_id="LOM-0001",
        section_a=True, province="MI",
    )  # fmt: skip
    OrganisationFactory(kind="its", name="Fondazione ITS Cantù", province="CO")
    application = draft_application(applicant)
    client.force_login(applicant)
    url = reverse("organisation_register", args=[application.pk])
    before = Organisation.objects.count()
    response = client.post(
        url,
        {"kind": "accredited_body", "name": "Cisita Formazione Superiore",
         "accreditation_id": "lom-0001", "section_a": "on", "province": "MI"},
    )  # fmt: skip
    assert response.status_code == 400
    assert (
        "L&#x27;identificativo di accreditamento lom-0001 è già nell&#x27;anagrafe, di "
        "«Cisita Formazione»" in response.content.decode()
    )
    assert "Cisita Formazione Superiore" in response.content.decode()
    response = client.post(url, {"kind": "its", "name": "fondazione its cantu", "province": "CO"})
    assert response.status_code == 400
    assert "«Fondazione ITS Cantù» (ITS Academy) è già nell" in response.content.decode()
    assert Organisation.objects.count() == before
    # Another kind may bear the name: a research centre named as the ITS is another body.
    response = client.post(
        url,
        {"kind": "research_centre", "name": "Fondazione ITS Cantù", "province": "CO",
         "ateco_edition": "2025"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Organisation.objects.count() == before + 1


def test_the_partner_search_finds_an_accreditation_id_and_the_start_of_a_school_code(
    client, applicant
):
    application = draft_application(applicant, eligible=False, documents=False)
    body = OrganisationFactory(
        kind="accredited_body", name="Ente Alfa", accreditation_id="LOM-0042", section_a=True
    )
    school = OrganisationFactory(kind="institute", name="Istituto Beta", school_code="CORI00200X")
    client.force_login(applicant)
    url = reverse("application_edit", args=[application.pk, "partner"])
    for typed, found in [
        ("lom-0042", body), ("CORI002", school), ("cori 002", school), ("istituto   beta", school),
    ]:  # fmt: skip
        results = client.get(url, {"q": typed}).context["results"]
        assert found.pk in [organisation.pk for organisation in results], typed


def test_an_its_with_a_partita_iva_already_held_names_the_holder_not_a_company(client, applicant):
    """An ITS may carry a partita IVA too: the message names who holds it, whatever the kind."""
    application = draft_application(applicant)
    its = Organisation.objects.create(
        kind="its", name="Fondazione ITS Meccatronica", vat_number="01114601006"
    )
    client.force_login(applicant)
    response = client.post(
        reverse("organisation_register", args=[application.pk]),
        {"kind": "its", "name": "Fondazione ITS Doppia", "vat_number": "IT 0111 4601 006"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "di «Fondazione ITS Meccatronica» (ITS Academy)" in content
    assert "Un&#x27;impresa" not in content
    assert "Fondazione ITS Doppia" in content
    assert Organisation.objects.filter(vat_number=its.vat_number).count() == 1


def test_an_institute_whose_code_is_already_registered_names_the_holder(client, applicant):
    application = draft_application(applicant)
    school = application.members.filter(organisation__kind="institute").first().organisation
    client.force_login(applicant)
    response = client.post(
        reverse("organisation_register", args=[application.pk]),
        {
            "kind": "institute",
            "name": "Istituto Doppione",
            "school_code": school.school_code.lower(),
            "school_status": "statale",
        },
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert (
        f"Il codice meccanografico {school.school_code} è già nell&#x27;anagrafe, "
        f"di «{escape(school.name)}»" in content
    )
    assert "Istituto Doppione" in content


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        (b"", "Il file è vuoto: scegli il PDF da caricare."),
        (b"GIF89a finto", "non è un PDF"),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_else_changes(client, applicant, content, refusal):
    application = draft_application(applicant, documents=False)
    client.force_login(applicant)
    response = client.post(
        reverse("document_upload", args=[application.pk]),
        {"kind": "network_agreement", "file": pdf_upload("accordo.pdf", content)},
        follow=True,
    )
    assert refusal in response.content.decode()
    assert not application.documents.exists()
    assert application.members.count() == 6


@pytest.mark.parametrize("content", [None, b"solo testo", b"%PDF-1.7 rotto"])
def test_a_refused_commitment_names_its_company_and_is_tied_to_its_input(
    client, applicant, content
):
    """Not a message at the top that names no upload: the step again, the refusal naming the
    company and linking to its input, which carries it (WCAG 3.3.1, 1.3.1)."""
    application = draft_application(applicant, documents=False)
    member = application.members.filter(organisation__kind="company").first()
    client.force_login(applicant)
    data = {"kind": "commitment", "member": member.pk}
    if content is not None:
        data["file"] = pdf_upload("impegno.txt", content)
    response = client.post(reverse("document_upload", args=[application.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(
        rf'<div class="alert alert-danger" role="alert"><a href="#impegno-{member.pk}">'
        rf"Dichiarazione di impegno di {re.escape(escape(member.organisation.name))}: (.+?)</a>",
        page,
    )
    assert summary
    problem = summary[1]
    assert (
        f'id="impegno-{member.pk}" accept="application/pdf" required aria-invalid="true" '
        f'aria-describedby="impegno-{member.pk}-errore">' in page
    )
    assert f'<div class="invalid-feedback" id="impegno-{member.pk}-errore">{problem}</div>' in page
    assert page.count('aria-invalid="true"') == 1
    assert not application.documents.exists()


def test_a_refused_agreement_is_named_and_its_error_is_under_its_field(client, applicant):
    application = draft_application(applicant, documents=False)
    client.force_login(applicant)
    response = client.post(
        reverse("document_upload", args=[application.pk]),
        {"kind": "network_agreement", "file": pdf_upload("accordo.pdf", b"GIF89a finto")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_file">Accordo di rete: «accordo.pdf» non è un PDF' in page
    field = page[page.index('id="div_id_file"') : page.index("Carica l'accordo di rete")]
    assert 'aria-invalid="true" aria-describedby="id_file_helptext id_file_error"' in field
    assert "«accordo.pdf» non è un PDF" in field[field.index('<div id="id_file_error"') :]


def test_an_upload_refused_on_a_submitted_application_goes_to_its_page_not_the_wizard(
    client, applicant
):
    """A tab left open after submitting: the wizard is not shown for what can no longer change."""
    application = submitted_application(applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("document_upload", args=[application.pk]),
        {"kind": "network_agreement", "file": pdf_upload("accordo.pdf")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("application_detail", args=[application.pk])
    [message] = page_messages(client.get(response["Location"]))
    assert message.startswith("Accordo di rete: ")


def test_an_integration_refused_outside_integrations_links_to_no_missing_input(client, applicant):
    application = draft_application(applicant, documents=False)
    client.force_login(applicant)
    response = client.post(
        reverse("document_upload", args=[application.pk]),
        {"kind": "integration", "file": pdf_upload("integrazione.pdf")},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page_messages(page)[0].startswith("Documento integrativo: ")
    assert 'href="#integrazione-file"' not in page.content.decode()


def test_documents_download_with_a_safe_name_only_to_the_applicant(client, applicant):
    application = draft_application(applicant)
    document = application.documents.first()
    client.force_login(applicant)
    response = client.get(reverse("document_download", args=[application.pk, document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    export = client.get(reverse("network_export", args=[application.pk]))
    assert "no-store" in export["Cache-Control"]


def test_submit_through_the_page_and_download_the_receipt(
    client, applicant, django_capture_on_commit_callbacks
):
    application = draft_application(applicant)
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("application_submit", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert application.protocol_number in response.content.decode()
    receipt = client.get(reverse("receipt_download", args=[application.pk, 1]))
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")
    assert "no-store" in receipt["Cache-Control"]
    dashboard = client.get(reverse("application_list")).content.decode()
    assert application.protocol_number in dashboard
    assert "Presentata" in dashboard


@pytest.mark.parametrize("status", ["draft", "integration_requested"])
def test_sending_again_from_a_second_tab_says_it_was_already_sent(
    client, applicant, officer, manager, status
):
    """The same form sent twice makes one version and says so, not that it cannot be filed."""
    application = bring_to(status, applicant=applicant, officer=officer, manager=manager)
    client.force_login(applicant)
    url = reverse("application_submit", args=[application.pk])
    client.post(url, {"text": "Prima scheda."}, follow=True)
    application.refresh_from_db()
    response = client.post(url, {"text": "Seconda scheda."}, follow=True)
    assert response.redirect_chain == [(reverse("application_detail", args=[application.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"La domanda è già stata inviata ed è nello stato «{application.get_status_display()}»: "
        "non è stato inviato nulla di nuovo."
    ]
    assert application.versions.count() == (1 if status == "draft" else 2)


def test_blocked_submission_lists_what_to_fix(client, applicant):
    application = draft_application(applicant, documents=False)
    client.force_login(applicant)
    response = client.post(reverse("application_submit", args=[application.pk]), follow=True)
    content = response.content.decode()
    assert "Carica l&#x27;accordo di rete" in content
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_a_refused_submission_is_one_alert_listing_the_rules_marked_italian(client, applicant):
    """One alert holds the heading and the list, not one alert each (WCAG 1.3.1), and the
    rules' texts in it are Italian on an English page too (WCAG 3.1.2)."""
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    with translation.override(translation.get_language()):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(reverse("application_submit", args=[application.pk]), follow=True)
    content = response.content.decode()
    assert content.count('role="alert"') == 1
    alert = content[
        content.index('role="alert"') : content.index("</div>", content.index('role="alert"'))
    ]
    problems = response.context["problems"]
    rules = [problem for problem in problems if problem.startswith("PTP-")]
    assert rules
    for problem in problems:
        assert f">{escape(problem)}</li>" in alert, problem
    for problem in rules:
        assert set(languages_of(response, str(problem))) == {"it"}, problem


def test_export_import_round_trip_loses_nothing(client, applicant):
    source = draft_application(applicant)
    client.force_login(applicant)
    exported = client.get(reverse("network_export", args=[source.pk])).json()
    target = draft_application(applicant, eligible=False, documents=False)
    upload = pdf_upload("rete.json", json.dumps(exported).encode())
    response = client.post(reverse("network_import", args=[target.pk]), {"file": upload})
    assert response.status_code == 302
    # Its own fragment: the form's #importa-rete would carry over to the page of the members.
    assert response["Location"].endswith("/partner/#membri")
    target = application_queryset_for_evaluation(Application.objects.all()).get(pk=target.pk)
    again = network_from_application(target)
    original_keys = {member["key"] for member in exported["members"]}
    assert {member["key"] for member in again["members"]} >= original_keys
    imported = [member for member in again["members"] if member["key"] in original_keys]
    # Everything but the commitments, which want their declarations uploaded to this draft.
    expected = [
        member | {"commitment_signed": False} if member["kind"] == "company" else member
        for member in exported["members"]
    ]
    assert sorted(imported, key=lambda m: m["key"]) == sorted(expected, key=lambda m: m["key"])
    assert (again["name"], again["area"], again["lead_partner"]) == (
        exported["name"],
        exported["area"],
        exported["lead_partner"],
    )


def test_an_import_says_which_of_name_area_and_contact_it_changed(client, applicant):
    source = draft_application(applicant)
    client.force_login(applicant)
    exported = client.get(reverse("network_export", args=[source.pk])).json()
    exported["name"] = "Polo Meccatronica Bresciano"
    exported["contact"] = {"name": "Anna Bianchi", "email": "anna.bianchi@example.org"}
    target = draft_application(applicant, documents=False)
    upload = pdf_upload("rete.json", json.dumps(exported).encode())
    response = client.post(
        reverse("network_import", args=[target.pk]), {"file": upload}, follow=True
    )
    assert page_messages(response)[1] == (
        "Dal file sono cambiati anche: denominazione «Polo Meccatronica Lombardo» → «Polo "
        "Meccatronica Bresciano»; referente «Mario Rossi – referente@example.org» → «Anna "
        "Bianchi – anna.bianchi@example.org»."
    )
    same = client.get(reverse("network_export", args=[target.pk])).json()
    response = client.post(
        reverse("network_import", args=[target.pk]),
        {"file": pdf_upload("rete.json", json.dumps(same).encode())},
        follow=True,
    )
    assert not any("sono cambiati anche" in text for text in page_messages(response))


def test_import_keeps_documents_of_members_that_stay_and_retires_the_others(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    exported = client.get(reverse("network_export", args=[application.pk])).json()
    companies = [m for m in exported["members"] if m["kind"] == "company"]
    leaving = companies[0]
    exported["members"] = [m for m in exported["members"] if m is not leaving]
    commitments_before = {
        document.member.organisation.vat_number: document.pk
        for document in application.documents.filter(kind=DocumentKind.COMMITMENT, current=True)
    }
    assert len(commitments_before) == len(companies)
    response = client.post(
        reverse("network_import", args=[application.pk]),
        {"file": pdf_upload("rete.json", json.dumps(exported).encode())},
    )
    assert response.status_code == 302
    current = {
        document.pk: document
        for document in application.documents.filter(kind=DocumentKind.COMMITMENT, current=True)
    }
    assert commitments_before.pop(leaving["vat_number"]) not in current
    assert set(current) == set(commitments_before.values())
    for document in current.values():
        assert document.member.application_id == application.pk
        assert document.member.commitment_signed
    assert application.documents.filter(kind=DocumentKind.NETWORK_AGREEMENT, current=True).exists()
    verdict = evaluate_application(application)
    assert not [p for p in submission_problems(application, verdict) if "impegno" in p]


def test_a_bad_import_lists_errors_with_paths_and_keeps_the_network(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    bad = {
        "format": "ptp-network/1",
        "name": "X",
        "area": "meccanica",
        "members": [
            {"key": "a", "kind": "company", "name": "A", "vat_number": "1", "ateco": ["28.13"]}
        ],
    }
    response = client.post(
        reverse("network_import", args=[application.pk]),
        {"file": pdf_upload("rete.json", json.dumps(bad).encode())},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "members[0].vat_number" in content
    assert application.members.count() == 6
    response = client.post(
        reverse("network_import", args=[application.pk]),
        {"file": pdf_upload("rete.json", b"{non json")},
    )
    assert "JSON non valido alla riga 1" in response.content.decode()
    response = client.post(
        reverse("network_import", args=[application.pk]),
        {"file": pdf_upload("rete.json", b'{"name": ' + b"9" * 5001 + b"}")},
    )
    assert response.status_code == 400
    assert "un numero con troppe cifre" in response.content.decode()
    assert application.members.count() == 6


def test_submitted_applications_are_not_editable_from_the_steps(client, applicant):
    application = submitted_application(applicant)
    client.force_login(applicant)
    response = client.get(reverse("application_edit", args=[application.pk, "partner"]))
    assert response.status_code == 302
    response = client.post(
        reverse("member_remove", args=[application.pk, application.members.last().pk]), follow=True
    )
    assert "non si può modificare" in response.content.decode()
    assert application.members.count() == 6


def test_dashboard_query_count_does_not_grow_with_applications(
    client, applicant, django_assert_max_num_queries
):
    for _ in range(2):
        submitted_application(applicant)
    client.force_login(applicant)
    with django_assert_max_num_queries(12):
        client.get(reverse("application_list"))
    for _ in range(3):
        submitted_application(applicant)
    with django_assert_max_num_queries(12):
        client.get(reverse("application_list"))


def test_a_too_long_note_to_the_officer_stops_the_resubmission_and_keeps_the_text(
    client, applicant, officer, manager
):
    """Nothing is sent; the page says what to fix and the note comes back as typed."""
    application = bring_to(
        ApplicationStatus.INTEGRATION_REQUESTED,
        applicant=applicant,
        officer=officer,
        manager=manager,
    )
    client.force_login(applicant)
    note = "Aggiunto il Politecnico. " + "x" * 10_001
    response = client.post(reverse("application_submit", args=[application.pk]), {"text": note})
    assert response.status_code == 400
    assert "10000" in response.content.decode().replace(".", "")
    assert "non contenga più di" in response.content.decode()
    assert note in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTEGRATION_REQUESTED
    assert Application.objects.get(pk=application.pk).versions.count() == 1


def test_a_refused_withdrawal_shows_the_page_again_with_the_reason_as_typed(client, applicant):
    application = submitted_application(applicant)
    client.force_login(applicant)
    reason = "La rete si è sciolta. " * 500  # over the 10,000 characters a reason may take
    response = client.post(reverse("application_withdraw", args=[application.pk]), {"text": reason})
    html = response.content.decode()
    assert response.status_code == 400
    assert "non contenga più di 10000 caratteri" in html
    assert reason.strip() in html
    assert '<details class="mt-4" open>' in html
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    empty = client.post(reverse("application_withdraw", args=[application.pk]), {"text": " "})
    assert "Per ritirare la domanda scrivi il motivo." in empty.content.decode()


def test_the_list_shows_a_decided_procedure_as_concluded_not_its_old_deadline(
    client, applicant, officer, manager
):
    approved = bring_to(
        ApplicationStatus.APPROVED, applicant=applicant, officer=officer, manager=manager
    )
    running = submitted_application(applicant)
    client.force_login(applicant)
    html = client.get(reverse("application_list")).content.decode()
    rows = {
        protocol: html[html.index(protocol) :].split("</tr>", 1)[0]
        for protocol in (approved.protocol_number, running.protocol_number)
    }
    assert "procedimento concluso" in rows[approved.protocol_number]
    assert "procedimento concluso" not in rows[running.protocol_number]


@pytest.mark.parametrize("revision", [None, "abc"])
def test_a_polo_form_without_its_revision_says_so_and_keeps_the_input(client, applicant, revision):
    application = draft_application(applicant)
    client.force_login(applicant)
    data = {field: getattr(application, field) or "" for field in DETAIL_FIELDS}
    data |= {"name": "Polo rinominato", "area": application.area_id}
    if revision is not None:
        data["revision"] = revision
    response = client.post(reverse("application_edit", args=[application.pk, "polo"]), data)
    content = response.content.decode()
    assert "Il modulo è arrivato incompleto e non è stato salvato" in content
    assert 'value="Polo rinominato"' in content
    application.refresh_from_db()
    assert application.name != "Polo rinominato"


def test_the_partner_step_searches_only_when_asked(client, applicant):
    """A stray query parameter is no search: no "required" error on arrival."""
    application = draft_application(applicant)
    client.force_login(applicant)
    url = reverse("application_edit", args=[application.pk, "partner"])
    page = client.get(url, {"q[]": "x", "utm_source": "mail"}).content.decode()
    assert "Questo campo è obbligatorio" not in page
    searched = client.get(url, {"q": "Officine"})
    assert searched.context["results"] is not None


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Cantiere Navale", '<ul class="list-group mb-3" aria-label="Risultati della ricerca">'),
        ("Nessuna organizzazione così", "Nessuna organizzazione trovata: registrala qui sotto."),
        ("x", '<a href="#id_q">Correggi il testo da cercare: la ricerca non è partita.</a>'),
    ],
)
def test_the_partner_search_lands_on_its_results_found_or_not(client, applicant, typed, shown):
    """The results sit after every member's card: the search's address carries their fragment,
    and its heading is there whether something was found, nothing, or the text was refused."""
    application = draft_application(applicant)
    OrganisationFactory(name="Cantiere Navale del Lario")
    client.force_login(applicant)
    url = reverse("application_edit", args=[application.pk, "partner"])
    blank = client.get(url).content.decode()
    assert f'action="{url}#risultati" class="row g-2 align-items-end" role="search"' in blank
    assert 'id="risultati"' not in blank
    searched = client.get(url, {"q": typed}).content.decode()
    assert searched.count('id="risultati"') == 1
    results = searched[
        searched.index('id="risultati"') : searched.index('id="nuova-organizzazione"')
    ]
    assert shown in results


@pytest.mark.parametrize("action", ["member_add", "member_update", "member_remove"])
def test_a_members_change_is_confirmed_where_the_page_lands(client, applicant, action):
    """The redirect lands on #membri: the confirmation is there, not at the top out of view."""
    application = draft_application(applicant)
    member = application.members.exclude(is_lead=True).first()
    name = OrganisationFactory().name if action == "member_add" else member.organisation.name
    client.force_login(applicant)
    if action == "member_add":
        url = reverse(action, args=[application.pk])
        data = {"organisation": Organisation.objects.get(name=name).pk}
    else:
        url = reverse(action, args=[application.pk, member.pk])
        data = {f"m{member.pk}-role": "Partner tecnico"}
    response = client.post(url, data)
    assert response.url.endswith("/partner/#membri")
    page = client.get(response.url).content.decode()
    landing = page.index('id="membri"')
    message = page.index('<div class="alert alert-success" role="status">')
    assert landing < message < page.index('id="org-')
    assert escape(name) in page[message : page.index("</div>", message)]


def test_the_partner_search_finds_a_name_whatever_its_accents_case_and_apostrophes(
    client, applicant
):
    application = draft_application(applicant, eligible=False, documents=False)
    found = OrganisationFactory(name="Officina Meccanica dell’Artigianato di Cantù")
    OrganisationFactory(name="Officina Meccanica di Como")
    client.force_login(applicant)
    url = reverse("application_edit", args=[application.pk, "partner"])
    for typed in ("cantu", "DELL'ARTIGIANATO", "Cantú"):
        results = client.get(url, {"q": typed}).context["results"]
        assert [organisation.pk for organisation in results] == [found.pk]


def test_a_search_result_already_in_the_network_says_so_instead_of_offering_to_add_it(
    client, applicant
):
    application = draft_application(applicant, eligible=False, documents=False)
    own = application.applicant_organisation
    other = OrganisationFactory(name=f"{own.name} bis")
    client.force_login(applicant)
    url = reverse("application_edit", args=[application.pk, "partner"])
    page = client.get(url, {"q": own.name}).content.decode()
    results = page[page.index('aria-label="Risultati della ricerca"') :]
    results = results[: results.index("</ul>")]
    own_row = results[results.index(own.name) :]
    own_row = own_row[: own_row.index("</li>")]
    assert "già nella rete" in own_row
    assert 'name="organisation"' not in own_row
    other_row = results[results.index(other.name) :]
    assert f'value="{other.pk}"' in other_row[: other_row.index("</li>")]


def test_a_name_that_ends_with_a_full_stop_gets_no_second_one(client, applicant):
    application = draft_application(applicant)
    member = application.members.exclude(is_lead=True).first()
    member.organisation.name = "Officine Meccaniche S.r.l."
    member.organisation.save()
    client.force_login(applicant)
    response = client.post(
        reverse("member_update", args=[application.pk, member.pk]),
        {f"m{member.pk}-role": "partner tecnico"},
        follow=True,
    )
    assert "Membro aggiornato: Officine Meccaniche S.r.l." in page_messages(response)


def test_a_refused_offering_says_why_in_one_plain_sentence(client, applicant):
    from networks.models import StudyProgramme

    application = draft_application(applicant)
    school = application.applicant_organisation
    client.force_login(applicant)
    response = client.post(
        reverse("offering_add", args=[application.pk, school.pk]),
        {
            f"o{school.pk}-programme": StudyProgramme.objects.get(code="IT-MME").pk,
            f"o{school.pk}-first_year": "2024/25",
            f"o{school.pk}-last_year": "2020/21",
        },
    )
    [message] = page_messages(response)
    assert message.startswith(f"Offerta di {school.name} non salvata. Al (anno scolastico): ")


def test_removing_an_offering_twice_says_it_was_already_removed(client, applicant):
    """A double click or the back button lands on the partner step, not on a bare 404."""
    application = draft_application(applicant)
    school = application.applicant_organisation
    offering = school.offerings.first()
    url = reverse("offering_remove", args=[application.pk, school.pk, offering.pk])
    client.force_login(applicant)
    first = client.post(url, follow=True)
    assert "Offerta formativa tolta." in page_messages(first)
    second = client.post(url)
    assert second.status_code == 302
    assert second.url.endswith(f"/partner/#org-{school.pk}")
    assert page_messages(client.get(second.url)) == ["L'offerta formativa era già stata tolta."]
    assert not school.offerings.filter(pk=offering.pk).exists()


def test_a_member_role_that_opens_a_formula_is_refused(client, applicant):
    application = draft_application(applicant)
    member = application.members.exclude(is_lead=True).first()
    client.force_login(applicant)
    response = client.post(
        reverse("member_update", args=[application.pk, member.pk]),
        {f"m{member.pk}-role": "=HYPERLINK(1)"},
        follow=True,
    )
    assert "aprono una formula nei fogli di calcolo" in response.content.decode()
    member.refresh_from_db()
    assert member.role != "=HYPERLINK(1)"


def test_a_refused_role_names_the_member_and_comes_back_on_its_card(client, applicant):
    """Every card has the same fields: the message names the member and the page lands on its
    card (the form's fragment), the error tied to the field (WCAG 3.3.1)."""
    application = draft_application(applicant)
    member = application.members.exclude(is_lead=True).first()
    client.force_login(applicant)
    url = reverse("member_update", args=[application.pk, member.pk])
    response = client.post(url, {f"m{member.pk}-role": "=SUM(A1)"})
    assert response.status_code == 400
    [message] = page_messages(response)
    assert message.startswith(f"{member.organisation.name}: ruolo nella rete non aggiornato. ")
    assert "aprono una formula nei fogli di calcolo" in message
    content = response.content.decode()
    assert f'action="{url}#org-{member.organisation_id}"' in content
    card = content[content.index(f'id="org-{member.organisation_id}"') :].split("</form>", 1)[0]
    assert (
        f'aria-invalid="true" aria-describedby="id_m{member.pk}-role_error" id="id_m{member.pk}-role"'
        in card
    )


def test_each_members_fields_are_named_after_the_member(client, applicant):
    """Fifteen cards with «Ruolo nella rete» and «Capofila» each: every label names its
    organisation, hidden from sight, so that no two fields have the same name (WCAG 2.4.6)."""
    application = draft_application(applicant)
    client.force_login(applicant)
    content = client.get(reverse("application_edit", args=[application.pk, "partner"])).content
    labels = {
        (field, member): " ".join(re.sub(r"<[^>]+>", "", text).split())
        for member, field, text in re.findall(
            r'<label\s+for="id_m(\d+)-(role|is_lead)"[^>]*>(.*?)</label>', content.decode(), re.S
        )
    }
    members = list(application.members.all())
    assert len(labels) == 2 * len(members)
    for member in members:
        name = escape(member.organisation.name)
        assert labels["role", str(member.pk)] == f"Ruolo nella rete – {name}"
        assert labels["is_lead", str(member.pk)] == f"Capofila – {name}"


def test_the_polo_texts_stop_at_ten_thousand_characters_and_the_rest_is_kept(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    data = {field: getattr(application, field) or "" for field in DETAIL_FIELDS}
    data |= {
        "area": application.area_id,
        "revision": application.revision,
        "description": "x" * 10_001,
        "objectives": "Obiettivi scritti con cura",
    }
    response = client.post(reverse("application_edit", args=[application.pk, "polo"]), data)
    html = response.content.decode()
    assert "non contenga più di 10000 caratteri (ne ha 10001)" in html
    assert "Obiettivi scritti con cura" in html
    application.refresh_from_db()
    assert len(application.description) < 10_001
    data["description"] = "x" * 10_000
    response = client.post(reverse("application_edit", args=[application.pk, "polo"]), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert len(application.description) == 10_000


@pytest.mark.parametrize("value", ["١", "1" * 40, "-1", ""])
def test_member_and_commitment_ids_are_ascii_numbers_or_not_found(client, applicant, value):
    application = draft_application(applicant, documents=False)
    client.force_login(applicant)
    members = application.members.count()
    added = client.post(reverse("member_add", args=[application.pk]), {"organisation": value})
    assert added.status_code == 404
    upload = client.post(
        reverse("document_upload", args=[application.pk]),
        {"kind": "commitment", "member": value, "file": pdf_upload("impegno.pdf")},
    )
    assert upload.status_code == 404
    assert application.members.count() == members
    assert not application.documents.exists()


@pytest.mark.parametrize("organisation_pk", ["99999999999999999999", str(2**31)])
def test_an_organisation_number_no_column_holds_is_not_found_on_the_offering_urls(
    client, applicant, organisation_pk
):
    application = draft_application(applicant, documents=False)
    client.force_login(applicant)
    base = f"/domande/{application.pk}/organizzazioni/{organisation_pk}/offerta/"
    assert client.post(base, {"programme": "1", "first_year": "2020/21"}).status_code == 404
    assert client.post(f"{base}1/rimuovi/").status_code == 404


def _add_member(client, application):
    organisation = OrganisationFactory(name="Istituto aggiunto dopo")
    client.post(reverse("member_add", args=[application.pk]), {"organisation": organisation.pk})


def _update_member(client, application):
    member = application.members.exclude(is_lead=True).first()
    client.post(
        reverse("member_update", args=[application.pk, member.pk]),
        {f"m{member.pk}-role": "sede dei laboratori"},
    )


def _remove_member(client, application):
    member = application.members.exclude(is_lead=True).first()
    client.post(reverse("member_remove", args=[application.pk, member.pk]))


def _upload_agreement(client, application):
    client.post(
        reverse("document_upload", args=[application.pk]),
        {"kind": "network_agreement", "file": pdf_upload("accordo-nuovo.pdf")},
    )


@pytest.mark.parametrize("change", [_add_member, _update_member, _remove_member, _upload_agreement])
def test_the_dashboard_last_change_moves_when_the_network_or_its_documents_change(
    client, applicant, change
):
    """«Ultima modifica» and the dashboard's order follow every change, not the details' alone."""
    application = draft_application(applicant, documents=False)
    long_ago = application.updated_at.replace(year=2020)
    Application.objects.filter(pk=application.pk).update(updated_at=long_ago)
    client.force_login(applicant)
    change(client, application)
    application.refresh_from_db()
    assert application.updated_at > long_ago
    page = client.get(reverse("application_list")).content.decode()
    assert (
        application.updated_at.astimezone(ZoneInfo("Europe/Rome")).strftime("%d/%m/%Y %H:%M")
        in page
    )


def test_each_step_of_the_guided_form_has_its_own_page_title(client, applicant):
    """The four steps are four pages: each <title> names its step (WCAG 2.4.2), in both languages."""
    application = draft_application(applicant)
    client.force_login(applicant)

    def titles() -> list[str]:
        return [
            re.search(
                r"<title>(.*?)</title>",
                client.get(
                    reverse("application_edit", args=[application.pk, step])
                ).content.decode(),
                re.S,
            )[1]
            for step in ("polo", "partner", "documenti", "invio")
        ]

    assert titles() == [
        f"{label} – Passaggio {n} di 4 – Polo Meccatronica Lombardo – Regione Lombardia"
        for n, label in enumerate(["Il polo", "I partner", "Documenti", "Riepilogo e invio"], 1)
    ]
    with translation.override(translation.get_language()):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = titles()
    assert len(set(english)) == 4
    assert english[1].startswith("The partners – Step 2 of 4 – ")


def test_applications_of_the_same_polo_have_titles_of_their_own(
    client, applicant, officer, manager
):
    """A filed application and a new draft of the same polo are told apart by their <title>
    (WCAG 2.4.2): the protocol number, or the status while there is none."""
    filed = bring_to(
        ApplicationStatus.SUBMITTED, applicant=applicant, officer=officer, manager=manager
    )
    draft = draft_application(applicant)
    assert filed.name == draft.name
    client.force_login(applicant)
    titles = [
        page_title(client.get(reverse("application_detail", args=[application.pk])))
        for application in (filed, draft)
    ]
    assert titles == [
        f"{filed.name} – Domanda {filed.protocol_number} – Regione Lombardia",
        f"{draft.name} – Bozza – Regione Lombardia",
    ]


def test_the_panels_italian_rule_texts_are_marked_italian_on_english_pages(client, applicant):
    """The live panel's rule texts are Italian whatever the page's language (WCAG 3.1.2)."""
    application = draft_application(applicant, eligible=False)
    client.force_login(applicant)
    with translation.override(translation.get_language()):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(reverse("application_edit", args=[application.pk, "partner"]))
    assert set(languages_of(response, "What to do:")) == {"en"}
    failing = response.context["panel"]["failing"]
    assert failing
    for result in failing:
        for text in (result.description, result.message, result.hint, result.citation):
            assert set(languages_of(response, text)) == {"it"}, text


def test_the_submission_steps_rule_problems_are_marked_italian_on_english_pages(client, applicant):
    """The rules' problems are Italian, the portal's own ones follow the page (WCAG 3.1.2)."""
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    with translation.override(translation.get_language()):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(reverse("application_edit", args=[application.pk, "invio"]))
    problems = response.context["problems"]
    rules = [problem for problem in problems if problem.startswith("PTP-")]
    own = [problem for problem in problems if not problem.startswith("PTP-")]
    assert rules
    assert own
    for problem in rules:
        assert set(languages_of(response, str(problem))) == {"it"}, problem
    for problem in own:
        assert set(languages_of(response, str(problem))) == {"en"}, problem


def test_refused_start_and_polo_forms_list_their_errors_in_an_alert_above_the_fields(
    client, applicant
):
    """Field errors come back with an alert on top (WCAG 3.3.1, 4.1.3), not only under the
    fields: it says what was not done and names each field in error, with a link to it (3.3.3)."""
    alert = '<div class="alert alert-danger" role="alert">'
    application = draft_application(applicant)
    client.force_login(applicant)
    started = client.post(reverse("application_new"), {"name": ""}).content.decode()
    polo = client.post(
        reverse("application_edit", args=[application.pk, "polo"]),
        {"name": "", "contact_email": "non-una-email", "revision": application.revision},
    ).content.decode()
    expected = {
        "La bozza non è stata creata: correggi questi errori.": {
            ("id_call", "Avviso"),
            ("id_organisation", "Organizzazione richiedente"),
            ("id_name", "Denominazione del polo"),
        },
        "Il polo non è stato salvato: correggi questi errori.": {
            ("id_name", "Denominazione del polo"),
            ("id_area", "Area economico-professionale"),
            ("id_contact_email", "Email del referente"),
        },
    }
    for html, (title, fields) in zip((started, polo), expected.items(), strict=True):
        assert html.count(alert) == 1
        summary = html[html.index(alert) : html.index("</div>", html.index(alert))]
        assert html.index(alert) < html.index('class="invalid-feedback"')
        assert title in summary
        assert set(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)) == fields
        assert "Correggi i campi segnalati" not in html
    fresh = client.get(reverse("application_edit", args=[application.pk, "polo"]))
    assert alert not in fresh.content.decode()


def _removal_block(page: str, application_pk: int, member_pk: int) -> str:
    """Return the disclosure that holds one member's removal form."""
    start = page.index(f'action="{reverse("member_remove", args=[application_pk, member_pk])}"')
    return page[page.rindex("<details", 0, start) : page.index("</details>", start)]


def test_removing_a_member_asks_for_confirmation_and_says_its_declaration_goes(client, applicant):
    """One click took a company out with its uploaded declaration; re-adding it does not bring
    the declaration back. The button now opens a confirmation that says so."""
    application = draft_application(applicant)
    company = application.members.filter(organisation__kind="company").first()
    institute = application.members.filter(organisation__kind="institute").last()
    client.force_login(applicant)
    page = client.get(reverse("application_edit", args=[application.pk, "partner"])).content
    page = page.decode()
    block = _removal_block(page, application.pk, company.pk)
    summary = block[: block.index("</summary>")]
    assert "Togli dalla rete" in summary
    assert "<button" not in summary  # the first click only opens the confirmation
    assert "dichiarazione di impegno" in block
    assert f"Conferma: togli {escape(company.organisation.name)} dalla rete" in block
    block = _removal_block(page, application.pk, institute.pk)
    assert "dichiarazione di impegno" not in block  # an institute has no declaration to lose
    assert f"Conferma: togli {escape(institute.organisation.name)} dalla rete" in block
