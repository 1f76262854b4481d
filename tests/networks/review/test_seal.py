"""The Region's seal on decrees: a PAdES signature over the whole PDF/A, or a recorded failure.

The seal is a real PKCS#12 key and self-signed certificate written for each
test; the signature is checked with pyHanko's validator, trusting that
certificate alone.
"""

import hashlib
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import localtime
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from networks.models import Decree, DecreeRenderStatus
from networks.sealing import (
    DEMO_SEAL_SUBJECT,
    SEAL_FIELD_NAME,
    seal_certificate,
    write_self_signed_seal,
)
from networks.services.documents import decree_render
from tests.factories import approved_application

pytestmark = pytest.mark.django_db

PASSWORD = "parola-segreta-del-sigillo"
SUBJECT = "Regione Lombardia - sigillo di prova"
# Annotation flags (ISO 32000-1, table 165) that PDF/A-2 and -3 forbid, and the one they require.
PRINT_FLAG = 4
FORBIDDEN_FLAGS = 1 | 2 | 32 | 256  # Invisible, Hidden, NoView, ToggleNoView


@pytest.fixture(params=["rsa", "ec"])
def seal(request, settings, tmp_path: Path):
    """Configure a usable seal, with an RSA key and with an ECDSA one; return its certificate."""
    path = tmp_path / "sigillo.p12"
    certificate = write_self_signed_seal(path, PASSWORD, subject=SUBJECT, key_type=request.param)
    settings.DECREE_SEAL_PKCS12 = str(path)
    settings.DECREE_SEAL_PASSWORD = PASSWORD
    return certificate


def adopted_decree(applicant, officer, manager) -> Decree:
    application = approved_application(applicant, officer, manager)
    return Decree.objects.get(application=application)


def signature_status(pdf: bytes, certificate):
    root = asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return signature, validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))


def first_revision(pdf: bytes) -> bytes:
    """Return the PDF as WeasyPrint wrote it: the bytes up to its first end-of-file marker."""
    end = pdf.index(b"%%EOF") + len(b"%%EOF")
    return pdf[: end + 1] if pdf[end : end + 1] == b"\n" else pdf[:end]


def test_an_adopted_decree_is_stored_sealed_over_the_whole_file(seal, applicant, officer, manager):
    decree = adopted_decree(applicant, officer, manager)
    assert decree.render_status == DecreeRenderStatus.RENDERED
    stored = decree.pdf.read()
    signature, status = signature_status(stored, seal)
    assert signature.field_name == SEAL_FIELD_NAME
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES, not PKCS#7
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.coverage.name == "ENTIRE_FILE"
    assert "Regione Lombardia - sigillo di prova" in status.signing_cert.subject.human_friendly
    assert signature.sig_object["/Reason"] == (
        f"Decreto n. {decree.number} del {localtime(decree.adopted_at):%d/%m/%Y} "
        "– Regione Lombardia"
    )
    # The recorded fingerprint is the sealed file's: the one the public page compares.
    assert hashlib.sha256(stored).hexdigest() == decree.sha256
    assert decree.sealed_by == (
        f"Regione Lombardia - sigillo di prova, certificato n. {seal.serial_number:x}, "
        f"valido fino al {seal.not_valid_after_utc:%d/%m/%Y}"
    )


# The information dictionary's entries and the XMP properties that must say the same
# (ISO 19005-3, 6.6.3, as ISO 19005-2).
INFO_IN_XMP = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
}


def test_the_sealed_decree_is_still_pdf_a(seal, applicant, officer, manager):
    stored = adopted_decree(applicant, officer, manager).pdf.read()
    assert first_revision(stored).rstrip().endswith(b"%%EOF")
    assert stored.startswith(first_revision(stored))  # an incremental update, nothing rewritten
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        metadata = pdf.open_metadata()
        assert (metadata["pdfaid:part"], metadata["pdfaid:conformance"]) == ("3", "B")
        assert "/OutputIntents" in pdf.Root
        assert pdf.Root.MarkInfo.Marked  # the structure tree survives the seal
        assert "/StructTreeRoot" in pdf.Root
        # PDF/A-3 is PDF 1.7: neither the header nor the catalogue may declare PDF 2.0.
        assert stored.startswith(b"%PDF-1.7")
        assert str(pdf.Root.get("/Version", "/1.7")) <= "/1.7"
        for prefix, extension in dict(pdf.Root.get("/Extensions", {})).items():
            assert str(extension.BaseVersion) <= "/1.7", prefix
        for key, property_name in INFO_IN_XMP.items():
            xmp = metadata[property_name]
            assert str(pdf.docinfo[key]) == (xmp[0] if isinstance(xmp, list) else xmp), key
        (field,) = pdf.Root.AcroForm.Fields
        assert [float(side) for side in field.Rect] == [0, 0, 0, 0]  # invisible: no appearance
        flags = int(field.F)
        assert flags & PRINT_FLAG
        assert not flags & FORBIDDEN_FLAGS
        assert "/Encrypt" not in pdf.trailer


