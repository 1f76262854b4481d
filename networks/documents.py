"""Render the portal's official documents (decrees, submission receipts) as PDF/A.

Contract: a document is a frozen dataclass view-model that the caller builds
from the ORM; this module never queries the database. Each document has one
template, and :func:`render_pdf` returns both the HTML and the PDF, so tests
assert on the HTML and the archive keeps the PDF (tagged PDF/A-3b, DOMAIN.md §5).

Documents are administrative acts of an Italian region: they are rendered in
Italian and in Rome's time zone whatever the request activated, and their
text lives in the templates without translation tags.

WeasyPrint is imported inside :func:`render_pdf` because it loads Pango and
fontconfig, which the many requests that never render a PDF should not pay
for. Its URL fetcher serves only the files that the staticfiles finders
resolve under ``STATIC_URL``: a document never reaches the network or any other
file, and its fonts (Titillium Web, shipped in ``static/ptp/fonts``) never
depend on what the server has installed.
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import mimetypes
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import qrcode
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.pil import PilImage

from networks.constants import DecreeKind

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/a-3b"
# Tagged: headings, lists, paragraphs and the QR code's text alternative in a structure tree,
# in the document's language, for screen readers (decision 0011).
PDF_TAGS = True
QR_QUIET_ZONE = 4  # modules of white around the code
# The only resource a document may carry inline: the decree's own QR code.
QR_DATA_URL_PREFIX = "data:image/png;base64,"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The acts of the Region carry the time of its offices, not the reader's.
DOCUMENT_TIME_ZONE = ZoneInfo("Europe/Rome")
DOCUMENT_LANGUAGE = "it"

RULE_STATUSES = ("pass", "warning", "fail")
OUTCOME_LABELS = {
    "pass": "Soddisfatto",
    "warning": "Con osservazioni",
    "fail": "Non soddisfatto",
}


class DocumentResourceError(ValueError):
    """A document refers to a resource outside the project's static files."""


@dataclass(frozen=True)
class MemberRow:
    """One member of the network: a line of Annex A and of the receipt's member list."""

    name: str
    kind_label: str
    identifier: str  # school code, partita IVA or accreditation id ("" if none)
    province: str
    is_lead: bool
    notes: str = ""  # e.g. "socio fondatore dell'ITS"
    identifier_label: str = "codice"  # what the identifier is, e.g. "partita IVA"


@dataclass(frozen=True)
class RuleRow:
    """The outcome of one eligibility rule, as the review recorded it."""

    code: str
    description: str
    citation: str
    status: str  # "pass" | "warning" | "fail"
    message: str
    assessment: str = ""  # the officer's written assessment of a warning

    def __post_init__(self) -> None:
        if self.status not in RULE_STATUSES:
            raise ValueError(f"Unknown rule status {self.status!r} for rule {self.code}.")

    @property
    def citation_in_brackets(self) -> str:
        """Return the citation to print inside round brackets: its own become square ones.

        «(DGR X/124/2013 [accordo di rete: capofila])», as Italian typesetting nests them.
        """
        return self.citation.replace("(", "[").replace(")", "]")

    @property
    def outcome_label(self) -> str:
        """Return the Italian label of the outcome, as the decree writes it."""
        return OUTCOME_LABELS[self.status]

    @property
    def message_sentence(self) -> str:
        """Return the rule's message as a sentence of the decree (``as_sentence``)."""
        return as_sentence(self.message)

    @property
    def assessment_sentence(self) -> str:
        """Return the officer's assessment as a sentence of the decree (``as_sentence``)."""
        return as_sentence(self.assessment)


def as_sentence(text: str) -> str:
    """Return ``text`` on one line, single-spaced, ending with one full stop.

    What a rule or an officer wrote may end with a name, a bracket, doubled
    punctuation or none: in the decree each such text is a sentence of its own.
    """
    text = " ".join(text.split())
    text = re.sub(r"([.,;:!?])\1+$", r"\1", text)
    if text and text[-1] not in ".!?…":
        text = text.rstrip(",;:") + "."
    return text


