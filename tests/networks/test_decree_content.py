"""What the decree says of the officer's obligations and of each member's identifier.

The officer writes an obligation in the infinitive; the decree makes it a
DECRETA point of its own. Annex A names each identifier for what it is
(codice meccanografico, partita IVA, codice di accreditamento) and writes
nothing for a member that has none, such as an ITS.
"""

import csv
import dataclasses
import io
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from weasyprint import HTML

from networks.documents import render_decree, static_base_url, static_url_fetcher
from networks.models import Application, Call, Decree
from networks.opendata import all_public_poli
from networks.services import workflow as services
from networks.services.documents import (
    decree_document,
    member_rows,
    obligation_point,
    obligation_points,
    receipt_document,
)
from tests.factories import draft_application
from tests.helpers import migrated
from tests.networks.test_documents import REJECTION
from tests.procedure import assessments_for, bring_to, pending_proposal

NETWORK = {
    "lead_partner": "scuola",
    "members": [
        {"key": "scuola", "kind": "institute", "name": "IIS Galilei", "school_code": "MIIS00900X"},
        {"key": "impresa", "kind": "company", "name": "Meccanica Srl", "vat_number": "00397130584"},
        {
            "key": "ente",
            "kind": "accredited_body",
            "name": "CFP Lombardo",
            "accreditation_id": "LOM-123",
        },
        {"key": "its", "kind": "its", "name": "ITS Meccatronico", "founders": ["impresa"]},
    ],
}


def test_each_identifier_is_named_for_what_it_is():
    rows = member_rows(NETWORK)
    assert [(row.identifier_label, row.identifier) for row in rows] == [
        ("codice meccanografico", "MIIS00900X"),
        ("partita IVA", "00397130584"),
        ("codice di accreditamento", "LOM-123"),
        ("", ""),
    ]
    assert rows[1].notes == "socio fondatore dell'ITS"


@pytest.mark.parametrize(
    ("written", "point"),
    [
        (
            "Aderire a un ITS entro un anno.",
            "di prescrivere al Polo di aderire a un ITS entro un anno;",
        ),
        ("di comunicare ogni variazione;", "di prescrivere al Polo di comunicare ogni variazione;"),
        (
            "  Di inviare la relazione annuale  ",
            "di prescrivere al Polo di inviare la relazione annuale;",
        ),
        (
            "CONFERMARE l'adesione all'ITS",
            "di prescrivere al Polo di CONFERMARE l'adesione all'ITS;",
        ),
    ],
)
def test_an_obligation_becomes_a_decreta_point(written, point):
    assert obligation_point(written) == point


def test_list_markers_and_empty_lines_of_the_prescriptions_give_no_artefacts():
    written = (
        "- trasmettere la relazione annuale\n"
        "1. Comunicare ogni variazione della rete,,\n"
        "•\n"
        "  ;;  \n"
        "a) aderire  al registro regionale entro 6 mesi;;\n"
        "2) ITS: confermare l'adesione\n"
    )
    assert obligation_points(written) == (
        "di prescrivere al Polo di trasmettere la relazione annuale;",
        "di prescrivere al Polo di comunicare ogni variazione della rete;",
        "di prescrivere al Polo di aderire al registro regionale entro 6 mesi;",
        "di prescrivere al Polo di ITS: confermare l'adesione;",
    )


@pytest.mark.django_db
def test_the_adopted_decree_carries_the_obligations_and_the_named_identifiers(
    applicant, officer, manager
):
    application = bring_to("in_review", applicant=applicant, officer=officer, manager=manager)
    services.application_propose_approval(
        application_id=application.pk,
        by=officer,
        assessments=assessments_for(application),
        obligations="Aderire a una fondazione ITS entro il 31/08/2027.\n\nComunicare ogni variazione",
    )
    services.application_adopt(application_id=application.pk, by=manager)
    document = decree_document(Decree.objects.get(application=application))
    assert document.obligations == (
        "di prescrivere al Polo di aderire a una fondazione ITS entro il 31/08/2027;",
        "di prescrivere al Polo di comunicare ogni variazione;",
    )
    labels = {(row.kind_label, row.identifier_label) for row in document.members}
    assert ("Istituto scolastico", "codice meccanografico") in labels
    assert ("Impresa", "partita IVA") in labels
    assert all(row.identifier_label for row in document.members if row.identifier)
    html, _ = render_decree(dataclasses.replace(document, members=member_rows(NETWORK)))
    annex = html[html.index('<ol class="members">') :]
    assert (
        "1. IIS Galilei (capofila) – Istituto scolastico, codice meccanografico MIIS00900X" in annex
    )
    assert "Impresa, partita IVA 00397130584" in annex
    assert "4. ITS Meccatronico – ITS Academy</li>" in annex
    assert "codice" not in html[html.index("4. ITS Meccatronico") :]


