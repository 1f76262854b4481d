"""What changed between two submitted versions: the network, the referente, the documents."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from networks.constants import ApplicationStatus as S
from networks.constants import DocumentKind
from networks.diff import documents_diff, network_diff
from networks.services import applications as services
from networks.services import workflow
from tests.factories import MINIMAL_PDF, pdf_upload
from tests.helpers import page_title
from tests.procedure import bring_to, edit_plan

AGREEMENT = {"kind": "network_agreement", "name": "accordo.pdf", "sha256": "a" * 64, "size": 10}


def test_the_referente_is_described_field_by_field_in_italian():
    old = {"name": "Polo", "contact": {"name": "Anna", "email": "a@x.it", "phone": ""}}
    new = {"name": "Polo", "contact": {"name": "Anna", "email": "b@x.it", "phone": "02 1234"}}
    assert network_diff(old, new) == [
        "Polo – referente, email: a@x.it → b@x.it",
        "Polo – referente, telefono: — → 02 1234",
    ]


def test_the_same_content_sent_as_another_kind_is_a_document_added():
    again = {**AGREEMENT, "kind": "integration", "name": "accordo-bis.pdf"}
    assert documents_diff([AGREEMENT], [AGREEMENT, again]) == [
        "Documento aggiunto – Documento integrativo: accordo-bis.pdf"
    ]


def test_the_sentences_follow_the_users_language():
    old = {
        "name": "Polo",
        "members": [{"key": "a", "name": "IIS Galilei", "chamber_registered": False}],
    }
    new = {
        "name": "Polo",
        "members": [
            {"key": "a", "name": "IIS Galilei", "chamber_registered": True},
            {"key": "b", "name": "Meccanica Srl"},
        ],
    }
    with translation.override("en"):
        lines = network_diff(old, new)
        documents = documents_diff([AGREEMENT], [])
    assert lines == [
        "Joins the network: Meccanica Srl",
        "IIS Galilei – Chamber of Commerce registration: no → yes",
    ]
    assert documents == ["Document removed – Network agreement: accordo.pdf"]
    assert network_diff(old, new)[0] == "Entra nella rete: Meccanica Srl"


def test_documents_added_and_taken_away_are_listed_by_content():
    renamed = {**AGREEMENT, "name": "accordo-firmato.pdf"}
    replacement = {**AGREEMENT, "name": "accordo-v2.pdf", "sha256": "b" * 64}
    integration = {"kind": "integration", "name": "visura.pdf", "sha256": "c" * 64, "size": 5}
    assert documents_diff([AGREEMENT], [renamed]) == []
    assert documents_diff([AGREEMENT], [replacement, integration]) == [
        "Documento aggiunto – Accordo di rete: accordo-v2.pdf",
        "Documento aggiunto – Documento integrativo: visura.pdf",
        "Documento tolto – Accordo di rete: accordo.pdf",
    ]


@pytest.mark.django_db
def test_the_page_shows_the_documents_sent_with_the_answer(client, applicant, officer, manager):
    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    services.document_upload(
        application=application,
        kind=DocumentKind.INTEGRATION,
        uploaded=pdf_upload("visura-camerale.pdf", pdf_bytes_other_than_the_agreement()),
        by=applicant,
    )
    workflow.application_resubmit(application_id=application.pk, by=applicant, note="Allegata.")
    client.force_login(applicant)
    html = client.get(reverse("version_diff", args=[application.pk, 2])).content.decode()
    assert "Nessuna modifica alla rete o ai dati del polo." in html
    assert "Documento aggiunto – Documento integrativo: visura-camerale.pdf" in html


@pytest.mark.django_db
def test_each_comparison_has_a_title_of_its_own(client, applicant, officer, manager):
    """The page names the two versions and the polo in its <title> (WCAG 2.4.2), not a bare
    "Differenze tra versioni" shared by every comparison of every application."""
    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    workflow.application_resubmit(application_id=application.pk, by=applicant, note="Nulla.")
    client.force_login(applicant)
    response = client.get(reverse("version_diff", args=[application.pk, 2]))
    assert page_title(response) == (
        f"Cosa è cambiato dalla versione 1 alla versione 2 – {application.name} – Regione Lombardia"
    )


def pdf_bytes_other_than_the_agreement() -> bytes:
    """Return a valid one-page PDF whose SHA-256 differs from the factories' minimal PDF."""
    return MINIMAL_PDF.replace(b"%%EOF", b"% visura\n%%EOF")


@pytest.mark.django_db
def test_an_answer_is_announced_as_integrations_to_the_first_filing(
    client, applicant, officer, manager, django_capture_on_commit_callbacks
):
    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    filed = timezone.localtime(application.submitted_at).strftime("%d/%m/%Y %H:%M")
    mail.outbox.clear()
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("application_submit", args=[application.pk]),
            {"text": "Corretto."},
            follow=True,
        )
    html = response.content.decode()
    assert "Integrazioni inviate il " in html
    assert (
        f"versione 2 della domanda con protocollo n. {application.protocol_number} del {filed}"
        in html
    )
    receipt_mail = next(m for m in mail.outbox if "Integrazioni alla domanda" in m.subject)
    assert f"(protocollo n. {application.protocol_number} del {filed})" in receipt_mail.body
    assert "versione 2 della domanda" in receipt_mail.body


PLAN = {
    "description": "Rete per la meccatronica.",
    "objectives": "",
    "alternanza_actions": "Stage in azienda.",
    "flessibilita_actions": "",
    "laboratories": "",
    "commitments": "",
}


