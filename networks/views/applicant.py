"""The applicant's journey: start, build the network step by step, check live, submit, follow.

Every view reads through ``networks.selectors`` (404 for someone else's
application) and writes through ``networks.services``; a refused action shows
an Italian message and keeps what the user typed.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from eligibility.adapters import NetworkInputError, parse_network_json
from eligibility.core import Verdict
from networks import selectors, workflow
from networks.constants import (
    TRAINING_KINDS,
    ApplicationStatus,
    DocumentKind,
    OrganisationKind,
    RequestState,
    Role,
)
from networks.diff import versions_diff
from networks.documents import as_sentence
from networks.forms_applicant import (
    AnswerForm,
    ApplicationDetailsForm,
    ApplicationStartForm,
    DocumentUploadForm,
    DraftDeleteForm,
    MemberForm,
    NetworkImportForm,
    ObservationsForm,
    OfferingForm,
    OrganisationRegisterForm,
    OrganisationSearchForm,
    ReasonForm,
)
from networks.models import Application, ApplicationMember, DecreeRenderStatus, Offering
from networks.roles import is_applicant
from networks.services import applications as application_services
from networks.services import organisations as organisation_services
from networks.services import workflow as workflow_services
from networks.services.applications import (
    DETAIL_FIELDS,
    EDITABLE_STATUSES,
    ApplicationError,
    DraftAlreadyCreated,
)
from networks.validators import ascii_int
from networks.views.downloads import decree_filename, pdf_response, receipt_filename
from networks.views.messages import add_validation_error, error_text, form_errors_text
from networks.views.sessions import (
    UNSAVED_MESSAGE,
    UNSENT_MESSAGE,
    login_required,
    unsaved_input,
)

# A browser never sends a chosen file twice: the text of a refused form is kept, its files not.
FILES_NOT_KEPT_MESSAGE = gettext_lazy(
    "Nulla è stato inviato. Il testo è conservato: scegli di nuovo i file da allegare."
)

# A file sent when the session had ended: the browser cannot send it again by itself.
FILE_NOT_SENT_MESSAGE = gettext_lazy(
    "Il file scelto prima che la sessione scadesse non è stato caricato: sceglilo di nuovo."
)

STEPS = (
    ("polo", gettext_lazy("Il polo")),
    ("partner", gettext_lazy("I partner")),
    ("documenti", gettext_lazy("Documenti")),
    ("invio", gettext_lazy("Riepilogo e invio")),
)
STEP_NAMES = [name for name, _label in STEPS]
# The hidden field of each member's forms on the partner step (``step_partner.html``): it
# sends back ``member_shown_token``, the proof that this application's page showed that
# member (see ``_member_or_redirect``).
MEMBER_SHOWN_FIELD = "member_shown"


def applicant_required(view: Any) -> Any:
    """Let only users with the Richiedente role through (others: 404, nothing to see here)."""

    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_applicant(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _edit_url(application: Application, step: str) -> str:
    return reverse("application_edit", args=[application.pk, step])


def _panel_context(
    application: Application, *, area_pk: str | None = None, verdict: Verdict | None = None
) -> dict[str, Any]:
    """Return the live eligibility panel's context: every rule with its result, citation and hint.

    ``area_pk`` previews the verdict for another area without saving it; ``verdict``, when
    the caller has already evaluated the application, spares a second evaluation.
    """
    pk = ascii_int(area_pk) if area_pk else None
    if pk and pk != application.area_id:
        application.area = selectors.area_get(pk)
    if application.area is None:
        return {"verdict": None}
    if verdict is None:
        verdict = workflow_services.evaluate_application(application)
    failing = [result for result in verdict.results if result.status == "fail"]
    return {"verdict": verdict, "failing": failing, "application": application}


def _step_context(
    application: Application,
    step: str,
    *,
    verdict: Verdict | None = None,
    area_pk: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "application": application,
        "steps": [
            {"name": name, "label": label, "url": _edit_url(application, name)}
            for name, label in STEPS
        ],
        "step": step,
        "step_label": dict(STEPS)[step],
        "step_index": STEP_NAMES.index(step) + 1,
        "panel": _panel_context(application, area_pk=area_pk, verdict=verdict),
        "import_form": NetworkImportForm(),
        **extra,
    }


@applicant_required
@require_safe
def application_list(request: HttpRequest) -> HttpResponse:
    """Show the applicant's dashboard: applications with status, protocol, deadline and history."""
    applications = list(selectors.applicant_applications(request.user))
    rows = [
        {
            "application": a,
            "clock": selectors.application_clock(a, events=a.events.all(), requests=a.request_list),
        }
        for a in applications
    ]
    return render(
        request,
        "networks/applicant/list.html",
        {"rows": rows, "can_start": selectors.calls_open().exists()},
    )


