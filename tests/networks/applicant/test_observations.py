"""Observations on a 10-bis notice: written, with supporting PDFs if any, all or nothing."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.constants import ApplicationStatus as S
from networks.constants import DocumentKind
from networks.models import Application, Document, ProcedureRequest
from networks.services import workflow as services
from networks.services.workflow import MAX_OBSERVATION_DOCUMENTS
from tests.factories import MINIMAL_PDF, pdf_upload
from tests.procedure import bring_to

pytestmark = pytest.mark.django_db

TEXT = "Le imprese Alfa e Beta hanno codici ATECO dell'area: si vedano le visure allegate."


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path: Path) -> None:
    """Store this test's files in a folder of its own.

    The checks below list what is on disk; a test on another xdist worker shares the suite's
    MEDIA_ROOT and may add files to it at the same moment.
    """
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def notified(client, applicant: User, officer: User, manager: User) -> Application:
    """An application under a notice of intended rejection, its applicant logged in."""
    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    client.force_login(applicant)
    return application


def _send(client, application: Application, *files: SimpleUploadedFile, text: str = TEXT):
    return client.post(
        reverse("application_observations", args=[application.pk]),
        {"text": text, "attachments": list(files)},
    )


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "documents"
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _assert_nothing_sent(application: Application, files_before: set[Path]) -> None:
    application.refresh_from_db()
    assert application.status == S.REJECTION_NOTICE
    notice = application.requests.get()
    assert notice.closed_at is None
    assert notice.answer == ""
    assert not application.documents.filter(kind=DocumentKind.OBSERVATIONS).exists()
    assert _stored_files() == files_before


def test_observations_with_documents_reach_the_officer(
    client, notified: Application, officer: User
) -> None:
    """The documents are recorded with their hashes, linked to the notice, shown and served to the officer."""
    visure = MINIMAL_PDF + b"% visura Alfa\n"
    response = _send(
        client, notified, pdf_upload("Visura Alfa.pdf", visure), pdf_upload("beta.pdf")
    )
    assert response.status_code == 302

    notified.refresh_from_db()
    assert notified.status == S.IN_REVIEW
    notice = notified.requests.get()
    assert notice.answer == TEXT
    assert notice.closed_at is not None
    documents = {d.original_name: d for d in notice.documents.all()}
    assert set(documents) == {"visura-alfa.pdf", "beta.pdf"}
    alfa = documents["visura-alfa.pdf"]
    assert alfa.kind == DocumentKind.OBSERVATIONS
    assert alfa.current
    assert alfa.sha256 == hashlib.sha256(visure).hexdigest()
    assert alfa.size == len(visure)

    page = client.get(reverse("application_detail", args=[notified.pk])).content.decode()
    assert "Osservazioni al preavviso di rigetto: " in page
    assert "visura-alfa.pdf" in page

    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[notified.pk])).content.decode()
    answer_block = page[page.index('id="allegati-risposta"') :]
    assert "visura-alfa.pdf" in answer_block
    assert alfa.sha256 in answer_block
    download = client.get(reverse("review_document_download", args=[notified.pk, alfa.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == visure


def test_the_officer_is_mailed_how_many_documents_came_with_the_observations(
    client, notified: Application, officer: User, django_capture_on_commit_callbacks
) -> None:
    """The observations' mail says how many documents to look at on the portal, or none."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, notified, pdf_upload("alfa.pdf"), pdf_upload("beta.pdf"))
    [to_officer] = [m for m in mail.outbox if m.to == [officer.email]]
    assert TEXT in to_officer.body
    assert (
        "Alle osservazioni sono allegati 2 documenti, consultabili sul portale." in to_officer.body
    )
    [to_contact] = [m for m in mail.outbox if m.to == [notified.contact_email]]
    assert "sono allegati 2 documenti" in to_contact.body


def test_observations_without_documents_are_mailed_without_a_count(
    client, notified: Application, officer: User, django_capture_on_commit_callbacks
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, notified)
    [to_officer] = [m for m in mail.outbox if m.to == [officer.email]]
    assert TEXT in to_officer.body
    assert "Alle osservazioni" not in to_officer.body