def test_a_long_unbroken_word_in_the_reasons_stays_inside_the_page():
    """A pasted URL in the rejection's reasons wraps instead of running off the right margin."""
    document = dataclasses.replace(REJECTION, reasons="https://esempio.it/" + "x" * 800)
    html = render_to_string("documents/decree.html", {"document": document, "qr_code": ""})
    rendered = HTML(string=html, base_url=static_base_url(), url_fetcher=static_url_fetcher())
    for page in rendered.render().pages:
        boxes = [box for box in page._page_box.descendants() if box.width is not None]
        right_edge = max(box.position_x + box.width for box in boxes)
        assert right_edge <= page.width - page._page_box.margin_right + 0.5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("school_years", "wording"), [(1, "1 anno scolastico"), (5, "5 anni scolastici")]
)
def test_the_recognition_lasts_what_the_call_says(
    client, applicant, officer, manager, school_years, wording, django_capture_on_commit_callbacks
):
    """The length is the call's parameter: in the decree, and in the open data's end date."""
    application = bring_to("in_review", applicant=applicant, officer=officer, manager=manager)
    application.call.recognition_school_years = school_years
    application.call.save(update_fields=["recognition_school_years"])
    services.application_propose_approval(
        application_id=application.pk, by=officer, assessments=assessments_for(application)
    )
    with django_capture_on_commit_callbacks(execute=True):  # renders the PDF: then it is public
        decree = services.application_adopt(application_id=application.pk, by=manager)
    adopted_on = timezone.localtime(decree.adopted_at).date()
    first = adopted_on.year if adopted_on.month >= 9 else adopted_on.year - 1
    end = date(first + school_years, 8, 31)
    document = decree_document(decree)
    assert document.recognition_period == (
        f"dal {adopted_on:%d/%m/%Y} al {end:%d/%m/%Y} ({wording})"
    )
    # The act says it for good: a later change of the call is for later decrees.
    application.call.recognition_school_years = 7
    application.call.save(update_fields=["recognition_school_years"])
    decree.refresh_from_db()
    assert decree.recognition_school_years == school_years
    assert decree_document(decree).recognition_period.endswith(f"({wording})")
    [polo] = [p for p in all_public_poli() if p.pk == application.pk]
    assert polo.recognised_until == end
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("opendata_csv")).content.decode())))
    assert {
        row["riconoscimento_fine"] for row in rows if row["polo_id"] == str(application.pk)
    } == {end.isoformat()}


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_adopted_decrees_area_and_call(applicant, officer, manager):
    approved = bring_to("approved", applicant=applicant, officer=officer, manager=manager)
    with migrated(("networks", "0014_proposal_withdrawn"), ("networks", "0015_decree_area_call")):
        names = Decree.objects.values_list("area_name", "call_title").get()
        assert names == (approved.area.name, approved.call.title)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_filed_applications_their_calls_term(applicant, officer, manager):
    filed = bring_to("in_review", applicant=applicant, officer=officer, manager=manager)
    draft = draft_application(applicant)
    Call.objects.filter(pk=filed.call_id).update(term_days=45)
    with migrated(
        ("networks", "0012_register_version_stamps"), ("networks", "0013_application_term_days")
    ):
        terms = dict(Application.objects.values_list("pk", "term_days"))
        assert (terms[filed.pk], terms[draft.pk]) == (45, None)