def test_the_public_page_knows_the_sealed_file_and_not_the_unsealed_one(
    client, seal, applicant, officer, manager
):
    decree = adopted_decree(applicant, officer, manager)
    stored = decree.pdf.read()
    url = reverse("decree_verify", args=[decree.verification_code])

    def verdict(content: bytes) -> str:
        document = SimpleUploadedFile("decreto.pdf", content, content_type="application/pdf")
        return client.post(url, {"document": document}).content.decode()

    page = client.get(url).content.decode()
    assert "Sigillo elettronico (PAdES)" in page
    assert f"certificato n. {seal.serial_number:x}" in page
    assert "Il documento è autentico e integro" in verdict(stored)
    assert "Il documento NON corrisponde al decreto registrato" in verdict(first_revision(stored))


def test_a_wrong_password_is_a_recorded_failure_that_a_retry_mends(
    settings, seal, applicant, officer, manager
):
    settings.DECREE_SEAL_PASSWORD = "non-e-questa"
    decree = adopted_decree(applicant, officer, manager)
    assert decree.render_status == DecreeRenderStatus.FAILED
    assert "password errata o file PKCS#12 non valido" in decree.render_error
    assert not decree.pdf
    number = decree.number

    settings.DECREE_SEAL_PASSWORD = PASSWORD
    decree = decree_render(decree_id=decree.pk)
    assert decree.render_status == DecreeRenderStatus.RENDERED
    assert decree.number == number
    _signature, status = signature_status(decree.pdf.read(), seal)
    assert status.bottom_line


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "dates"),
    [
        (datetime(2020, 1, 1, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC), "01/01/2020"),
        (
            datetime.now(UTC) + timedelta(days=30),
            datetime.now(UTC) + timedelta(days=400),
            (datetime.now(UTC) + timedelta(days=30)).strftime("%d/%m/%Y"),
        ),
    ],
    ids=["expired", "not-yet-valid"],
)
def test_a_certificate_not_valid_today_seals_nothing(
    settings, tmp_path, applicant, officer, manager, valid_from, valid_until, dates
):
    path = tmp_path / "scaduto.p12"
    write_self_signed_seal(
        path, PASSWORD, subject=SUBJECT, valid_from=valid_from, valid_until=valid_until
    )
    settings.DECREE_SEAL_PKCS12, settings.DECREE_SEAL_PASSWORD = str(path), PASSWORD
    decree = adopted_decree(applicant, officer, manager)
    assert decree.render_status == DecreeRenderStatus.FAILED
    assert "non è valido oggi" in decree.render_error
    assert f"vale dal {dates}" in decree.render_error


def test_a_missing_seal_file_is_named_in_the_failure(
    settings, tmp_path, applicant, officer, manager
):
    settings.DECREE_SEAL_PKCS12 = str(tmp_path / "assente.p12")
    decree = adopted_decree(applicant, officer, manager)
    assert decree.render_status == DecreeRenderStatus.FAILED
    assert f"Il file del sigillo {tmp_path / 'assente.p12'} non si legge" in decree.render_error


def test_without_a_seal_the_decree_carries_no_signature(settings, applicant, officer, manager):
    settings.DECREE_SEAL_PKCS12 = ""
    decree = adopted_decree(applicant, officer, manager)
    stored = decree.pdf.read()
    assert decree.sealed_by == ""
    assert PdfFileReader(io.BytesIO(stored)).embedded_signatures == []
    assert stored.count(b"%%EOF") == 1  # one revision: WeasyPrint's


def test_the_seal_names_its_holder_and_the_organisation_when_that_says_more(settings, tmp_path):
    path = tmp_path / "direzione.p12"
    certificate = write_self_signed_seal(path, PASSWORD, subject="Sigillo DG Istruzione")
    settings.DECREE_SEAL_PKCS12, settings.DECREE_SEAL_PASSWORD = str(path), PASSWORD
    assert str(seal_certificate()) == (
        f"Sigillo DG Istruzione (Regione Lombardia), certificato n. {certificate.serial_number:x}, "
        f"valido fino al {certificate.not_valid_after_utc:%d/%m/%Y}"
    )


def test_the_demo_seal_is_made_on_first_use(settings, tmp_path, applicant, officer, manager):
    """The development settings name a demo seal that need not exist yet (decision 0007)."""
    demo = tmp_path / "var" / "demo-seal.p12"
    settings.DEMO_DECREE_SEAL = demo
    settings.DECREE_SEAL_PKCS12, settings.DECREE_SEAL_PASSWORD = str(demo), "demo-ptp-2026"
    decree = adopted_decree(applicant, officer, manager)
    assert decree.render_status == DecreeRenderStatus.RENDERED
    assert demo.exists()
    assert decree.sealed_by.startswith(DEMO_SEAL_SUBJECT + ", certificato n. ")
    (signature,) = PdfFileReader(io.BytesIO(decree.pdf.read())).embedded_signatures
    assert signature.field_name == SEAL_FIELD_NAME


def test_a_demo_seal_without_a_password_is_made_and_opens(
    settings, tmp_path, applicant, officer, manager
):
    demo = tmp_path / "demo-seal.p12"
    settings.DEMO_DECREE_SEAL = demo
    settings.DECREE_SEAL_PKCS12, settings.DECREE_SEAL_PASSWORD = str(demo), ""
    decree = adopted_decree(applicant, officer, manager)
    assert decree.render_status == DecreeRenderStatus.RENDERED, decree.render_error
    assert decree.sealed_by.startswith(DEMO_SEAL_SUBJECT)
