"""Writes to applications while the applicant builds them: details, members, documents, import.

The network (members and details) can be edited in draft and while the
officer waits for integrations; every function checks that and raises
``ApplicationError`` with an Italian message that says what to do. Status
changes are not here: they go through ``networks.services.workflow``.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from eligibility.adapters import InputError, NetworkInputError, composition_from_network
from networks import pdfcheck
from networks.constants import (
    EDITABLE_STATUSES,
    FINAL_STATUSES,
    ApplicationStatus,
    DocumentKind,
    OrganisationKind,
)
from networks.models import (
    Application,
    ApplicationMember,
    AuditEvent,
    Call,
    Document,
    EconomicArea,
    Organisation,
    ProcedureRequest,
)
from networks.search import fold
from networks.selectors import unsent_integration_documents, versions_sent_with
from networks.services.organisations import (
    ImportedOrganisations,
    network_organisations_check,
    network_organisations_import,
    organisation_lock,
    organisation_register,
)
from networks.validators import (
    normalise_phone,
    validate_phone,
    validate_plain_name,
    validate_plain_text,
)

PDF_MAGIC = b"%PDF-"
MAX_INTEGRATION_DOCUMENTS = 20
# Members of one polo: the largest the decree's benchmark renders is 200. Beyond, an upload
# under the size limit (20,000 members in 850 KB) held a worker for minutes.
MAX_NETWORK_MEMBERS = 250


logger = logging.getLogger(__name__)


def _too_many_members(count: int) -> str:
    return _(
        "La rete ha %(count)s membri: una domanda ne può avere al più %(max)s. Se il polo è "
        "davvero così grande, scrivi alla Regione."
    ) % {"count": count, "max": MAX_NETWORK_MEMBERS}


# The role written for the lead partner when the portal names it: a record, always in Italian.
LEAD_ROLE = "capofila"
# The polo's texts, printed on the receipt and the decree and kept with each submitted
# version (``ApplicationVersion.details``): as long as any other text of the procedure at
# most (the form says so).
DETAIL_TEXT_FIELDS = (
    "description",
    "objectives",
    "alternanza_actions",
    "flessibilita_actions",
    "laboratories",
    "commitments",
)
DETAIL_TEXT_MAX = 10_000
DETAIL_FIELDS = (
    "name",
    "area",
    *DETAIL_TEXT_FIELDS,
    "contact_name",
    "contact_email",
    "contact_phone",
)


class ApplicationError(Exception):
    """A request the application's state does not allow; the message says what to do."""


class DraftAlreadyCreated(ApplicationError):
    """The same draft was just asked for again (a double click, the form sent twice)."""

    def __init__(self, application: Application) -> None:
        super().__init__(
            _("La bozza «%(name)s» esiste già per questo avviso e questa organizzazione.")
            % {"name": application.name}
        )
        self.application = application


class ConcurrentEditError(ApplicationError):
    """The application changed since the form was opened (another tab or user saved first)."""


