"""The one entry point for every status change of an application.

Each action: lock the application row, check the transition against
``networks.workflow`` (``InvalidTransition``), check the actor (``NotAllowed``),
do the action's own work, write the audit event in the same transaction, and
enqueue mail and rendering with ``transaction.on_commit``. Two officers acting
at once: the second waits for the lock, then finds the status changed and
gets ``InvalidTransition`` with a clear message; nothing is applied twice.
"""

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from eligibility.adapters import (
    NetworkInputError,
    application_queryset_for_evaluation,
    composition_from_application,
    composition_from_network,
    network_from_application,
)
from eligibility.core import Verdict, evaluate
from networks import workflow
from networks.clock import MAX_INTEGRATION_SUSPENSION
from networks.constants import (
    FINAL_STATUSES,
    RULE_STATUS_LABELS,
    SUSPENDING_STATUSES,
    ApplicationStatus,
    CounterKind,
    DecreeKind,
    DocumentKind,
    OrganisationKind,
    RequestOutcome,
    RequestState,
    Role,
)
from networks.documents import as_sentence
from networks.holidays import closed_because, next_working_day
from networks.models import (
    Application,
    ApplicationMember,
    ApplicationVersion,
    AuditEvent,
    Call,
    Decree,
    Document,
    Organisation,
    ProcedureRequest,
    Proposal,
    ProposalKind,
    ProposalOutcome,
    RequestKind,
)
from networks.roles import display_name, roles_of
from networks.selectors import last_version, officers_to_assign, open_request, represents
from networks.services.applications import (
    DETAIL_TEXT_FIELDS,
    check_pdf,
    document_store,
    files_removed_on_failure,
)
from networks.services.numbering import number_next

logger = logging.getLogger(__name__)

OBSERVATION_DAYS = 10  # art. 10-bis L. 241/1990
MAX_SUSPENSION_DAYS = MAX_INTEGRATION_SUSPENSION.days  # art. 2 c. 7 L. 241/1990
MAX_OBSERVATION_DOCUMENTS = 5  # PDFs with the observations; more go into one PDF
# The notes the portal writes into the procedure's record (and the applicant's mail) are in
# Italian, whatever language the user who fired the action reads: the record stays as written.
RECORD_LANGUAGE = "it"


