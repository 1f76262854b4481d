"""PDF downloads: one response for uploaded documents, receipts and decrees, and their file names."""

import logging

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from networks.models import ApplicationVersion, Decree
from networks.services.applications import safe_download_name

logger = logging.getLogger(__name__)


def pdf_response(file: FieldFile, name: str) -> FileResponse:
    """Serve a stored PDF as an attachment under a safe ``name``; 404 if the file is gone."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        logger.error("PDF missing from storage: %s", file.name)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_download_name(name),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def decree_filename(decree: Decree) -> str:
    return f"decreto-{decree.year}-{decree.number:05d}.pdf"


def receipt_filename(version: ApplicationVersion) -> str:
    protocol = version.application.protocol_number.replace("/", "-")
    return f"ricevuta-{protocol}-v{version.number}.pdf"