@dataclass(frozen=True)
class DecreeDocument:
    """A decree recognising a polo, or refusing to (DOMAIN.md §5)."""

    kind: str  # "approval" | "rejection"
    number: int
    year: int
    adopted_on: date
    place: str  # e.g. "Milano"
    region: str
    directorate: str
    polo_name: str
    area_name: str
    call_title: str
    ruleset_title: str
    protocol_number: str
    submitted_at: datetime  # aware; shown in Europe/Rome
    officer_name: str  # responsabile del procedimento
    signer_name: str
    signer_title: str  # e.g. "Il Dirigente"
    lead_partner_name: str
    rules: tuple[RuleRow, ...]
    members: tuple[MemberRow, ...]
    obligations: tuple[str, ...] = ()  # extra DECRETA points, e.g. join an ITS
    # The organisation that filed the application, when it is not the lead partner ("": it is).
    applicant_name: str = ""
    # PRESO ATTO items after the application's: each request to the applicant (integrations,
    # 10-bis notice) and how it ended.
    procedure_steps: tuple[str, ...] = ()
    reasons: str = ""  # rejection: the reasons
    observations_response: str = ""  # rejection: why the observations were not accepted
    recognition_period: str = ""  # e.g. "dal 23/11/2026 al 31/08/2029"
    verification_code: str = ""
    verification_url: str = ""

    def __post_init__(self) -> None:
        if self.kind not in DecreeKind.values:
            raise ValueError(f"Unknown decree kind {self.kind!r}.")

    @property
    def is_rejection(self) -> bool:
        """Return whether the decree refuses the recognition."""
        return self.kind == DecreeKind.REJECTION

    @property
    def has_warnings(self) -> bool:
        """Return whether any rule ended with observations for the officer to assess."""
        return any(rule.status == "warning" for rule in self.rules)

    # An approval's DECRETA points: 1 the recognition, then the obligations, the period (if
    # any) and the publication. The numbers are in the text: a list marker is a box of its
    # own for WeasyPrint.

    @property
    def numbered_obligations(self) -> tuple[tuple[int, str], ...]:
        """Return each obligation with the number of its DECRETA point (from 2)."""
        return tuple(enumerate(self.obligations, start=2))

    @property
    def period_point(self) -> int | None:
        """Return the number of the point on the recognition's period, ``None`` without one."""
        return 2 + len(self.obligations) if self.recognition_period else None

    @property
    def publication_point(self) -> int:
        """Return the number of the last point, the publication."""
        return 2 + len(self.obligations) + bool(self.recognition_period)


@dataclass(frozen=True)
class ReceiptDocument:
    """The receipt given to the applicant when an application is filed."""

    region: str
    directorate: str
    protocol_number: str
    submitted_at: datetime
    version: int
    polo_name: str
    area_name: str
    call_title: str
    applicant_organisation: str
    contact_name: str
    contact_email: str
    lead_partner_name: str
    members: tuple[MemberRow, ...]
    verdict_label: str
    rules: tuple[RuleRow, ...]
    documents: tuple[tuple[str, str], ...]  # (file name, sha256)
    snapshot_sha256: str
    deadline: date | None = None
    # When the application was first filed: a later version answers an integration request.
    filed_at: datetime | None = None

    @property
    def is_integration(self) -> bool:
        return self.version > 1


def qr_png(data: str) -> bytes:
    """Return ``data`` as a QR code in a PNG image of one pixel per module.

    The image keeps a quiet zone of four modules (ISO/IEC 18004); the stylesheet
    scales it with ``image-rendering: pixelated``, so the modules stay sharp and
    the PDF image is not interpolated (which PDF/A forbids). A 1-bit PNG costs
    WeasyPrint about a third of the same code drawn as an SVG path.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=QR_QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_url(data: str) -> str:
    """Return the QR code of ``data`` as a ``data:`` URL the documents' fetcher accepts."""
    return QR_DATA_URL_PREFIX + base64.b64encode(qr_png(data)).decode("ascii")