class SubmissionBlocked(workflow.InvalidTransition):
    """The application cannot be submitted yet; ``problems`` lists what to fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(_("La domanda non può ancora essere presentata: ") + " ".join(problems))


@dataclass(frozen=True)
class ActionContext:
    application: Application
    transition: workflow.Transition
    from_status: str


def _lock(application_id: int) -> Application:
    """Lock and return the application; ``Http404`` if it is gone (a draft deleted meanwhile)."""
    application = (
        application_queryset_for_evaluation(Application.objects.select_for_update(of=("self",)))
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    return application


def _not_allowed_message(
    transition: workflow.Transition, by: User, application: Application
) -> str:
    """Say why ``by`` may not fire ``transition``: abstention, another officer in charge, or not
    their role."""
    if transition.actor != workflow.Actor.APPLICANT and represents(by, application):
        return _(
            "Rappresenti l'organizzazione che ha presentato la domanda: devi astenerti "
            "(art. 6-bis L. 241/1990) e non puoi eseguire l'azione «%(action)s». Un altro "
            "istruttore o dirigente se ne occuperà."
        ) % {"action": transition.label}
    if (
        transition.actor == workflow.Actor.OFFICER_IN_CHARGE
        and application.officer_id is not None
        and Role.OFFICER.value in roles_of(by)
    ):
        return _(
            "Solo il responsabile del procedimento, %(name)s, può eseguire l'azione "
            "«%(action)s» su questa domanda."
        ) % {
            "name": display_name(application.officer),
            "action": transition.label,
        }
    return _("Non hai il ruolo per l'azione «%(action)s» su questa domanda.") % {
        "action": transition.label
    }


def _begin(application_id: int, action: str, by: User, note: str) -> ActionContext:
    """Lock and check; raise ``InvalidTransition`` or ``NotAllowed``."""
    application = _lock(application_id)
    transition = check_action(application, action, by)
    if transition.needs_note and not note.strip():
        raise workflow.InvalidTransition(
            _("Per l'azione «%(action)s» scrivi una motivazione o una nota.")
            % {"action": transition.label}
        )
    return ActionContext(application, transition, application.status)


def check_action(application: Application, action: str, by: User) -> workflow.Transition:
    """Return the transition ``by`` fires with ``action`` now; raise why it cannot be fired.

    Under the row lock (``_begin``) it decides; without it, it tells the user before
    anything else that the action is not theirs or no longer possible, whatever they
    typed in its form.
    """
    try:
        transition = workflow.get_transition(action, application.status)
    except workflow.InvalidTransition:
        if repeated := repeated_action_message(application, action, by):
            raise workflow.InvalidTransition(repeated) from None
        if (
            action in {"take_charge", "assign"}
            and application.officer_id is not None
            and application.status not in FINAL_STATUSES
        ):
            # Two officers took it at once, or a page was left open: say who has it.
            raise workflow.InvalidTransition(
                _(
                    "La domanda è già in carico a %(name)s, responsabile del procedimento: "
                    "la pagina mostra lo stato attuale."
                )
                % {"name": display_name(application.officer)}
            ) from None
        raise
    if not workflow.actor_may(
        transition,
        roles=roles_of(by),
        is_representative=represents(by, application),
        is_in_charge=application.officer_id == by.pk,
    ):
        raise workflow.NotAllowed(_not_allowed_message(transition, by, application))
    if transition.guard == workflow.PROPOSED_BY_ANOTHER and own_pending_proposal(application, by):
        raise workflow.NotAllowed(own_proposal_text())
    return transition


def repeated_action_message(application: Application, action: str, by: User) -> str:
    """Say so when ``by``'s own last action on the application was this one (a form sent twice).

    Return "" otherwise: the generic refusal then names the action and the status.
    """
    last = application.events.order_by("-at", "-pk").first()
    if last is None or last.action != action or last.actor_id != by.pk:
        return ""
    moment = timezone.localtime(last.at)
    return _(
        "L'azione «%(action)s» l'hai già eseguita il %(date)s alle %(time)s: non è stata "
        "ripetuta. La pagina mostra lo stato attuale della domanda."
    ) % {
        "action": workflow.action_label(action),
        "date": moment.strftime("%d/%m/%Y"),
        "time": moment.strftime("%H:%M"),
    }


def _finish(
    context: ActionContext, by: User, note: str, *, at: datetime | None = None
) -> AuditEvent:
    application = context.application
    application.status = context.transition.leads_to(context.from_status)
    if context.from_status in SUSPENDING_STATUSES and application.status not in SUSPENDING_STATUSES:
        # Leaving a suspension ends its request: the applicant's answer, a withdrawal, or (a
        # 10-bis notice whose days passed) the officer going on without one.
        outcome = workflow.request_outcome(context.transition.action)
        _close_request(
            application, outcome, answer=note if outcome == RequestOutcome.ANSWERED else ""
        )
    application.save(
        update_fields=[
            "status",
            "officer",
            "updated_at",
            "protocol_year",
            "protocol_seq",
            "submitted_at",
            "term_days",
        ]
    )
    event = AuditEvent.objects.create(
        application=application,
        at=at or timezone.now(),
        actor=by,
        action=context.transition.action,
        from_status=context.from_status,
        to_status=application.status,
        note=note,
    )
    from networks import tasks

    transaction.on_commit(lambda: tasks.notify_status_change.enqueue(event.pk))
    return event


def evaluate_application(application: Application, *, as_of: date | None = None) -> Verdict:
    """Return the verdict of the application's current network under its call's ruleset."""
    composition = composition_from_application(application, as_of=as_of or timezone.localdate())
    return evaluate(composition, application.call.ruleset)


def evaluate_filed(
    application: Application,
    *,
    as_of: date | None = None,
    version: ApplicationVersion | None = None,
) -> Verdict:
    """Return the verdict of the last version filed, run again today under the call's ruleset.

    What the review decides on is what the applicant filed (the version's
    ``ptp-network/1`` snapshot), with the catalogue and the day of the decision: not
    the live records, which change meanwhile (edits during integrations not yet sent,
    a registry record updated for another application). Offerings are read as filed
    even where an administrator has since changed a programme's years of validity.
    An application never filed is read live; so is a snapshot that today's catalogue
    cannot read at all (codes in use cannot be deleted), with a warning in the log.
    Pass the last ``version`` when the caller has it, to save the query.
    """
    as_of = as_of or timezone.localdate()
    version = version or last_version(application)
    if version is None:
        return evaluate_application(application, as_of=as_of)
    try:
        composition = composition_from_network(version.network, as_of=as_of, filed_validity=True)
    except NetworkInputError as error:
        logger.warning(
            "Version %s of application %s no longer reads as ptp-network/1 (%s): "
            "evaluated from the live records.",
            version.number,
            application.pk,
            error,
        )
        return evaluate_application(application, as_of=as_of)
    return evaluate(composition, application.call.ruleset)


class ItalianText(str):
    """A text in Italian whatever the page's language: the rules explain themselves in Italian.

    A page marks it ``lang="it"`` (WCAG 3.1.2) from its ``lang``.
    """

    lang = "it"


def submission_problems(application: Application, verdict: Verdict) -> list[str]:
    """Return what prevents submission, each saying what to fix (empty when it can go).

    A rule's problem is an ``ItalianText``; the others are in the page's language.
    """
    problems: list[str] = []
    if application.status == ApplicationStatus.DRAFT and (
        shut := call_shut_message(application.call)
    ):
        problems.append(shut)
    problems += [
        ItalianText(f"{result.code}: {as_sentence(result.message)} {result.hint}".strip())
        for result in verdict.results
        if result.status == "fail"
    ]
    if not application.area_id:
        problems.append(_("Scegli l'area economico-professionale del polo."))
    if not application.contact_name or not application.contact_email:
        problems.append(_("Indica nome ed email del referente del polo."))
    current = list(application.documents.filter(current=True))
    if not any(document.kind == DocumentKind.NETWORK_AGREEMENT for document in current):
        problems.append(_("Carica l'accordo di rete firmato (PDF)."))
    with_commitment = {d.member_id for d in current if d.kind == DocumentKind.COMMITMENT}
    # The commitment rule's hint already asks for the declaration of the companies it names.
    named = {
        key
        for result in verdict.results
        if result.code == "PTP-COMPANY-COMMITMENT" and result.status == "fail"
        for key in result.members
    }
    problems.extend(
        _("Carica la dichiarazione di impegno firmata di %(name)s (PDF).")
        % {"name": member.organisation.name}
        for member in application.members.all()
        if member.organisation.kind == OrganisationKind.COMPANY
        and member.pk not in with_commitment
        and member.key not in named
    )
    return problems


def call_shut_message(call: Call) -> str:
    """Return why a draft on ``call`` cannot be filed now ("" while the call is open).

    A call closed, or one whose opening an administrator moved later after the draft
    was started.
    """
    now = timezone.now()
    if call.closes_at <= now:
        closes = timezone.localtime(call.closes_at)
        return _(
            "L'avviso «%(call)s» si è chiuso il %(date)s alle %(time)s: la domanda non può più "
            "essere presentata."
        ) % {"call": call.title, "date": f"{closes:%d/%m/%Y}", "time": f"{closes:%H:%M}"}
    if now < call.opens_at:
        opens = timezone.localtime(call.opens_at)
        return _(
            "L'avviso «%(call)s» non è ancora aperto: la domanda si potrà presentare dal "
            "%(date)s alle %(time)s."
        ) % {"call": call.title, "date": f"{opens:%d/%m/%Y}", "time": f"{opens:%H:%M}"}
    return ""


def canonical_sha256(data: Any) -> str:
    """Hash JSON canonically: sorted keys, compact separators, UTF-8."""
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Snapshot:
    """What a version would freeze of the application now: network, plan, current documents."""

    network: dict[str, Any]
    details: dict[str, str]
    documents: list[dict[str, Any]]
    current: list[Document]


def application_snapshot(application: Application, *, on: date | None = None) -> Snapshot:
    """Return what filing ``application`` on day ``on`` (today) would freeze as its version.

    The submission step compares it with the last version: what the integrations send.
    """
    current = list(
        application.documents.filter(current=True).select_related("member").order_by("kind", "pk")
    )
    return Snapshot(
        network=network_from_application(application, as_of=on or timezone.localdate()),
        details={field: getattr(application, field) for field in DETAIL_TEXT_FIELDS},
        documents=[
            {"kind": d.kind, "name": d.original_name, "sha256": d.sha256, "size": d.size}
            for d in current
        ],
        current=current,
    )


def _freeze_version(
    application: Application, by: User, at: datetime, verdict: Verdict
) -> ApplicationVersion:
    number = application.versions.count() + 1
    snapshot = application_snapshot(application, on=timezone.localdate(at))
    current = snapshot.current
    members = application.members.order_by("position", "pk")
    version = ApplicationVersion(
        application=application,
        number=number,
        network=snapshot.network,
        verdict=verdict.to_dict(),
        documents=snapshot.documents,
        details=snapshot.details,
        filed_state={
            "members": [
                {
                    "organisation": member.organisation_id,
                    "key": member.key,
                    "is_lead": member.is_lead,
                    "role": member.role,
                    "commitment_signed": member.commitment_signed,
                    "position": member.position,
                }
                for member in members
            ],
            "documents": [
                {
                    "document": d.pk,
                    "organisation": d.member.organisation_id if d.member else None,
                }
                for d in current
            ],
        },
        submitted_at=at,
        submitted_by=by,
    )
    version.sha256 = canonical_sha256(snapshot_content(version))
    version.save()
    return version


def snapshot_content(version: ApplicationVersion) -> dict[str, Any]:
    """Return what a version's SHA-256 is computed over (to verify it later)."""
    content = {
        "protocol_number": version.application.protocol_number,
        "version": version.number,
        "submitted_at": version.submitted_at.isoformat(),
        "network": version.network,
        "verdict": version.verdict,
        "documents": version.documents,
    }
    if version.details:  # a version submitted before the plan was kept has none
        content["details"] = version.details
    return content


