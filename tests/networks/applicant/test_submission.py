"""Building and submitting an application through the services: snapshot, protocol, receipt, mail."""

import io
import re
import resource
import zlib

import pikepdf
import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from networks.constants import ApplicationStatus, DocumentKind
from networks.models import ApplicationVersion, AuditEvent, ImmutableRecordError
from networks.services import applications as services
from networks.services import workflow
from networks.workflow import InvalidTransition, NotAllowed
from tests.factories import CallFactory, draft_application, pdf_upload, submitted_application
from tests.procedure import working_day

pytestmark = pytest.mark.django_db


def test_submission_freezes_a_verifiable_snapshot_with_protocol_receipt_and_mail(applicant):
    application = submitted_application(applicant)
    assert application.status == ApplicationStatus.SUBMITTED
    assert re.fullmatch(r"\d{4}/\d{7}", application.protocol_number)
    version = application.versions.get()
    assert version.number == 1
    assert version.network["format"] == "ptp-network/1"
    assert version.network["name"] == "Polo Meccatronica Lombardo"
    assert version.verdict["verdict"] in {"eligible", "eligible_with_warnings"}
    kinds = sorted(document["kind"] for document in version.documents)
    assert kinds == ["commitment", "commitment", "network_agreement"]
    assert all(len(document["sha256"]) == 64 for document in version.documents)
    assert workflow.verify_version(version)
    with version.receipt.open("rb") as handle:
        pdf = pikepdf.open(handle)
        assert len(pdf.pages) >= 1
    assert [message.to for message in mail.outbox] == [["referente@example.org"]]
    assert application.protocol_number in mail.outbox[0].subject
    assert version.sha256 in mail.outbox[0].body


def test_snapshot_hash_is_stable_and_detects_tampering(applicant):
    version = submitted_application(applicant).versions.get()
    assert workflow.verify_version(ApplicationVersion.objects.get(pk=version.pk))
    ApplicationVersion.objects.filter(pk=version.pk).update(
        network={**version.network, "name": "Altro"}
    )
    assert not workflow.verify_version(ApplicationVersion.objects.get(pk=version.pk))


def test_a_submitted_version_cannot_be_changed_or_deleted(applicant):
    version = submitted_application(applicant).versions.get()
    version.network = {"format": "ptp-network/1", "members": []}
    with pytest.raises(ImmutableRecordError):
        version.save()
    with pytest.raises(ImmutableRecordError):
        ApplicationVersion.objects.get(pk=version.pk).delete()


def test_the_network_cannot_be_edited_after_submission(applicant):
    application = submitted_application(applicant)
    member = application.members.exclude(is_lead=True).first()
    with pytest.raises(services.ApplicationError, match="non si può modificare"):
        services.application_member_remove(member=member, by=applicant)