@pytest.mark.django_db(transaction=True)
def test_the_migration_dates_rendered_decrees_by_their_adoption(applicant, officer, manager):
    approved = bring_to("approved", applicant=applicant, officer=officer, manager=manager)
    rejected = bring_to("rejected", applicant=applicant, officer=officer, manager=manager)
    with migrated(
        ("networks", "0011_decree_recognition_school_years"),
        ("networks", "0012_register_version_stamps"),
    ):
        dates = {
            application: (rendered_at, adopted_at)
            for application, rendered_at, adopted_at in Decree.objects.values_list(
                "application_id", "rendered_at", "adopted_at"
            )
        }
        assert set(dates) == {approved.pk, rejected.pk}
        assert all(rendered == adopted for rendered, adopted in dates.values())


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_adopted_approvals_their_calls_length(applicant, officer, manager):
    approved = bring_to("approved", applicant=applicant, officer=officer, manager=manager)
    rejected = bring_to("rejected", applicant=applicant, officer=officer, manager=manager)
    before = ("networks", "0010_call_recognition_school_years")
    after = ("networks", "0011_decree_recognition_school_years")
    with migrated(before, after):
        lengths = dict(Decree.objects.values_list("application_id", "recognition_school_years"))
        assert lengths == {approved.pk: 3, rejected.pk: None}


def test_the_acts_are_in_italian_whatever_language_the_user_reads(
    client, settings, applicant, officer, manager, django_capture_on_commit_callbacks
):
    """A manager browsing in English adopts a decree whose text is all Italian; so the receipt."""
    # A request activates the language of its cookie in the thread: give it back after.
    with translation.override(translation.get_language()):
        application = bring_to(
            "approval_proposed", applicant=applicant, officer=officer, manager=manager
        )
        client.force_login(manager)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        with django_capture_on_commit_callbacks(execute=True):  # the decree renders in the request
            client.post(
                reverse("review_action", args=[application.pk, "adopt_approval"]),
                {
                    "adopt_approval-confirm": "on",
                    "adopt_approval-proposal": pending_proposal(application),
                },
            )
        decree = Decree.objects.get(application=application)
        with translation.override("en"):
            document = decree_document(decree)
            receipt = receipt_document(application.versions.get(number=1))
        assert document.recognition_period.startswith("dal ")
        assert document.recognition_period.endswith("(3 anni scolastici)")
        assert document.signer_title == "Il Dirigente"
        assert {row.kind_label for row in document.members} >= {"Istituto scolastico", "Impresa"}
        assert {row.identifier_label for row in receipt.members} >= {"codice meccanografico"}
        assert receipt.verdict_label in {"Ammissibile", "Ammissibile con osservazioni"}


def test_the_visti_name_the_criteria_of_the_poli_tecnici_professionali(applicant, officer, manager):
    """The VISTI cite the review's criteria as the DGR calls them: «Poli Tecnici Professionali»."""
    approved = bring_to("approved", applicant=applicant, officer=officer, manager=manager)
    document = decree_document(Decree.objects.get(application=approved))
    html = render_to_string("documents/decree.html", {"document": document, "qr_code": ""})
    assert document.ruleset_title == (
        "Regione Lombardia — Poli Tecnici Professionali (DGR X/124 del 14 maggio 2013)"
    )
    assert "«Regione Lombardia — Poli Tecnici Professionali (DGR X/124" in html
    assert "Tecnico Professionali" not in html


