"""Reads that take the acting user: no view queries an application without going through here.

``application_get_for_user`` answers 404 for an application the user may not
see, so a guessed URL reveals nothing. Applicants see the applications of the
organisations they represent; officers and managers see every application
that has been submitted (never someone else's draft).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from eligibility.adapters import application_queryset_for_evaluation
from networks.clock import (
    MAX_INTEGRATION_SUSPENSION,
    OBSERVATIONS_RESTART,
    Clock,
    StatusChange,
    procedure_clock,
)
from networks.constants import (
    EDITABLE_STATUSES,
    FINAL_STATUSES,
    SUSPENDING_STATUSES,
    ApplicationStatus,
    DocumentKind,
    RequestOutcome,
    Role,
)
from networks.models import (
    Application,
    ApplicationMember,
    ApplicationVersion,
    AuditEvent,
    Call,
    Decree,
    DecreeRenderStatus,
    Document,
    EconomicArea,
    Organisation,
    ProcedureRequest,
    Proposal,
    ProposalOutcome,
    RequestKind,
)
from networks.models.decrees import normalise_verification_code
from networks.roles import is_applicant, is_manager, is_officer
from networks.search import fold
from networks.validators import DATABASE_INT_MAX


def applications_visible_to(user: User | AnonymousUser) -> QuerySet[Application]:
    """Return the applications ``user`` may see."""
    if not user.is_authenticated:
        return Application.objects.none()
    visible = Q(pk__in=[])
    if is_applicant(user):
        # A semi-join (IN subquery), not a join: rows are never repeated, so no DISTINCT,
        # which would make every count and page of the officers' desk sort the whole table.
        represented = Organisation.representatives.through.objects.filter(user=user)
        visible |= Q(applicant_organisation__in=represented.values("organisation_id"))
    if is_officer(user) or is_manager(user):
        visible |= ~Q(status=ApplicationStatus.DRAFT)
    return Application.objects.filter(visible)


def undecided_applications() -> QuerySet[Application]:
    """Return the applications submitted and not yet decided: re-evaluated at the decision."""
    return Application.objects.exclude(status=ApplicationStatus.DRAFT).exclude(
        status__in=FINAL_STATUSES
    )


def live_networks_with(organisations: Iterable[Organisation]) -> QuerySet[Application]:
    """Return the applications whose network, read live, holds one of ``organisations``.

    Drafts and applications awaiting integrations read the registry as it is (they are
    filed again with it); a submitted network is decided as filed (``evaluate_filed``).
    """
    return Application.objects.filter(
        status__in=EDITABLE_STATUSES,
        members__organisation__in=[organisation.pk for organisation in organisations],
    ).distinct()


def undecided_filed_with_programme(code: str) -> QuerySet[Application]:
    """Return the undecided applications whose last filed network offers programme ``code``."""
    from networks.selectors_public import MembersMatch

    last = ApplicationVersion.objects.filter(application=OuterRef(OuterRef("pk"))).order_by(
        "-number"
    )
    filed = ApplicationVersion.objects.filter(pk=Subquery(last.values("pk")[:1])).filter(
        MembersMatch(programme=code)
    )
    return undecided_applications().filter(Exists(filed))


def application_exists(pk: int) -> bool:
    """Return whether any application, anyone's, has id ``pk``; say it only to who may know."""
    return Application.objects.filter(pk=pk).exists()


def applicant_provinces(user: User | AnonymousUser) -> set[str]:
    """Return the provinces of the applicants of the applications ``user`` may see."""
    return set(
        applications_visible_to(user)
        .order_by()  # the default ordering would enter the DISTINCT and repeat provinces
        .values_list("applicant_organisation__province", flat=True)
        .distinct()
    )


def application_get_for_user(
    user: User | AnonymousUser, pk: int, *, full: bool = False
) -> Application:
    """Return the application if ``user`` may see it, else raise ``Http404``."""
    queryset = applications_visible_to(user).select_related(
        "call", "area", "applicant_organisation", "officer", "created_by"
    )
    if full:
        queryset = application_queryset_for_evaluation(queryset)
    try:
        return queryset.get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def is_representative(user: User | AnonymousUser, application: Application) -> bool:
    """Return whether ``user`` represents the organisation that filed ``application``."""
    return user.is_authenticated and is_applicant(user) and represents(user, application)