def static_base_url() -> str:
    """Return the base URL of documents: a ``file:`` URL naming ``STATIC_URL``'s path.

    It names no real directory: :func:`resolve_static_url` maps what lies under
    it to the files the staticfiles finders find, so templates write paths
    relative to the static root (``ptp/documents/documents.css``) and the
    result does not depend on where the project or its apps are installed.
    """
    prefix = urlsplit(settings.STATIC_URL).path.strip("/")
    return f"file:///{prefix}/" if prefix else "file:///"


def decode_qr_data_url(url: str) -> bytes:
    """Return the PNG image in a QR code's ``data:`` URL; raise ``DocumentResourceError`` otherwise."""
    if not url.startswith(QR_DATA_URL_PREFIX):
        raise DocumentResourceError(f"Not a PNG data URL: {url[:60]}")
    try:
        image = base64.b64decode(url.removeprefix(QR_DATA_URL_PREFIX), validate=True)
    except binascii.Error as error:
        raise DocumentResourceError(f"Not a base64 PNG: {url[:60]}") from error
    if not image.startswith(PNG_SIGNATURE):
        raise DocumentResourceError(f"Not a PNG image: {url[:60]}")
    return image


def resolve_static_url(url: str) -> Path:
    """Return the static file that ``url`` names; raise ``DocumentResourceError`` otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
        raise DocumentResourceError(f"Only local static files may be used in documents: {url}")
    root = urlsplit(static_base_url()).path
    path = unquote(parts.path)
    if not path.startswith(root):
        raise DocumentResourceError(f"Not under STATIC_URL: {url}")
    name = path.removeprefix(root)
    if not name or any(segment in {"", ".", ".."} for segment in name.split("/")):
        raise DocumentResourceError(f"Not a static file name: {url}")
    found = finders.find(name)
    if not found:
        raise DocumentResourceError(f"No static file {name!r}: {url}")
    return Path(found)


@functools.cache
def _static_url_fetcher_class() -> type[URLFetcher]:
    """Return the fetcher class; defined here so that WeasyPrint is imported only when used."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesURLFetcher(URLFetcher):
        """Serve the static files that documents use, and nothing else."""

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            if url.startswith(QR_DATA_URL_PREFIX):
                return URLFetcherResponse(
                    url, decode_qr_data_url(url), {"Content-Type": "image/png"}
                )
            path = resolve_static_url(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesURLFetcher


@functools.cache
def static_url_fetcher() -> URLFetcher:
    """Return the WeasyPrint URL fetcher that serves only the project's static files.

    A refused or missing resource stops the rendering: an act rendered without
    its stylesheet or fonts must not reach the archive. The fetcher keeps no
    state between fetches, so one instance serves every rendering and the
    HTTPS context that WeasyPrint's base class builds (tens of milliseconds,
    never used here) is built once.
    """
    return _static_url_fetcher_class()(fail_on_errors=True)


def render_pdf(template_name: str, context: dict[str, Any]) -> tuple[str, bytes]:
    """Render ``template_name`` to HTML and to a tagged PDF/A-3b document; return both."""
    with translation.override(DOCUMENT_LANGUAGE), timezone.override(DOCUMENT_TIME_ZONE):
        html = render_to_string(template_name, context)

    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    try:
        pdf = HTML(
            string=html, base_url=static_base_url(), url_fetcher=static_url_fetcher()
        ).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=PDF_TAGS)
    except FatalURLFetchingError as error:
        # WeasyPrint's fatal error is a BaseException; callers handle an ordinary one.
        raise DocumentResourceError(f"{error}: {error.__cause__}") from error.__cause__
    return html, pdf


def render_decree(document: DecreeDocument) -> tuple[str, bytes]:
    """Render a recognition or rejection decree; return its HTML and PDF/A bytes."""
    qr_code = qr_data_url(document.verification_url) if document.verification_url else ""
    return render_pdf("documents/decree.html", {"document": document, "qr_code": qr_code})


def render_receipt(document: ReceiptDocument) -> tuple[str, bytes]:
    """Render the receipt of a filed application; return its HTML and PDF/A bytes."""
    return render_pdf("documents/receipt.html", {"document": document})