def verify_version(version: ApplicationVersion) -> bool:
    """Return whether a stored version still matches its recorded SHA-256."""
    return canonical_sha256(snapshot_content(version)) == version.sha256


@transaction.atomic
def application_submit(*, application_id: int, by: User) -> ApplicationVersion:
    """Submit a draft: check it, give it a protocol number, freeze version 1, send the receipt."""
    context = _begin(application_id, "submit", by, "")
    application = context.application
    if shut := call_shut_message(application.call):
        raise workflow.InvalidTransition(shut)
    now = timezone.now()
    verdict = evaluate_application(application, as_of=timezone.localdate(now))
    problems = submission_problems(application, verdict)
    if problems:
        raise SubmissionBlocked(problems)
    year = timezone.localtime(now).year
    application.protocol_year = year
    application.protocol_seq = number_next(kind=CounterKind.PROTOCOL, year=year)
    application.submitted_at = now
    application.term_days = application.call.term_days
    version = _freeze_version(application, by, now, verdict)
    _finish(context, by, "", at=now)
    from networks import tasks

    transaction.on_commit(lambda: tasks.render_receipt.enqueue(version.pk))
    return version


@transaction.atomic
def application_take_charge(*, application_id: int, by: User) -> Application:
    """Make ``by`` the responsabile del procedimento (art. 5 L. 241/1990)."""
    context = _begin(application_id, "take_charge", by, "")
    context.application.officer = by
    _finish(context, by, _in_charge_note(by))
    return context.application


def _in_charge_note(officer: User) -> str:
    """Return the record's note naming the responsabile del procedimento, in Italian."""
    with override(RECORD_LANGUAGE):
        return _("Responsabile del procedimento: %(name)s") % {"name": display_name(officer)}


@transaction.atomic
def application_assign(*, application_id: int, by: User, officer_id: int) -> Application:
    """The manager makes an officer the responsabile of an application nobody took (art. 5).

    The application goes into review as if the officer had taken it in charge.
    """
    return _give_charge("assign", application_id, by, officer_id)


@transaction.atomic
def application_reassign(*, application_id: int, by: User, officer_id: int) -> Application:
    """The manager makes another officer the responsabile del procedimento (art. 5 L. 241/1990).

    Status, requests and clock stay; the previous officer is mailed too.
    """
    return _give_charge("reassign", application_id, by, officer_id)


def _give_charge(action: str, application_id: int, by: User, officer_id: int) -> Application:
    """Fire ``assign`` or ``reassign``: ``officer_id`` becomes the responsabile del procedimento.

    The applicant is told the name (art. 8), the officer is mailed (the event's mail), and
    the one in charge before, if any, is mailed too.
    """
    context = _begin(application_id, action, by, "")
    application = context.application
    new = officers_to_assign(application).filter(pk=officer_id).first()
    if new is None:
        raise workflow.InvalidTransition(
            _("Scegli un istruttore attivo diverso da quello che ha ora la domanda in carico.")
            if application.officer_id is not None
            else _("Scegli un istruttore attivo a cui assegnare la domanda.")
        )
    previous_id = application.officer_id
    application.officer = new
    event = _finish(context, by, _in_charge_note(new))
    if previous_id is not None:
        from networks import tasks

        transaction.on_commit(lambda: tasks.notify_reassigned.enqueue(event.pk, previous_id))
    return application


