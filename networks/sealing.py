"""The Region's electronic seal on its decrees: a PAdES signature (DOMAIN.md §5).

The decree's PDF/A is sealed as an incremental update (an invisible signature
field, PAdES baseline B-B, SHA-256), so the signed bytes begin with the
rendered PDF/A unchanged and the file stays PDF/A-3b. The key and its
certificate come from a PKCS#12 file named by ``settings.DECREE_SEAL_PKCS12``
(production: the Region's qualified seal certificate; decision 0007), opened
with ``settings.DECREE_SEAL_PASSWORD``. With no file named, decrees are not
sealed, and ``check --deploy`` says so.

pyHanko is imported here only, when a seal is applied or checked.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

SEAL_FIELD_NAME = "SigilloRegione"


class SealError(Exception):
    """The seal cannot be applied: its file, password or certificate is unusable."""


@dataclass(frozen=True)
class SealCertificate:
    """What a decree's reader learns of the seal: who holds it, until when it is valid."""

    subject: str
    serial_number: str
    valid_until: datetime


def seal_configured() -> bool:
    """Return whether the portal seals its decrees (a PKCS#12 file is named)."""
    return bool(str(settings.DECREE_SEAL_PKCS12 or "").strip())


def _signer() -> SimpleSigner:
    """Return pyHanko's signer for the configured seal; raise ``SealError`` if unusable."""
    from pyhanko.sign.signers import SimpleSigner

    path = Path(str(settings.DECREE_SEAL_PKCS12).strip())
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SealError(
            f"Il file del sigillo {path} non si legge: {error.strerror or error}."
        ) from error
    password = str(settings.DECREE_SEAL_PASSWORD or "").encode() or None
    try:
        signer = SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=password)
    except ValueError as error:
        raise SealError(
            f"Il file del sigillo {path} non si apre: password errata o file PKCS#12 non valido."
        ) from error
    certificate = signer.signing_cert
    if certificate is None:
        raise SealError(f"Il file del sigillo {path} non contiene un certificato.")
    now = datetime.now(UTC)
    validity = certificate["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= now <= validity["not_after"].native:
        raise SealError(
            f"Il certificato del sigillo ({certificate.subject.human_friendly}) non è valido "
            f"oggi: vale dal {validity['not_before'].native:%d/%m/%Y} "
            f"al {validity['not_after'].native:%d/%m/%Y}."
        )
    return signer


def seal_certificate() -> SealCertificate:
    """Return the configured seal's certificate; raise ``SealError`` if it is unusable."""
    certificate = _signer().signing_cert
    return SealCertificate(
        subject=certificate.subject.human_friendly,
        serial_number=format(certificate.serial_number, "x"),
        valid_until=certificate["tbs_certificate"]["validity"]["not_after"].native,
    )


def seal_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """Return ``pdf`` with the Region's seal appended; raise ``SealError`` if it cannot be.

    ``reason`` and ``location`` go into the signature dictionary, where PDF
    readers show them beside the signer.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    sealed = signers.sign_pdf(writer, metadata, signer=_signer())
    return sealed.getvalue()