def represents(user: User | AnonymousUser, application: Application) -> bool:
    """Return whether ``user`` is among the representatives of the organisation that filed it."""
    return (
        user.is_authenticated
        and application.applicant_organisation.representatives.filter(pk=user.pk).exists()
    )


def application_get_for_applicant(
    user: User | AnonymousUser, pk: int, *, full: bool = False
) -> Application:
    """Return an application of an organisation ``user`` represents, else raise ``Http404``."""
    application = application_get_for_user(user, pk, full=full)
    if not is_representative(user, application):
        raise Http404
    return application


def member_get_for_applicant(
    user: User | AnonymousUser, application: Application, member_pk: int
) -> ApplicationMember:
    """Return a member of an application the user represents, else raise ``Http404``.

    The same 404 whether ``member_pk`` names a member of another application or none.
    """
    try:
        return application.members.select_related("organisation").get(pk=member_pk)
    except ApplicationMember.DoesNotExist:
        raise Http404 from None


def document_in_application(
    application: Application, document_pk: int, *, kind: str | None = None
) -> Document:
    """Return a document of an application the caller already may see (of ``kind``), else 404."""
    documents = (
        application.documents.all() if kind is None else application.documents.filter(kind=kind)
    )
    try:
        return documents.get(pk=document_pk)
    except Document.DoesNotExist:
        raise Http404 from None


def last_version(application: Application) -> ApplicationVersion | None:
    """Return the application's latest submitted version, or ``None`` for a draft never filed."""
    return application.versions.order_by("-number").first()


def open_request(
    application: Application, *, requests: Sequence[ProcedureRequest] | None = None
) -> ProcedureRequest | None:
    """Return the request that suspends the application's term now, if any (at most one).

    Pass the application's prefetched ``requests`` to save the query.
    """
    if requests is not None:
        # ``OPEN_REQUEST``, read on the prefetched rows.
        return next((request for request in requests if request.closed_at is None), None)
    return application.requests.open().first()


# How an integration request closes when the application goes back to its last version.
SET_BACK_OUTCOMES = (RequestOutcome.LAPSED, RequestOutcome.WITHDRAWN)


def set_aside_edits(application: Application) -> QuerySet[ProcedureRequest]:
    """Return the integration requests closed with edits never sent, the latest first.

    What the applicant had prepared is kept with the request
    (``ProcedureRequest.unsent``) when the review went on without it, or the application
    was withdrawn while it was being prepared.
    """
    return (
        application.requests.filter(outcome__in=SET_BACK_OUTCOMES)
        .exclude(unsent={})
        .order_by("-closed_at")
    )


@dataclass(frozen=True)
class SetAside:
    """One of ``set_aside_edits``, read against the version the application went back to."""

    request: ProcedureRequest
    version: ApplicationVersion
    changes: list[str]  # the network's differences, one sentence each
    texts: list[dict[str, Any]]  # the plan's texts set aside, whole (``diff.unsent_changes``)
    documents: list[tuple[Document, str]]  # each with the name of the member it was for


def set_aside_edit(application: Application, request_pk: int) -> SetAside:
    """Return one of ``set_aside_edits`` of an application the caller may see, else 404."""
    from networks.diff import unsent_changes

    request = set_aside_edits(application).filter(pk=request_pk).first()
    version = (
        application.versions.filter(number=request.unsent.get("version")).first()
        if request is not None
        else None
    )
    if request is None or version is None:
        raise Http404
    members = {item["document"]: item["member"] for item in request.unsent.get("documents", [])}
    documents = application.documents.filter(pk__in=members).order_by("uploaded_at", "pk")
    changes = unsent_changes(version, request.unsent)
    return SetAside(
        request=request,
        version=version,
        changes=changes["changes"],
        texts=changes["texts"],
        documents=[(document, members[document.pk]) for document in documents],
    )


def network_size(application: Application) -> int:
    """Return how many members the application's network has now (not a prefetched count)."""
    return ApplicationMember.objects.filter(application=application).count()


def has_lead_partner(application: Application) -> bool:
    """Return whether a member of the application's network is its lead partner now."""
    return ApplicationMember.objects.filter(application=application, is_lead=True).exists()