def latest_request_deadline(today: date) -> date:
    """Return the last deadline a request sent on ``today`` may give (``MAX_SUSPENSION_DAYS``).

    When the last day falls on a Sunday or a holiday the term runs to the next
    working day (art. 2963 c.c., ``networks.holidays``).
    """
    return next_working_day(today + timedelta(days=MAX_SUSPENSION_DAYS))


def observation_deadline(sent_on: date) -> date:
    """Return the last day for observations on a 10-bis notice sent on ``sent_on``."""
    return next_working_day(sent_on + timedelta(days=OBSERVATION_DAYS))


def check_request_deadline(deadline: date, *, today: date | None = None) -> None:
    """Refuse a deadline not after ``today``, past ``latest_request_deadline`` or on a holiday."""
    today = today or timezone.localdate()
    if deadline <= today:
        raise ValidationError(_("La scadenza deve essere successiva a oggi."))
    latest = latest_request_deadline(today)
    if deadline > latest:
        raise ValidationError(
            _(
                "Il termine può restare sospeso al massimo %(days)s giorni (art. 2, comma 7, "
                "L. 241/1990): indica una scadenza entro il %(latest)s."
            )
            % {
                "days": MAX_SUSPENSION_DAYS,
                "latest": formats.date_format(latest, "SHORT_DATE_FORMAT"),
            }
        )
    if reason := closed_because(deadline):
        raise ValidationError(
            _(
                "La scadenza indicata, %(deadline)s, cade in un giorno festivo (%(reason)s) e si "
                "sposterebbe al primo giorno lavorativo seguente (art. 2963 c.c.). Indica un "
                "giorno lavorativo, per esempio il %(next)s."
            )
            % {
                "deadline": formats.date_format(deadline, "SHORT_DATE_FORMAT"),
                "reason": reason,
                "next": formats.date_format(next_working_day(deadline), "SHORT_DATE_FORMAT"),
            }
        )


def _open_request(
    application: Application, kind: RequestKind, text: str, deadline: date, by: User
) -> ProcedureRequest:
    try:
        check_request_deadline(deadline)
    except ValidationError as error:
        raise workflow.InvalidTransition(error.messages[0]) from error
    return ProcedureRequest.objects.create(
        application=application,
        kind=kind,
        text=text,
        deadline=deadline,
        created_by=by,
        created_at=timezone.now(),
    )


def _close_request(application: Application, outcome: RequestOutcome, *, answer: str) -> None:
    ProcedureRequest.objects.filter(application=application).open().update(
        closed_at=timezone.now(), outcome=outcome, answer=answer
    )


@transaction.atomic
def application_request_integration(
    *, application_id: int, by: User, text: str, deadline: date
) -> ProcedureRequest:
    """Ask the applicant to correct or complete the application (soccorso istruttorio); the term stops."""
    context = _begin(application_id, "request_integration", by, text)
    request = _open_request(context.application, RequestKind.INTEGRATION, text, deadline, by)
    _finish(context, by, text)
    return request


@transaction.atomic
def application_resubmit(*, application_id: int, by: User, note: str = "") -> ApplicationVersion:
    """Send the integrations: a new frozen version with its own snapshot; the term resumes."""
    context = _begin(application_id, "resubmit", by, note)
    application = context.application
    now = timezone.now()
    verdict = evaluate_application(application, as_of=timezone.localdate(now))
    problems = [p for p in submission_problems(application, verdict) if not p.startswith("PTP-")]
    if problems:
        raise SubmissionBlocked(problems)
    version = _freeze_version(application, by, now, verdict)
    _finish(context, by, note, at=now)
    from networks import tasks

    transaction.on_commit(lambda: tasks.render_receipt.enqueue(version.pk))
    return version


def integration_lapsed(
    application: Application,
    *,
    today: date | None = None,
    requests: Sequence[ProcedureRequest] | None = None,
) -> bool:
    """Return whether the open integration request's deadline has passed without an answer.

    Pass the application's prefetched ``requests`` to save the query.
    """
    request = open_request(application, requests=requests)
    return (
        request is not None
        and request.kind == RequestKind.INTEGRATION
        and request.state_on(today or timezone.localdate()) == RequestState.EXPIRED
    )


def _set_back_to_filed(
    application: Application, version: ApplicationVersion
) -> tuple[bool, dict[str, Any]]:
    """Set the live application back to what ``version`` filed.

    While integrations are awaited the applicant edits the live application; what was
    never sent is not part of the application. The polo's name, contact and plan come
    back from the version; the members, lead partner, roles, commitments and order, and
    which documents are current, from its ``filed_state``. Documents uploaded since stay
    on record, no longer current; the answers to a 10-bis notice are not touched. A
    version filed before ``filed_state`` was kept sets back the texts only.

    Return what the application held before, unsent edits included (``_live_state``),
    and the live network as it is now; the two states are equal when nothing changed.
    """
    before = _live_state(application.pk)
    contact = version.network.get("contact") or {}
    fields = {
        "name": version.network.get("name", application.name),
        "contact_name": contact.get("name", ""),
        "contact_email": contact.get("email", ""),
        "contact_phone": contact.get("phone", ""),
        **{
            field: version.details[field]
            for field in DETAIL_TEXT_FIELDS
            if field in version.details
        },
    }
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=list(fields))
    state = version.filed_state
    if state.get("members"):
        _set_back_members(application, state["members"], state.get("documents", []), version)
    # The members prefetched with the application are those before.
    getattr(application, "_prefetched_objects_cache", {}).pop("members", None)
    after = _live_state(application.pk)
    if after != before:
        application.revision += 1  # an applicant's form still open elsewhere is now stale
        application.save(update_fields=["revision"])
    return before, after


