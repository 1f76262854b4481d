"""Integration documents: uploaded only while the officer waits for them, sent with the integrations."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from networks.constants import ApplicationStatus as S
from networks.constants import DocumentKind
from networks.models import Application, Document
from networks.services import applications as application_services
from networks.services import workflow as services
from tests.factories import MINIMAL_PDF, draft_application, pdf_upload
from tests.procedure import bring_to, working_day

pytestmark = pytest.mark.django_db


def _upload(client, application: Application, name: str, content: bytes | None = None):
    """Upload an integration document; by default each name has content of its own."""
    content = content if content is not None else MINIMAL_PDF + f"% {name}\n".encode()
    return client.post(
        reverse("document_upload", args=[application.pk]),
        {"kind": DocumentKind.INTEGRATION, "file": pdf_upload(name, content)},
        follow=True,
    )


@pytest.fixture
def awaiting(client, applicant: User, officer: User, manager: User) -> Application:
    """An application whose officer awaits integrations, its applicant logged in."""
    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    client.force_login(applicant)
    return application


def _integration_documents(application: Application) -> list[str]:
    return sorted(
        application.documents.filter(kind=DocumentKind.INTEGRATION, current=True).values_list(
            "original_name", flat=True
        )
    )


@pytest.mark.parametrize("status", [S.DRAFT, S.IN_REVIEW])
def test_integration_documents_are_refused_unless_integrations_are_awaited(
    client, applicant: User, officer: User, manager: User, status: str
) -> None:
    if status == S.DRAFT:
        application = draft_application(applicant)
    else:
        application = bring_to(status, applicant=applicant, officer=officer, manager=manager)
    client.force_login(applicant)
    before = Document.objects.count()
    response = _upload(client, application, "verbale.pdf")
    assert "si caricano e si tolgono solo quando l&#x27;istruttore chiede integrazioni" in (
        response.content.decode()
    )
    assert Document.objects.count() == before


def test_integration_documents_add_up_and_leave_with_the_integrations(
    client, applicant: User, awaiting: Application
) -> None:
    application = awaiting
    page = client.get(reverse("application_edit", args=[application.pk, "documenti"]))
    assert "Carica il documento integrativo" in page.content.decode()
    _upload(client, application, "visura.pdf")
    response = _upload(client, application, "curriculum.pdf")
    assert "Documento «curriculum.pdf» caricato." in response.content.decode()
    assert _integration_documents(application) == ["curriculum.pdf", "visura.pdf"]

    version = services.application_resubmit(application_id=application.pk, by=applicant)
    sent = sorted(d["name"] for d in version.documents if d["kind"] == DocumentKind.INTEGRATION)
    assert sent == ["curriculum.pdf", "visura.pdf"]


def test_a_document_not_yet_sent_can_be_taken_back_one_already_sent_cannot(
    client, applicant: User, officer: User, awaiting: Application
) -> None:
    application = awaiting
    _upload(client, application, "prima.pdf")
    sent = application.documents.get(original_name="prima.pdf")
    services.application_resubmit(application_id=application.pk, by=applicant)
    services.application_request_integration(
        application_id=application.pk,
        by=officer,
        text="Manca ancora la visura.",
        deadline=working_day(30),
    )
    _upload(client, application, "seconda.pdf")
    mistaken = application.documents.get(original_name="seconda.pdf")

    page = client.get(reverse("application_edit", args=[application.pk, "documenti"]))
    assert "inviato con la versione 2" in page.content.decode()
    response = client.post(
        reverse("document_remove", args=[application.pk, mistaken.pk]), follow=True
    )
    assert "Documento «seconda.pdf» tolto." in response.content.decode()
    response = client.post(reverse("document_remove", args=[application.pk, sent.pk]), follow=True)
    assert "è stato inviato con la versione 2 della domanda e resta agli atti" in (
        response.content.decode()
    )
    assert _integration_documents(application) == ["prima.pdf"]
    mistaken.refresh_from_db()
    assert not mistaken.current
    assert mistaken.file.name  # kept on record


def test_taking_back_twice_is_not_an_error(client, awaiting: Application) -> None:
    """A second click (or another tab) finds the document gone: it says so, not a refusal."""
    application = awaiting
    _upload(client, application, "doppio.pdf")
    document = application.documents.get(original_name="doppio.pdf")
    url = reverse("document_remove", args=[application.pk, document.pk])
    client.post(url)
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert "Documento «doppio.pdf» tolto." in page
    assert "Si tolgono solo i documenti integrativi" not in page
    assert _integration_documents(application) == []


def test_only_integration_documents_can_be_taken_back(client, awaiting: Application) -> None:
    application = awaiting
    agreement = application.documents.get(kind=DocumentKind.NETWORK_AGREEMENT, current=True)
    response = client.post(reverse("document_remove", args=[application.pk, agreement.pk]))
    assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.current


def test_someone_elses_integration_document_is_not_found(
    client, other_applicant: User, awaiting: Application
) -> None:
    application = awaiting
    _upload(client, application, "mio.pdf")
    document = application.documents.get(original_name="mio.pdf")
    client.force_login(other_applicant)
    response = client.post(reverse("document_remove", args=[application.pk, document.pk]))
    assert response.status_code == 404
    document.refresh_from_db()
    assert document.current


def test_at_most_a_fixed_number_of_integration_documents(
    client, awaiting: Application, monkeypatch
) -> None:
    monkeypatch.setattr(application_services, "MAX_INTEGRATION_DOCUMENTS", 2)
    application = awaiting
    _upload(client, application, "uno.pdf")
    _upload(client, application, "due.pdf")
    response = _upload(client, application, "tre.pdf")
    assert "Sono già caricati 2 documenti integrativi, il massimo" in response.content.decode()
    assert _integration_documents(application) == ["due.pdf", "uno.pdf"]


def test_documents_sent_in_an_earlier_round_do_not_count_towards_the_limit(
    client, applicant: User, officer: User, awaiting: Application, monkeypatch
) -> None:
    monkeypatch.setattr(application_services, "MAX_INTEGRATION_DOCUMENTS", 1)
    application = awaiting
    _upload(client, application, "primo-giro.pdf")
    services.application_resubmit(application_id=application.pk, by=applicant)
    services.application_request_integration(
        application_id=application.pk,
        by=officer,
        text="Serve anche il verbale.",
        deadline=working_day(30),
    )
    response = _upload(client, application, "secondo-giro.pdf")
    assert "Documento «secondo-giro.pdf» caricato." in response.content.decode()
    assert _integration_documents(application) == ["primo-giro.pdf", "secondo-giro.pdf"]


def test_the_same_file_twice_is_uploaded_once(client, awaiting: Application) -> None:
    application = awaiting
    _upload(client, application, "atto.pdf", MINIMAL_PDF)
    response = _upload(client, application, "atto-copia.pdf", MINIMAL_PDF)
    assert (
        "Questo file è già tra i documenti integrativi da inviare (come «atto.pdf»): non è stato "
        "caricato di nuovo."
    ) in response.content.decode()
    assert _integration_documents(application) == ["atto.pdf"]
    other = _upload(client, application, "verbale.pdf")
    assert "Documento «verbale.pdf» caricato." in other.content.decode()
    assert _integration_documents(application) == ["atto.pdf", "verbale.pdf"]
