"""``manage.py render_document``: decrees and receipts as PDF from the command line."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from networks.models import Decree, DecreeRenderStatus
from tests.factories import approved_application, submitted_application

pytestmark = pytest.mark.django_db


def test_writes_a_decree_pdf(tmp_path: Path, applicant, officer, manager) -> None:
    """Renders the decree of an approved application into the output file."""
    application = approved_application(applicant, officer, manager)
    decree = Decree.objects.get(application=application)
    output = tmp_path / "decreto.pdf"
    call_command("render_document", "decree", str(decree.pk), "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF")


def test_writes_a_receipt_pdf(tmp_path: Path, applicant) -> None:
    """Renders the receipt of a submitted version into the output file."""
    version = submitted_application(applicant).versions.get()
    output = tmp_path / "ricevuta.pdf"
    call_command("render_document", "receipt", str(version.pk), "-o", str(output))
    assert output.read_bytes().startswith(b"%PDF")


def test_writes_to_standard_output_by_default(capsysbinary, applicant) -> None:
    """Writes the PDF bytes to stdout when no output file is given."""
    version = submitted_application(applicant).versions.get()
    call_command("render_document", "receipt", str(version.pk))
    assert capsysbinary.readouterr().out.startswith(b"%PDF")


def test_store_renders_a_failed_decree_again(tmp_path: Path, applicant, officer, manager) -> None:
    """Stores the PDF of a decree whose rendering had failed, and writes the stored file."""
    application = approved_application(applicant, officer, manager)
    decree = Decree.objects.get(application=application)
    Decree.objects.filter(pk=decree.pk).update(
        render_status=DecreeRenderStatus.FAILED, pdf="", sha256=""
    )
    output = tmp_path / "archiviato.pdf"
    call_command("render_document", "decree", str(decree.pk), "--store", "--output", str(output))
    decree.refresh_from_db()
    assert decree.render_status == DecreeRenderStatus.RENDERED
    assert decree.sha256
    assert output.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("decree", "Il decreto 999999 non esiste."),
        ("receipt", "La versione presentata 999999 non esiste."),
    ],
)
@pytest.mark.parametrize("store", [False, True])
def test_unknown_ids_fail_with_an_italian_message(kind: str, message: str, store: bool) -> None:
    """Exits with an error (non-zero status) and says which record is missing."""
    arguments = ["render_document", kind, "999999", *(["--store"] if store else [])]
    with pytest.raises(CommandError, match=message):
        call_command(*arguments)


@pytest.mark.parametrize("where", ["missing/ricevuta.pdf", "."])
def test_an_output_that_cannot_be_written_is_an_italian_error(tmp_path: Path, applicant, where):
    """A missing folder or a folder given as the file: a CommandError, not a traceback."""
    version = submitted_application(applicant).versions.get()
    with pytest.raises(CommandError, match="Impossibile scrivere il PDF in"):
        call_command("render_document", "receipt", str(version.pk), "-o", str(tmp_path / where))