def _live_state(application_id: int) -> tuple[Any, ...]:
    """Return what ``_set_back_to_filed`` may change: the live network, texts, documents."""
    live = application_queryset_for_evaluation(Application.objects).get(pk=application_id)
    return (
        network_from_application(live),
        [getattr(live, field) for field in DETAIL_TEXT_FIELDS],
        _documents_state(live),
    )


def _documents_state(application: Application) -> list[tuple[int, int | None]]:
    return list(
        application.documents.filter(current=True, request__isnull=True)
        .order_by("pk")
        .values_list("pk", "member__organisation_id")
    )


def _set_back_members(
    application: Application,
    members: list[dict[str, Any]],
    documents: list[dict[str, Any]],
    version: ApplicationVersion,
) -> None:
    filed = {item["organisation"]: item for item in members}
    live = {member.organisation_id: member for member in application.members.all()}
    for organisation_id, member in live.items():
        if organisation_id not in filed:
            member.delete()  # its documents stay on record (``Document.member`` is SET_NULL)
    # The lead first taken from everyone, and every key set aside: one lead at a time, and
    # a key once an application (constraints), while two members may swap theirs back.
    for member in live.values():
        if member.organisation_id in filed:
            ApplicationMember.objects.filter(pk=member.pk).update(
                is_lead=False, key=f"set-back-{member.pk}"
            )
    kept: dict[int, ApplicationMember] = {}
    for organisation_id, item in filed.items():
        member = live.get(organisation_id) or ApplicationMember(
            application=application, organisation_id=organisation_id
        )
        member.key = item["key"]
        member.is_lead = item["is_lead"]
        member.role = item["role"]
        member.commitment_signed = item["commitment_signed"]
        member.position = item["position"]
        member.save()
        kept[organisation_id] = member
    filed_documents = {item["document"]: item["organisation"] for item in documents}
    application.documents.filter(request__isnull=True, current=True).exclude(
        pk__in=filed_documents
    ).filter(uploaded_at__gt=version.submitted_at).update(current=False)
    for document in application.documents.filter(pk__in=filed_documents):
        organisation_id = filed_documents[document.pk]
        document.current = True
        document.member = kept.get(organisation_id) if organisation_id else None
        document.save(update_fields=["current", "member"])


@transaction.atomic
def application_resume_review(*, application_id: int, by: User, note: str = "") -> Application:
    """Go on with the review once the integration's deadline has passed unanswered.

    The suspension ended with the deadline (art. 2 c. 7 L. 241/1990); the request
    closes without an answer and the review goes on with the version on file: what
    the applicant changed and never sent is set back (``_set_back_to_filed``), and the
    note says so.
    """
    context = _begin(application_id, "resume_review", by, note)
    application = context.application
    request = open_request(application)
    if request is None or request.kind != RequestKind.INTEGRATION:
        raise workflow.InvalidTransition(_("Non c'è una richiesta di integrazione aperta."))
    if request.state_on(timezone.localdate()) != RequestState.EXPIRED:
        raise workflow.InvalidTransition(
            _(
                "Il richiedente può inviare le integrazioni fino al %(deadline)s: fino ad allora "
                "la domanda le attende."
            )
            % {"deadline": formats.date_format(request.deadline, "SHORT_DATE_FORMAT")}
        )
    version = last_version(application)
    with override(RECORD_LANGUAGE):
        default = _(
            "Termine per le integrazioni scaduto senza risposta: l'istruttoria prosegue sugli "
            "atti presentati."
        )
        told = [note.strip() or default]
        if version is not None:
            told += _set_back_notes(application, version)
    _finish(context, by, "\n\n".join(told))
    return application


def _unsent_record(
    version: ApplicationVersion, before: tuple[Any, ...], after: tuple[Any, ...], *, whole: bool
) -> dict[str, Any]:
    """Return what the applicant had prepared and not sent, for ``ProcedureRequest.unsent``.

    The network as a ``ptp-network/1`` document, the plan's texts, and the documents
    that were current and are no longer (by primary key: they stay on record), each with
    the name of the member it was for.
    """
    network, texts, documents = before
    # Only the texts the set-back changed: a version filed before the plan was kept
    # restores none, and the applicant's texts are still theirs.
    set_back_texts = {
        field: text
        for field, text, now in zip(DETAIL_TEXT_FIELDS, texts, after[1], strict=True)
        if text != now
    }
    still_current = {pk for pk, _member in after[2]}
    set_aside = [(pk, member) for pk, member in documents if pk not in still_current]
    # The member a declaration was for may leave with the set-back: its name is kept.
    names = dict(
        Organisation.objects.filter(pk__in={member for _pk, member in set_aside}).values_list(
            "pk", "name"
        )
    )
    return {
        "version": version.number,
        # Without the version's filed state the network was not set back: nothing of it is aside.
        **({"network": network} if whole else {}),
        "details": set_back_texts,
        "documents": [
            {"document": pk, "member": names.get(member, "")} for pk, member in set_aside
        ],
    }


