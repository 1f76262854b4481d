"""The officer's and the manager's side: the desk (queue), the application page, its actions.

Every page is for Istruttore and Dirigente only. The desk answers 403 to
other users; an application page answers 404, even to the applicant who
filed it (they have their own page), so a guessed URL reveals nothing.
Applications are read through ``networks.selectors``; every status change goes
through ``networks.services.workflow``, whose refusals are shown on the same
page with the user's input kept.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial, wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from eligibility.core import Verdict
from networks import selectors, tasks, workflow
from networks.clock import Clock
from networks.constants import OrganisationKind, RequestState, Role, SchoolStatus
from networks.diff import versions_diff
from networks.filters import DEFAULT_ORDERING, ORDER_CHOICES, STATUS_CHOICES, ReviewQueueFilter
from networks.forms import ErrorSummaryItem, form_errors
from networks.forms_review import (
    ACTION_FORMS,
    OfficerNoteForm,
    ProposalDecisionForm,
    ProposeApprovalForm,
    ProposeRejectionForm,
    ReassignForm,
    RequestIntegrationForm,
    ReviewActionForm,
)
from networks.models import (
    Application,
    DecreeRenderStatus,
    ProcedureRequest,
    Proposal,
    ProposalKind,
    ProposalOutcome,
)
from networks.pagecache import cached_titled_fragment, page_query, query_key
from networks.pagination import Paginator, list_title
from networks.roles import is_manager, roles_of
from networks.selectors import (
    application_clock,
    application_get_for_user,
)
from networks.services import review as review_services
from networks.services import workflow as workflow_services
from networks.views.downloads import decree_filename, pdf_response, receipt_filename
from networks.views.messages import error_text
from networks.views.sessions import UNSENT_MESSAGE, login_required, unsaved_input

STAFF_ROLES = frozenset({Role.OFFICER.value, Role.MANAGER.value})
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# How long a registry rename or a newly appointed officer may take to show on the desk.
DESK_CACHE_SECONDS = 60
# What the desk reads from the query string: the filters (ordering included), the page and its
# size; any other parameter is ignored, and shares the cache entry of the desk without it.
DESK_PARAMETERS = (*ReviewQueueFilter.base_filters, "page", "per_page")

# The workflow's action name → the service that fires it (keyword arguments come from the form).
ACTION_SERVICES: dict[str, Callable[..., Any]] = {
    "take_charge": workflow_services.application_take_charge,
    "request_integration": workflow_services.application_request_integration,
    "resume_review": workflow_services.application_resume_review,
    "resume_after_notice": workflow_services.application_resume_after_notice,
    "propose_approval": workflow_services.application_propose_approval,
    "send_rejection_notice": workflow_services.application_send_rejection_notice,
    "propose_rejection": workflow_services.application_propose_rejection,
    "adopt_approval": partial(workflow_services.application_adopt, action="adopt_approval"),
    "adopt_rejection": partial(workflow_services.application_adopt, action="adopt_rejection"),
    "return_proposal": workflow_services.application_return_proposal,
    "assign": workflow_services.application_assign,
    "reassign": workflow_services.application_reassign,
}
ACTION_DONE = {
    "take_charge": gettext_lazy("Hai preso in carico la domanda."),
    "request_integration": gettext_lazy("Richiesta di integrazione inviata: il termine è sospeso."),
    "resume_review": gettext_lazy(
        "Istruttoria ripresa senza le integrazioni: il termine corre di nuovo."
    ),
    "resume_after_notice": gettext_lazy(
        "Istruttoria ripresa dopo il preavviso di rigetto: il termine corre di nuovo."
    ),
    "propose_approval": gettext_lazy("Proposta di approvazione inviata al dirigente."),
    "send_rejection_notice": gettext_lazy("Preavviso di rigetto inviato: il termine è sospeso."),
    "propose_rejection": gettext_lazy("Proposta di rigetto inviata al dirigente."),
    "adopt_approval": gettext_lazy("Decreto adottato."),
    "adopt_rejection": gettext_lazy("Decreto adottato."),
    "return_proposal": gettext_lazy("Proposta rinviata all'istruttore."),
    "assign": gettext_lazy(
        "Domanda assegnata: l'istruttore scelto è il responsabile del procedimento."
    ),
    "reassign": gettext_lazy("Domanda assegnata al nuovo responsabile del procedimento."),
}
KIND_ORDER = [kind for kind, _label in OrganisationKind.choices]
KIND_LABELS = dict(OrganisationKind.choices)


def is_staff(user: Any) -> bool:
    """Return whether ``user`` works on the review (Istruttore or Dirigente)."""
    return bool(roles_of(user) & STAFF_ROLES)


def staff_view(
    *, hide: bool
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Require a logged-in officer or manager; others get 404 (``hide``) or 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_staff(request.user):
                if hide:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- the desk ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    application: Application
    clock: Clock
    open_request: ProcedureRequest | None
    request_expired: bool

    @property
    def overdue_days(self) -> int:
        return -self.clock.left_days


def _page_size(query: QueryDict) -> int:
    try:
        size = int(query.get("per_page", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return min(max(size, 1), MAX_PAGE_SIZE)


def _queue_row(application: Application, *, now: datetime, today: date) -> QueueRow:
    requests = application.request_list
    open_request = next((r for r in requests if r.closed_at is None), None)
    return QueueRow(
        application=application,
        clock=application_clock(
            application, now=now, events=application.events.all(), requests=requests
        ),
        open_request=open_request,
        request_expired=open_request is not None
        and open_request.state_on(today) == RequestState.EXPIRED,
    )


@require_safe
@staff_view(hide=False)
@never_cache
def review_queue(request: HttpRequest) -> HttpResponse:
    """Show the desk: filtered, searchable, sortable, paginated, with the clock of each row.

    The content and its title are cached per user, query and version of the desk
    (``pagecache``): a workflow action shows at the next request.
    """
    query = page_query(request.GET, DESK_PARAMETERS)
    title, content = cached_titled_fragment(
        "desk-titled",
        (request.user.pk, selectors.submitted_applications_version(), query_key(query)),
        partial(_render_queue_content, request, query),
        timeout=DESK_CACHE_SECONDS,
    )
    return render(request, "networks/review/queue.html", {"content": content, "page_title": title})


def _queue_title(filterset: ReviewQueueFilter, page: Any) -> str:
    """Return the desk's title: the status and the count when filtered, the page when several.

    Each filtered view and page of the desk is a page of its own, so it says which
    (WCAG 2.4.2); the order alone changes nothing but the order, and is not named.
    """
    parts = [_("Istruttoria")]
    # Filtering cleaned the form (``filterset.qs``): what it kept is what the page shows.
    chosen = filterset.form.cleaned_data if filterset.is_bound else {}
    if any(value not in (None, "", []) for name, value in chosen.items() if name != "order"):
        if chosen.get("status"):
            parts.append(str(dict(STATUS_CHOICES)[chosen["status"]]))
        count = page.paginator.count
        parts.append(
            ngettext("%(count)s risultato", "%(count)s risultati", count) % {"count": count}
        )
    return list_title(parts, page)


def _applied_order(filterset: ReviewQueueFilter) -> str:
    """Return the order the desk applies: the one asked for if valid, else the default (newest first).

    Its column's header says so (``aria-sort`` and a word), as the select does.
    """
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    return next(iter(cleaned.get("order") or ()), ORDER_CHOICES[0][0])


def _render_queue_content(request: HttpRequest, query: QueryDict) -> tuple[str, str]:
    queryset = selectors.review_queue_queryset(request.user).order_by(*DEFAULT_ORDERING)
    filterset = ReviewQueueFilter(query or None, queryset=queryset, request=request)
    paginator = Paginator(filterset.qs, _page_size(query))
    page = paginator.get_page(query.get("page"))
    now = timezone.now()
    today = timezone.localdate(now)
    rows = [_queue_row(application, now=now, today=today) for application in page.object_list]
    counts = selectors.application_status_counts(
        request.user, [value for value, _label in STATUS_CHOICES]
    )
    html = render_to_string(
        "networks/review/_queue_content.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "per_page": paginator.per_page,
            "status_counts": [
                (value, label, counts[value]) for value, label in STATUS_CHOICES if counts[value]
            ],
            "total": sum(counts.values()),
            "order": _applied_order(filterset),
            "query": query,
        },
        request=request,
    )
    return _queue_title(filterset, page), html


# --- the application page ---------------------------------------------------------------------


def _staff_application(request: HttpRequest, pk: int) -> Application:
    return application_get_for_user(request.user, pk, full=True)


def _available_actions(
    user: User,
    application: Application,
    requests: Sequence[ProcedureRequest],
    proposals: Sequence[Proposal],
) -> list[workflow.Transition]:
    """Return the actions ``user`` may fire now; ``requests`` and ``proposals`` are the application's."""
    # Only the guards of the transitions out of the current status can change what is offered.
    guards = {t.guard for t in workflow.TRANSITIONS if application.status in t.sources}
    conditions = set()
    if workflow.NOTICE_GIVEN in guards and workflow_services.notice_given(
        application, requests=requests
    ):
        conditions.add(workflow.NOTICE_GIVEN)
    if workflow.INTEGRATION_LAPSED in guards and workflow_services.integration_lapsed(
        application, requests=requests
    ):
        conditions.add(workflow.INTEGRATION_LAPSED)
    if (
        workflow.OFFICER_AVAILABLE in guards
        and is_manager(user)
        and selectors.officers_to_assign(application).exists()
    ):
        conditions.add(workflow.OFFICER_AVAILABLE)
    if workflow.PROPOSED_BY_ANOTHER in guards and not workflow_services.own_pending_proposal(
        application, user, proposals=proposals
    ):
        conditions.add(workflow.PROPOSED_BY_ANOTHER)
    return [
        transition
        for transition in workflow.available_actions(
            application.status,
            roles=roles_of(user),
            # Any link to the filing organisation, whatever the role: staff abstain (art. 6-bis).
            is_representative=selectors.represents(user, application),
            is_in_charge=application.officer_id == user.pk,
            conditions=conditions,
        )
        if transition.action in ACTION_FORMS
    ]