@pytest.mark.django_db
def test_the_decree_takes_note_of_each_integration_request_and_how_it_ended(
    applicant, officer, manager
):
    """PRESO ATTO: an answered request names the day and the version of the answer; an
    unanswered one, the deadline that passed."""
    from tests.procedure import expire_open_request, working_day

    application = bring_to("in_review", applicant=applicant, officer=officer, manager=manager)
    first = services.application_request_integration(
        application_id=application.pk, by=officer, text="Manca l'accordo.", deadline=working_day(10)
    )
    services.application_resubmit(application_id=application.pk, by=applicant, note="Caricato.")
    second = services.application_request_integration(
        application_id=application.pk, by=officer, text="Manca un impegno.", deadline=working_day(5)
    )
    expire_open_request(application)
    services.application_resume_review(application_id=application.pk, by=officer)
    services.application_propose_approval(
        application_id=application.pk, by=officer, assessments=assessments_for(application)
    )
    services.application_adopt(application_id=application.pk, by=manager)
    first.refresh_from_db()
    second.refresh_from_db()
    today = timezone.localdate().strftime("%d/%m/%Y")
    document = decree_document(Decree.objects.get(application=application))
    assert document.procedure_steps == (
        f"della richiesta di integrazioni del {today}, ai sensi dell'articolo 6, comma 1, "
        f"lettera b), della legge 241/1990, e delle integrazioni pervenute il {today} "
        "(versione n. 2 della domanda);",
        f"della richiesta di integrazioni del {today}, ai sensi dell'articolo 6, comma 1, "
        "lettera b), della legge 241/1990, alla quale non è pervenuta risposta entro il termine "
        f"del {second.deadline:%d/%m/%Y};",
    )
    html, _ = render_decree(document)
    preso_atto = html[html.index(">PRESO ATTO") : html.index(">CONSIDERATO")]
    assert preso_atto.index("acquisita al protocollo") < preso_atto.index("(versione n. 2")
    assert preso_atto.index("alla quale non è pervenuta risposta") < preso_atto.index(
        "responsabile del procedimento"
    )


@pytest.mark.django_db
def test_a_decree_without_integrations_takes_note_of_none(applicant, officer, manager):
    application = bring_to("in_review", applicant=applicant, officer=officer, manager=manager)
    services.application_propose_approval(
        application_id=application.pk, by=officer, assessments=assessments_for(application)
    )
    services.application_adopt(application_id=application.pk, by=manager)
    document = decree_document(Decree.objects.get(application=application))
    assert document.procedure_steps == ()
    html, _ = render_decree(document)
    assert "richiesta di integrazioni" not in html


@pytest.mark.django_db
def test_a_rejection_decree_dates_the_notice_and_the_observations_with_their_documents(
    applicant, officer, manager
):
    from tests.factories import MINIMAL_PDF, pdf_upload

    application = bring_to(
        "rejection_notice", applicant=applicant, officer=officer, manager=manager
    )
    notice = application.requests.get()
    services.application_submit_observations(
        application_id=application.pk,
        by=applicant,
        observations="Le imprese hanno firmato: allego le dichiarazioni.",
        attachments=[
            pdf_upload("impegno-1.pdf"),
            pdf_upload("impegno-2.pdf", MINIMAL_PDF + b"\n% seconda copia\n"),
        ],
    )
    services.application_propose_rejection(
        application_id=application.pk,
        by=officer,
        reasons="Le dichiarazioni non sono firmate dai legali rappresentanti.",
        observations_response="Le firme allegate non sono dei legali rappresentanti.",
    )
    services.application_adopt(application_id=application.pk, by=manager)
    notice.refresh_from_db()
    today = timezone.localdate().strftime("%d/%m/%Y")
    document = decree_document(Decree.objects.get(application=application))
    assert document.procedure_steps[-1] == (
        f"della comunicazione del {today} dei motivi ostativi all'accoglimento della domanda, ai "
        "sensi dell'articolo 10-bis della legge 241/1990, e delle osservazioni pervenute il "
        f"{today}, con 2 documenti allegati;"
    )


@pytest.mark.django_db
def test_observations_after_the_deadline_are_said_late_on_the_page_and_in_the_decree(
    client, applicant, officer, manager
):
    """Still received (nothing was decided yet), but the decree and the officer say when."""
    from tests.procedure import expire_open_request

    application = bring_to(
        "rejection_notice", applicant=applicant, officer=officer, manager=manager
    )
    expire_open_request(application)
    deadline = application.requests.get().deadline.strftime("%d/%m/%Y")
    services.application_submit_observations(
        application_id=application.pk, by=applicant, observations="Rispondiamo in ritardo."
    )
    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    assert "<strong>oltre la scadenza</strong>" in page
    services.application_propose_rejection(
        application_id=application.pk,
        by=officer,
        reasons="Mancano le imprese dell'area.",
        observations_response="Le osservazioni non superano i motivi.",
    )
    services.application_adopt(application_id=application.pk, by=manager)
    today = timezone.localdate().strftime("%d/%m/%Y")
    document = decree_document(Decree.objects.get(application=application))
    assert document.procedure_steps[-1].endswith(
        f"e delle osservazioni pervenute il {today}, oltre il termine del {deadline};"
    )