def _set_back_notes(
    application: Application, version: ApplicationVersion, *, review_goes_on: bool = True
) -> list[str]:
    """Set the application back to ``version``, keep what the applicant had prepared and not
    sent on the open request (``ProcedureRequest.unsent``, closed next by the caller's
    transition), and return what the applicant is told of it.

    ``review_goes_on`` is false for a withdrawal: nothing is said of the network the
    review reads, as no review follows."""
    whole = bool(version.filed_state.get("members"))
    notes = []
    before, after = _set_back_to_filed(application, version)
    network = after[0]
    if before != after:
        ProcedureRequest.objects.filter(application=application).open().update(
            unsent=_unsent_record(version, before, after, whole=whole)
        )
        notes.append(
            _(
                "Le modifiche preparate e non inviate non fanno parte della domanda: rete, "
                "testi e documenti tornano quelli della versione %(number)d. Restano "
                "consultabili nella pagina della domanda, per riprenderle se serviranno."
            )
            if whole
            else _(
                "Le modifiche non inviate ai testi della domanda non ne fanno parte: tornano "
                "quelli della versione %(number)d. Restano consultabili nella pagina della "
                "domanda, per riprenderle se serviranno."
            )
        )
    if review_goes_on and (
        {**network, "reference_date": None} != {**version.network, "reference_date": None}
    ):
        # A version filed before its composition was kept, or registry records changed
        # since: the review reads the version all the same (``evaluate_filed``).
        notes.append(
            _(
                "La rete mostrata sul portale non coincide in tutto con quella presentata: "
                "l'istruttoria prosegue sulla rete della versione %(number)d."
            )
        )
    return [text % {"number": version.number} for text in notes]


@transaction.atomic
def application_resume_after_notice(*, application_id: int, by: User, note: str) -> Application:
    """Go on with the review once a 10-bis notice's days have passed unanswered, without rejecting.

    The notice closes without an answer; the officer's note says to the applicant why
    the review goes on. A rejection later needs a notice of its own reasons again.
    """
    context = _begin(application_id, "resume_after_notice", by, note)
    application = context.application
    # The status is the notice's (the transition says so): it is the last request.
    notice = _last_notice(application, None)
    assert notice is not None
    if not notice_given(application, requests=[notice]):
        raise workflow.InvalidTransition(
            _(
                "Il richiedente può presentare osservazioni fino al %(deadline)s: fino ad allora "
                "la domanda le attende."
            )
            % {"deadline": formats.date_format(notice.deadline, "SHORT_DATE_FORMAT")}
        )
    with override(RECORD_LANGUAGE):
        set_aside = _(
            "Il preavviso di rigetto del %(sent)s è superato: l'istruttoria riprende, e la "
            "domanda non potrà essere rigettata senza un nuovo preavviso che ne indichi i motivi."
        ) % {
            "sent": formats.date_format(timezone.localtime(notice.created_at), "SHORT_DATE_FORMAT")
        }
    _finish(context, by, f"{note.strip()}\n\n{set_aside}")
    return application


def integration_suspends(
    application: Application, *, requests: Sequence[ProcedureRequest] | None = None
) -> bool:
    """Return whether a new integration request would suspend the term (only the first does).

    Pass the application's prefetched ``requests`` to save the query.
    """
    if requests is not None:
        return not any(request.kind == RequestKind.INTEGRATION for request in requests)
    return not application.requests.filter(kind=RequestKind.INTEGRATION).exists()


@transaction.atomic
def application_send_rejection_notice(
    *, application_id: int, by: User, reasons: str
) -> ProcedureRequest:
    """Notify the reasons against approval (art. 10-bis): 10 days for observations, term suspended."""
    context = _begin(application_id, "send_rejection_notice", by, reasons)
    deadline = observation_deadline(timezone.localdate())
    request = _open_request(
        context.application, RequestKind.REJECTION_NOTICE, reasons, deadline, by
    )
    _finish(context, by, reasons)
    return request


def application_submit_observations(
    *,
    application_id: int,
    by: User,
    observations: str,
    attachments: Sequence[UploadedFile] = (),
) -> Application:
    """Record the applicant's observations on the 10-bis notice; the review resumes.

    Observations may come with documents (art. 10-bis: «eventualmente corredate
    da documenti»): PDFs, at most ``MAX_OBSERVATION_DOCUMENTS``, each within the
    call's size limit, recorded with their SHA-256 and linked to the notice they
    answer. One bad file refuses the whole sending (``ValidationError``): nothing
    is recorded. The files are checked before the application's row is locked.
    """
    if len(attachments) > MAX_OBSERVATION_DOCUMENTS:
        raise ValidationError(
            _(
                "Hai scelto %(count)d documenti: se ne allegano al massimo %(limit)d. Riunisci "
                "più documenti in un solo PDF."
            )
            % {"count": len(attachments), "limit": MAX_OBSERVATION_DOCUMENTS}
        )
    max_bytes = Call.objects.get(applications=application_id).max_attachment_bytes
    digests = [check_pdf(uploaded, max_bytes=max_bytes) for uploaded in attachments]
    with files_removed_on_failure() as stored:
        context = _begin(application_id, "submit_observations", by, observations)
        application = context.application
        notice = open_request(application)
        for uploaded, sha256 in zip(attachments, digests, strict=True):
            stored.append(
                document_store(
                    application=application,
                    kind=DocumentKind.OBSERVATIONS,
                    uploaded=uploaded,
                    sha256=sha256,
                    by=by,
                    request=notice,
                )
            )
        _finish(context, by, observations)
    return application


def _last_notice(
    application: Application, requests: Sequence[ProcedureRequest] | None = None
) -> ProcedureRequest | None:
    """Return the latest request if it is a 10-bis notice (none since the last resubmission).

    ``requests`` are the application's, newest first, when the caller has them already.
    """
    last = application.requests.first() if requests is None else next(iter(requests), None)
    return last if last is not None and last.kind == RequestKind.REJECTION_NOTICE else None


def notice_given(
    application: Application,
    *,
    today: date | None = None,
    requests: Sequence[ProcedureRequest] | None = None,
) -> bool:
    """Return whether a 10-bis notice was answered, or its term passed, since the last resubmission.

    Pass the application's prefetched ``requests`` (newest first, the model's order) to save
    the query.
    """
    notice = _last_notice(application, requests)
    today = today or timezone.localdate()
    # A notice set aside (the review went on after it) gives no ground for a rejection.
    return notice is not None and notice.state_on(today) not in {
        RequestState.AWAITING,
        RequestState.SET_ASIDE,
    }