def _action_form(
    action: str,
    verdict: Verdict | None,
    application: Application,
    data: Any = None,
    *,
    pending_proposal: int | None = None,
    requests: Sequence[ProcedureRequest] | None = None,
    proposals: Sequence[Proposal] | None = None,
    clock: Clock | None = None,
) -> ReviewActionForm:
    form_class = ACTION_FORMS[action]
    kwargs: dict[str, Any] = {"prefix": action}
    if form_class is ProposeApprovalForm:
        kwargs["verdict"] = verdict
    if form_class is RequestIntegrationForm:
        kwargs["suspends"] = workflow_services.integration_suspends(application, requests=requests)
        if not kwargs["suspends"]:
            kwargs["term_ends"] = (
                clock or application_clock(application, requests=requests)
            ).deadline
    if form_class is ReassignForm:
        kwargs["officers"] = selectors.officers_to_assign(application)
        kwargs["current"] = application.officer
    if form_class is ProposeRejectionForm:
        kwargs["observations"] = workflow_services.notice_answered(application, requests=requests)
    if issubclass(form_class, ProposalDecisionForm):
        kwargs["proposal_id"] = pending_proposal
    if data is None and form_class in RETURNED_KIND:
        kwargs["initial"] = _returned_proposal_initial(application, form_class, proposals)
    return form_class(data, **kwargs)


