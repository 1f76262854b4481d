"""Mail to the people of a procedure: the applicant's contact person, the officer in charge,
and the managers when a proposal waits for their decision.

Only what they need to act: the application, its new status, the note, and a
link to the portal. Private notes between officers are never mailed.
"""

import re

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from networks import workflow
from networks.constants import INTERNAL_STATUSES, DecreeKind, DocumentKind
from networks.models import (
    ApplicationVersion,
    AuditEvent,
    Decree,
    ProcedureRequest,
    RequestKind,
)
from networks.roles import display_name
from networks.selectors import filed_polo_name, managers


def _one_line(subject: str) -> str:
    """Return ``subject`` on one line: a mail header with a line break in it cannot be sent.

    The forms refuse line breaks in names; a name saved before they did must not
    stop a mail either.
    """
    return " ".join(subject.split())


def _link(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def notify_submission(*, version_id: int) -> None:
    """Mail the contact person the protocol number and where to download the receipt."""
    version = ApplicationVersion.objects.select_related("application").get(pk=version_id)
    application = version.application
    if not application.contact_email:
        return
    with override("it"):
        if version.number == 1:
            subject = _("Domanda %(protocol)s ricevuta – %(name)s")
            body = _(
                "Gentile %(contact)s,\n\n"
                "la domanda di riconoscimento del Polo Tecnico Professionale «%(name)s» è stata "
                "ricevuta il %(when)s con protocollo n. %(protocol)s (versione %(version)d).\n"
                "Impronta SHA-256 della versione presentata: %(sha)s\n\n"
                "La ricevuta è scaricabile dal portale: %(link)s\n\n"
                "%(region)s – %(directorate)s"
            )
        else:
            subject = _("Integrazioni alla domanda %(protocol)s ricevute – %(name)s")
            body = _(
                "Gentile %(contact)s,\n\n"
                "le integrazioni alla domanda di riconoscimento del Polo Tecnico Professionale "
                "«%(name)s» (protocollo n. %(protocol)s del %(filed)s) sono state ricevute il "
                "%(when)s: versione %(version)d della domanda.\n"
                "Impronta SHA-256 della versione presentata: %(sha)s\n\n"
                "La ricevuta è scaricabile dal portale: %(link)s\n\n"
                "%(region)s – %(directorate)s"
            )
        subject %= {"protocol": application.protocol_number, "name": application.name}
        body %= {
            "contact": application.contact_name,
            "name": application.name,
            "filed": timezone.localtime(application.submitted_at).strftime("%d/%m/%Y %H:%M"),
            "when": timezone.localtime(version.submitted_at).strftime("%d/%m/%Y %H:%M"),
            "protocol": application.protocol_number,
            "version": version.number,
            "sha": version.sha256,
            "link": _link(reverse("application_detail", args=[application.pk])),
            "region": settings.PORTAL_REGION_NAME,
            "directorate": settings.PORTAL_DIRECTORATE,
        }
    send_mail(_one_line(subject), body, None, [application.contact_email])


def notify_decree(*, decree_id: int) -> None:
    """Mail the contact person the adopted decree: its number, where to download and verify it.

    Sent once: ``notified_at`` is set in the same transaction as the sending, so a
    retried task or two workers never mail it twice, and a failed sending is retried.
    """
    with transaction.atomic():
        decree = (
            Decree.objects.select_for_update(of=("self",))
            .select_related("application")
            .get(pk=decree_id)
        )
        application = decree.application
        if decree.notified_at is not None or not application.contact_email:
            return
        with override("it"):
            if decree.kind == DecreeKind.APPROVAL:
                subject = _(
                    "Decreto n. %(number)s del %(date)s – riconoscimento del polo «%(name)s»"
                )
                outcome = _(
                    "con il decreto n. %(number)s del %(date)s il Polo Tecnico Professionale "
                    "«%(name)s» (domanda protocollo n. %(protocol)s) è riconosciuto."
                )
            else:
                subject = _(
                    "Decreto n. %(number)s del %(date)s – diniego del riconoscimento del polo "
                    "«%(name)s»"
                )
                outcome = _(
                    "con il decreto n. %(number)s del %(date)s il riconoscimento del Polo Tecnico "
                    "Professionale «%(name)s» (domanda protocollo n. %(protocol)s) è negato, "
                    "per le motivazioni indicate nel decreto, che indica anche i mezzi di ricorso "
                    "e i relativi termini."
                )
            body = _(
                "Gentile %(contact)s,\n\n%(outcome)s\n\n"
                "Il decreto (PDF/A) è scaricabile dal portale: %(link)s\n"
                "Codice di verifica: %(code)s – chiunque può verificarne l'autenticità "
                "all'indirizzo %(verify)s\n\n%(region)s – %(directorate)s"
            )
            values = {
                "number": decree.number,
                "date": timezone.localtime(decree.adopted_at).strftime("%d/%m/%Y"),
                "name": application.name,
                "protocol": application.protocol_number,
            }
            body %= {
                "contact": application.contact_name,
                "outcome": outcome % values,
                "link": _link(reverse("application_detail", args=[application.pk])),
                "code": decree.verification_code,
                "verify": _link(decree.get_absolute_url()),
                "region": settings.PORTAL_REGION_NAME,
                "directorate": settings.PORTAL_DIRECTORATE,
            }
            subject %= values
        decree.notified_at = timezone.now()
        decree.save(update_fields=["notified_at"])
        send_mail(_one_line(subject), body, None, [application.contact_email])


# The actions that ask the applicant for something by a date: the mail says until when.
ASKING_ACTIONS = frozenset({"request_integration", "send_rejection_notice"})
# The actions that leave a proposal for a manager to adopt or return.
PROPOSING_ACTIONS = frozenset({"propose_approval", "propose_rejection"})
# The actions that adopt a decree: the applicant is mailed the decree once it is rendered.
ADOPTING_ACTIONS = frozenset({"adopt_approval", "adopt_rejection"})


def notify_event(*, event_id: int) -> None:
    """Mail a status change to the contact person and to the officer in charge (not to the actor)."""
    event = AuditEvent.objects.select_related("application__officer", "actor").get(pk=event_id)
    application = event.application
    if event.action in {"create", "submit"}:
        return  # the submission mail carries the receipt instead
    officer = application.officer
    # A resubmission's receipt mail (``notify_submission``) and an adoption's decree mail
    # (``notify_decree``) tell the contact person already.
    # A proposal and its return are steps between the officer and the manager: the applicant
    # hears of the decision (``constants.INTERNAL_STATUSES``).
    mail_applicant = event.action not in {"resubmit", *ADOPTING_ACTIONS, *workflow.INTERNAL_ACTIONS}
    to_applicant = event.note_for_applicant
    if event.action in ASKING_ACTIONS:
        request = application.requests.filter(created_at__lte=event.at).first()
        if request is not None:
            to_applicant += "\n\n" + _request_terms(request)
    officer_note = event.note
    if event.action == "submit_observations":
        documents = _observation_documents(event)
        if documents:
            with override("it"):
                told = "\n\n" + ngettext(
                    "Alle osservazioni è allegato %(count)d documento, consultabile sul portale.",
                    "Alle osservazioni sono allegati %(count)d documenti, consultabili sul portale.",
                    documents,
                ) % {"count": documents}
            to_applicant += told
            officer_note += told
    if mail_applicant and application.contact_email:
        _send_event_mail(
            event,
            [application.contact_email],
            reverse("application_detail", args=[application.pk]),
            note=to_applicant,
            addressee=application.contact_name,
            for_applicant=True,
        )
    if officer is not None and officer.email and officer != event.actor:
        _send_event_mail(
            event,
            [officer.email],
            reverse("review_detail", args=[application.pk]),
            note=officer_note,
            addressee=display_name(officer),
        )
    # Any manager may decide: each is told of a proposal, and of a withdrawal that ends it.
    withdrawn_proposal = event.action == "withdraw" and event.from_status in INTERNAL_STATUSES
    if event.action in PROPOSING_ACTIONS or withdrawn_proposal:
        for manager in managers().exclude(email="").exclude(pk=event.actor_id):
            _send_event_mail(
                event,
                [manager.email],
                reverse("review_detail", args=[application.pk]),
                note=event.note,
                addressee=display_name(manager),
            )


def _request_terms(request: ProcedureRequest) -> str:
    """Return, in Italian, what the applicant may do about ``request``, by when, and the term.

    A 10-bis notice says what the law gives: written observations, with documents if
    any, within the deadline; the term suspended until ten days after them, or until
    the deadline without them (art. 10-bis L. 241/1990). Only the first integration
    request suspends the term (art. 2 c. 7).
    """
    deadline = request.deadline.strftime("%d/%m/%Y")
    with override("it"):
        if request.kind == RequestKind.REJECTION_NOTICE:
            return _(
                "Questa è la comunicazione dei motivi ostativi all'accoglimento della domanda "
                "(articolo 10-bis della legge 241/1990). Entro il %(deadline)s compreso puoi "
                "presentare sul portale le tue osservazioni per iscritto, eventualmente "
                "corredate da documenti. I termini del procedimento sono sospesi: ricominciano "
                "a decorrere dieci giorni dopo la presentazione delle osservazioni o, in "
                "mancanza, dalla scadenza del termine."
            ) % {"deadline": deadline}
        answer = _("Puoi rispondere sul portale fino al %(deadline)s compreso.") % {
            "deadline": deadline
        }
        earlier = request.application.requests.filter(
            kind=RequestKind.INTEGRATION, created_at__lt=request.created_at
        ).exists()
        if earlier:
            return answer
        return (
            answer
            + " "
            + _(
                "Il termine del procedimento è sospeso fino alla tua risposta e comunque non oltre "
                "trenta giorni (articolo 2, comma 7, della legge 241/1990)."
            )
        )


def _observation_documents(event: AuditEvent) -> int:
    """Return how many documents came with the observations that ``event`` recorded.

    They answer the 10-bis notice open when the event was recorded: the latest one sent before.
    """
    notice = event.application.requests.filter(created_at__lte=event.at).first()
    if notice is None:
        return 0
    return notice.documents.filter(kind=DocumentKind.OBSERVATIONS).count()


def notify_reassigned(*, event_id: int, previous_officer_id: int) -> None:
    """Mail the officer who was in charge before a ``reassign`` event (not if they did it)."""
    event = AuditEvent.objects.select_related("application").get(pk=event_id)
    previous = User.objects.filter(pk=previous_officer_id).exclude(email="").first()
    if previous is None or previous.pk == event.actor_id:
        return
    _send_event_mail(
        event,
        [previous.email],
        reverse("review_detail", args=[event.application_id]),
        note=event.note,
        addressee=display_name(previous),
    )


def _send_event_mail(
    event: AuditEvent,
    recipients: list[str],
    path: str,
    *,
    note: str,
    addressee: str,
    for_applicant: bool = False,
) -> None:
    """Mail one status change to ``recipients``, greeting ``addressee`` by name.

    The applicant is told the status as the applicant's pages show it: a reassignment
    while the manager decides says «In istruttoria» (``constants.applicant_status``).
    """
    application = event.application
    with override("it"):
        # The status this event led to: a later action may have moved on before the mail goes.
        status = (
            event.get_applicant_to_status_display()
            if for_applicant
            else event.get_to_status_display()
        )
        # The body follows «Gentile …,»: it starts in lower case, as the receipt's mail does.
        if event.action == "reassign":  # the status stays: the news is who is in charge
            subject = _("Domanda %(protocol)s: nuovo responsabile del procedimento")
            body = _(
                "la domanda «%(name)s» (protocollo %(protocol)s) resta nello stato "
                "«%(status)s» ed è assegnata a un nuovo responsabile del procedimento.\n\n"
                "%(note)s\n\nDettagli sul portale: %(link)s\n\n%(region)s – %(directorate)s"
            )
        elif event.action == "return_proposal":  # to the officer: the news is the return
            subject = _("Domanda %(protocol)s: proposta rinviata dal dirigente")
            body = _(
                "il dirigente ha rinviato la proposta di decisione sulla domanda «%(name)s» "
                "(protocollo %(protocol)s), che torna nello stato «%(status)s».\n\n"
                "Motivi del rinvio:\n%(note)s\n\nDettagli sul portale: %(link)s\n\n"
                "%(region)s – %(directorate)s"
            )
        else:
            subject = _("Domanda %(protocol)s: %(status)s")
            body = _(
                "la domanda «%(name)s» (protocollo %(protocol)s) è ora nello stato «%(status)s».\n\n"
                "%(note)s\n\nDettagli sul portale: %(link)s\n\n%(region)s – %(directorate)s"
            )
        subject %= {"protocol": application.protocol_number, "status": status}
        greeting = (
            _("Gentile %(name)s,") % {"name": addressee}
            if addressee.strip()
            else _("Gentile utente,")
        )
        body = (
            greeting
            + "\n\n"
            + body
            % {
                # As filed: a name the applicant is changing during integrations is not sent yet.
                "name": filed_polo_name(application),
                "protocol": application.protocol_number,
                "status": status,
                "note": note,
                "link": _link(path),
                "region": settings.PORTAL_REGION_NAME,
                "directorate": settings.PORTAL_DIRECTORATE,
            }
        )
    # Without a note (or one the recipient may not read) no empty paragraph is left.
    send_mail(_one_line(subject), re.sub(r"\n{3,}", "\n\n", body), None, recipients)