def test_observations_without_documents_still_go(client, notified: Application) -> None:
    response = _send(client, notified)
    assert response.status_code == 302
    notified.refresh_from_db()
    assert notified.status == S.IN_REVIEW
    assert notified.requests.get().answer == TEXT
    assert not notified.documents.filter(kind=DocumentKind.OBSERVATIONS).exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            SimpleUploadedFile("foto.pdf", b"\x89PNG\r\n\x1a\n", content_type="application/pdf"),
            "«foto.pdf» non è un PDF",
        ),
        (
            SimpleUploadedFile("vuoto.pdf", b"", content_type="application/pdf"),
            "«vuoto.pdf»: Il file inviato è vuoto.",
        ),
    ],
    ids=["not-a-pdf", "empty"],
)
def test_a_bad_file_among_several_is_named_sends_nothing_and_keeps_the_text(
    client, notified: Application, bad, message
) -> None:
    before = _stored_files()
    response = _send(client, notified, pdf_upload("visura.pdf"), bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Le imprese Alfa e Beta hanno codici ATECO" in page
    _assert_nothing_sent(notified, before)


def test_a_refused_file_is_named_as_a_supporting_document_and_tied_to_its_input(
    client, notified: Application
) -> None:
    """The file's refusal says which upload it concerns and sits under that input (WCAG 3.3.1)."""
    response = _send(
        client, notified, SimpleUploadedFile("note.txt", b"solo testo", content_type="text/plain")
    )
    assert response.status_code == 400
    refusal, files_not_kept = (str(message) for message in response.context["messages"])
    assert refusal.startswith("Documenti a sostegno (facoltativi): «note.txt» non è un PDF")
    assert files_not_kept.startswith("Nulla è stato inviato.")
    page = response.content.decode()
    field = page[page.index('id="div_id_attachments"') : page.index("Invia le osservazioni")]
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_attachments_helptext id_attachments_error"' in field
    assert "«note.txt» non è un PDF" in field[field.index('<div id="id_attachments_error"') :]
    assert TEXT.replace("'", "&#x27;") in page


def test_a_refused_file_asks_to_choose_the_files_again(client, notified: Application) -> None:
    """A browser does not keep chosen files across a page: the page says to choose them again."""
    response = _send(
        client,
        notified,
        SimpleUploadedFile("foto.pdf", b"\x89PNG\r\n\x1a\n", content_type="application/pdf"),
    )
    assert "scegli di nuovo i file da allegare" in response.content.decode()


def test_a_file_over_the_calls_limit_sends_nothing(client, notified: Application) -> None:
    notified.call.max_attachment_mb = 1
    notified.call.save()
    before = _stored_files()
    big = pdf_upload("allegato.pdf", MINIMAL_PDF + b"0" * (1024 * 1024))
    response = _send(client, notified, big)
    assert response.status_code == 400
    assert "il limite dell&#x27;avviso è 1 MB" in response.content.decode()
    _assert_nothing_sent(notified, before)


def test_too_many_files_send_nothing(client, notified: Application) -> None:
    before = _stored_files()
    files = [pdf_upload(f"allegato-{n}.pdf") for n in range(MAX_OBSERVATION_DOCUMENTS + 1)]
    response = _send(client, notified, *files)
    assert response.status_code == 400
    assert f"se ne allegano al massimo {MAX_OBSERVATION_DOCUMENTS}" in response.content.decode()
    _assert_nothing_sent(notified, before)


def test_observations_need_their_text_even_with_documents(client, notified: Application) -> None:
    before = _stored_files()
    response = _send(client, notified, pdf_upload("visura.pdf"), text="  ")
    assert response.status_code == 400
    assert "Scrivi le tue osservazioni prima di inviarle." in response.content.decode()
    _assert_nothing_sent(notified, before)


def test_a_failure_after_storing_removes_the_stored_files(
    notified: Application, applicant: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the action fails once the files are on disk, the rollback leaves no file behind."""
    before = _stored_files()

    def failing_finish(*args: object, **kwargs: object) -> None:
        assert _stored_files() - before, "the attachments are on disk when the action fails"
        raise RuntimeError("simulated failure while recording the action")

    monkeypatch.setattr(services, "_finish", failing_finish)
    with pytest.raises(RuntimeError):
        services.application_submit_observations(
            application_id=notified.pk,
            by=applicant,
            observations=TEXT,
            attachments=[pdf_upload("a.pdf"), pdf_upload("b.pdf")],
        )
    _assert_nothing_sent(notified, before)


def test_documents_cannot_ride_on_observations_outside_a_notice(
    client, applicant: User, officer: User, manager: User
) -> None:
    application = bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)
    client.force_login(applicant)
    response = _send(client, application, pdf_upload("visura.pdf"))
    assert response.status_code == 302
    assert not Document.objects.filter(application=application, kind=DocumentKind.OBSERVATIONS)
    assert not ProcedureRequest.objects.filter(application=application).exists()
    assert Application.objects.get(pk=application.pk).status == S.IN_REVIEW


def test_another_applicant_cannot_send_observations(
    client, notified: Application, other_applicant: User
) -> None:
    client.force_login(other_applicant)
    response = _send(client, notified, pdf_upload("visura.pdf"))
    assert response.status_code == 404
    assert notified.requests.get().closed_at is None


def test_observations_after_the_notice_is_closed_say_why_they_cannot_go(
    client, applicant: User, officer: User, manager: User
) -> None:
    application = bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)
    client.force_login(applicant)
    response = client.post(
        reverse("application_observations", args=[application.pk]), {"text": ""}, follow=True
    )
    page = response.content.decode()
    assert "non è possibile per una domanda nello stato «In istruttoria»" in page
    assert "Scrivi le tue osservazioni" not in page