# A proposal the manager returned comes back in the form that makes it again: the officer
# corrects it instead of typing the assessments and the reasons anew.
RETURNED_KIND = {
    ProposeApprovalForm: ProposalKind.APPROVAL,
    ProposeRejectionForm: ProposalKind.REJECTION,
}


def _returned_proposal_initial(
    application: Application, form_class: type, proposals: Sequence[Proposal] | None = None
) -> dict[str, Any]:
    """Return the initial values of the last returned proposal of the form's kind, if any.

    ``proposals``, newest first, spares the query when the page has them already.
    """
    if proposals is None:
        proposals = list(application.proposals.order_by("-proposed_at", "-pk")[:1])
    last = proposals[0] if proposals else None
    if (
        last is None
        or last.outcome != ProposalOutcome.RETURNED
        or last.kind != RETURNED_KIND[form_class]
    ):
        return {}
    if form_class is ProposeApprovalForm:
        return {
            **{
                ProposeApprovalForm.assessment_field(code): text
                for code, text in (last.assessments or {}).items()
            },
            "obligations": last.obligations,
        }
    return {"reasons": last.reasons, "observations_response": last.observations_response}


@dataclass(frozen=True)
class NetworkRow:
    """A member of the network as the officer's page lists it."""

    name: str
    is_lead: bool
    identifiers: str
    province: str
    role: str
    commitment_signed: bool | None  # companies only