@pytest.mark.django_db
def test_a_rejection_decree_says_the_notice_went_unanswered_by_its_deadline(
    applicant, officer, manager
):
    from tests.procedure import propose_rejection_after_the_term

    application = bring_to(
        "rejection_notice", applicant=applicant, officer=officer, manager=manager
    )
    propose_rejection_after_the_term(application, officer)
    services.application_adopt(application_id=application.pk, by=manager)
    notice = application.requests.get()
    document = decree_document(Decree.objects.get(application=application))
    assert document.procedure_steps[-1].endswith(
        ", alla quale non sono pervenute osservazioni entro il termine del "
        f"{notice.deadline:%d/%m/%Y};"
    )
    html, _ = render_decree(document)
    preso_atto = html[html.index(">PRESO ATTO") : html.index(">CONSIDERATO")]
    assert "articolo 10-bis" in preso_atto


@pytest.mark.django_db
def test_the_receipt_of_integrations_says_they_answer_the_application_filed_before(
    applicant, officer, manager
):
    """Version 2 is not a new filing: the receipt names the integrations and the first filing."""
    application = bring_to(
        "integration_requested", applicant=applicant, officer=officer, manager=manager
    )
    services.application_resubmit(application_id=application.pk, by=applicant, note="Fatto.")
    application.refresh_from_db()
    filed = timezone.localtime(application.submitted_at)
    second = receipt_document(application.versions.get(number=2))
    html = render_to_string("documents/receipt.html", {"document": second})
    assert "<h1>Ricevuta di presentazione delle integrazioni</h1>" in html
    assert (
        f"le integrazioni alla domanda di riconoscimento descritta di seguito, presentata il "
        f"{filed:%d/%m/%Y} alle ore {filed:%H:%M}" in html
    )
    assert "la domanda così integrata è la versione 2" in html
    first = receipt_document(application.versions.get(number=1))
    html = render_to_string("documents/receipt.html", {"document": first})
    assert "<h1>Ricevuta di presentazione</h1>" in html
    assert "integrazioni" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["approved", "rejected"])
def test_a_decree_names_who_filed_when_it_is_not_the_lead_partner(
    outcome, applicant, officer, manager
):
    """The applicant organisation filed; the network named another member its lead partner."""
    application = bring_to(outcome, applicant=applicant, officer=officer, manager=manager)
    version = application.versions.get()
    other = next(
        member
        for member in version.network["members"]
        if member["key"] != version.network["lead_partner"] and member["kind"] == "institute"
    )
    type(version).objects.filter(pk=version.pk).update(
        network={**version.network, "lead_partner": other["key"]}
    )
    document = decree_document(Decree.objects.get(application=application))
    assert document.applicant_name == application.applicant_organisation.name
    assert document.lead_partner_name == other["name"]
    html, _ = render_decree(document)
    preso_atto = " ".join(html[html.index(">PRESO ATTO") : html.index(">CONSIDERATO")].split())
    assert (
        f"presentata da {document.applicant_name} per la rete con soggetto capofila "
        f"{other['name']} e acquisita" in preso_atto
    )
    if outcome == "rejected":
        assert (
            f"notifica del presente decreto al soggetto richiedente {document.applicant_name}"
            in html
        )


@pytest.mark.django_db
def test_a_decree_filed_by_the_lead_partner_says_so_once(applicant, officer, manager):
    application = bring_to("approved", applicant=applicant, officer=officer, manager=manager)
    document = decree_document(Decree.objects.get(application=application))
    assert document.applicant_name == ""
    html, _ = render_decree(document)
    assert f"presentata dal soggetto capofila {document.lead_partner_name} e acquisita" in " ".join(
        html.split()
    )
