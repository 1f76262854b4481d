"""The Region's electronic seal on its decrees: a PAdES signature (DOMAIN.md §5).

The decree's PDF/A is sealed as an incremental update (an invisible signature
field, PAdES baseline B-B, SHA-256), so the signed bytes begin with the
rendered PDF/A unchanged and the file stays (tagged) PDF/A-3b. The key and its
certificate come from a PKCS#12 file named by ``settings.DECREE_SEAL_PKCS12``
(production: the Region's qualified seal certificate; decision 0007), opened
with ``settings.DECREE_SEAL_PASSWORD``. With no file named, decrees are not
sealed, and ``check --deploy`` says so.

pyHanko is imported here only, when a seal is applied or checked. The
development settings name a demo seal (``settings.DEMO_DECREE_SEAL``): a
self-signed certificate made on first use, worthless in law, so that the demo's
decrees show what a sealed act looks like.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from asn1crypto.x509 import Certificate
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.signers import SimpleSigner

SEAL_FIELD_NAME = "SigilloRegione"
DEMO_SEAL_SUBJECT = "Regione Lombardia - sigillo DEMO senza valore legale"
PDF_A3_VERSION = (1, 7)


class SealError(Exception):
    """The seal cannot be applied: its file, password or certificate is unusable."""


@dataclass(frozen=True)
class SealCertificate:
    """What a decree's reader learns of the seal: who holds it, until when it is valid."""

    subject: str
    serial_number: str
    valid_until: datetime

    def __str__(self) -> str:
        return (
            f"{self.subject}, certificato n. {self.serial_number}, "
            f"valido fino al {self.valid_until:%d/%m/%Y}"
        )


def seal_configured() -> bool:
    """Return whether the portal seals its decrees (a PKCS#12 file is named)."""
    return bool(str(settings.DECREE_SEAL_PKCS12 or "").strip())


def _signer() -> SimpleSigner:
    """Return pyHanko's signer for the configured seal; raise ``SealError`` if unusable."""
    from pyhanko.sign.signers import SimpleSigner

    path = Path(str(settings.DECREE_SEAL_PKCS12).strip())
    password = str(settings.DECREE_SEAL_PASSWORD or "")
    demo = settings.DEMO_DECREE_SEAL
    if demo and path == Path(demo) and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_self_signed_seal(path, password, subject=DEMO_SEAL_SUBJECT)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SealError(
            f"Il file del sigillo {path} non si legge: {error.strerror or error}."
        ) from error
    try:
        signer = SimpleSigner.load_pkcs12_data(
            data, other_certs=(), passphrase=password.encode() or None
        )
    except ValueError as error:
        raise SealError(
            f"Il file del sigillo {path} non si apre: password errata o file PKCS#12 non valido."
        ) from error
    except AttributeError as error:  # pyHanko converts the certificate the file lacks
        raise SealError(f"Il file del sigillo {path} non contiene un certificato.") from error
    certificate = signer.signing_cert
    now = datetime.now(UTC)
    validity = certificate["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= now <= validity["not_after"].native:
        raise SealError(
            f"Il certificato del sigillo ({_holder(certificate)}) non è valido "
            f"oggi: vale dal {validity['not_before'].native:%d/%m/%Y} "
            f"al {validity['not_after'].native:%d/%m/%Y}."
        )
    return signer


def seal_certificate() -> SealCertificate:
    """Return the configured seal's certificate; raise ``SealError`` if it is unusable."""
    return _certificate(_signer())


def _holder(certificate: Certificate) -> str:
    """Return the certificate holder's name, and its organisation when that says more."""
    subject = certificate.subject.native
    name = subject.get("common_name") or certificate.subject.human_friendly
    organisation = subject.get("organization_name")
    return f"{name} ({organisation})" if organisation and organisation not in name else name


def _certificate(signer: SimpleSigner) -> SealCertificate:
    certificate = signer.signing_cert
    return SealCertificate(
        subject=_holder(certificate),
        serial_number=format(certificate.serial_number, "x"),
        valid_until=certificate["tbs_certificate"]["validity"]["not_after"].native,
    )


@functools.cache
def _pdf_a3_writer_class() -> type[IncrementalPdfFileWriter]:
    """Return pyHanko's incremental writer, kept to PDF 1.7.

    PDF/A-3 is ISO 32000-1 (PDF 1.7). pyHanko declares PDF 2.0 in the catalogue, and
    registers ISO 32002's extension of PDF 2.0, for an ECDSA key on the curves of ISO
    32002; the same signature is PAdES on PDF 1.7 with the ESIC extension (ETSI EN 319
    142-1), which is what the archive needs.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class PdfA3IncrementalWriter(IncrementalPdfFileWriter):
        def ensure_output_version(self, version: tuple[int, int]) -> None:
            super().ensure_output_version(min(version, PDF_A3_VERSION))

        def register_extension(self, ext: Any) -> None:
            # An extension of PDF 2.0 (ISO 32002's) would declare a base the file is not.
            if str(ext.base_version).lstrip("/") <= "1.7":
                super().register_extension(ext)

    return PdfA3IncrementalWriter


def _name_the_producer(writer: IncrementalPdfFileWriter) -> None:
    """Give the information dictionary the producer that pyHanko writes into the XMP.

    pyHanko sets the XMP's ``pdf:Producer`` to its own name and appends that name to the
    information dictionary's ``/Producer``; PDF/A (ISO 19005-3, 6.6.3) wants the two
    equal. With its name there already, pyHanko leaves the dictionary's entry as it is.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    try:
        reference = writer.trailer.raw_get("/Info")
    except KeyError:
        return
    info = reference.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(reference)


def seal_pdf(pdf: bytes, *, reason: str, location: str) -> tuple[bytes, SealCertificate]:
    """Return ``pdf`` with the Region's seal appended, and the seal's certificate.

    ``reason`` and ``location`` go into the signature dictionary, where PDF
    readers show them beside the signer. Raise ``SealError`` if the seal cannot
    be applied.
    """
    from pyhanko.sign import fields, signers

    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    signer = _signer()
    writer = _pdf_a3_writer_class()(io.BytesIO(pdf))
    _name_the_producer(writer)
    sealed = signers.sign_pdf(writer, metadata, signer=signer)
    return sealed.getvalue(), _certificate(signer)


def write_self_signed_seal(
    path: Path,
    password: str,
    *,
    subject: str,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    key_type: str = "rsa",
) -> Any:
    """Write a self-signed seal (key and certificate) to ``path`` as PKCS#12; return the certificate.

    For the demo and the tests only: no one trusts it. By default the certificate is valid
    from yesterday for a year, with an RSA key (``key_type="ec"``: ECDSA on P-256). The file
    appears whole or not at all (written aside, then renamed).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        NoEncryption,
        pkcs12,
    )
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    key = (
        ec.generate_private_key(ec.SECP256R1())
        if key_type == "ec"
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Regione Lombardia"),
            x509.NameAttribute(NameOID.COMMON_NAME, subject),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from or now - timedelta(days=1))
        .not_valid_after(valid_until or now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    encryption = BestAvailableEncryption(password.encode()) if password else NoEncryption()
    data = pkcs12.serialize_key_and_certificates(b"sigillo", key, certificate, None, encryption)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".sigillo-")
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.replace(temporary, path)
    return certificate
