"""The decree verification page: metadata, upload check by SHA-256, public download of approvals."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.models import Decree
from tests.factories import MINIMAL_PDF, approved_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def decree(applicant, officer, manager) -> Decree:
    application = approved_application(applicant, officer, manager)
    decree = application.decrees.get()
    assert decree.render_status == "rendered"
    return decree


def upload(content: bytes, name: str = "decreto.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_shows_the_decree_metadata(client, decree):
    response = client.get(reverse("decree_verify", args=[decree.verification_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Riconoscimento" in html
    assert f"n. {decree.number} del " in html
    assert decree.application.name in html
    assert "Meccanica" in html
    assert decree.application.protocol_number in html
    assert decree.sha256 in html


def test_the_decree_keeps_the_names_it_was_adopted_with(client, decree):
    """A catalogue change after adoption changes neither the verification page nor the act."""
    from networks.services.documents import decree_document

    area, call = decree.application.area, decree.application.call
    assert (decree.area_name, decree.call_title) == (area.name, call.title)
    area.name, call.title = "Meccanica rinominata", "Avviso rinominato"
    area.save()
    call.save()
    html = client.get(reverse("decree_verify", args=[decree.verification_code])).content.decode()
    assert "Meccanica rinominata" not in html
    assert f'<dd class="col-sm-8">{decree.area_name}</dd>' in html
    document = decree_document(Decree.objects.get(pk=decree.pk))  # what a retried rendering reads
    assert (document.area_name, document.call_title) == (decree.area_name, decree.call_title)


def test_code_is_case_and_space_insensitive_through_the_form(client, decree):
    code = decree.verification_code.lower()
    response = client.get(reverse("decree_verify_form"), {"code": f"  {code} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("decree_verify", args=[decree.verification_code])


def test_code_typed_without_dashes_or_with_spaces_finds_the_decree(client, decree):
    bare = decree.verification_code.replace("-", "").lower()
    response = client.get(reverse("decree_verify_form"), {"code": " ".join(bare)})
    assert response["Location"] == reverse("decree_verify", args=[decree.verification_code])
    assert client.get(reverse("decree_verify", args=[bare])).status_code == 200


def test_a_link_with_other_parameters_shows_the_empty_form_without_errors(client, db):
    response = client.get(reverse("decree_verify_form"), {"utm_source": "qr"})
    assert response.status_code == 200
    assert "Scrivi il codice di verifica" not in response.content.decode()


def test_an_unknown_code_through_the_form_says_so_and_keeps_it(client, db):
    response = client.get(reverse("decree_verify_form"), {"code": "aaaa-bbbb-cccc-dddd"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nessun decreto del portale ha il codice di verifica «AAAA-BBBB-CCCC-DDDD»" in html
    assert 'value="aaaa-bbbb-cccc-dddd"' in html


def test_unknown_code_is_404(client, db):
    assert client.get(reverse("decree_verify", args=["AAAA-BBBB-CCCC-DDDD"])).status_code == 404


def test_the_stored_pdf_is_authentic(client, decree):
    stored = decree.pdf.read()
    assert hashlib.sha256(stored).hexdigest() == decree.sha256
    response = client.post(
        reverse("decree_verify", args=[decree.verification_code]), {"document": upload(stored)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Il documento è autentico e integro" in html
    assert "NON corrisponde" not in html


def test_an_altered_pdf_does_not_match(client, decree):
    altered = decree.pdf.read() + b"\n%altered\n"
    response = client.post(
        reverse("decree_verify", args=[decree.verification_code]), {"document": upload(altered)}
    )
    html = response.content.decode()
    assert "Il documento NON corrisponde al decreto registrato" in html
    assert hashlib.sha256(altered).hexdigest() in html


def test_refuses_a_file_that_is_not_a_pdf_by_content(client, decree):
    response = client.post(
        reverse("decree_verify", args=[decree.verification_code]),
        {"document": upload(b"MZ\x90\x00 not a pdf", name="decreto.pdf")},
    )
    assert response.status_code == 400
    assert "Il file non è un PDF" in response.content.decode()


def test_refuses_a_file_over_20_mb(client, decree):
    big = MINIMAL_PDF + b"0" * (20 * 1024 * 1024)
    response = client.post(
        reverse("decree_verify", args=[decree.verification_code]), {"document": upload(big)}
    )
    assert response.status_code in {400, 413}
    assert "20 MB" in response.content.decode()


def test_a_request_far_over_the_limit_is_refused_before_it_is_read(client, decree):
    """26 MB declared: the page says why, with status 413, without parsing the upload."""
    big = MINIMAL_PDF + b"0" * (26 * 1024 * 1024)
    response = client.post(
        reverse("decree_verify", args=[decree.verification_code]), {"document": upload(big)}
    )
    assert response.status_code == 413
    assert "Il file supera i 20 MB" in response.content.decode()


def test_uploads_are_not_stored(client, decree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.post(
        reverse("decree_verify", args=[decree.verification_code]),
        {"document": upload(MINIMAL_PDF)},
    )
    assert list(tmp_path.rglob("*")) == []


def test_downloads_an_approval_decree_as_attachment(client, decree):
    response = client.get(reverse("decree_download_public", args=[decree.verification_code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="decreto-{decree.year}-{decree.number:05d}.pdf"' in disposition
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == decree.sha256


def test_the_download_takes_the_code_as_the_verification_page_does(client, decree):
    """Lower case, without dashes: the verification page answers, and so does its PDF."""
    typed = decree.verification_code.replace("-", "").lower()
    assert client.get(reverse("decree_verify", args=[typed])).status_code == 200
    response = client.get(reverse("decree_download_public", args=[typed]))
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == decree.sha256


def test_rejection_decrees_are_verifiable_but_not_downloadable(client, register):
    decree = register.rejected.decrees.get()
    page = client.get(reverse("decree_verify", args=[decree.verification_code]))
    assert page.status_code == 200
    assert "Diniego" in page.content.decode()
    assert reverse("decree_download_public", args=[decree.verification_code]) not in (
        page.content.decode()
    )
    download = client.get(reverse("decree_download_public", args=[decree.verification_code]))
    assert download.status_code == 404


def test_a_malformed_content_length_is_a_bad_request_not_a_500(client, decree):
    """``Content-Length: abc`` reads as no body, as Django itself reads it: the form asks for a file."""
    response = client.generic(
        "POST",
        reverse("decree_verify", args=[decree.verification_code]),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="abc",
    )
    assert response.status_code == 400
    assert "Scegli il file PDF del decreto da confrontare" in response.content.decode()


def test_an_empty_code_says_where_the_code_is_printed(client, db):
    response = client.get(reverse("decree_verify_form"), {"code": "  "})
    assert response.status_code == 200
    assert (
        "Scrivi il codice di verifica stampato sul decreto, accanto al codice QR."
        in response.content.decode()
    )


def test_a_check_without_a_file_asks_for_the_pdf(client, decree):
    response = client.post(reverse("decree_verify", args=[decree.verification_code]), {})
    assert response.status_code == 400
    assert "Scegli il file PDF del decreto da confrontare" in response.content.decode()
    assert "Questo campo è obbligatorio" not in response.content.decode()