def notice_answered(
    application: Application, *, requests: Sequence[ProcedureRequest] | None = None
) -> bool:
    """Return whether the applicant answered the last 10-bis notice with observations.

    Pass the application's prefetched ``requests`` (newest first) to save the query.
    """
    notice = _last_notice(application, requests)
    return notice is not None and notice.outcome == RequestOutcome.ANSWERED


def _propose(
    context: ActionContext,
    by: User,
    kind: ProposalKind,
    *,
    assessments: dict[str, str],
    reasons: str = "",
    observations_response: str = "",
    obligations: str = "",
) -> Proposal:
    application = context.application
    verdict = evaluate_filed(application)
    if kind == ProposalKind.APPROVAL:
        failing = [r.code for r in verdict.results if r.status == "fail"]
        if failing:
            raise workflow.InvalidTransition(
                _("Non si può proporre l'approvazione: regole non soddisfatte (%(codes)s).")
                % {"codes": ", ".join(failing)}
            )
        missing = [
            r.code
            for r in verdict.results
            if r.status == "warning" and not assessments.get(r.code, "").strip()
        ]
        if missing:
            raise workflow.InvalidTransition(
                _(
                    "Scrivi la tua valutazione per ogni regola con osservazioni: manca per %(codes)s."
                )
                % {"codes": ", ".join(missing)}
            )
    else:
        notice = _last_notice(application)
        if notice is not None and notice.outcome == RequestOutcome.SET_ASIDE:
            raise workflow.InvalidTransition(
                _(
                    "Il preavviso di rigetto precedente è superato: l'istruttoria è ripresa dopo "
                    "la sua scadenza. Per proporre il rigetto invia un nuovo preavviso (art. "
                    "10-bis L. 241/1990) con i motivi e attendi le osservazioni o la scadenza dei "
                    "10 giorni."
                )
            )
        if notice is None:
            raise workflow.InvalidTransition(
                _(
                    "Prima di proporre il rigetto invia il preavviso (art. 10-bis L. 241/1990) e attendi "
                    "le osservazioni o la scadenza dei 10 giorni."
                )
            )
        if notice.state_on(timezone.localdate()) == RequestState.AWAITING:
            raise workflow.InvalidTransition(
                _(
                    "Il preavviso di rigetto è in corso: il richiedente può presentare osservazioni "
                    "fino al %(deadline)s. Potrai proporre il rigetto quando arrivano le "
                    "osservazioni o dopo quella data."
                )
                % {"deadline": formats.date_format(notice.deadline, "SHORT_DATE_FORMAT")}
            )
        answered = notice.outcome == RequestOutcome.ANSWERED
        if answered and not observations_response.strip():
            raise workflow.InvalidTransition(
                _("Il richiedente ha presentato osservazioni: spiega perché non sono accolte.")
            )
        if not answered and observations_response.strip():
            # The decree would say that observations were presented and not accepted.
            raise workflow.InvalidTransition(
                _(
                    "Il richiedente non ha presentato osservazioni al preavviso di rigetto: "
                    "lascia vuoto il campo «Perché le osservazioni non sono accolte» (il decreto "
                    "dirà che non sono pervenute osservazioni)."
                )
            )
    return Proposal.objects.create(
        application=application,
        kind=kind,
        verdict=verdict.to_dict(),
        assessments={code: text.strip() for code, text in assessments.items() if text.strip()},
        reasons=reasons,
        observations_response=observations_response,
        obligations=obligations,
        proposed_by=by,
        proposed_at=timezone.now(),
    )


@transaction.atomic
def application_propose_approval(
    *,
    application_id: int,
    by: User,
    assessments: dict[str, str],
    obligations: str = "",
    note: str = "",
) -> Proposal:
    """Propose approval after re-running the rules: no blocking failure, every warning assessed."""
    context = _begin(application_id, "propose_approval", by, note)
    proposal = _propose(
        context, by, ProposalKind.APPROVAL, assessments=assessments, obligations=obligations
    )
    _finish(context, by, note)
    return proposal


@transaction.atomic
def application_propose_rejection(
    *, application_id: int, by: User, reasons: str, observations_response: str = ""
) -> Proposal:
    """Propose rejection, after the 10-bis notice, stating why observations are not accepted."""
    context = _begin(application_id, "propose_rejection", by, reasons)
    proposal = _propose(
        context,
        by,
        ProposalKind.REJECTION,
        assessments={},
        reasons=reasons,
        observations_response=observations_response,
    )
    _finish(context, by, reasons)
    return proposal


def proposal_changes(proposal: Proposal, verdict: Verdict) -> list[str]:
    """Return each rule whose outcome checked again differs from the approval proposed.

    The decree's CONSIDERATO carries the proposal's outcomes and assessments: it may be
    adopted only while the rules, run again on adoption day, give the same outcome for
    every rule (a warning then always has its assessment). Each item reads
    «PTP-ITS: soddisfatto nella proposta, da valutare oggi».
    """
    proposed = {result["code"]: result["status"] for result in proposal.verdict["results"]}

    def label(status: str | None) -> str:
        return str(RULE_STATUS_LABELS[status]).lower() if status else _("assente")

    return [
        _("%(code)s: %(before)s nella proposta, %(after)s oggi")
        % {
            "code": result.code,
            "before": label(proposed.get(result.code)),
            "after": label(result.status),
        }
        for result in verdict.results
        if proposed.get(result.code) != result.status
    ]