def _identifiers(member: dict[str, Any]) -> str:
    """Return the identifiers of a ``ptp-network/1`` member, as the page writes them."""
    kind = member["kind"]
    if kind == OrganisationKind.INSTITUTE:
        text = f"{_('cod. mecc.')} {member.get('school_code', '')}"
        main = member.get("main_school_code")
        if main and main != member.get("school_code"):
            text += f" ({_('plesso di')} {main})"
        if member.get("status"):
            text += f" – {SchoolStatus(member['status']).label}"
        return text
    if kind == OrganisationKind.COMPANY:
        text = f"{_('P. IVA')} {member.get('vat_number', '')}"
        if member.get("ateco"):
            text += " – ATECO " + ", ".join(member["ateco"])
        return text
    if kind == OrganisationKind.ACCREDITED_BODY and member.get("accreditation_id"):
        labels = {"A": _("sez. A"), "B": _("sez. B")}
        sections = "".join(f" ({labels[s]})" for s in member.get("sections", []) if s in labels)
        return f"{_('accreditamento')} {member['accreditation_id']}{sections}"
    return ""


def _filed_network(
    application: Application, version: Any
) -> tuple[str, list[tuple[str, list[NetworkRow]]]]:
    """Return the lead partner's name and the members by kind, as ``version`` filed them.

    The review decides on what was filed (``evaluate_filed``): the page lists the same
    network, not the live records, which hold the applicant's edits not yet sent and
    registry records changed since. Roles come from the version's filed state (the
    live ones for a version filed before it was kept).
    """
    network = version.network
    roles = {item["key"]: item.get("role", "") for item in version.filed_state.get("members", [])}
    if not roles:
        roles = {member.key: member.role for member in application.members.all()}
    lead = network.get("lead_partner")
    groups: dict[str, list[NetworkRow]] = {}
    for member in network.get("members", []):
        groups.setdefault(member["kind"], []).append(
            NetworkRow(
                name=member["name"],
                is_lead=member["key"] == lead,
                identifiers=_identifiers(member),
                province=member.get("province", ""),
                role=roles.get(member["key"], ""),
                commitment_signed=member.get("commitment_signed")
                if member["kind"] == OrganisationKind.COMPANY
                else None,
            )
        )
    lead_name = next((row.name for rows in groups.values() for row in rows if row.is_lead), "")
    return lead_name, [
        (str(KIND_LABELS[kind]), groups[kind]) for kind in KIND_ORDER if kind in groups
    ]