def test_blocking_failures_prevent_submission_and_say_what_to_fix(applicant):
    application = draft_application(applicant)
    company = application.members.filter(organisation__kind="company").first()
    services.application_member_remove(member=company, by=applicant)
    with pytest.raises(workflow.SubmissionBlocked) as blocked:
        workflow.application_submit(application_id=application.pk, by=applicant)
    assert any(
        problem.startswith("PTP-COMPANIES") and "Aggiungi" in problem
        for problem in blocked.value.problems
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.protocol_seq is None


def test_missing_documents_prevent_submission(applicant):
    application = draft_application(applicant, documents=False)
    with pytest.raises(workflow.SubmissionBlocked) as blocked:
        workflow.application_submit(application_id=application.pk, by=applicant)
    problems = " ".join(blocked.value.problems)
    assert "accordo di rete" in problems
    assert "Allega la dichiarazione d'impegno" in problems  # the commitment rule's hint, once


def test_only_a_representative_can_submit(applicant, other_applicant):
    application = draft_application(applicant)
    with pytest.raises(NotAllowed):
        workflow.application_submit(application_id=application.pk, by=other_applicant)


def test_a_closed_call_refuses_new_drafts_and_submissions(applicant):
    application = draft_application(applicant)
    from datetime import timedelta

    from django.utils import timezone

    call = application.call
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save()
    with pytest.raises(InvalidTransition, match="è chiuso"):
        workflow.application_submit(application_id=application.pk, by=applicant)
    with pytest.raises(services.ApplicationError, match="non è aperto"):
        services.application_create(
            call=CallFactory(closed=True),
            organisation=application.applicant_organisation,
            by=applicant,
        )


def test_protocol_numbers_are_consecutive(applicant):
    first = submitted_application(applicant)
    second = submitted_application(applicant)
    assert second.protocol_seq == first.protocol_seq + 1


def pdf_without_pages() -> bytes:
    """Return a well-formed PDF with no page (qpdf writes it; no reader shows anything)."""
    buffer = io.BytesIO()
    pikepdf.new().save(buffer)
    return buffer.getvalue()


def pdf_with(build) -> bytes:
    """Return a one-page PDF after ``build(pdf)`` has added its objects."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    build(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def open_action_script(pdf) -> None:
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('ciao')")
    )


def named_script(pdf) -> None:
    script = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x"))
    )
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("avvio"), script]))
    )


def link_with(action):
    def build(pdf) -> None:
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 100, 20],
            A=action,
        )
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))

    return build


def xfa_form(pdf) -> None:
    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp><script>x</script></xdp:xdp>")
    )


def attached_pdf(pdf) -> None:
    inner = pdf_with(open_action_script)
    pdf.attachments["allegato.pdf"] = pikepdf.AttachedFileSpec(pdf, inner)


def attachment_annotation(pdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, b"qualunque cosa", filename="nota.txt")
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=[0, 0, 20, 20],
        FS=spec.obj,
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(note)]))


def opening_with(action):
    def build(pdf) -> None:
        pdf.Root.OpenAction = action

    return build


def page_shown_with(action):
    def build(pdf) -> None:
        pdf.pages[0].AA = pikepdf.Dictionary(O=action)

    return build


def going_on_to(action):
    """Return an innocent action (go to the first page) that chains ``action`` with /Next."""
    return pikepdf.Dictionary(
        S=pikepdf.Name.GoTo, D=pikepdf.Array([0, pikepdf.Name.Fit]), Next=action
    )


def with_object_stream(packed: bytes, *, first: int = 4, filters: bytes = b"/FlateDecode") -> bytes:
    """Return a PDF whose /OpenAction is object 5, kept in the object stream ``packed``
    (``first``: where object 5 starts in it once unpacked, after its header «5 0 »)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []

    def add(text: bytes) -> None:
        offsets.append(len(out))
        out.extend(b"%d 0 obj\n" % len(offsets) + text + b"\nendobj\n")

    add(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>")
    add(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>")
    add(
        b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter %s >>" % (first, len(packed), filters)
        + b"\nstream\n"
        + packed
        + b"\nendstream"
    )
    xref_at = len(out)
    # Cross-reference stream rows: type, offset (or object stream), generation (or index).
    rows = [bytes([0]) + (0).to_bytes(4, "big") + b"\xff\xff"]
    rows += [bytes([1]) + offset.to_bytes(4, "big") + b"\0\0" for offset in offsets]
    rows += [bytes([2]) + (4).to_bytes(4, "big") + b"\0\0"]  # object 5, in object stream 4
    rows += [bytes([1]) + xref_at.to_bytes(4, "big") + b"\0\0"]
    table = b"".join(rows)
    out.extend(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return bytes(out)


def unreadable_object_stream() -> bytes:
    """A script kept in an object stream cut short: qpdf reads on without it, a reader may not."""
    packed = zlib.compress(b"5 0 << /S /JavaScript /JS (app.alert\\(1\\)) >>")
    assert "contiene codice JavaScript" in refusal(with_object_stream(packed))
    return with_object_stream(packed[:-6])


def refusal(content: bytes) -> str:
    from networks.services.applications import check_pdf

    try:
        check_pdf(pdf_upload("prova.pdf", content), max_bytes=10 << 20)
    except ValidationError as error:
        return error.messages[0]
    return ""


def lying_page_count() -> bytes:
    """Return a one-page PDF whose page tree says it has 50,000 pages."""
    content = pdf_with(lambda pdf: None)
    assert content.count(b"/Count 1") == 1
    return content.replace(b"/Count 1", b"/Count 50000")


def many_pages(pdf) -> None:
    for _ in range(2_000):
        pdf.add_blank_page()


submit_form = pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://x.example"))
remote_file = pikepdf.Dictionary(S=pikepdf.Name.GoToR, F=pikepdf.String("\\\\host\\share\\a.pdf"))
web_address = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://x.example"))
launch_link = link_with(pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")))
web_link = link_with(
    pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org"))
)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"PK\x03\x04 not a pdf", "non è un PDF"),
        (b"", "vuoto"),
        (b"<html><body>%PDF-</body></html>", "non è un PDF"),
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>", "PDF danneggiato o incompleto"),
        (b"%PDF-1.4\n%%EOF\n", "PDF danneggiato o incompleto"),
        (pdf_without_pages(), "non ha pagine"),
        (pdf_with(open_action_script), "contiene codice JavaScript"),
        (pdf_with(named_script), "contiene codice JavaScript"),
        (pdf_with(launch_link), "comandi che avviano programmi"),
        (pdf_with(xfa_form), "è un modulo XFA"),
        (pdf_with(attached_pdf), "contiene altri file al suo interno"),
        (pdf_with(attachment_annotation), "contiene altri file al suo interno"),
        (pdf_with(opening_with(submit_form)), "appena aperto, invia dati o apre da sé"),
        (pdf_with(opening_with(remote_file)), "appena aperto, invia dati o apre da sé"),
        (pdf_with(opening_with(web_address)), "appena aperto, invia dati o apre da sé"),
        (pdf_with(page_shown_with(web_address)), "appena aperto, invia dati o apre da sé"),
        (pdf_with(opening_with(going_on_to(web_address))), "appena aperto, invia dati o apre"),
        (pdf_with(opening_with(going_on_to(pikepdf.Array([submit_form])))), "appena aperto"),
        (unreadable_object_stream(), "PDF danneggiato o incompleto"),
        (lying_page_count(), "ha più di 2000 pagine"),
        (pdf_with(many_pages), "ha più di 2000 pagine"),
    ],
)
def test_uploads_are_checked_by_content(applicant, content, fragment):
    application = draft_application(applicant, documents=False)
    with pytest.raises(ValidationError, match=fragment):
        services.document_upload(
            application=application,
            kind=DocumentKind.NETWORK_AGREEMENT,
            uploaded=pdf_upload("accordo.pdf", content),
            by=applicant,
        )
    assert not application.documents.exists()


def unpacking_to_a_gigabyte() -> bytes:
    """Return a PDF of a few kilobytes whose object 5 lives in an object stream that,
    compressed twice, unpacks to 1 GiB: a reader must unpack it all to find the object."""
    compressor = zlib.compressobj(9)
    padding = b" " * (1 << 20)
    body = [compressor.compress(b"5 0 ")]
    body += [compressor.compress(padding) for _ in range(1024)]
    body += [compressor.compress(b"<< /Foo 1 >>"), compressor.flush()]
    return with_object_stream(
        zlib.compress(b"".join(body), 9),
        first=len(b"5 0 ") + (1 << 30),
        filters=b"[/FlateDecode /FlateDecode]",
    )


def test_a_small_pdf_that_unpacks_to_a_gigabyte_is_refused_without_the_worker_holding_it(
    applicant,
):
    """The file is looked into in a child process with bounded memory (networks.pdfcheck)."""
    content = unpacking_to_a_gigabyte()
    assert len(content) < 20_000
    application = draft_application(applicant, documents=False)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ValidationError, match="è troppo complesso da verificare"):
        services.document_upload(
            application=application,
            kind=DocumentKind.NETWORK_AGREEMENT,
            uploaded=pdf_upload("accordo.pdf", content),
            by=applicant,
        )
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 200 * 1024
    assert not application.documents.exists()


def test_a_pdf_with_web_links_is_accepted(applicant):
    application = draft_application(applicant, documents=False)
    document = services.document_upload(
        application=application,
        kind=DocumentKind.NETWORK_AGREEMENT,
        uploaded=pdf_upload("accordo.pdf", pdf_with(web_link)),
        by=applicant,
    )
    assert application.documents.get() == document


def test_uploads_respect_the_call_size_limit(applicant):
    application = draft_application(applicant, documents=False)
    application.call.max_attachment_mb = 1
    application.call.save()
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)
    with pytest.raises(ValidationError, match="pesa 1,0 MB: il limite dell'avviso è 1 MB"):
        services.document_upload(
            application=application,
            kind=DocumentKind.NETWORK_AGREEMENT,
            uploaded=pdf_upload("grande.pdf", big),
            by=applicant,
        )