def _pending_proposal(application: Application, proposal_id: int | None) -> Proposal:
    """Lock and return the pending proposal; refuse if it is not the one the manager read.

    ``proposal_id`` is the proposal the manager's page showed (``None``: not said).
    """
    proposal = application.proposals.select_for_update().get(outcome=ProposalOutcome.PENDING)
    if proposal_id is not None and proposal.pk != proposal_id:
        raise workflow.InvalidTransition(
            _(
                "La proposta è cambiata dopo che hai aperto la pagina: l'istruttore ne ha "
                "presentata una nuova. Leggila qui sotto prima di decidere."
            )
        )
    return proposal


def own_pending_proposal(
    application: Application, by: User, *, proposals: Sequence[Proposal] | None = None
) -> bool:
    """Return whether the proposal awaiting the manager's decision is ``by``'s own.

    Pass the application's loaded ``proposals`` to save the query.
    """
    if proposals is None:
        return application.proposals.filter(
            outcome=ProposalOutcome.PENDING, proposed_by=by
        ).exists()
    return any(
        p.outcome == ProposalOutcome.PENDING and p.proposed_by_id == by.pk for p in proposals
    )


def own_proposal_text() -> str:
    """Say why a manager may not adopt the proposal they made themselves."""
    return _(
        "Hai proposto tu questo decreto, come responsabile del procedimento: lo adotta un "
        "altro dirigente (chi istruisce propone, chi adotta decide: articolo 6, comma 1, "
        "lettera e, della legge 241/1990). Puoi rinviare la proposta o riassegnare la domanda."
    )


@transaction.atomic
def application_return_proposal(
    *, application_id: int, by: User, reasons: str, proposal_id: int | None = None
) -> Proposal:
    """The manager sends the proposal back to the officer with stated reasons (art. 6 c. 1 e)."""
    context = _begin(application_id, "return_proposal", by, reasons)
    proposal = _pending_proposal(context.application, proposal_id)
    proposal.outcome = ProposalOutcome.RETURNED
    proposal.decided_by, proposal.decided_at, proposal.manager_note = by, timezone.now(), reasons
    proposal.save(update_fields=["outcome", "decided_by", "decided_at", "manager_note"])
    _finish(context, by, reasons)
    return proposal


@transaction.atomic
def application_adopt(
    *,
    application_id: int,
    by: User,
    note: str = "",
    action: str | None = None,
    proposal_id: int | None = None,
) -> Decree:
    """Adopt the pending proposal as a numbered decree; the PDF is rendered after commit.

    ``action`` (``adopt_approval`` or ``adopt_rejection``) is the decree the
    manager saw on the page and ``proposal_id`` the proposal it showed; both are
    checked under the row lock, so a stale button never adopts a different
    proposal. Without them, the pending proposal decides.
    """
    if action is None:
        status = Application.objects.only("status").get(pk=application_id).status
        action = (
            "adopt_rejection"
            if status == ApplicationStatus.REJECTION_PROPOSED
            else "adopt_approval"
        )
    context = _begin(application_id, action, by, note)
    application = context.application
    proposal = _pending_proposal(application, proposal_id)
    if proposal.kind == ProposalKind.APPROVAL:
        verdict = evaluate_filed(application)
        if verdict.verdict == "not_eligible":
            raise workflow.InvalidTransition(
                _(
                    "Le regole, verificate di nuovo oggi, non sono soddisfatte: rinvia la proposta all'istruttore."
                )
            )
        changed = proposal_changes(proposal, verdict)
        if changed:
            raise workflow.InvalidTransition(
                _(
                    "Le regole, verificate di nuovo oggi, non danno gli esiti della proposta, "
                    "che il decreto riporterebbe (%(changes)s): rinvia la proposta "
                    "all'istruttore perché la rinnovi."
                )
                % {"changes": "; ".join(changed)}
            )
    now = timezone.now()
    year = timezone.localtime(now).year
    decree = Decree.objects.create(
        application=application,
        proposal=proposal,
        kind=DecreeKind.APPROVAL
        if proposal.kind == ProposalKind.APPROVAL
        else DecreeKind.REJECTION,
        year=year,
        number=number_next(kind=CounterKind.DECREE, year=year),
        adopted_at=now,
        adopted_by=by,
        recognition_school_years=application.call.recognition_school_years
        if proposal.kind == ProposalKind.APPROVAL
        else None,
        area_name=application.area.name if application.area else "",
        call_title=application.call.title,
    )
    proposal.outcome = ProposalOutcome.ADOPTED
    proposal.decided_by, proposal.decided_at, proposal.manager_note = by, now, note
    proposal.save(update_fields=["outcome", "decided_by", "decided_at", "manager_note"])
    with override(RECORD_LANGUAGE):
        default = str(decree)
    _finish(context, by, note or default, at=now)
    from networks import tasks

    transaction.on_commit(lambda: tasks.render_decree.enqueue(decree.pk))
    return decree


@transaction.atomic
def application_withdraw(*, application_id: int, by: User, reason: str) -> Application:
    """Withdraw the application before the decision, with a reason.

    A proposal the manager had not decided on is closed as not decided: there is
    nothing left to adopt.
    """
    context = _begin(application_id, "withdraw", by, reason)
    application = context.application
    now = timezone.now()
    application.proposals.filter(outcome=ProposalOutcome.PENDING).update(
        outcome=ProposalOutcome.WITHDRAWN, decided_at=now
    )
    told = [reason]
    version = last_version(application)
    if context.from_status == ApplicationStatus.INTEGRATION_REQUESTED and version is not None:
        # What was withdrawn is what was filed: the edits never sent are set aside, as when
        # the review goes on without them (decision 0010), and kept for the applicant.
        with override(RECORD_LANGUAGE):
            told += _set_back_notes(application, version, review_goes_on=False)
    _finish(context, by, "\n\n".join(told), at=now)
    return application
