"""Uploads larger than any limit of the portal are counted, not spooled to disk.

Django writes every uploaded file to its temporary directory in full before
a form or the CSRF check can look at it, so one request could fill the disk
with a file the portal would then refuse. ``CappedTemporaryFileUploadHandler``
stops writing a file once it passes ``MAX_ATTACHMENT_MB`` (the highest limit
a call may set; every other upload's limit is lower) and hands on an
``OversizedUpload``: its name and true size are known, so the form's own size
check refuses it with its usual message ("Il file pesa 300,0 MB: il limite
dell'avviso è 20 MB"), and its content cannot be read by mistake.
"""

from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from networks.models.applications import MAX_ATTACHMENT_MB

SPOOL_LIMIT_BYTES = MAX_ATTACHMENT_MB * 1024 * 1024


class OversizedUpload(UploadedFile):
    """A file over every limit: name and size are real, the content was not kept."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None, extra: Any):
        super().__init__(None, name, content_type, size, charset, extra)

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise SuspiciousOperation(
            f"Il contenuto di un file di {self.size} byte non è stato conservato: "
            "va rifiutato per la dimensione prima di leggerlo."
        )

    open = read = chunks = seek = _refuse

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        return True

    def close(self) -> None:
        """Nothing to close: no file was kept."""


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """``TemporaryFileUploadHandler`` that keeps no more than ``SPOOL_LIMIT_BYTES`` of a file."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.oversized:
            return None
        if start + len(raw_data) > SPOOL_LIMIT_BYTES:
            self.oversized = True
            self.file.close()  # a NamedTemporaryFile: closing removes it
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile:
        if not self.oversized:
            return super().file_complete(file_size)
        return OversizedUpload(
            self.file_name, self.content_type, file_size, self.charset, self.content_type_extra
        )
