"""What changed between two submitted versions: the network, the referente, the documents."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from networks.constants import ApplicationStatus as S
from networks.constants import DocumentKind
from networks.diff import documents_diff, network_diff
from networks.services import applications as services
from networks.services import workflow
from tests.factories import MINIMAL_PDF, pdf_upload
from tests.procedure import bring_to

AGREEMENT = {"kind": "network_agreement", "name": "accordo.pdf", "sha256": "a" * 64, "size": 10}


def test_the_referente_is_described_field_by_field_in_italian():
    old = {"name": "Polo", "contact": {"name": "Anna", "email": "a@x.it", "phone": ""}}
    new = {"name": "Polo", "contact": {"name": "Anna", "email": "b@x.it", "phone": "02 1234"}}
    assert network_diff(old, new) == [
        "Polo – referente, email: a@x.it → b@x.it",
        "Polo – referente, telefono: — → 02 1234",
    ]


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