def _detail(
    request: HttpRequest,
    application: Application,
    *,
    bound_action: str = "",
    bound_form: ReviewActionForm | None = None,
    note_form: OfficerNoteForm | None = None,
    action_error: str = "",
    action_errors: list[ErrorSummaryItem] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the application page; a refused action comes back as its bound form.

    ``action_error`` says above the actions why the action was refused; ``action_errors``
    list its form's errors under it, each linked to its field.
    """
    user = request.user
    today = timezone.localdate()
    versions = list(application.versions.select_related("submitted_by"))
    filed_version = max(versions, key=lambda version: version.number, default=None)
    verdict = workflow_services.evaluate_filed(application, version=filed_version)
    lead_name, members_by_kind = (
        _filed_network(application, filed_version) if filed_version else ("", [])
    )
    events = list(application.events.select_related("actor"))
    requests = list(application.requests.select_related("created_by").prefetch_related("documents"))
    last_request = requests[0] if requests else None
    clock = application_clock(application, events=events, requests=requests)
    proposals = list(application.proposals.select_related("proposed_by", "decided_by"))
    pending = selectors.pending_proposal_id(proposals)
    pending_approval = next(
        (p for p in proposals if p.pk == pending and p.kind == ProposalKind.APPROVAL), None
    )
    actions = []
    if isinstance(bound_form, ProposalDecisionForm):
        # Shown again, the form decides on the proposal now pending, which the page shows.
        bound_form.show_proposal(pending)
    for transition in _available_actions(user, application, requests, proposals):
        if transition.action == bound_action and bound_form is not None:
            form = bound_form
        else:
            form = _action_form(
                transition.action,
                verdict,
                application,
                pending_proposal=pending,
                requests=requests,
                proposals=proposals,
                clock=clock,
            )
        actions.append({"transition": transition, "form": form, "available": True})
    if bound_form is not None and bound_action not in {a["transition"].action for a in actions}:
        # The action is no longer possible: still show what the user wrote, without the button.
        transition = next(t for t in workflow.TRANSITIONS if t.action == bound_action)
        actions.append({"transition": transition, "form": bound_form, "available": False})
    return render(
        request,
        "networks/review/detail.html",
        {
            "application": application,
            "filed_version": filed_version,
            # The polo's name and contact as filed, not as the applicant is changing them.
            "filed": selectors.filed_details(application, filed_version),
            # Current when the last version was filed (its filed state): while integrations
            # are awaited a replacement not yet sent does not make them superseded.
            "filed_documents": {
                item["document"] for item in filed_version.filed_state.get("documents", [])
            }
            if filed_version
            else set(),
            "lead_name": lead_name,
            "members_by_kind": members_by_kind,
            "documents": application.documents.select_related("member__organisation").order_by(
                "-current", "kind", "-uploaded_at"
            ),
            "verdict": verdict,
            # What adoption would refuse: outcomes changed since the approval was proposed.
            "adoption_changes": workflow_services.proposal_changes(pending_approval, verdict)
            if pending_approval
            else [],
            "clock": clock,
            "overdue_days": -clock.left_days,
            "events": events,
            "last_request": last_request,
            "last_request_state": last_request.state_on(today) if last_request else None,
            "RequestState": RequestState,
            "proposals": proposals,
            "decrees": application.decrees.select_related("adopted_by"),
            "versions": versions,
            "notes": application.officer_notes.select_related("author"),
            "note_form": note_form or OfficerNoteForm(prefix="note"),
            "actions": actions,
            # A manager who proposed the decree as the officer in charge adopts none of it.
            "own_proposal": workflow_services.own_proposal_text()
            if is_manager(user)
            and workflow_services.own_pending_proposal(application, user, proposals=proposals)
            else "",
            "action_error": action_error,
            "action_errors": action_errors or [],
            "DecreeRenderStatus": DecreeRenderStatus,
            "ProposalOutcome": ProposalOutcome,
        },
        status=status,
    )


@require_safe
@staff_view(hide=True)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show everything about one application and the actions the user may fire now.

    An action or a note sent from here after the session ended comes back, bound and
    not sent, after the login (``sessions.unsaved_input``).
    """
    application = _staff_application(request, pk)
    unsaved = unsaved_input(request)
    kept: dict[str, Any] = {}
    if unsaved is not None:
        address, data = unsaved
        actions = {reverse("review_action", args=[application.pk, a]): a for a in ACTION_FORMS}
        if address == reverse("review_note_add", args=[application.pk]):
            kept = {"note_form": OfficerNoteForm(data, prefix="note")}
        elif address in actions:
            action = actions[address]
            kept = {
                "bound_action": action,
                "bound_form": _posted_action_form(action, application, data),
            }
    if kept:
        messages.warning(request, UNSENT_MESSAGE)
    return _detail(request, application, **kept)


def _posted_action_form(action: str, application: Application, data: Any) -> ReviewActionForm:
    """Return ``action``'s form bound to ``data``, with the verdict the approval form needs."""
    verdict = (
        workflow_services.evaluate_filed(application)
        if ACTION_FORMS[action] is ProposeApprovalForm
        else None
    )
    return _action_form(action, verdict, application, data)


@require_POST
@staff_view(hide=True)
def review_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Fire one workflow action; on refusal show the page again with the user's input."""
    application = _staff_application(request, pk)
    if action not in ACTION_FORMS:
        raise Http404
    form = _posted_action_form(action, application, request.POST)

    def refused(error: Exception, page: Application) -> HttpResponse:
        # Said once, above the actions; the form comes back with what was typed.
        return _detail(
            request, page, bound_action=action, bound_form=form, action_error=error_text(error)
        )

    if not form.is_valid():
        try:
            # An action that is not the user's, or no longer possible, is said as such: what to
            # correct in its form would not matter.
            workflow_services.check_action(application, action, request.user)
        except (workflow.InvalidTransition, workflow.NotAllowed) as error:
            return refused(error, application)
        # Named with its errors where the page lands (the form's action carries the fragment):
        # the form itself may be far below, after the other actions.
        return _detail(
            request,
            application,
            bound_action=action,
            bound_form=form,
            action_error=_("L'azione «%(action)s» non è stata eseguita: correggi questi errori.")
            % {"action": workflow.action_label(action)},
            action_errors=form_errors(form),
        )
    done = _done_message(action, application, form)
    try:
        ACTION_SERVICES[action](
            application_id=application.pk, by=request.user, **form.service_kwargs()
        )
    except (workflow.InvalidTransition, workflow.NotAllowed, ValidationError) as error:
        return refused(error, _staff_application(request, pk))
    messages.success(request, done)
    # With a fragment of its own: without one the browser keeps the form's #errore-azione,
    # which only a refusal renders. The message opens the page's content.
    return redirect(reverse("review_detail", args=[application.pk]) + "#contenuto")


def _done_message(action: str, application: Application, form: ReviewActionForm) -> str:
    """Return what the page says once ``action`` is done, read before it changes the term."""
    if action == "request_integration" and not workflow_services.integration_suspends(application):
        done = _(
            "Richiesta di integrazione inviata. Il termine non è sospeso: la sospensione per "
            "integrazioni è ammessa una sola volta (art. 2, comma 7, L. 241/1990)."
        )
        term_ends = application_clock(application).deadline
        deadline = form.cleaned_data["deadline"]
        if term_ends is not None and deadline > term_ends:
            done += " " + _(
                "La scadenza della risposta, il %(deadline)s, è dopo il termine del "
                "procedimento, il %(term)s."
            ) % {
                "deadline": formats.date_format(deadline, "SHORT_DATE_FORMAT"),
                "term": formats.date_format(term_ends, "SHORT_DATE_FORMAT"),
            }
        return done
    if action == "resume_review":
        request_open = selectors.open_request(application)
        if request_open is not None and not selectors.request_suspends(request_open):
            # A second request never stopped the term: nothing starts running again.
            return _("Istruttoria ripresa senza le integrazioni richieste.")
    return str(ACTION_DONE[action])


@require_POST
@staff_view(hide=True)
def review_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a private note, seen only by officers and managers."""
    application = _staff_application(request, pk)
    form = OfficerNoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            review_services.officer_note_add(
                application=application, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        except review_services.NoteAlreadySaved:
            # The same form sent twice (a double click, a second tab): one note is enough.
            messages.info(
                request, _("Questa nota era già stata salvata: non è stata aggiunta di nuovo.")
            )
            return redirect("review_detail", pk=application.pk)
        else:
            messages.success(request, _("Nota interna salvata."))
            return redirect("review_detail", pk=application.pk)
    return _detail(request, application, note_form=form)


@require_POST
@staff_view(hide=True)
def review_decree_retry(request: HttpRequest, pk: int, decree_pk: int) -> HttpResponse:
    """Run the rendering task again for a decree whose PDF could not be generated."""
    application = _staff_application(request, pk)
    decree = application.decrees.filter(pk=decree_pk).first()
    if decree is None:
        raise Http404
    if decree.render_status != DecreeRenderStatus.FAILED:
        messages.info(request, _("Il PDF di questo decreto non è in errore."))
        return redirect("review_detail", pk=application.pk)
    result = tasks.render_decree.enqueue(decree.pk)
    decree.refresh_from_db()
    if not result.is_finished:
        # A worker renders it later (the database backend of settings.prod): the decree
        # still shows the old failure, which is not the outcome of this retry.
        messages.info(request, _("Generazione del PDF avviata."))
    elif decree.render_status == DecreeRenderStatus.RENDERED:
        messages.success(request, _("PDF del decreto generato."))
    elif decree.render_status == DecreeRenderStatus.FAILED:
        # The technical detail stays in the server log (and on the decree row), not on the page.
        messages.error(
            request,
            _(
                "La generazione del PDF non è riuscita di nuovo. Se l'errore si ripete, "
                "segnalalo all'assistenza indicando il riferimento decreto-%(id)d."
            )
            % {"id": decree.pk},
        )
    else:
        messages.info(request, _("Generazione del PDF avviata."))
    return redirect("review_detail", pk=application.pk)


# --- downloads --------------------------------------------------------------------------------


@require_safe
@never_cache
@staff_view(hide=True)
def review_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """Serve an uploaded document of the application as an attachment with a safe name."""
    application = _staff_application(request, pk)
    document = selectors.document_in_application(application, document_pk)
    if not document.file:
        raise Http404
    return pdf_response(document.file, document.original_name)


@require_safe
@never_cache
@staff_view(hide=True)
def review_decree_download(request: HttpRequest, pk: int, decree_pk: int) -> FileResponse:
    """Serve a decree's rendered PDF/A."""
    application = _staff_application(request, pk)
    decree = application.decrees.filter(
        pk=decree_pk, render_status=DecreeRenderStatus.RENDERED
    ).first()
    if decree is None or not decree.pdf:
        raise Http404
    return pdf_response(decree.pdf, decree_filename(decree))


@require_safe
@never_cache
@staff_view(hide=True)
def review_receipt_download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """Serve the receipt of submitted version ``number`` (numbered as the applicant's are)."""
    application = _staff_application(request, pk)
    version = application.versions.filter(number=number).first()
    if version is None or not version.receipt:
        raise Http404
    return pdf_response(version.receipt, receipt_filename(version))


@require_safe
@staff_view(hide=True)
def review_version_diff(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Show the officer what changed between version ``number`` and the one before it."""
    application = application_get_for_user(request.user, pk)
    old, new = selectors.version_pair(application, number)
    return render(
        request,
        "networks/version_diff.html",
        {
            "application": application,
            "back_url": reverse("review_detail", args=[application.pk]),
            **versions_diff(old, new),
        },
    )