def _locked_status(application: Application) -> str:
    """Lock the application's row, refresh its in-memory status and return it.

    Raise ``Http404`` if the row is gone: a draft deleted from another tab since the
    caller read it.
    """
    status = (
        Application.objects.select_for_update()
        .filter(pk=application.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status is None:
        raise Http404
    application.status = status
    return application.status


def _require_editable(application: Application) -> None:
    """Lock the application's row and raise ``ApplicationError`` unless it can be edited now.

    Call inside the writing transaction: the status is read again under the
    lock that submission and the workflow also take, so a change cannot land
    on an application that another tab submitted a moment earlier. The
    in-memory status is refreshed for the caller.
    """
    if _locked_status(application) not in EDITABLE_STATUSES:
        raise ApplicationError(not_editable_text(application))


def _touch(application: Application) -> None:
    """Record that the network or the documents of ``application`` changed now.

    The applicant's dashboard shows, and sorts by, ``updated_at``; the revision,
    which guards the details form, stays as it is.
    """
    application.updated_at = timezone.now()
    Application.objects.filter(pk=application.pk).update(updated_at=application.updated_at)


def not_editable_text(application: Application) -> str:
    """Return why ``application`` cannot be edited in its status, and when it can."""
    return _(
        "La domanda è nello stato «%(status)s» e non si può modificare: si modifica in bozza "
        "o quando l'istruttore chiede integrazioni."
    ) % {"status": application.get_applicant_status_display()}


def not_deletable_text(application: Application) -> str:
    """Return why ``application``, filed, cannot be deleted, and what the applicant can do."""
    if application.status in FINAL_STATUSES:
        return _(
            "La domanda «%(name)s» è stata presentata e il procedimento è concluso: resta agli "
            "atti e non si può eliminare."
        ) % {"name": application.name}
    return _(
        "La domanda «%(name)s» è stata presentata e resta agli atti: non si può eliminare. "
        "Finché non è decisa puoi ritirarla, scrivendo il motivo."
    ) % {"name": application.name}


def _require_integration_requested(application: Application) -> None:
    """Lock the application's row; raise ``ApplicationError`` unless integrations are awaited."""
    if _locked_status(application) != ApplicationStatus.INTEGRATION_REQUESTED:
        raise ApplicationError(
            _(
                "I documenti integrativi si caricano e si tolgono solo quando l'istruttore chiede "
                "integrazioni: la domanda è nello stato «%(status)s»."
            )
            % {"status": application.get_applicant_status_display()}
        )


@transaction.atomic
def application_create(
    *, call: Call, organisation: Organisation, by: User, name: str = ""
) -> Application:
    """Open a draft for ``organisation`` on an open call, with the organisation as lead partner.

    A draft of the same name on the same call for the same organisation is not opened twice
    (``DraftAlreadyCreated``): the second of two clicks waits on the organisation's row lock.
    """
    if not call.is_open():
        raise ApplicationError(
            _(
                "L'avviso «%(call)s» non è aperto: le domande si presentano dal %(opens)s al %(closes)s."
            )
            % {
                "call": call.title,
                "opens": timezone.localtime(call.opens_at).strftime("%d/%m/%Y %H:%M"),
                "closes": timezone.localtime(call.closes_at).strftime("%d/%m/%Y %H:%M"),
            }
        )
    name = name or _("Nuovo polo")
    organisation_lock(organisation)
    # Written again with other capitals, accents or spaces, it is the same polo's name.
    existing = Application.objects.filter(
        call=call,
        applicant_organisation=organisation,
        name__folded=fold(name),
        status=ApplicationStatus.DRAFT,
    ).first()
    if existing is not None:
        raise DraftAlreadyCreated(existing)
    application = Application(
        call=call,
        applicant_organisation=organisation,
        created_by=by,
        name=name,
    )
    application.full_clean()
    application.save()
    ApplicationMember.objects.create(
        application=application,
        organisation=organisation,
        key=_unique_key(application, organisation),
        is_lead=True,
        role=LEAD_ROLE,
    )
    AuditEvent.objects.create(
        application=application,
        at=timezone.now(),
        actor=by,
        action="create",
        to_status=ApplicationStatus.DRAFT,
    )
    return application


@transaction.atomic
def application_delete_draft(*, application: Application, by: User) -> None:
    """Delete a draft that was never submitted, with its network and every document uploaded to it.

    A draft is the applicant's work in progress, not an act: nothing was filed, no
    protocol number or version exists, and its history holds only its creation. The
    status is read again under the row lock that submission takes, so a draft
    submitted a moment ago in another tab is refused, not deleted. The organisations
    stay in the registry; the files go once the transaction has committed.
    """
    if _locked_status(application) != ApplicationStatus.DRAFT or application.protocol_number:
        raise ApplicationError(not_deletable_text(application))
    documents = list(application.documents.all())
    names = [(document.file.storage, document.file.name) for document in documents]
    application.documents.all().delete()
    # The draft's own record (its creation); AuditEvent.delete refuses to remove one event
    # of a procedure, and a draft never became one.
    AuditEvent.objects.filter(application=application).delete()
    pk = application.pk
    application.delete()  # its members go with it (CASCADE)
    logger.info("draft %s deleted by user %s with %d document(s)", pk, by.pk, len(documents))

    def remove_files() -> None:
        for storage, file_name in names:
            if not Document.objects.filter(file=file_name).exists():  # never another's file
                storage.delete(file_name)

    transaction.on_commit(remove_files)


@transaction.atomic
def application_update_details(
    *, application: Application, by: User, revision: int, data: Mapping[str, Any]
) -> Application:
    """Save the polo's details if nobody saved since ``revision``; raise ``ConcurrentEditError`` if so."""
    _require_editable(application)
    values = {name: data[name] for name in DETAIL_FIELDS if name in data}
    if "area" in values:
        _require_same_area_in_integration(
            application, getattr(values["area"], "pk", values["area"])
        )
    candidate = Application(**{**{f: getattr(application, f) for f in DETAIL_FIELDS}, **values})
    candidate.full_clean(
        exclude=["call", "applicant_organisation", "created_by"], validate_unique=False
    )
    updated = Application.objects.filter(
        pk=application.pk, revision=revision, status__in=EDITABLE_STATUSES
    ).update(**values, revision=F("revision") + 1, updated_at=timezone.now())
    if not updated:
        if _already_saved(application.pk, candidate, values):
            # A second click on «Salva»: what it sends is what is saved already.
            application.refresh_from_db()
            return application
        raise ConcurrentEditError(
            _(
                "Nel frattempo la domanda è stata modificata (forse in un'altra scheda o da un collega): "
                "le tue modifiche non sono state salvate. Ricarica la pagina per vedere la versione "
                "attuale e inseriscile di nuovo."
            )
        )
    application.refresh_from_db()
    return application


def application_take_up_texts(
    *, application: Application, texts: Mapping[str, str], by: User, revision: int
) -> Application:
    """Put texts of the plan set aside at a set-back back into an application awaiting
    integrations again (decision 0010); they replace today's, at ``revision``."""
    if application.status != ApplicationStatus.INTEGRATION_REQUESTED:
        raise ApplicationError(
            _(
                "I testi messi da parte si riprendono quando la domanda attende integrazioni: "
                "ora non si può modificare."
            )
        )
    if not texts:
        raise ApplicationError(_("Non ci sono testi da riprendere."))
    return application_update_details(
        application=application, by=by, revision=revision, data=dict(texts)
    )


def _already_saved(pk: int, candidate: Application, values: Mapping[str, Any]) -> bool:
    """Return whether the editable application holds ``values`` (as ``candidate`` has them)."""
    columns = [Application._meta.get_field(name).attname for name in values]
    stored = (
        Application.objects.filter(pk=pk, status__in=EDITABLE_STATUSES).values(*columns).first()
    )
    return stored is not None and all(
        stored[column] == getattr(candidate, column) for column in columns
    )


def area_locked_text(application: Application) -> str:
    """Why the area of an application answering an integration request cannot change."""
    return _(
        "Durante l'integrazione l'area economica resta quella della domanda presentata "
        "(«%(area)s»): l'istruttoria valuta il polo in quest'area. Integra la rete e i "
        "documenti; un polo di un'altra area è una domanda nuova."
    ) % {"area": application.area.name if application.area_id else "—"}


def _require_same_area_in_integration(application: Application, area_pk: Any) -> None:
    """Refuse a change of area while the application answers an integration request.

    The area is what the polo applies to be recognised in: the officer's review,
    the rules' results and the request itself are about it, so a polo of another
    area is another application, not an integration of this one.
    """
    if application.status != ApplicationStatus.INTEGRATION_REQUESTED:
        return
    if area_pk != application.area_id:
        raise ValidationError(area_locked_text(application), code="area_locked")


def _unique_key(application: Application, organisation: Organisation) -> str:
    base = slugify(organisation.name)[:50] or f"membro-{organisation.pk}"
    taken = set(application.members.values_list("key", flat=True))
    key, suffix = base, 2
    while key in taken:
        key, suffix = f"{base}-{suffix}", suffix + 1
    return key


@transaction.atomic
def application_member_add(
    *, application: Application, organisation: Organisation, by: User, role: str = ""
) -> ApplicationMember:
    """Add ``organisation`` to the network; an organisation appears once."""
    _require_editable(application)
    if application.members.filter(organisation=organisation).exists():
        raise ApplicationError(_("%(name)s fa già parte della rete.") % {"name": organisation.name})
    if (count := application.members.count()) >= MAX_NETWORK_MEMBERS:
        raise ApplicationError(_too_many_members(count + 1))
    position = (application.members.aggregate(top=Max("position"))["top"] or 0) + 1
    member = ApplicationMember(
        application=application,
        organisation=organisation,
        key=_unique_key(application, organisation),
        role=role,
        position=position,
    )
    member.full_clean()
    member.save()
    _touch(application)
    return member


@transaction.atomic
def application_member_register(
    *, application: Application, organisation: Organisation, by: User
) -> Organisation:
    """Register a new organisation in the registry and add it to the network, or neither.

    A network that cannot take it (full, sent meanwhile from another tab) leaves
    no record behind to refuse the next try as a copy.
    """
    registered = organisation_register(organisation=organisation, by=by)
    application_member_add(application=application, organisation=registered, by=by)
    return registered


@transaction.atomic
def application_member_update(
    *, member: ApplicationMember, by: User, role: str, is_lead: bool
) -> ApplicationMember:
    """Change a member's role; making it the lead partner moves the lead from the previous one."""
    _require_editable(member.application)
    if is_lead and not member.is_lead:
        previous = member.application.members.filter(is_lead=True)
        # The role the portal wrote for the lead goes with the lead; one the applicant wrote stays.
        previous.filter(role__iexact=LEAD_ROLE).update(is_lead=False, role="")
        previous.update(is_lead=False)
        role = role.strip() or LEAD_ROLE
    member.role = role
    member.is_lead = is_lead
    member.full_clean()
    member.save(update_fields=["role", "is_lead"])
    _touch(member.application)
    return member


@transaction.atomic
def application_member_remove(*, member: ApplicationMember, by: User) -> None:
    """Remove a member from the network (its uploaded documents stay on record)."""
    _require_editable(member.application)
    member.documents.update(current=False)
    member.delete()
    _touch(member.application)


def check_pdf(uploaded: UploadedFile, *, max_bytes: int) -> str:
    """Return the SHA-256 of an uploaded PDF; raise ``ValidationError`` in Italian if it is not one."""
    if uploaded.size is None or uploaded.size == 0:
        raise ValidationError(_("Il file è vuoto: scegli il PDF da caricare."))
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("Il file pesa %(size)s MB: il limite dell'avviso è %(limit)d MB. Riducilo e riprova.")
            % {
                "size": formats.number_format(uploaded.size / 1_048_576, 1),
                "limit": max_bytes // 1_048_576,
            }
        )
    digest = hashlib.sha256()
    first = True
    for chunk in uploaded.chunks():
        if first:
            if not chunk.lstrip(b"\r\n\t ")[:5] == PDF_MAGIC:
                raise ValidationError(
                    _(
                        "«%(name)s» non è un PDF (il contenuto non lo è, qualunque sia l'estensione): "
                        "esporta il documento in PDF e caricalo di nuovo."
                    )
                    % {"name": uploaded.name}
                )
            first = False
        digest.update(chunk)
    _check_pdf_structure(uploaded)
    return digest.hexdigest()


def _check_pdf_structure(uploaded: UploadedFile) -> None:
    """Refuse a file a reader cannot open, with no pages, or holding what runs by itself.

    The file is looked into by ``pdfcheck`` in a process of its own, with bounded memory
    and time: a small file may unpack to gigabytes.
    """
    uploaded.seek(0)
    try:
        outcome = pdfcheck.check(uploaded.read())
    except pdfcheck.CheckerUnavailable:
        # The installation's fault, not the file's: said as such, and logged for the operators.
        logger.exception("The PDF checker cannot run: every upload is refused until it does")
        raise ValidationError(
            _(
                "Non è stato possibile verificare «%(name)s», per un guasto del portale e non "
                "del file: riprova più tardi. Se il problema continua, avvisa la Regione."
            )
            % {"name": uploaded.name}
        ) from None
    finally:
        uploaded.seek(0)
    if outcome != pdfcheck.Outcome.OK:
        raise ValidationError(
            _PDF_REFUSALS[outcome] % {"name": uploaded.name, "pages": pdfcheck.MAX_PAGES}
        )


_PDF_REFUSALS = {
    pdfcheck.Outcome.ENCRYPTED: gettext_lazy(
        "«%(name)s» è protetto da password: salvalo senza password e caricalo di nuovo."
    ),
    pdfcheck.Outcome.DAMAGED: gettext_lazy(
        "«%(name)s» è un PDF danneggiato o incompleto, che un lettore PDF non apre: "
        "esporta di nuovo il documento in PDF e caricalo."
    ),
    pdfcheck.Outcome.NO_PAGES: gettext_lazy(
        "«%(name)s» non ha pagine: esporta di nuovo il documento in PDF e caricalo."
    ),
    pdfcheck.Outcome.TOO_MANY_PAGES: gettext_lazy(
        "«%(name)s» ha più di %(pages)d pagine: un documento della domanda ne ha molte meno. "
        "Carica solo le pagine che servono."
    ),
    pdfcheck.Outcome.SCRIPT: gettext_lazy(
        "«%(name)s» contiene codice JavaScript o comandi che avviano programmi, che un "
        "atto non ha bisogno di avere e che il lettore PDF dell'ufficio eseguirebbe: "
        "stampalo in PDF (o esportalo in PDF/A) e caricalo di nuovo."
    ),
    pdfcheck.Outcome.XFA: gettext_lazy(
        "«%(name)s» è un modulo XFA (un modulo dinamico di Adobe, i cui script il lettore "
        "esegue all'apertura): stampalo in PDF (o esportalo in PDF/A) e caricalo di nuovo."
    ),
    pdfcheck.Outcome.ATTACHMENT: gettext_lazy(
        "«%(name)s» contiene altri file al suo interno, che l'ufficio non vede tra i "
        "documenti e non può verificare: salva ogni documento come PDF a sé, senza "
        "allegati, e caricali uno per uno."
    ),
    pdfcheck.Outcome.OPENS_BY_ITSELF: gettext_lazy(
        "«%(name)s», appena aperto, invia dati o apre da sé un indirizzo o un altro file: "
        "un atto non ne ha bisogno. Stampalo in PDF (o esportalo in PDF/A) e caricalo di "
        "nuovo."
    ),
    pdfcheck.Outcome.TOO_COMPLEX: gettext_lazy(
        "«%(name)s» è troppo complesso da verificare: aperto, occuperebbe molta più memoria "
        "o tempo di un documento ordinario. Stampalo in PDF (o esportalo in PDF/A) e "
        "caricalo di nuovo."
    ),
}


def safe_download_name(name: str) -> str:
    """Return a file name safe in a Content-Disposition header, always ending in ``.pdf``."""
    stem = slugify(name.rsplit(".", 1)[0])[:80] or "documento"
    return f"{stem}.pdf"


def document_upload(
    *,
    application: Application,
    kind: DocumentKind,
    uploaded: UploadedFile,
    by: User,
    member: ApplicationMember | None = None,
) -> Document:
    """Store a PDF for the application.

    The network agreement and a company's commitment replace the current one of
    the same kind and member, in draft or during integrations; a commitment
    marks the member as having signed it. Integration documents add up (at most
    ``MAX_INTEGRATION_DOCUMENTS``) and only while integrations are awaited.
    Replaced documents are kept (``current=False``): submitted versions cite
    their hashes.
    """
    with files_removed_on_failure() as stored:
        return _document_upload(
            application=application,
            kind=kind,
            uploaded=uploaded,
            by=by,
            member=member,
            stored=stored,
        )


@contextmanager
def files_removed_on_failure() -> Iterator[list[Document]]:
    """Run a transaction; if it fails, delete the files of the documents the caller stored.

    The caller appends each ``Document`` it saved to the yielded list: a rollback
    drops the rows, and this drops their files, so no file is left without its row.
    """
    stored: list[Document] = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        for document in stored:
            document.file.storage.delete(document.file.name)
        raise


def _document_upload(
    *,
    application: Application,
    kind: DocumentKind,
    uploaded: UploadedFile,
    by: User,
    member: ApplicationMember | None,
    stored: list[Document],
) -> Document:
    if kind == DocumentKind.INTEGRATION:
        _require_integration_requested(application)
        if unsent_integration_documents(application).count() >= MAX_INTEGRATION_DOCUMENTS:
            raise ApplicationError(
                _(
                    "Sono già caricati %(count)d documenti integrativi, il massimo per un invio: "
                    "togline uno o riunisci più documenti in un solo PDF."
                )
                % {"count": MAX_INTEGRATION_DOCUMENTS}
            )
    elif kind in {DocumentKind.NETWORK_AGREEMENT, DocumentKind.COMMITMENT}:
        _require_editable(application)
    else:
        raise ApplicationError(_("Questo tipo di documento non si carica da qui."))
    if kind == DocumentKind.COMMITMENT and (
        member is None or member.organisation.kind != OrganisationKind.COMPANY
    ):
        raise ApplicationError(
            _("La dichiarazione di impegno si carica per un'impresa della rete.")
        )
    sha256 = check_pdf(uploaded, max_bytes=application.call.max_attachment_bytes)
    if kind == DocumentKind.INTEGRATION:
        same = unsent_integration_documents(application).filter(sha256=sha256).first()
        if same is not None:
            raise ApplicationError(
                _(
                    "Questo file è già tra i documenti integrativi da inviare (come «%(name)s»): "
                    "non è stato caricato di nuovo."
                )
                % {"name": same.original_name}
            )
    else:
        Document.objects.filter(
            application=application, kind=kind, member=member, current=True
        ).update(current=False)
    document = document_store(
        application=application, kind=kind, uploaded=uploaded, sha256=sha256, by=by, member=member
    )
    stored.append(document)
    if kind == DocumentKind.COMMITMENT and member is not None:
        ApplicationMember.objects.filter(pk=member.pk).update(commitment_signed=True)
    _touch(application)
    return document


def document_store(
    *,
    application: Application,
    kind: DocumentKind,
    uploaded: UploadedFile,
    sha256: str,
    by: User,
    member: ApplicationMember | None = None,
    request: ProcedureRequest | None = None,
) -> Document:
    """Save a checked PDF to storage and record it, inside ``files_removed_on_failure``.

    A failing disk leaves no partial file and raises ``ApplicationError``.
    """
    document = Document(
        application=application,
        kind=kind,
        member=member,
        request=request,
        original_name=safe_download_name(uploaded.name or ""),
        size=uploaded.size or 0,
        sha256=sha256,
        uploaded_by=by,
    )
    storage = document.file.storage
    name = document.file.field.generate_filename(document, uploaded.name or "documento.pdf")
    try:
        document.file.name = storage.save(name, uploaded, max_length=document.file.field.max_length)
    except OSError:
        # A full or failing disk: remove any partial file; the transaction drops the row.
        if storage.exists(name):
            storage.delete(name)
        raise ApplicationError(
            _(
                "Il documento non è stato salvato: lo spazio di archiviazione del portale non è "
                "disponibile. Riprova più tardi; se il problema continua, segnalalo all'assistenza."
            )
        ) from None
    document.save()
    return document


@transaction.atomic
def document_retire(*, document: Document, by: User) -> None:
    """Take back an integration document not yet sent; it stays on record, no longer current."""
    application = document.application
    _require_integration_requested(application)
    if document.kind != DocumentKind.INTEGRATION:
        raise ApplicationError(
            _(
                "Si tolgono solo i documenti integrativi: l'accordo di rete e le dichiarazioni di "
                "impegno si sostituiscono caricandone uno nuovo."
            )
        )
    if not Document.objects.filter(pk=document.pk, current=True).exists():
        return  # taken back already (a second click, another tab): what was asked is done
    sent_with = versions_sent_with(application, [document])[document.pk]
    if sent_with is not None:
        raise ApplicationError(
            _(
                "«%(name)s» è stato inviato con la versione %(number)d della domanda e resta agli "
                "atti: si possono togliere solo i documenti caricati dopo l'ultimo invio."
            )
            % {"name": document.original_name, "number": sent_with}
        )
    Document.objects.filter(pk=document.pk).update(current=False)
    _touch(application)


def _has_errors(errors: Iterable[InputError], path: str) -> bool:
    """Return whether some error is at ``path`` or inside it."""
    return any(
        error.path == path or error.path.startswith((f"{path}.", f"{path}[")) for error in errors
    )


# The polo's details a file may give, by model field, and their JSON paths.
_DETAIL_PATHS = {
    "name": "name",
    "contact_name": "contact.name",
    "contact_email": "contact.email",
    "contact_phone": "contact.phone",
}


# What the details form checks beyond the model, checked in a file too.
_DETAIL_CHECKS: dict[str, Callable[[str], None]] = {
    "name": validate_plain_name,
    "contact_name": validate_plain_text,
    "contact_phone": lambda phone: validate_phone(normalise_phone(phone)),
}


def _plain_errors(path: str, value: Any, validate: Callable[[str], None]) -> list[InputError]:
    """Return the errors ``validate`` finds in a text the open data or the pages would carry."""
    if not isinstance(value, str):
        return []
    try:
        validate(value)
    except ValidationError as error:
        return [InputError(path, message) for message in error.messages]
    return []


def network_import_errors(*, data: Any, by: User) -> list[InputError]:
    """Return why ``data`` cannot replace a network: the format's errors and the models'.

    The format's validator speaks first; then what the database would refuse
    (a name too long, an email that is not one, a key that is not a slug, two
    members that are one organisation...) is checked on every part the
    validator accepted, so that one upload lists every problem. Each error has
    its JSON path; the list is in the order of the document. A network of more
    than ``MAX_NETWORK_MEMBERS`` is refused before anything else is read.
    """
    listed = data.get("members") if isinstance(data, dict) else None
    if isinstance(listed, list) and len(listed) > MAX_NETWORK_MEMBERS:
        return [InputError("members", _too_many_members(len(listed)))]
    try:
        composition_from_network(data)
    except NetworkInputError as error:
        found = list(error.errors)
    else:
        found = []
    if not isinstance(data, dict):
        return found
    errors = list(found)
    contact = data.get("contact")
    details = {"name": data.get("name")}
    if isinstance(contact, dict) and not _has_errors(found, "contact"):
        details |= {f"contact_{name}": contact.get(name) for name in ("name", "email", "phone")}
    for field, value in details.items():
        path = _DETAIL_PATHS[field]
        if isinstance(value, str) and not _has_errors(found, path):
            try:
                Application._meta.get_field(field).clean(value.strip(), None)
                if field in _DETAIL_CHECKS:
                    _DETAIL_CHECKS[field](value)
            except ValidationError as error:
                errors.extend(InputError(path, message) for message in error.messages)
    members = data.get("members")
    if isinstance(members, list):
        accepted = [
            (index, member)
            for index, member in enumerate(members)
            if not _has_errors(found, f"members[{index}]")
        ]
        key_field = ApplicationMember._meta.get_field("key")
        for index, member in accepted:
            try:
                key_field.clean(member["key"], None)
            except ValidationError as error:
                errors.extend(
                    InputError(f"members[{index}].key", message) for message in error.messages
                )
            errors.extend(
                _plain_errors(f"members[{index}].name", member.get("name"), validate_plain_name)
            )
            errors.extend(
                _plain_errors(
                    f"members[{index}].accreditation_id",
                    member.get("accreditation_id"),
                    validate_plain_text,
                )
            )
        errors.extend(network_organisations_check(members=accepted, by=by))
        lead = data.get("lead_partner")
        keys = [
            member["key"]
            for member in members
            if isinstance(member, dict) and isinstance(member.get("key"), str)
        ]
        if isinstance(lead, str) and lead not in keys and not _has_errors(found, "lead_partner"):
            # The checker fails it as a verdict (PTP-LEAD-PARTNER); a network cannot hold it.
            errors.append(
                InputError(
                    "lead_partner",
                    _(
                        "«%(key)s» non è la chiave di un membro della rete: indica la chiave del "
                        "capofila, una di %(keys)s."
                    )
                    % {"key": lead, "keys": _some_keys(keys)}
                    if keys
                    else _(
                        "«%(key)s» non è la chiave di un membro della rete: la rete del file non "
                        "ha membri."
                    )
                    % {"key": lead},
                )
            )
    return sorted(errors, key=lambda error: error.member_index)


def _some_keys(keys: Sequence[Any], shown: int = 5) -> str:
    """Return the first ``shown`` member keys in guillemets, saying how many more there are."""
    listed = ", ".join(f"«{key}»" for key in keys[:shown])
    more = len(keys) - shown
    if more <= 0:
        return listed
    return listed + ngettext(" e un'altra", " e altre %(count)d", more) % {"count": more}


@transaction.atomic
def application_import_network(
    *, application: Application, data: Any, by: User
) -> ImportedOrganisations:
    """Replace the network of a draft with a ``ptp-network/1`` document.

    A document that ``network_import_errors`` finds fault with changes nothing
    and raises ``NetworkInputError`` listing every problem. Organisations are
    upserted in the registry by their identifiers, except the records ``by`` may
    not change, which join as registered; the result says which were kept and
    which registry records the file changed. The applicant
    organisation stays in the network. Uploaded documents stay with the
    organisations that remain; those of the others are retired.
    """
    _require_editable(application)
    errors = network_import_errors(data=data, by=by)
    if (
        application.status == ApplicationStatus.INTEGRATION_REQUESTED
        and isinstance(data, dict)
        and not _has_errors(errors, "area")
        and data.get("area") != application.area.code
    ):
        errors.append(InputError("area", area_locked_text(application)))
    if errors:
        raise NetworkInputError(errors)
    imported = network_organisations_import(data=data, by=by)
    organisations = imported.by_key
    # Documents follow their organisation into the new network; those of
    # organisations that left it stay on record but are no longer current.
    member_documents = list(
        Document.objects.filter(
            application=application, current=True, member__isnull=False
        ).values_list("pk", "kind", "member__organisation_id")
    )
    application.members.all().delete()
    lead = data.get("lead_partner")
    new_members: dict[int, ApplicationMember] = {
        member.organisation_id: member
        for member in ApplicationMember.objects.bulk_create(
            ApplicationMember(
                application=application,
                organisation=organisations[member["key"]],
                key=member["key"],
                is_lead=member["key"] == lead,
                position=position,
                # Signed means a declaration on file (document_upload): a file's word is not one.
                commitment_signed=False,
            )
            for position, member in enumerate(data["members"], start=1)
        )
    }
    if application.applicant_organisation_id not in new_members:
        new_members[application.applicant_organisation_id] = ApplicationMember.objects.create(
            application=application,
            organisation=application.applicant_organisation,
            key=_unique_key(application, application.applicant_organisation),
            position=len(data["members"]) + 1,
        )
    for pk, kind, organisation_id in member_documents:
        kept = new_members.get(organisation_id)
        if kept is None:
            Document.objects.filter(pk=pk).update(current=False)
            continue
        Document.objects.filter(pk=pk).update(member=kept)
        if kind == DocumentKind.COMMITMENT:
            ApplicationMember.objects.filter(pk=kept.pk).update(commitment_signed=True)
    contact = data.get("contact") or {}
    application.name = data["name"].strip()
    application.area = EconomicArea.objects.get(code=data["area"])
    application.contact_name = contact.get("name", application.contact_name).strip()
    application.contact_email = contact.get("email", application.contact_email).strip()
    application.contact_phone = normalise_phone(contact.get("phone", application.contact_phone))
    application.revision += 1
    application.save()
    return imported
