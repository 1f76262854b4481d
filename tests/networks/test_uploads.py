"""A file over every upload limit is counted, not written to the temporary directory."""

import os

import pytest
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse

from networks import uploads
from networks.uploads import CappedTemporaryFileUploadHandler, OversizedUpload
from tests.factories import draft_application, pdf_upload

MEGABYTE = 1024 * 1024


def feed(handler: CappedTemporaryFileUploadHandler, total: int, chunk: int = 64 * 1024):
    """Pass ``total`` bytes to ``handler`` as the multipart parser does; return the file."""
    handler.new_file("campo", "grande.pdf", "application/pdf", total)
    temporary_path = handler.file.temporary_file_path()
    received = 0
    while received < total:
        size = min(chunk, total - received)
        handler.receive_data_chunk(b"0" * size, received)
        received += size
    return handler.file_complete(received), temporary_path


def test_a_file_within_the_limit_is_spooled_whole():
    uploaded, path = feed(CappedTemporaryFileUploadHandler(), 3 * 64 * 1024)
    assert not isinstance(uploaded, OversizedUpload)
    assert uploaded.size == 3 * 64 * 1024
    assert os.path.getsize(path) == 3 * 64 * 1024
    assert len(uploaded.read()) == 3 * 64 * 1024
    uploaded.close()


def test_a_file_over_the_limit_keeps_its_size_and_leaves_no_file(monkeypatch):
    monkeypatch.setattr(uploads, "SPOOL_LIMIT_BYTES", 4 * 64 * 1024)
    handler = CappedTemporaryFileUploadHandler()
    uploaded, path = feed(handler, 4 * 64 * 1024 + 1)
    assert isinstance(uploaded, OversizedUpload)
    assert uploaded.size == 4 * 64 * 1024 + 1
    assert uploaded.name == "grande.pdf"
    assert not os.path.exists(path)
    with pytest.raises(SuspiciousOperation):
        uploaded.read()
    with pytest.raises(SuspiciousOperation):
        list(uploaded.chunks())


def test_the_real_limit_is_the_highest_a_call_may_set():
    from networks.models.applications import MAX_ATTACHMENT_MB

    assert uploads.SPOOL_LIMIT_BYTES == MAX_ATTACHMENT_MB * MEGABYTE


@pytest.mark.django_db
def test_an_oversized_upload_gets_the_call_limit_message(client, applicant, settings, monkeypatch):
    """Through the settings' handlers: the form refuses it by size, as before, with nothing stored."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # past the in-memory handler
    monkeypatch.setattr(uploads, "SPOOL_LIMIT_BYTES", 2 * MEGABYTE)
    oversized = []
    original = OversizedUpload.__init__

    def recording_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        oversized.append(self.size)

    monkeypatch.setattr(OversizedUpload, "__init__", recording_init)
    application = draft_application(applicant, documents=False)
    application.call.max_attachment_mb = 1
    application.call.save()
    client.force_login(applicant)
    content = b"%PDF-1.4\n" + b"0" * (3 * MEGABYTE)
    response = client.post(
        reverse("document_upload", args=[application.pk]),
        {"kind": "network_agreement", "file": pdf_upload("grande.pdf", content)},
    )
    assert response.status_code == 400  # the step again, the refusal under the agreement's field
    assert "Il file pesa 3,0 MB: il limite dell&#x27;avviso è 1 MB" in response.content.decode()
    assert oversized == [len(content)]
    assert not application.documents.exists()