@applicant_required
def application_new(request: HttpRequest) -> HttpResponse:
    """Start a draft on an open call for an organisation the user represents."""
    calls = selectors.calls_open()
    organisations = selectors.organisations_represented(request.user)
    form = ApplicationStartForm(request.POST or None, calls=calls, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_services.application_create(
                call=form.cleaned_data["call"],
                organisation=form.cleaned_data["organisation"],
                by=request.user,
                name=form.cleaned_data["name"],
            )
        except DraftAlreadyCreated as error:
            messages.info(
                request,
                _(
                    "%(error)s Eccola: continua da qui. Per un altro polo, crea la bozza con "
                    "un nome diverso."
                )
                % {"error": error},
            )
            return redirect(_edit_url(error.application, "polo"))
        except (ApplicationError, ValidationError) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Bozza creata: completa i quattro passaggi e presentala."))
            return redirect(_edit_url(application, "polo"))
    return render(
        request,
        "networks/applicant/new.html",
        {
            "form": form,
            "has_calls": calls.exists(),
            "has_organisations": organisations.exists(),
            "upcoming_calls": selectors.calls_upcoming(),
        },
    )


@applicant_required
@require_safe
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an application to its applicant: status, deadlines, requests, versions, history, actions.

    Observations or a withdrawal's reason sent from here after the session ended come
    back, bound and not sent, after the login (``sessions.unsaved_input``); attached
    files are not kept.
    """
    application = selectors.application_get_for_applicant(request.user, pk)
    unsaved = unsaved_input(request)
    kept: dict[str, Any] = {}
    if unsaved is not None:
        address, data = unsaved
        if address == reverse("application_observations", args=[application.pk]):
            kept = {"observations_form": ObservationsForm(data)}
            messages.warning(request, FILES_NOT_KEPT_MESSAGE)
        elif address == reverse("application_withdraw", args=[application.pk]):
            kept = {"reason_form": ReasonForm(data)}
            messages.warning(request, UNSENT_MESSAGE)
    return _render_detail(request, application, **kept)


def _render_detail(
    request: HttpRequest,
    application: Application,
    *,
    observations_form: ObservationsForm | None = None,
    reason_form: ReasonForm | None = None,
    delete_form: DraftDeleteForm | None = None,
    unsaved_details: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    events = list(application.events.select_related("actor").order_by("at", "pk"))
    clock = selectors.application_clock(application, events=events)
    actions = {
        t.action
        for t in workflow.available_actions(
            application.status,
            roles=[Role.APPLICANT.value],
            is_representative=True,
            is_in_charge=False,
        )
    }
    decrees = [
        d for d in application.decrees.all() if d.render_status == DecreeRenderStatus.RENDERED
    ]
    open_request = selectors.open_request(application)
    return render(
        request,
        "networks/applicant/detail.html",
        {
            "application": application,
            # The steps between the officer and the manager are theirs (workflow.INTERNAL_ACTIONS).
            "events": [event for event in events if event.action not in workflow.INTERNAL_ACTIONS],
            "clock": clock,
            "open_request": open_request,
            "request_expired": open_request is not None
            and open_request.state_on(timezone.localdate()) == RequestState.EXPIRED,
            "request_suspends": open_request is not None
            and selectors.request_suspends(open_request),
            "versions": application.versions.order_by("-number"),
            "set_aside": selectors.set_aside_edits(application),
            "documents": selectors.current_documents(application),
            "actions": actions,
            "editable": application.status in EDITABLE_STATUSES,
            "decrees": decrees,
            "reason_form": reason_form or ReasonForm(),
            "delete_form": delete_form or DraftDeleteForm(),
            "draft_shown": draft_shown_token(application.pk),
            # What deleting the draft takes with it, said beside the button.
            "draft_contents": (
                {"members": application.members.count(), "documents": application.documents.count()}
                if application.is_draft
                else None
            ),
            "answer_form": AnswerForm(),
            "observations_form": observations_form or ObservationsForm(),
            "unsaved_details": unsaved_details or [],
        },
        status=status,
    )


@applicant_required
def application_edit(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Show one step of the guided form; the details step saves here (the others post to actions)."""
    if step not in STEP_NAMES:
        raise Http404
    application = selectors.application_get_for_applicant(request.user, pk, full=True)
    if (
        step == "polo"
        and request.method == "POST"
        and application.status not in EDITABLE_STATUSES
        and (unsaved := _unsaved_details(application, request.POST))
    ):
        # Submitted from another tab meanwhile: what this tab typed is shown, not dropped.
        messages.error(request, application_services.not_editable_text(application))
        return _render_detail(request, application, unsaved_details=unsaved, status=409)
    if response := _editable_or_redirect(request, application):
        return response
    extra: dict[str, Any] = {}
    area_pk = None
    # What was sent from this step after the session ended comes back, to check and send
    # again (never by itself): ``_kept_forms`` binds it to the form it was typed in.
    unsaved = unsaved_input(request) if request.method == "GET" else None
    kept_forms = _kept_forms(request, application, step, unsaved) if unsaved else {}
    if step == "polo":
        # The revision kept with the details still guards against a save made meanwhile.
        kept = unsaved[1] if unsaved is not None and unsaved[0] == request.path else None
        if kept is not None:
            messages.warning(request, UNSAVED_MESSAGE)
        form = ApplicationDetailsForm(
            # A plain copy: validating the form must not change the object the panel reads.
            request.POST or kept or None,
            instance=selectors.application_get_for_applicant(request.user, application.pk),
        )
        if request.method == "POST" and form.is_valid():
            try:
                application_services.application_update_details(
                    application=application,
                    by=request.user,
                    revision=form.cleaned_data["revision"],
                    data=form.cleaned_data,
                )
            except ApplicationError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Dati del polo salvati."))
                target = "partner" if "next" in request.POST else "polo"
                return redirect(_edit_url(application, target))
        extra["form"] = form
        if form.is_bound:
            # The panel previews the area the refused form shows, as its script would for it.
            area_pk = str(form["area"].value() or "")
    elif step == "partner":
        # Bound only by a search: any other query parameter (a link's utm_source) is no search.
        search = OrganisationSearchForm(request.GET if "q" in request.GET else None)
        members = _members_view(application, request.user, kept_forms.get("rows", ()))
        extra |= {
            "search_form": search,
            "results": selectors.organisations_search(search.cleaned_data["q"])
            if search.is_valid()
            else None,
            "register_form": kept_forms.get("register") or OrganisationRegisterForm(),
            "members": members,
            # A result already in the network says so instead of offering «Aggiungi».
            "in_network": {row["member"].organisation_id for row in members},
        }
    elif step == "documenti":
        extra |= _documents_context(application, DocumentUploadForm())
    elif step == "invio":
        return _render_submit_step(request, application, kept_forms.get("answer") or AnswerForm())
    return render(
        request,
        f"networks/applicant/step_{step}.html",
        _step_context(application, step, area_pk=area_pk, **extra),
    )


def _documents_context(
    application: Application, upload_form: DocumentUploadForm, refused: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the documents step's context; ``refused`` names the upload refused and why."""
    documents = list(selectors.current_documents(application))
    return {
        "upload_form": upload_form,
        "refused": refused,
        "documents": documents,
        # A declaration on file, not the flag a network file may carry, is what was uploaded.
        "committed": {d.member_id for d in documents if d.kind == DocumentKind.COMMITMENT},
        "companies": [
            _shown(application, m)
            for m in application.members.all()
            if m.organisation.kind == OrganisationKind.COMPANY
        ],
        "integration_documents": selectors.integration_documents_sent_with(application),
        "max_integration_documents": application_services.MAX_INTEGRATION_DOCUMENTS,
    }


def _kept_forms(
    request: HttpRequest, application: Application, step: str, unsaved: tuple[str, QueryDict]
) -> dict[str, Any]:
    """Bind what was sent from ``step`` after the session ended to the form it came from.

    The form is known by the address it was sent to: the partner step's new organisation,
    a member's role or a training subject's offering (of a member still in the network),
    the note sent with the integrations. A file is never kept: the user is told to choose
    it again. A removal is not repeated: the page shows the network as it is.
    """
    address, data = unsaved
    pk = application.pk
    if step == "partner":
        if address == reverse("organisation_register", args=[pk]):
            messages.warning(request, UNSAVED_MESSAGE)
            return {"register": OrganisationRegisterForm(data)}
        if address == reverse("network_import", args=[pk]):
            messages.warning(request, FILE_NOT_SENT_MESSAGE)
            return {}
        for member in application.members.all():
            if address == reverse("member_update", args=[pk, member.pk]):
                messages.warning(request, UNSAVED_MESSAGE)
                return {
                    "rows": [
                        MemberForm(
                            data,
                            prefix=f"m{member.pk}",
                            organisation_name=member.organisation.name,
                        )
                    ]
                }
            if address == reverse("offering_add", args=[pk, member.organisation_id]):
                messages.warning(request, UNSAVED_MESSAGE)
                return {"rows": [OfferingForm(data, prefix=f"o{member.organisation_id}")]}
    elif step == "documenti" and address == reverse("document_upload", args=[pk]):
        messages.warning(request, FILE_NOT_SENT_MESSAGE)
    elif step == "invio" and address == reverse("application_submit", args=[pk]):
        messages.warning(request, UNSENT_MESSAGE)
        return {"answer": AnswerForm(data)}
    return {}


def _render_submit_step(
    request: HttpRequest, application: Application, answer_form: AnswerForm, *, status: int = 200
) -> HttpResponse:
    """Render the summary and submission step, evaluating the application once for page and panel."""
    verdict = workflow_services.evaluate_application(application) if application.area_id else None
    sending = None
    if application.status == ApplicationStatus.INTEGRATION_REQUESTED:
        # What the integrations send: the application as it would be frozen, against the last version.
        last = selectors.last_version(application)
        if last is not None:
            sending = versions_diff(last, workflow_services.application_snapshot(application))
    context = _step_context(
        application,
        "invio",
        verdict=verdict,
        sending=sending,
        call_shut=workflow_services.call_shut_message(application.call)
        if application.status == ApplicationStatus.DRAFT
        else "",
        problems=workflow_services.submission_problems(application, verdict)
        if verdict
        else [_("Scegli l'area del polo.")],
        members=_members_view(application, request.user),
        answer_form=answer_form,
    )
    return render(request, "networks/applicant/step_invio.html", context, status=status)


def _members_view(
    application: Application, user: User, bound_forms: Iterable[forms.Form] = ()
) -> list[dict[str, Any]]:
    """Return the partner step's rows; a form in ``bound_forms`` replaces the blank one of its prefix."""
    members = list(application.members.all())
    editable = selectors.organisations_editable_by(user, [m.organisation for m in members])
    # Removing a company retires its declaration: the confirmation says so where one is on file.
    with_documents = set(
        selectors.current_documents(application)
        .filter(kind=DocumentKind.COMMITMENT)
        .values_list("member_id", flat=True)
    )
    bound = {form.prefix: form for form in bound_forms}
    return [
        {
            "member": member,
            "form": bound.get(f"m{member.pk}")
            or MemberForm(
                initial={
                    "role": member.role,
                    "is_lead": member.is_lead,
                    "lead_shown": member.is_lead,
                },
                prefix=f"m{member.pk}",
                organisation_name=member.organisation.name,
            ),
            "offering_form": bound.get(f"o{member.organisation_id}")
            or OfferingForm(prefix=f"o{member.organisation_id}"),
            "offerings": list(member.organisation.offerings.all()),
            "shown": member_shown_token(application.pk, member.pk),
            "is_training": member.organisation.kind in TRAINING_KINDS,
            "registry_editable": member.organisation_id in editable,
            "has_documents": member.pk in with_documents,
        }
        for member in members
    ]


def _render_partner_step(
    request: HttpRequest,
    application: Application,
    *,
    register_form: OrganisationRegisterForm | None = None,
    bound_forms: Iterable[forms.Form] = (),
    import_errors: list[str] | None = None,
) -> HttpResponse:
    """Render the partner step again after a refused form, with what the user typed (HTTP 400)."""
    context = _step_context(
        application,
        "partner",
        search_form=OrganisationSearchForm(),
        results=None,
        register_form=register_form or OrganisationRegisterForm(),
        members=_members_view(application, request.user, bound_forms),
        import_errors=import_errors,
    )
    return render(request, "networks/applicant/step_partner.html", context, status=400)


def _impossible_or_redirect(
    request: HttpRequest, application: Application, action: str
) -> HttpResponse | None:
    """Refuse an action the status does not allow, saying so rather than what its form lacks.

    The status named is the one the applicant's pages show (``constants.applicant_status``).
    """
    try:
        workflow.get_transition(
            action, application.status, shown_status=application.applicant_status
        )
    except workflow.InvalidTransition as error:
        if repeated := workflow_services.repeated_action_message(application, action, request.user):
            messages.info(request, repeated)  # a form sent twice: the first one went through
        else:
            _workflow_error(request, error)
        return redirect("application_detail", pk=application.pk)
    return None


def _unsaved_details(application: Application, data: QueryDict) -> list[tuple[str, str]]:
    """Return the polo's texts in ``data`` that differ from the application's: label, text."""
    rows = []
    for name in DETAIL_FIELDS:
        if name == "area":
            continue  # a choice, not a text to copy: the page shows the area as it is
        typed = data.get(name, "").strip()
        if typed and typed != (getattr(application, name) or "").strip():
            label = Application._meta.get_field(name).verbose_name
            rows.append((capfirst(str(label)), typed))
    return rows


def _editable_or_redirect(request: HttpRequest, application: Application) -> HttpResponse | None:
    if application.status not in EDITABLE_STATUSES:
        messages.error(request, application_services.not_editable_text(application))
        return redirect("application_detail", pk=application.pk)
    return None


@applicant_required
@require_safe
def application_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the live eligibility panel as an HTML fragment (``?area=`` previews another area)."""
    application = selectors.application_get_for_applicant(request.user, pk, full=True)
    context = _panel_context(application, area_pk=request.GET.get("area"))
    return HttpResponse(
        render_to_string("networks/applicant/_panel.html", {"panel": context}, request)
    )


@applicant_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a registry organisation to the network."""
    application = selectors.application_get_for_applicant(request.user, pk)
    if response := _editable_or_redirect(request, application):
        return response
    organisation_pk = ascii_int(request.POST.get("organisation", ""))
    if organisation_pk is None:
        raise Http404
    organisation = selectors.organisation_get(organisation_pk)
    try:
        application_services.application_member_add(
            application=application, organisation=organisation, by=request.user
        )
    except (ApplicationError, ValidationError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            as_sentence(_("Nella rete ora c'è anche %(name)s") % {"name": organisation.name}),
        )
    return redirect(_edit_url(application, "partner") + "#membri")


def _shown(application: Application, member: ApplicationMember) -> ApplicationMember:
    """Give ``member`` the token its forms send back (``MEMBER_SHOWN_FIELD``) as ``shown``."""
    member.shown = member_shown_token(application.pk, member.pk)  # type: ignore[attr-defined]
    return member


def member_shown_token(application_pk: int, member_pk: int) -> str:
    """Return the token a member's forms carry: a keyed hash of the application and the member."""
    return salted_hmac(
        "networks.views.applicant.member_shown",
        f"{application_pk}:{member_pk}",
        algorithm="sha256",
    ).hexdigest()


def _member_or_redirect(
    request: HttpRequest, application: Application, member_pk: int, *, step: str = "partner"
) -> ApplicationMember | HttpResponse:
    """Return the application's member, or answer a form for one that has left the network.

    A second click, or a stale tab, names a member that was there a moment ago: it is told
    so and shown the network as it is now, but only when the form is one this application's
    page showed for that member (``MEMBER_SHOWN_FIELD``). Any other id that names no member
    of this application is a 404, whether it names a member of another application or none,
    so the answer tells nothing beyond the user's own application.
    """
    try:
        return selectors.member_get_for_applicant(request.user, application, member_pk)
    except Http404:
        shown = request.POST.get(MEMBER_SHOWN_FIELD, "")
        if not constant_time_compare(shown, member_shown_token(application.pk, member_pk)):
            raise
    messages.info(
        request,
        _(
            "Questo partner non fa più parte della rete: forse l'hai già tolto, con un doppio "
            "clic o in un'altra scheda. Qui sotto c'è la rete com'è ora."
        ),
    )
    return redirect(_edit_url(application, step) + ("#membri" if step == "partner" else ""))


@applicant_required
@require_POST
def member_update(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Change a member's role or make it the lead partner."""
    application = selectors.application_get_for_applicant(request.user, pk)
    member = _member_or_redirect(request, application, member_pk)
    if isinstance(member, HttpResponse):
        return member
    if response := _editable_or_redirect(request, application):
        return response
    form = MemberForm(
        request.POST, prefix=f"m{member.pk}", organisation_name=member.organisation.name
    )
    if form.is_valid():
        try:
            application_services.application_member_update(
                member=member,
                by=request.user,
                role=form.cleaned_data["role"],
                is_lead=form.lead_choice(member.is_lead),
            )
        except (ApplicationError, ValidationError) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                as_sentence(_("Membro aggiornato: %(name)s.") % {"name": member.organisation.name}),
            )
            _warn_without_lead(request, application)
        return redirect(_edit_url(application, "partner") + "#membri")
    # The page comes back on the member's card (its form's fragment), the error under the field;
    # the message names the member, since every card has the same fields.
    messages.error(
        request,
        _("%(name)s: ruolo nella rete non aggiornato. %(errors)s")
        % {
            "name": member.organisation.name,
            "errors": " ".join(error for errors in form.errors.values() for error in errors),
        },
    )
    return _render_partner_step(request, application, bound_forms=[form])


@applicant_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Remove a member from the network."""
    application = selectors.application_get_for_applicant(request.user, pk)
    member = _member_or_redirect(request, application, member_pk)
    if isinstance(member, HttpResponse):
        return member
    if response := _editable_or_redirect(request, application):
        return response
    if member.organisation_id == application.applicant_organisation_id:
        messages.error(
            request, _("L'organizzazione richiedente non può uscire dalla propria domanda.")
        )
    else:
        application_services.application_member_remove(member=member, by=request.user)
        messages.success(
            request,
            as_sentence(_("%(name)s non è più nella rete") % {"name": member.organisation.name}),
        )
        _warn_without_lead(request, application)
    return redirect(_edit_url(application, "partner") + "#membri")


def _warn_without_lead(request: HttpRequest, application: Application) -> None:
    """Say at once that the network was left without a lead partner (PTP-LEAD-PARTNER)."""
    if not selectors.has_lead_partner(application):
        messages.warning(
            request,
            _(
                "La rete non ha più un capofila e la domanda non si può presentare così: "
                "indica come capofila uno dei membri, con «Capofila» nella sua scheda."
            ),
        )


@applicant_required
@require_POST
def organisation_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a new organisation in the registry and add it to the network; errors keep the input."""
    application = selectors.application_get_for_applicant(request.user, pk, full=True)
    if response := _editable_or_redirect(request, application):
        return response
    form = OrganisationRegisterForm(request.POST)
    if form.is_valid():
        try:
            organisation = application_services.application_member_register(
                application=application, organisation=form.instance, by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                as_sentence(
                    _("Registrazione fatta: nell'anagrafe e nella rete ora c'è anche %(name)s")
                    % {"name": organisation.name}
                ),
            )
            return redirect(_edit_url(application, "partner") + "#membri")
    return _render_partner_step(request, application, register_form=form)


@applicant_required
@require_POST
def offering_add(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    """Add a study offering to a training subject of the network."""
    application = selectors.application_get_for_applicant(request.user, pk)
    organisation = selectors.organisation_in_application(application, organisation_pk)
    if response := _editable_or_redirect(request, application):
        return response
    form = OfferingForm(request.POST, prefix=f"o{organisation.pk}")
    if form.is_valid():
        try:
            organisation_services.offering_add(
                organisation=organisation,
                programme=form.cleaned_data["programme"],
                first_year=form.cleaned_data["first_year"],
                last_year=form.cleaned_data["last_year"],
                by=request.user,
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(_edit_url(application, "partner") + f"#org-{organisation.pk}")
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                as_sentence(
                    _("Offerta formativa aggiunta a %(name)s.") % {"name": organisation.name}
                ),
            )
            return redirect(_edit_url(application, "partner") + f"#org-{organisation.pk}")
    # The page again, the form as typed and open under its organisation, the errors beside it.
    messages.error(
        request,
        _("Offerta di %(name)s non salvata. %(errors)s")
        % {"name": organisation.name, "errors": form_errors_text(form)},
    )
    return _render_partner_step(request, application, bound_forms=[form])


@applicant_required
@require_POST
def offering_remove(
    request: HttpRequest, pk: int, organisation_pk: int, offering_pk: int
) -> HttpResponse:
    """Remove a study offering from a training subject of the network."""
    application = selectors.application_get_for_applicant(request.user, pk)
    organisation = selectors.organisation_in_application(application, organisation_pk)
    if response := _editable_or_redirect(request, application):
        return response
    offering = organisation.offerings.filter(pk=offering_pk).first()
    if offering is None:
        if Offering.objects.filter(pk=offering_pk).exists():
            raise Http404  # another organisation's: not found under this one
        # A second click, or the back button: the first one took it away. (That an id is
        # no offering at all says nothing of anyone's: the registry's offerings are public
        # in the open data, and the id alone shows none of an offering's content.)
        messages.info(request, _("L'offerta formativa era già stata tolta."))
        return redirect(_edit_url(application, "partner") + f"#org-{organisation.pk}")
    try:
        organisation_services.offering_remove(offering=offering, by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Offerta formativa tolta."))
    return redirect(_edit_url(application, "partner") + f"#org-{organisation.pk}")


@applicant_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the network agreement, a company's commitment or an integration document.

    A refused file changes nothing else.
    """
    application = selectors.application_get_for_applicant(request.user, pk, full=True)
    kind = request.POST.get("kind")
    if kind not in {
        DocumentKind.NETWORK_AGREEMENT,
        DocumentKind.COMMITMENT,
        DocumentKind.INTEGRATION,
    }:
        raise Http404
    member = None
    if kind == DocumentKind.COMMITMENT:
        member_pk = ascii_int(request.POST.get("member", ""))
        if member_pk is None:
            raise Http404
        found = _member_or_redirect(request, application, member_pk, step="documenti")
        if isinstance(found, HttpResponse):
            return found  # a company that left the network in another tab: the file is not kept
        member = found
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = application_services.document_upload(
                application=application,
                kind=DocumentKind(kind),
                uploaded=form.cleaned_data["file"],
                by=request.user,
                member=member,
            )
        except (ValidationError, ApplicationError) as error:
            problem = error_text(error)
        else:
            messages.success(
                request, _("Documento «%(name)s» caricato.") % {"name": document.original_name}
            )
            problem = ""
    elif form.has_error("file", "empty"):
        problem = _("Il file è vuoto: scegli il PDF da caricare.")
    else:
        problem = _("Scegli un file PDF da caricare.")
    back = request.POST.get("back") == "detail"
    # The step can show the refusal at its input only if it still shows that input: not once
    # the application left editing (another tab submitted it), nor an integration outside
    # integrations. Then it goes where the step would send the user, with the message.
    shown = application.status in EDITABLE_STATUSES and (
        kind != DocumentKind.INTEGRATION
        or application.status == ApplicationStatus.INTEGRATION_REQUESTED
    )
    if not problem or back or not shown:
        if problem:
            messages.error(request, _upload_refusal(kind, member, problem))
        if back or application.status not in EDITABLE_STATUSES:
            return redirect("application_detail", pk=application.pk)
        return redirect(_edit_url(application, "documenti"))
    # The step again, the refusal named above with a link to its input and tied to that input
    # (the agreement's under its field); a browser keeps no chosen file, so nothing else is lost.
    if kind == DocumentKind.NETWORK_AGREEMENT:
        form.errors.pop("file", None)  # Django's own words give way to the portal's
        form.add_error("file", problem)
        inputs = "id_file"
    else:
        inputs = f"impegno-{member.pk}" if member else "integrazione-file"
        form = DocumentUploadForm()
    refused = {
        "kind": kind,
        "member": member.pk if member else None,
        "input": inputs,
        "text": _upload_refusal(kind, member, problem),
        "problem": problem,
    }
    context = _step_context(
        application, "documenti", **_documents_context(application, form, refused)
    )
    return render(request, "networks/applicant/step_documenti.html", context, status=400)


def _upload_refusal(kind: str, member: ApplicationMember | None, problem: str) -> str:
    """Return a refused upload's problem after the name of the upload it concerns."""
    if member is not None:
        upload = _("Dichiarazione di impegno di %(name)s") % {"name": member.organisation.name}
    elif kind == DocumentKind.INTEGRATION:
        upload = _("Documento integrativo")
    else:
        upload = _("Accordo di rete")
    return _("%(upload)s: %(problem)s") % {"upload": upload, "problem": problem}


@applicant_required
@require_POST
def document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Take back an integration document uploaded since the last submission."""
    application = selectors.application_get_for_applicant(request.user, pk)
    document = selectors.document_in_application(
        application, document_pk, kind=DocumentKind.INTEGRATION
    )
    try:
        application_services.document_retire(document=document, by=request.user)
    except ApplicationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("Documento «%(name)s» tolto.") % {"name": document.original_name}
        )
    return redirect(_edit_url(application, "documenti"))


@applicant_required
@never_cache  # personal documents: no copy in any cache
@require_safe
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """Serve an uploaded document of the user's application with a safe name."""
    application = selectors.application_get_for_applicant(request.user, pk)
    document = selectors.document_in_application(application, document_pk)
    return pdf_response(document.file, document.original_name)


@applicant_required
@never_cache  # personal documents: no copy in any cache
@require_safe
def receipt_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Serve the receipt PDF of a submitted version (rendered right after submission)."""
    application = selectors.application_get_for_applicant(request.user, pk)
    version = application.versions.filter(number=number).first()
    if version is None:
        raise Http404
    if not version.receipt:
        messages.info(request, _("La ricevuta è in preparazione: riprova tra qualche istante."))
        return redirect("application_detail", pk=application.pk)
    return pdf_response(version.receipt, receipt_filename(version))


@applicant_required
@require_safe
def version_diff(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Show what changed between version ``number`` and the one before it."""
    application = selectors.application_get_for_applicant(request.user, pk)
    old, new = selectors.version_pair(application, number)
    return render(
        request,
        "networks/version_diff.html",
        {
            "application": application,
            "back_url": reverse("application_detail", args=[application.pk]),
            **versions_diff(old, new),
        },
    )


@applicant_required
@never_cache  # the applicant's own texts: no copy in any cache
@require_safe
def unsent_edits(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """Show what the applicant had prepared and never sent when the application went back."""
    application = selectors.application_get_for_applicant(request.user, pk)
    aside = selectors.set_aside_edit(application, request_pk)
    return render(
        request,
        "networks/applicant/unsent.html",
        {
            "application": application,
            "lapsed": aside.request,
            "version": aside.version,
            "changes": aside.changes,
            "texts": aside.texts,
            "documents": aside.documents,
        },
    )


@applicant_required
@require_POST
def unsent_texts_restore(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """Put the plan's texts set aside back into an application awaiting integrations again.

    They replace the texts the application holds now; the form's revision guards a
    change made meanwhile in another tab (a missing one reads as stale).
    """
    application = selectors.application_get_for_applicant(request.user, pk)
    aside = selectors.set_aside_edit(application, request_pk)
    revision = ascii_int(request.POST.get("revision", ""))
    try:
        application_services.application_take_up_texts(
            application=application,
            texts={item["field"]: item["text"] for item in aside.texts},
            by=request.user,
            revision=-1 if revision is None else revision,
        )
    except (ValidationError, ApplicationError) as error:
        messages.error(request, error_text(error))
        return redirect("unsent_edits", pk=application.pk, request_pk=aside.request.pk)
    messages.success(
        request,
        _(
            "Testi ripresi nella domanda: %(labels)s. Controllali qui e invia le integrazioni "
            "quando la domanda è pronta."
        )
        % {"labels": ", ".join(str(item["label"]) for item in aside.texts)},
    )
    return redirect(_edit_url(application, "polo"))


@applicant_required
@never_cache  # personal documents: no copy in any cache
@require_safe
def network_export(request: HttpRequest, pk: int) -> JsonResponse:
    """Download the application's network as a ``ptp-network/1`` file."""
    from eligibility.adapters import network_from_application

    application = selectors.application_get_for_applicant(request.user, pk, full=True)
    response = JsonResponse(
        network_from_application(application),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="rete-{application.pk}.json"'
    return response


def _polo_identity(application: Application) -> dict[str, str]:
    """Return what a network file may change besides the members: name, area, contact."""
    return {
        "name": application.name,
        "area": str(application.area or "—"),
        "contact": " – ".join(
            part for part in (application.contact_name, application.contact_email) if part
        )
        or "—",
    }


def _polo_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Return, for the import's message, each of ``_polo_identity`` that changed: «old» → «new»."""
    labels = {"name": _("denominazione"), "area": _("area"), "contact": _("referente")}
    return [
        f"{labels[field]} «{before[field]}» → «{after[field]}»"
        for field in labels
        if before[field] != after[field]
    ]


def _utf16(content: bytes) -> bool:
    """Return whether a file looks like UTF-16 text (a byte-order mark, or ASCII with NULs)."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = content[:64]
    # «{» or «[» and whitespace written in two bytes each, the NUL before or after.
    return len(head) >= 4 and (
        (head[1::2].strip(b"\x00") == b"" and head[0:1] in b"{[ \t\r\n")
        or (head[0::2].strip(b"\x00") == b"" and head[1:2] in b"{[ \t\r\n")
    )


class NotJson(Exception):
    """The chosen network file is a PDF or another binary file."""


def _declared_without_declaration(application: Application, data: dict[str, Any]) -> list[str]:
    """Return the companies the file says signed the commitment, whose declaration is missing."""
    declared = {
        member.get("key")
        for member in data["members"]
        if member.get("kind") == OrganisationKind.COMPANY and member.get("commitment_signed")
    }
    return list(
        application.members.filter(key__in=declared, commitment_signed=False)
        .order_by("position")
        .values_list("organisation__name", flat=True)
    )


@applicant_required
@require_POST
def network_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the draft's network with a ``ptp-network/1`` file; errors are listed with their paths."""
    application = selectors.application_get_for_applicant(request.user, pk, full=True)
    if response := _editable_or_redirect(request, application):
        return response
    form = NetworkImportForm(request.POST, request.FILES)
    errors: list[str] = []
    before = _polo_identity(application)
    if form.is_valid():
        try:
            content = form.cleaned_data["file"].read()
            if _utf16(content):
                raise UnicodeDecodeError("utf-8", content[:2], 0, 2, "UTF-16")
            if content.startswith(b"%PDF") or b"\x00" in content[:1024]:
                raise NotJson
            data = parse_network_json(content.decode("utf-8"))
            # The service checks the document and everything the registry would refuse.
            imported = application_services.application_import_network(
                application=application, data=data, by=request.user
            )
        except NotJson:
            errors = [
                _(
                    "Il file è un PDF o un altro file binario, non un file di rete: scegli il "
                    "file JSON ptp-network/1 (per esempio quello scaricato con «Esporta la rete (JSON)»)."
                )
            ]
        except UnicodeDecodeError:
            errors = [_("Il file non è in UTF-8: salvalo o esportalo di nuovo con codifica UTF-8.")]
        except NetworkInputError as error:
            errors = [str(item) for item in error.errors]
        except (ValidationError, ApplicationError) as error:
            errors = [error_text(error)]
        else:
            count = selectors.network_size(application)
            messages.success(
                request,
                ngettext(
                    "Rete importata: %(count)d membro.", "Rete importata: %(count)d membri.", count
                )
                % {"count": count},
            )
            _warn_without_lead(request, application)
            if changed := _polo_changes(before, _polo_identity(application)):
                messages.info(
                    request,
                    _("Dal file sono cambiati anche: %(changes)s.")
                    % {"changes": "; ".join(changed)},
                )
            if count > len(data["members"]):
                messages.info(
                    request,
                    _(
                        "%(name)s presenta la domanda e resta nella rete, anche se il file non "
                        "la elenca."
                    )
                    % {"name": application.applicant_organisation.name},
                )
            if imported.updated:
                messages.info(
                    request,
                    as_sentence(
                        _(
                            "Nell'anagrafe, che vale per ogni domanda in cui l'organizzazione "
                            "compare, hanno ora i dati del file (offerta formativa e soci "
                            "fondatori compresi): %(names)s"
                        )
                        % {"names": ", ".join(o.name for o in imported.updated)}
                    ),
                )
            if imported.kept:
                messages.warning(
                    request,
                    as_sentence(
                        _(
                            "Restano con i dati dell'anagrafe, che il file non può modificare "
                            "(l'organizzazione ha propri referenti o è nella rete di un altro "
                            "richiedente; se i dati sono da correggere, scrivi alla Regione): "
                            "%(names)s"
                        )
                        % {"names": ", ".join(o.name for o in imported.kept)}
                    ),
                )
            if unsigned := _declared_without_declaration(application, data):
                messages.warning(
                    request,
                    as_sentence(
                        _(
                            "Il file dice firmato l'impegno di %(names)s: il requisito è "
                            "soddisfatto quando carichi la dichiarazione firmata al passo "
                            "Documenti"
                        )
                        % {"names": ", ".join(unsigned)}
                    ),
                )
            # Its own fragment: the form's (#importa-rete) would carry over the redirect.
            return redirect(_edit_url(application, "partner") + "#membri")
    else:
        errors = [form_errors_text(form)]
    return _render_partner_step(request, application, import_errors=errors)


def _workflow_error(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, workflow_services.SubmissionBlocked):
        # One message, a heading and its list: the template escapes the texts and marks the rules'.
        messages.error(
            request,
            render_to_string("networks/applicant/_blocked.html", {"problems": error.problems}),
        )
    else:
        messages.error(request, str(error))


@applicant_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the draft (or send the integrations, when the officer asked for them)."""
    application = selectors.application_get_for_applicant(request.user, pk)
    if application.status not in EDITABLE_STATUSES:
        # A second tab, or the same form sent twice: what was sent stays as it was.
        messages.warning(
            request,
            _(
                "La domanda è già stata inviata ed è nello stato «%(status)s»: non è stato "
                "inviato nulla di nuovo."
            )
            % {"status": application.get_applicant_status_display()},
        )
        return redirect("application_detail", pk=application.pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        # Nothing is sent; the page comes back with the note as typed and what to fix.
        messages.error(request, form_errors_text(form))
        full = selectors.application_get_for_applicant(request.user, pk, full=True)
        return _render_submit_step(request, full, form, status=400)
    try:
        if application.status == ApplicationStatus.INTEGRATION_REQUESTED:
            version = workflow_services.application_resubmit(
                application_id=application.pk, by=request.user, note=form.cleaned_data["text"]
            )
        else:
            version = workflow_services.application_submit(
                application_id=application.pk, by=request.user
            )
    except (workflow.InvalidTransition, workflow.NotAllowed) as error:
        _workflow_error(request, error)
        full = selectors.application_get_for_applicant(request.user, pk, full=True)
        if form.cleaned_data["text"] and full.status == ApplicationStatus.INTEGRATION_REQUESTED:
            # What blocks the sending is listed above the note, which stays as typed.
            return _render_submit_step(request, full, form, status=400)
        return redirect(_edit_url(application, "invio"))
    application.refresh_from_db()
    facts = {
        "protocol": application.protocol_number,
        "filed": timezone.localtime(application.submitted_at).strftime("%d/%m/%Y %H:%M"),
        "when": timezone.localtime(version.submitted_at).strftime("%d/%m/%Y %H:%M"),
        "version": version.number,
    }
    if version.number == 1:
        text = _("Domanda presentata: protocollo n. %(protocol)s del %(filed)s (versione 1).")
    else:
        # The protocol keeps the date of the first filing; the answer is a new version of it.
        text = _(
            "Integrazioni inviate il %(when)s: versione %(version)d della domanda con protocollo "
            "n. %(protocol)s del %(filed)s."
        )
    messages.success(request, text % facts)
    return redirect("application_detail", pk=application.pk)


def _reasoned_action(
    request: HttpRequest,
    pk: int,
    *,
    action: str,
    service: Any,
    argument: str,
    missing: str,
    done: str,
) -> HttpResponse:
    """Fire a workflow action that needs the applicant's written text; refusals become messages."""
    application = selectors.application_get_for_applicant(request.user, pk)
    if response := _impossible_or_redirect(request, application, action):
        return response
    form = ReasonForm(request.POST)
    if not form.is_valid():
        # The page again, with the text as typed: a redirect would lose it.
        messages.error(
            request, missing if form.has_error("text", "required") else form_errors_text(form)
        )
        return _render_detail(request, application, reason_form=form, status=400)
    try:
        service(
            application_id=application.pk, by=request.user, **{argument: form.cleaned_data["text"]}
        )
    except (workflow.InvalidTransition, workflow.NotAllowed) as error:
        _workflow_error(request, error)
    else:
        messages.success(request, done)
    return redirect("application_detail", pk=application.pk)


DRAFT_SHOWN_FIELD = "draft_shown"


def draft_shown_token(application_pk: int) -> str:
    """Return the token a draft's delete form carries: a keyed hash of the application's id.

    Only that draft's own page shows it, so a second «Elimina» (a double click, another
    tab) is told the draft is gone while any other id stays a 404 (decision 0008).
    """
    return salted_hmac(
        "networks.views.applicant.draft_shown", str(application_pk), algorithm="sha256"
    ).hexdigest()


@applicant_required
@require_POST
def application_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft never submitted, after the applicant ticked the confirmation."""
    try:
        application = selectors.application_get_for_applicant(request.user, pk)
    except Http404:
        shown = request.POST.get(DRAFT_SHOWN_FIELD, "")
        if (
            not selectors.application_exists(pk)
            and shown
            and constant_time_compare(shown, draft_shown_token(pk))
        ):
            messages.info(request, _("La bozza era già stata eliminata."))
            return redirect("application_list")
        raise
    if application.status != ApplicationStatus.DRAFT:
        # Said before the tick: for a filed application the tick would change nothing.
        messages.error(request, application_services.not_deletable_text(application))
        return redirect("application_detail", pk=application.pk)
    form = DraftDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return _render_detail(request, application, delete_form=form, status=400)
    name = application.name
    try:
        application_services.application_delete_draft(application=application, by=request.user)
    except ApplicationError as error:  # submitted from another tab a moment ago
        messages.error(request, str(error))
        return redirect("application_detail", pk=application.pk)
    except Http404:  # deleted from another tab since this request read it
        messages.info(request, _("La bozza era già stata eliminata."))
        return redirect("application_list")
    messages.success(
        request,
        _("Bozza «%(name)s» eliminata, con la sua rete e i documenti caricati.") % {"name": name},
    )
    return redirect("application_list")


@applicant_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the application before the decision, with a reason."""
    return _reasoned_action(
        request,
        pk,
        action="withdraw",
        service=workflow_services.application_withdraw,
        argument="reason",
        missing=_("Per ritirare la domanda scrivi il motivo."),
        done=_("Domanda ritirata."),
    )


@applicant_required
@require_POST
def application_observations(request: HttpRequest, pk: int) -> HttpResponse:
    """Send observations on the notice of intended rejection (art. 10-bis), with documents if any.

    A refusal (no text, a file that is not a PDF or is too large, too many
    files) sends nothing and shows the page again with the text as typed.
    """
    application = selectors.application_get_for_applicant(request.user, pk)
    if response := _impossible_or_redirect(request, application, "submit_observations"):
        return response
    form = ObservationsForm(request.POST, request.FILES)
    problem = ""
    if not form.is_valid():
        problem = (
            _("Scrivi le tue osservazioni prima di inviarle.")
            if form.has_error("text", "required")
            else form_errors_text(form)
        )
    else:
        try:
            workflow_services.application_submit_observations(
                application_id=application.pk,
                by=request.user,
                observations=form.cleaned_data["text"],
                attachments=form.cleaned_data["attachments"],
            )
        except (workflow.InvalidTransition, workflow.NotAllowed) as error:
            _workflow_error(request, error)
            return redirect("application_detail", pk=application.pk)
        except ValidationError as error:
            # The files are checked first: the refusal is theirs, under their field and named.
            form.add_error("attachments" if form.cleaned_data["attachments"] else None, error)
            problem = form_errors_text(form)
        except ApplicationError as error:
            problem = error_text(error)
    if problem:
        messages.error(request, problem)
        if request.FILES:
            messages.warning(request, FILES_NOT_KEPT_MESSAGE)
        return _render_detail(request, application, observations_form=form, status=400)
    messages.success(request, _("Osservazioni inviate all'istruttore."))
    return redirect("application_detail", pk=application.pk)


@applicant_required
@never_cache  # personal documents: no copy in any cache
@require_safe
def decree_download(request: HttpRequest, pk: int, decree_pk: int) -> HttpResponse:
    """Serve the decree on the user's application."""
    application = selectors.application_get_for_applicant(request.user, pk)
    decree = application.decrees.filter(pk=decree_pk, render_status="rendered").first()
    if decree is None:
        raise Http404
    return pdf_response(decree.pdf, decree_filename(decree))