def test_the_texts_of_the_plan_are_compared_and_quoted_briefly():
    from networks.diff import EXCERPT_CHARS, details_diff

    long_text = "Laboratorio condiviso di robotica. " * 20
    new = {
        **PLAN,
        "description": "Rete per la meccatronica\n  e l'automazione.",
        "objectives": "Formare tecnici.",
        "laboratories": long_text,
        # The same words on other lines: no change for the reader.
        "alternanza_actions": "Stage\nin azienda.",
    }
    lines = details_diff(PLAN, new)
    assert lines[:2] == [
        "Piano delle attività – descrizione del polo: «Rete per la meccatronica.» → "
        "«Rete per la meccatronica e l'automazione.»",
        "Piano delle attività – obiettivi: — → «Formare tecnici.»",
    ]
    assert len(lines) == 3
    assert lines[2].startswith("Piano delle attività – laboratori condivisi: — → «Laboratorio")
    assert lines[2].endswith("…»")
    assert len(lines[2]) < EXCERPT_CHARS + 80
    # Against a version submitted before the plan was kept, nothing can be said.
    assert details_diff({}, new) == []


def test_every_text_a_version_keeps_has_a_label_in_the_diff():
    from networks.diff import DETAIL_LABELS
    from networks.services.applications import DETAIL_TEXT_FIELDS

    assert tuple(DETAIL_LABELS) == DETAIL_TEXT_FIELDS


@pytest.mark.django_db
def test_a_plan_changed_with_the_integrations_shows_in_both_diffs(
    client, applicant, officer, manager
):
    """The description changed during the integrations: the diff said «Nessuna modifica»."""
    from networks.models import Application

    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    Application.objects.filter(pk=application.pk).update(
        objectives="Formare 40 tecnici della meccatronica all'anno."
    )
    workflow.application_resubmit(application_id=application.pk, by=applicant, note="Obiettivi.")
    line = "Piano delle attività – obiettivi: — → «Formare 40 tecnici della meccatronica all&#x27;anno.»"

    client.force_login(applicant)
    html = client.get(reverse("version_diff", args=[application.pk, 2])).content.decode()
    assert line in html
    assert "Nessuna modifica alla rete o ai dati del polo." not in html
    client.force_login(officer)
    review_page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    address = reverse("review_version_diff", args=[application.pk, 2])
    assert f'href="{address}"' in review_page
    html = client.get(address).content.decode()
    assert line in html
    assert f'href="{reverse("review_detail", args=[application.pk])}"' in html
    client.force_login(applicant)
    assert client.get(address).status_code == 404  # the desk's page is not the applicant's
    assert client.get(reverse("review_version_diff", args=[application.pk, 3])).status_code == 404


@pytest.mark.django_db
def test_a_versions_plan_is_frozen_and_covered_by_its_fingerprint(applicant, officer, manager):
    from networks.models import ApplicationVersion, ImmutableRecordError

    application = bring_to(S.SUBMITTED, applicant=applicant, officer=officer, manager=manager)
    version = application.versions.get()
    assert version.details["description"] == application.description
    assert workflow.verify_version(version)
    version.details = {**version.details, "description": "Altro."}
    with pytest.raises(ImmutableRecordError):
        version.save()
    ApplicationVersion.objects.filter(pk=version.pk).update(
        details={**version.details, "description": "Altro."}
    )
    assert not workflow.verify_version(ApplicationVersion.objects.get(pk=version.pk))


@pytest.mark.django_db
def test_a_version_submitted_before_the_plan_was_kept_still_verifies(applicant, officer, manager):
    """Its fingerprint was computed without the plan: an empty plan leaves it as it was."""
    from networks.models import ApplicationVersion
    from networks.services.workflow import canonical_sha256, snapshot_content

    application = bring_to(S.SUBMITTED, applicant=applicant, officer=officer, manager=manager)
    version = application.versions.get()
    legacy = snapshot_content(version)
    del legacy["details"]
    ApplicationVersion.objects.filter(pk=version.pk).update(
        details={}, sha256=canonical_sha256(legacy)
    )
    assert workflow.verify_version(ApplicationVersion.objects.get(pk=version.pk))


@pytest.mark.django_db
def test_the_submission_step_says_what_the_integrations_send_before_they_are_sent(
    client, applicant, officer, manager
):
    """Before sending, the applicant reads what the new version will change, line by line: the
    same lines the version's «cosa è cambiato» page shows once it is filed."""
    from networks.constants import OrganisationKind

    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    client.force_login(applicant)
    step = reverse("application_edit", args=[application.pk, "invio"])
    html = client.get(step).content.decode()
    assert "Cosa invii rispetto alla versione 1" in html
    assert "Non hai modificato nulla rispetto alla versione 1" in html

    company = application.members.filter(organisation__kind=OrganisationKind.COMPANY).first()
    services.application_member_remove(member=company, by=applicant)
    services.document_upload(
        application=application,
        kind=DocumentKind.INTEGRATION,
        uploaded=pdf_upload("visura-camerale.pdf", pdf_bytes_other_than_the_agreement()),
        by=applicant,
    )
    application = edit_plan(application, applicant, objectives="Formare tecnici.")
    html = client.get(step).content.decode()
    section = html[html.index('id="sezione-cosa-invii"') :]
    section = section[: section.index("</section>")]
    before = re.findall(r"<li>(.*?)</li>", section)
    assert before == [
        f"Esce dalla rete: {company.organisation.name}",
        "Piano delle attività – obiettivi: — → «Formare tecnici.»",
        "Documento aggiunto – Documento integrativo: visura-camerale.pdf",
    ]
    assert "Non hai modificato nulla" not in section

    workflow.application_resubmit(application_id=application.pk, by=applicant, note="Fatto.")
    filed = client.get(reverse("version_diff", args=[application.pk, 2])).content.decode()
    listed = filed[filed.index("<h3") : filed.index("Torna alla domanda")]
    assert sorted(re.findall(r"<li>(.*?)</li>", listed)) == sorted(before)