def officers() -> QuerySet[User]:
    """Return the users who may be in charge of an application, by name."""
    return User.objects.filter(groups__name=Role.OFFICER.value, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def desk_officers() -> QuerySet[User]:
    """Return the officers the desk filters by: the active ones and whoever has an application.

    An officer deactivated (or no longer Istruttore) still holds the applications in
    their charge until a manager reassigns them: the desk must still find those.
    """
    in_charge = Application.objects.exclude(officer=None).values("officer_id")
    return User.objects.filter(Q(pk__in=officers().values("pk")) | Q(pk__in=in_charge)).order_by(
        "last_name", "first_name", "username"
    )


def managers() -> QuerySet[User]:
    """Return the active users who adopt decrees (Dirigenti)."""
    return User.objects.filter(groups__name=Role.MANAGER.value, is_active=True).order_by("pk")


def officers_to_assign(application: Application) -> QuerySet[User]:
    """Return the officers who may take over the procedure from the one in charge.

    Not one who represents the organisation that filed it: they abstain (art. 6-bis).
    """
    return (
        officers()
        .exclude(pk=application.officer_id)
        .exclude(organisations=application.applicant_organisation_id)
    )


def pending_proposal_id(proposals: Iterable[Proposal]) -> int | None:
    """Return the pk of the proposal waiting for the manager among ``proposals``, if any."""
    return next((p.pk for p in proposals if p.outcome == ProposalOutcome.PENDING), None)


def request_suspends(request: ProcedureRequest) -> bool:
    """Return whether ``request`` suspended the term: a 10-bis notice, or the first integration.

    Art. 2 c. 7 L. 241/1990: an integration request suspends the term "per una sola volta".
    """
    if request.kind != RequestKind.INTEGRATION:
        return True
    earlier = ProcedureRequest.objects.filter(
        application_id=request.application_id, kind=RequestKind.INTEGRATION
    ).filter(
        Q(created_at__lt=request.created_at) | Q(created_at=request.created_at, pk__lt=request.pk)
    )
    return not earlier.exists()


def versions_sent_with(
    application: Application, documents: list[Document]
) -> dict[int, int | None]:
    """Map each document's pk to the first version submitted after its upload (``None``: not yet)."""
    versions = list(application.versions.order_by("number").values_list("number", "submitted_at"))
    return {
        document.pk: next((n for n, at in versions if at >= document.uploaded_at), None)
        for document in documents
    }


def version_pair(
    application: Application, number: int
) -> tuple[ApplicationVersion, ApplicationVersion]:
    """Return version ``number`` of an application the caller may see and the one before, else 404."""
    if not 1 <= number <= DATABASE_INT_MAX:
        raise Http404  # no version has it, and a database would refuse to compare it
    versions = {v.number: v for v in application.versions.filter(number__in=[number - 1, number])}
    if number not in versions or number - 1 not in versions:
        raise Http404
    return versions[number - 1], versions[number]


def current_documents(application: Application) -> QuerySet[Document]:
    """Return the documents on file for an application the caller already may see."""
    return application.documents.filter(current=True).select_related("member__organisation")


def integration_documents_sent_with(
    application: Application,
) -> list[tuple[Document, int | None]]:
    """Return the current integration documents, each with the version that sent it (or None)."""
    documents = list(
        application.documents.filter(kind=DocumentKind.INTEGRATION, current=True).order_by(
            "uploaded_at"
        )
    )
    sent_with = versions_sent_with(application, documents)
    return [(document, sent_with[document.pk]) for document in documents]


def unsent_integration_documents(application: Application) -> QuerySet[Document]:
    """Return the current integration documents uploaded since the last submission."""
    documents = application.documents.filter(kind=DocumentKind.INTEGRATION, current=True)
    latest = last_version(application)
    return documents if latest is None else documents.filter(uploaded_at__gt=latest.submitted_at)


def organisations_represented(user: User | AnonymousUser) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(representatives=user)


def calls_open(now=None) -> QuerySet[Call]:  # type: ignore[no-untyped-def]
    now = now or timezone.now()
    return Call.objects.filter(opens_at__lte=now, closes_at__gt=now)


def calls_upcoming(now=None) -> QuerySet[Call]:  # type: ignore[no-untyped-def]
    """Return the calls that have not opened yet, soonest first."""
    return Call.objects.filter(opens_at__gt=now or timezone.now()).order_by("opens_at")


def application_clock(application: Application, *, now=None, events=None, requests=None) -> Clock:  # type: ignore[no-untyped-def]
    """Return the procedure's clock of ``application``.

    Pass prefetched ``events`` (``events_prefetch``) and ``requests``
    (``requests_prefetch``) to save the queries.
    """
    if events is None:
        events = (
            AuditEvent.objects.filter(application=application)
            .only("at", "from_status", "to_status")
            .order_by("at", "pk")
        )
    if requests is None:
        requests = ProcedureRequest.objects.filter(application=application).order_by(
            "created_at", "pk"
        )
    return procedure_clock(
        status_changes(events, requests),
        # A draft has no term yet: the call's is what it would get if filed now.
        term_days=application.term_days or application.call.term_days,
        now=now or timezone.now(),
    )


def status_changes(
    events: Iterable[AuditEvent], requests: Iterable[ProcedureRequest]
) -> list[StatusChange]:
    """Return the clock's status changes: each suspension with its request's deadline.

    Every change into a suspending status opened one request, in the same order:
    the n-th such change is the n-th request. Only the first integration request
    suspends the term (art. 2 c. 7 L. 241/1990: "per una sola volta"). An event
    that leaves the status as it was (``reassign``) changes nothing here.
    """
    pending = iter(sorted(requests, key=lambda request: (request.created_at, request.pk)))
    integrations = 0
    changes = []
    for event in events:
        if event.from_status == event.to_status:  # a new officer in charge: no change
            continue
        if event.to_status not in SUSPENDING_STATUSES:
            changes.append(StatusChange(event.at, event.to_status))
            continue
        request = next(pending, None)
        if request is None:  # a history without its request: suspended, with no limit known
            changes.append(StatusChange(event.at, event.to_status))
            continue
        until, answered_on = request.deadline, None
        runs_after_answer = timedelta(0)
        if request.kind == RequestKind.INTEGRATION:
            integrations += 1
            # Thirty days at most, even when the applicant's deadline moved past a holiday.
            until = min(
                until, timezone.localtime(request.created_at).date() + MAX_INTEGRATION_SUSPENSION
            )
        else:
            # Art. 10-bis: the term runs again ten days after the observations.
            runs_after_answer = OBSERVATIONS_RESTART
            if request.outcome == RequestOutcome.ANSWERED and request.closed_at is not None:
                answered_on = timezone.localtime(request.closed_at).date()
        changes.append(
            StatusChange(
                event.at,
                event.to_status,
                suspends=request.kind != RequestKind.INTEGRATION or integrations == 1,
                until=until,
                runs_after_answer=runs_after_answer,
                answered_on=answered_on,
            )
        )
    return changes


def events_prefetch() -> Prefetch:
    """Return the prefetch that gives ``application_clock`` its events without extra queries."""
    return Prefetch(
        "events",
        queryset=AuditEvent.objects.only(
            "application_id", "at", "from_status", "to_status"
        ).order_by("at", "pk"),
    )


def requests_prefetch() -> Prefetch:
    """Return the prefetch of every request, oldest first, to ``application.request_list``.

    It gives ``application_clock`` the suspensions' deadlines, and rows their open request.
    """
    return Prefetch(
        "requests",
        queryset=ProcedureRequest.objects.order_by("created_at", "pk"),
        to_attr="request_list",
    )


def decree_get_by_code(code: str) -> Decree:
    """Return a rendered decree by its verification code (public), else raise ``Http404``."""
    try:
        return Decree.objects.select_related("application__area", "application__call").get(
            verification_code=normalise_verification_code(code),
            render_status=DecreeRenderStatus.RENDERED,
        )
    except Decree.DoesNotExist:
        raise Http404 from None


def organisations_search(query: str, *, limit: int = 20) -> list[Organisation]:
    """Return registry organisations matching a name, codice meccanografico or partita IVA.

    The name matches whatever its case, accents, apostrophes and runs of spaces
    (``networks.search``); an accreditation id whatever its case; a school code by its start.
    """
    query = query.strip()
    if len(query) < 2:
        return []
    compact = query.replace(" ", "").upper()
    matches = (
        Q(name__folded__contains=fold(query))
        | Q(vat_number=compact.removeprefix("IT"))
        | Q(accreditation_id__iexact=" ".join(query.split()))
    )
    # The start of a codice meccanografico finds its school and plessi («SPIS006»).
    if len(compact) >= 4:
        matches |= Q(school_code__startswith=compact)
    else:
        matches |= Q(school_code=compact)
    return list(Organisation.objects.filter(matches).order_by("name")[:limit])


def organisations_editable_by(user: User, organisations: Iterable[Organisation]) -> set[int]:
    """Return the pks of the ``organisations`` whose registry record ``user`` may change.

    The registry is shared by every application. An applicant may change a record
    they represent, or one that nobody represents and that no application of another
    applicant organisation uses; anything else is corrected by the Region, in the
    back office. Three queries, however many organisations.
    """
    pks = {organisation.pk for organisation in organisations if organisation.pk is not None}
    if not pks:
        return set()
    through = Organisation.representatives.through.objects.filter(organisation_id__in=pks)
    represented_by_user = set(through.filter(user=user).values_list("organisation_id", flat=True))
    represented = set(through.values_list("organisation_id", flat=True))
    mine = Organisation.representatives.through.objects.filter(user=user).values("organisation_id")
    used_by_others = set(
        ApplicationMember.objects.filter(organisation_id__in=pks)
        .exclude(application__applicant_organisation__in=mine)
        .values_list("organisation_id", flat=True)
    )
    return represented_by_user | (pks - represented - used_by_others)


def organisation_in_application(application: Application, organisation_pk: int) -> Organisation:
    """Return an organisation that is a member of ``application``, else raise ``Http404``."""
    if not 1 <= organisation_pk <= DATABASE_INT_MAX:
        # No organisation has it, and a database refuses to compare a foreign key to it.
        raise Http404
    try:
        return (
            application.members.select_related("organisation")
            .get(organisation_id=organisation_pk)
            .organisation
        )
    except ApplicationMember.DoesNotExist:
        raise Http404 from None


def organisation_get(pk: int) -> Organisation:
    """Return a registry organisation (the registry is shared by every applicant), else ``Http404``."""
    try:
        return Organisation.objects.get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def applicant_applications(user: User | AnonymousUser) -> QuerySet[Application]:
    """Return the applications of the organisations ``user`` represents, with what the dashboard shows."""
    return (
        applications_visible_to(user)
        .filter(applicant_organisation__representatives=user)
        .select_related("call", "area", "applicant_organisation")
        .prefetch_related(events_prefetch(), requests_prefetch())
        .order_by("-updated_at")
    )


def area_get(pk: int) -> EconomicArea | None:
    """Return an active area by primary key, or ``None``."""
    return EconomicArea.objects.filter(pk=pk, active=True).first()


def filed_name() -> Coalesce:
    """Return the polo's name as its last version filed it (the live one for a draft).

    While integrations are awaited the applicant may rename the polo: the officers
    see, search and sort by the name they were sent until the new one is sent.
    """
    last = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
    return Coalesce(
        Subquery(last.values(name=KT("network__name"))[:1], output_field=CharField()),
        F("name"),
    )


def filed_polo_name(application: Application) -> str:
    """Return the polo's name as its last version filed it (the live one before any version)."""
    return filed_details(application, last_version(application))["name"]


def filed_details(application: Application, version: ApplicationVersion | None) -> dict[str, Any]:
    """Return the polo's ``name`` and ``contact`` as ``version`` filed them (live without one).

    While integrations are awaited the applicant may change them: the officers and the
    mails read what was sent until the new values are.
    """
    if version is None:
        return {
            "name": application.name,
            "contact": {
                "name": application.contact_name,
                "email": application.contact_email,
                "phone": application.contact_phone,
            },
        }
    return {
        "name": version.network.get("name", application.name),
        "contact": version.network.get("contact", {}),
    }


def review_queue_queryset(user: User | AnonymousUser) -> QuerySet[Application]:
    """Return the applications of the officers' desk with what each row shows, prefetched.

    Rows need the clock (events) and the open request: both come in one query
    each, whatever the page size; ``filed_name`` is the polo's name as filed.
    """
    return (
        applications_visible_to(user)
        .annotate(filed_name=filed_name())
        .select_related("call", "area", "applicant_organisation", "officer")
        .prefetch_related(
            events_prefetch(),
            requests_prefetch(),
        )
    )


def submitted_applications_version() -> object:
    """Return what changes whenever a row of the officers' desk may change (one index probe).

    Every workflow action saves the application, moving its ``updated_at`` to
    the newest; submitted applications are never deleted (only drafts are),
    so the newest ``updated_at`` among them is enough. It is read from the
    partial index ``application_desk_version``.
    """
    return (
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
        .order_by()
        .aggregate(latest=Max("updated_at"))["latest"]
    )


def application_status_counts(user: User | AnonymousUser, statuses: list[str]) -> dict[str, int]:
    """Return how many applications ``user`` sees in each of ``statuses`` (one aggregate query)."""
    return applications_visible_to(user).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in statuses}
    )