def test_uploads_get_a_random_storage_name_and_a_safe_download_name(applicant):
    application = draft_application(applicant, documents=False)
    document = services.document_upload(
        application=application,
        kind=DocumentKind.NETWORK_AGREEMENT,
        uploaded=pdf_upload('../../etc/Accordo di rete "firmato".exe.pdf'),
        by=applicant,
    )
    assert ".." not in document.file.name
    assert "Accordo" not in document.file.name
    assert document.original_name == "accordo-di-rete-firmatoexe.pdf"


def test_a_stale_revision_is_refused_and_changes_nothing(applicant):
    application = draft_application(applicant)
    stale = application.revision
    services.application_update_details(
        application=application, by=applicant, revision=stale, data={"name": "Prima scheda"}
    )
    with pytest.raises(services.ConcurrentEditError, match="modificata"):
        services.application_update_details(
            application=application, by=applicant, revision=stale, data={"name": "Seconda scheda"}
        )
    application.refresh_from_db()
    assert application.name == "Prima scheda"


def test_integration_round_gives_a_new_version_and_resumes_the_review(applicant, officer):

    from networks.diff import network_diff
    from tests.factories import OrganisationFactory

    application = submitted_application(applicant)
    workflow.application_take_charge(application_id=application.pk, by=officer)
    workflow.application_request_integration(
        application_id=application.pk,
        by=officer,
        text="Aggiungete un'università.",
        deadline=working_day(15),
    )
    application.refresh_from_db()
    services.application_member_add(
        application=application,
        organisation=OrganisationFactory(university=True, name="Politecnico"),
        by=applicant,
    )
    version = workflow.application_resubmit(
        application_id=application.pk, by=applicant, note="Aggiunto il Politecnico."
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert version.number == 2
    assert application.requests.get().answer == "Aggiunto il Politecnico."
    old, new = application.versions.order_by("number")
    assert "Entra nella rete: Politecnico" in network_diff(old.network, new.network)


def test_withdrawal_needs_a_reason_and_is_recorded(applicant):
    application = submitted_application(applicant)
    with pytest.raises(InvalidTransition, match="motivazione"):
        workflow.application_withdraw(application_id=application.pk, by=applicant, reason=" ")
    workflow.application_withdraw(
        application_id=application.pk, by=applicant, reason="La rete si è sciolta."
    )
    event = AuditEvent.objects.filter(application=application).last()
    assert (event.from_status, event.to_status, event.note) == (
        "submitted",
        "withdrawn",
        "La rete si è sciolta.",
    )


def test_a_failing_disk_refuses_the_upload_cleanly(applicant, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    application = draft_application(applicant, documents=False)
    written = []

    def fail_after_writing(self, name, content, max_length=None):
        path = self.path(name)
        import os

        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4 parziale")
        written.append(path)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "save", fail_after_writing)
    with pytest.raises(services.ApplicationError, match="spazio di archiviazione"):
        services.document_upload(
            application=application,
            kind=DocumentKind.NETWORK_AGREEMENT,
            uploaded=pdf_upload("accordo.pdf"),
            by=applicant,
        )
    import os

    assert written
    assert not os.path.exists(written[0])
    assert not application.documents.exists()


def test_a_draft_cannot_be_withdrawn_so_officers_never_see_it(applicant, officer):
    """Nothing was filed: withdrawing a draft is refused and the desk stays without it."""
    from networks.selectors import applications_visible_to

    application = draft_application(applicant)
    with pytest.raises(InvalidTransition):
        workflow.application_withdraw(
            application_id=application.pk, by=applicant, reason="Non la presentiamo."
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not applications_visible_to(officer).filter(pk=application.pk).exists()


def test_the_status_mail_names_the_status_of_its_own_event(applicant, officer):
    """Two actions before the mail goes: each mail still says the status its action led to."""

    from networks.services.notifications import notify_event

    application = submitted_application(applicant)
    workflow.application_take_charge(application_id=application.pk, by=officer)
    taken = AuditEvent.objects.get(application=application, action="take_charge")
    workflow.application_request_integration(
        application_id=application.pk,
        by=officer,
        text="Manca l'accordo firmato.",
        deadline=working_day(10),
    )
    mail.outbox.clear()
    notify_event(event_id=taken.pk)
    assert mail.outbox
    assert all(IN_REVIEW_LABEL in message.subject for message in mail.outbox)


IN_REVIEW_LABEL = str(ApplicationStatus.IN_REVIEW.label)


def test_what_blocks_a_submission_is_written_in_sentences_with_one_full_stop(applicant):
    """The companies' names end in «S.r.l.»: the commitment rule's message gets no second stop."""
    application = draft_application(applicant, documents=False)
    verdict = workflow.evaluate_application(application)
    problems = workflow.submission_problems(application, verdict)
    commitment = next(p for p in problems if p.startswith("PTP-COMPANY-COMMITMENT"))
    assert "S.r.l. Allega" in commitment
    assert not [p for p in problems if ".." in p]


def test_a_missing_commitment_is_asked_for_once(applicant):
    """The rule names the unsigned companies; the list of documents does not repeat them."""
    application = draft_application(applicant, documents=False)
    verdict = workflow.evaluate_application(application)
    problems = workflow.submission_problems(application, verdict)
    companies = [
        member.organisation.name
        for member in application.members.filter(organisation__kind="company")
    ]
    assert companies
    for name in companies:
        assert len([p for p in problems if name in p]) == 1, problems
    # Declared signed in a network file but with no PDF: the document is still asked for.
    application.members.filter(organisation__kind="company").update(commitment_signed=True)
    verdict = workflow.evaluate_application(application)
    problems = workflow.submission_problems(application, verdict)
    for name in companies:
        assert f"Carica la dichiarazione di impegno firmata di {name} (PDF)." in problems


def test_a_checker_that_cannot_run_refuses_as_its_own_fault_and_the_deploy_check_says_so(
    applicant, monkeypatch, caplog
):
    """A server started by an interpreter that is gone: no file is blamed in silence."""
    from networks import checks, pdfcheck

    monkeypatch.setattr(pdfcheck.sys, "executable", "/nonexistent/python3.13")
    application = draft_application(applicant, documents=False)
    with pytest.raises(ValidationError, match="per un guasto del portale e non del file"):
        services.document_upload(
            application=application,
            kind=DocumentKind.NETWORK_AGREEMENT,
            uploaded=pdf_upload("accordo.pdf"),
            by=applicant,
        )
    assert "The PDF checker cannot run" in caplog.text
    [error] = checks.check_pdf_checker(None)
    assert error.id == "networks.E008"
    monkeypatch.undo()
    assert checks.check_pdf_checker(None) == []
