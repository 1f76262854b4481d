"""Every URL × every role × GET and POST, on objects in a state where the URL does something.

``test_authorization_matrix`` sends one request per URL (its main method) on an
approved application as six roles. This module adds what it leaves out:

- both methods on every URL, so a GET that would change state, or a POST that a
  read-only address accepts, shows; every refused request and every GET is also
  checked to leave the database as it was;
- two more roles: an officer who is not the one in charge, and a superuser
  (who works in the admin and has no role of the portal);
- objects in the state each URL acts on: an editable draft, an application
  awaiting integrations (an unsent integration document to take back), an
  approved one (receipts and a decree);
- the ids of another application's documents, members, versions, decrees,
  organisations and offerings under an application's own URL (in the path
  and in the POST body), by a user who may see both applications;
- the CSRF check on every URL that accepts a POST, the headers of every
  download, the login/logout/language redirects against other hosts, and
  the admin pages of the catalogue role, one rule per registered model.

The URL list is read from the URL configuration: a URL without a rule here
fails ``test_every_url_has_a_rule`` (and one with two path ids without a
cross-application rule fails ``test_every_second_id_has_a_cross_application_rule``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import get_resolver, reverse

from networks.constants import DocumentKind, OrganisationKind, Role
from networks.models import (
    Application,
    ApplicationMember,
    ApplicationVersion,
    AuditEvent,
    Decree,
    Document,
    Offering,
    OfficerNote,
    Organisation,
    ProcedureRequest,
    Proposal,
)
from networks.services import applications as application_services
from networks.services import workflow as workflow_services
from tests.factories import (
    OfferingFactory,
    OrganisationFactory,
    application_in_review,
    approved_application,
    draft_application,
    pdf_upload,
    user_with_role,
)
from tests.helpers import url_patterns
from tests.procedure import assessments_for, edit_plan, expire_open_request, working_day

ROLES = (
    "anonymous",
    "other_applicant",
    "applicant",
    "other_officer",
    "officer",
    "manager",
    "catalogue_admin",
    "superuser",
)
LOGIN = "login"  # a 302 to the login page
REFUSALS = {LOGIN, 403, 404, 405}


@dataclass(frozen=True)
class Rule:
    """What each role gets on a URL, by method (in ``ROLES`` order), and on which object."""

    get: tuple[int | str, ...]
    post: tuple[int | str, ...]
    on: str = ""  # "draft", "integration", "approved" or "" (no object in the path)


def _each(status: int | str) -> tuple[int | str, ...]:
    return (status,) * len(ROLES)


#                       anon   other  owner  off2   off    mgr    cat    super
PUBLIC = _each(200)
NO_POST = _each(405)
LOGGED_IN = (LOGIN, 200, 200, 200, 200, 200, 200, 200)
APPLICANT_AREA = (LOGIN, 200, 200, 404, 404, 404, 404, 404)
# An applicant view reached with the wrong method: the role is checked first.
APPLICANT_WRONG_METHOD = (LOGIN, 405, 405, 404, 404, 404, 404, 404)
OWNER_ONLY = (LOGIN, 404, 200, 404, 404, 404, 404, 404)
OWNER_REDIRECT = (LOGIN, 404, 302, 404, 404, 404, 404, 404)
OWNER_REFUSED_INPUT = (LOGIN, 404, 400, 404, 404, 404, 404, 404)
STAFF_QUEUE = (LOGIN, 403, 403, 200, 200, 200, 403, 403)
STAFF_OBJECT = (LOGIN, 404, 404, 200, 200, 200, 404, 404)
STAFF_REDIRECT = (LOGIN, 404, 404, 302, 302, 302, 404, 404)

DRAFT, INTEGRATION, APPROVED = "draft", "integration", "approved"
RULES: dict[str, Rule] = {
    # Django's own views, with the portal's templates
    "set_language": Rule(get=_each(302), post=_each(302)),  # a GET changes nothing: see its test
    "login": Rule(get=(200, *(302,) * 7), post=(200, *(302,) * 7)),
    "logout": Rule(get=NO_POST, post=_each(302)),
    "password_change": Rule(get=LOGGED_IN, post=LOGGED_IN),  # an empty form: errors shown
    "password_change_done": Rule(get=LOGGED_IN, post=(LOGIN, *(405,) * 7)),
    "password_reset": Rule(get=PUBLIC, post=PUBLIC),  # an empty form: errors shown
    "password_reset_done": Rule(get=PUBLIC, post=NO_POST),
    "password_reset_confirm": Rule(get=PUBLIC, post=PUBLIC),  # an invalid link says so
    "password_reset_complete": Rule(get=PUBLIC, post=NO_POST),
    # pages
    "home": Rule(get=PUBLIC, post=NO_POST),
    "health": Rule(get=PUBLIC, post=NO_POST),
    "accessibility": Rule(get=PUBLIC, post=NO_POST),
    "privacy": Rule(get=PUBLIC, post=NO_POST),
    "legal_notes": Rule(get=PUBLIC, post=NO_POST),
    # the applicant's area; an empty POST is refused by its form, or by the status, with a message
    "application_list": Rule(get=APPLICANT_AREA, post=APPLICANT_WRONG_METHOD),
    "application_new": Rule(get=APPLICANT_AREA, post=APPLICANT_AREA),
    "application_detail": Rule(get=OWNER_ONLY, post=APPLICANT_WRONG_METHOD, on=APPROVED),
    "application_edit": Rule(get=OWNER_ONLY, post=OWNER_ONLY, on=DRAFT),
    "application_panel": Rule(get=OWNER_ONLY, post=APPLICANT_WRONG_METHOD, on=DRAFT),
    "member_add": Rule(  # no organisation posted
        get=APPLICANT_WRONG_METHOD, post=(LOGIN, 404, 404, 404, 404, 404, 404, 404), on=DRAFT
    ),
    "member_update": Rule(get=APPLICANT_WRONG_METHOD, post=OWNER_REDIRECT, on=DRAFT),
    "member_remove": Rule(get=APPLICANT_WRONG_METHOD, post=OWNER_REDIRECT, on=DRAFT),
    "organisation_register": Rule(get=APPLICANT_WRONG_METHOD, post=OWNER_REFUSED_INPUT, on=DRAFT),
    "offering_add": Rule(get=APPLICANT_WRONG_METHOD, post=OWNER_REFUSED_INPUT, on=DRAFT),
    "offering_remove": Rule(get=APPLICANT_WRONG_METHOD, post=OWNER_REDIRECT, on=DRAFT),
    "document_upload": Rule(  # no kind posted
        get=APPLICANT_WRONG_METHOD, post=(LOGIN, 404, 404, 404, 404, 404, 404, 404), on=INTEGRATION
    ),
    "document_download": Rule(get=OWNER_ONLY, post=APPLICANT_WRONG_METHOD, on=INTEGRATION),
    "document_remove": Rule(get=APPLICANT_WRONG_METHOD, post=OWNER_REDIRECT, on=INTEGRATION),
    "receipt_download": Rule(get=OWNER_ONLY, post=APPLICANT_WRONG_METHOD, on=APPROVED),
    "version_diff": Rule(get=OWNER_ONLY, post=APPLICANT_WRONG_METHOD, on=INTEGRATION),
    "unsent_edits": Rule(get=OWNER_ONLY, post=APPLICANT_WRONG_METHOD, on=INTEGRATION),
    "unsent_texts_restore": Rule(get=APPLICANT_WRONG_METHOD, post=OWNER_REDIRECT, on=INTEGRATION),
    "applicant_decree_download": Rule(get=OWNER_ONLY, post=APPLICANT_WRONG_METHOD, on=APPROVED),
    "network_export": Rule(get=OWNER_ONLY, post=APPLICANT_WRONG_METHOD, on=DRAFT),
    "network_import": Rule(get=APPLICANT_WRONG_METHOD, post=OWNER_REFUSED_INPUT, on=DRAFT),
    "application_submit": Rule(get=APPLICANT_WRONG_METHOD, post=OWNER_REDIRECT, on=DRAFT),
    "application_delete": Rule(  # no tick: the page again, with the reason
        get=APPLICANT_WRONG_METHOD, post=OWNER_REFUSED_INPUT, on=DRAFT
    ),
    "application_withdraw": Rule(
        get=APPLICANT_WRONG_METHOD, post=OWNER_REFUSED_INPUT, on=INTEGRATION
    ),
    "application_observations": Rule(
        get=APPLICANT_WRONG_METHOD, post=OWNER_REDIRECT, on=INTEGRATION
    ),
    # the review; an empty action or note comes back with its errors
    "review_queue": Rule(get=STAFF_QUEUE, post=NO_POST),
    "review_detail": Rule(get=STAFF_OBJECT, post=NO_POST, on=INTEGRATION),
    "review_action": Rule(get=NO_POST, post=STAFF_OBJECT, on=INTEGRATION),
    "review_note_add": Rule(get=NO_POST, post=STAFF_OBJECT, on=INTEGRATION),
    "review_document_download": Rule(get=STAFF_OBJECT, post=NO_POST, on=INTEGRATION),
    "review_decree_download": Rule(get=STAFF_OBJECT, post=NO_POST, on=APPROVED),
    "review_decree_retry": Rule(get=NO_POST, post=STAFF_REDIRECT, on=APPROVED),  # not failed
    "review_receipt_download": Rule(get=STAFF_OBJECT, post=NO_POST, on=APPROVED),
    "review_version_diff": Rule(get=STAFF_OBJECT, post=NO_POST, on=INTEGRATION),
    # the public area
    "decree_verify_form": Rule(get=PUBLIC, post=NO_POST),
    "decree_verify": Rule(get=PUBLIC, post=_each(400)),  # no file to compare
    "decree_download_public": Rule(get=PUBLIC, post=NO_POST),
    "register_list": Rule(get=PUBLIC, post=NO_POST),
    "register_detail": Rule(get=PUBLIC, post=NO_POST, on=APPROVED),
    "opendata": Rule(get=PUBLIC, post=NO_POST),
    "opendata_csv": Rule(get=PUBLIC, post=NO_POST),
    "opendata_json": Rule(get=PUBLIC, post=NO_POST),
    "opendata_dcat": Rule(get=PUBLIC, post=NO_POST),
    "statistics": Rule(get=PUBLIC, post=NO_POST),
    "statistics_csv": Rule(get=PUBLIC, post=NO_POST),
    "simulator": Rule(get=PUBLIC, post=PUBLIC),  # evaluates, saves nothing
}


# --- the world ------------------------------------------------------------------------------------


@dataclass
class World:
    draft: Application
    integration: Application
    approved: Application
    users: dict[str, User | None]


@pytest.fixture
def other_officer(db: None) -> User:
    return user_with_role(Role.OFFICER, "istruttore-non-responsabile")


def _integration_awaited(applicant: User, officer: User) -> Application:
    """Return an application awaiting integrations a third time, one document not yet sent.

    It has two versions (the filing and the first answer), so it has a difference to
    show; the second request lapsed with an edit never sent, set aside to be read again.
    """
    application = application_in_review(applicant, officer)
    for outcome in ("answered", "lapsed", "awaited"):
        workflow_services.application_request_integration(
            application_id=application.pk,
            by=officer,
            text="Carica l'accordo firmato da tutti.",
            deadline=working_day(15),
        )
        if outcome == "answered":
            workflow_services.application_resubmit(
                application_id=application.pk, by=applicant, note="Accordo caricato."
            )
        elif outcome == "lapsed":
            application = edit_plan(
                application, applicant, description="Una descrizione preparata e mai inviata."
            )
            expire_open_request(application)
            workflow_services.application_resume_review(application_id=application.pk, by=officer)
    application = Application.objects.get(pk=application.pk)
    application_services.document_upload(
        application=application,
        kind=DocumentKind.INTEGRATION,
        uploaded=pdf_upload("integrazione.pdf"),
        by=applicant,
    )
    return application


@pytest.fixture
def world(applicant, other_applicant, other_officer, officer, manager, catalogue_admin, admin_user):
    """Three applications of ``applicant``'s organisations, each in the state its URLs act on.

    The draft is not eligible (one member): submitting it is refused, so no
    request of the matrix moves it on. Its lead institute has an offering to
    take away.
    """
    draft = draft_application(applicant, eligible=False, documents=False)
    OfferingFactory(organisation=draft.applicant_organisation)
    return World(
        draft=draft,
        integration=_integration_awaited(applicant, officer),
        approved=approved_application(applicant, officer, manager),
        users={
            "anonymous": None,
            "other_applicant": other_applicant,
            "applicant": applicant,
            "other_officer": other_officer,
            "officer": officer,
            "manager": manager,
            "catalogue_admin": catalogue_admin,
            "superuser": admin_user,
        },
    )


def state() -> dict[str, Any]:
    """Return what a request that changes nothing leaves as it was (sessions aside)."""
    return {
        "applications": list(
            Application.objects.order_by("pk").values_list(
                "pk", "status", "revision", "updated_at", "officer_id", "name"
            )
        ),
        "members": list(
            ApplicationMember.objects.order_by("pk").values_list(
                "pk", "role", "is_lead", "commitment_signed"
            )
        ),
        "documents": list(Document.objects.order_by("pk").values_list("pk", "current")),
        "versions": ApplicationVersion.objects.count(),
        "events": AuditEvent.objects.count(),
        "requests": list(ProcedureRequest.objects.order_by("pk").values_list("pk", "closed_at")),
        "proposals": list(Proposal.objects.order_by("pk").values_list("pk", "outcome")),
        "decrees": list(Decree.objects.order_by("pk").values_list("pk", "render_status")),
        "notes": OfficerNote.objects.count(),
        "organisations": list(Organisation.objects.order_by("pk").values_list("pk", "updated_at")),
        "offerings": list(Offering.objects.order_by("pk").values_list("pk")),
        "users": list(User.objects.order_by("pk").values_list("pk", "password", "is_active")),
    }


# --- the URLs -------------------------------------------------------------------------------------


def route_params(name: str) -> list[str]:
    """Return the names of the path parameters of URL ``name``."""
    possibilities, _pattern, _defaults, _converters = get_resolver().reverse_dict.getlist(name)[0]
    _result, params = possibilities[0]
    return list(params)


def _kwargs(name: str, world: World) -> dict[str, Any]:
    rule = RULES[name]
    application = getattr(world, rule.on) if rule.on else None
    params = route_params(name)
    kwargs: dict[str, Any] = {}
    if "pk" in params:
        kwargs["pk"] = application.pk
    # The applicant organisation's own member: it never leaves the network, whatever is posted.
    own = (
        application.members.get(organisation=application.applicant_organisation)
        if application is not None
        else None
    )
    for param in params:
        match param:
            case "pk":
                pass
            case "step":
                kwargs[param] = "polo"
            case "member_pk":
                kwargs[param] = own.pk
            case "organisation_pk":
                kwargs[param] = own.organisation_id
            case "offering_pk":
                kwargs[param] = own.organisation.offerings.get().pk
            case "document_pk":
                kwargs[param] = application.documents.order_by("-pk").first().pk
            case "number":
                kwargs[param] = 2 if name in {"version_diff", "review_version_diff"} else 1
            case "decree_pk":
                kwargs[param] = application.decrees.get().pk
            case "request_pk":
                kwargs[param] = _lapsed(application).pk
            case "action":
                kwargs[param] = "resume_review"
            case "code":
                kwargs[param] = world.approved.decrees.get().verification_code
            case "uidb64":
                kwargs[param] = "MQ"
            case "token":
                kwargs[param] = "token-non-valido"
            case _:
                raise AssertionError(f"{name}: no value for the path parameter {param}")
    return kwargs


def _lapsed(application: Application) -> ProcedureRequest:
    return application.requests.exclude(unsent={}).get()


QUERY = {"statistics_csv": "?table=aree"}


def _outcome(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def _client_for(user: User | None, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_has_a_rule():
    names = [pattern.name for pattern in url_patterns()]
    assert None not in names, "every URL must have a name"
    assert sorted(set(names) - set(RULES)) == [], "URLs without a rule in RULES"
    assert sorted(set(RULES) - set(names)) == [], "rules for URLs that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_it_may_by_get_and_by_post(role, world):
    """Refused requests, and every GET, leave the database as it was."""
    user = world.users[role]
    index = ROLES.index(role)
    mismatches = []
    # Logging out ends the session, so it goes last.
    for name, rule in sorted(RULES.items(), key=lambda item: (item[0] == "logout", item[0])):
        url = reverse(name, kwargs=_kwargs(name, world)) + QUERY.get(name, "")
        for method in ("get", "post"):
            client = _client_for(user)
            before = state()
            outcome = _outcome(getattr(client, method)(url))
            expected = getattr(rule, method)[index]
            if outcome != expected:
                mismatches.append(f"{method.upper()} {url} ({name}): {outcome}, atteso {expected}")
            if (method == "get" or expected in REFUSALS) and state() != before:
                mismatches.append(f"{method.upper()} {url} ({name}): ha cambiato il database")
    assert mismatches == []


# --- another application's ids under an application's URL -------------------------------------------


def _cross(world: World) -> dict[str, tuple[str, dict[str, Any]]]:
    """Return, per URL, the user and path that name an object of another application.

    The user may see both applications, so a refusal can only come from the object.
    """
    draft, integration, approved = world.draft, world.integration, world.approved
    partner = approved.members.filter(is_lead=False).first()
    institute = approved.members.filter(organisation__kind=OrganisationKind.INSTITUTE).first()
    own = draft.members.get(organisation=draft.applicant_organisation)
    document = approved.documents.first()
    unsent = integration.documents.get(kind=DocumentKind.INTEGRATION)
    decree = approved.decrees.get()
    return {
        "member_update": ("applicant", {"pk": draft.pk, "member_pk": partner.pk}),
        "member_remove": ("applicant", {"pk": draft.pk, "member_pk": partner.pk}),
        "offering_add": (
            "applicant",
            {"pk": draft.pk, "organisation_pk": institute.organisation_id},
        ),
        "offering_remove": (
            "applicant",
            {
                "pk": draft.pk,
                "organisation_pk": own.organisation_id,
                "offering_pk": institute.organisation.offerings.first().pk,
            },
        ),
        "document_download": ("applicant", {"pk": draft.pk, "document_pk": document.pk}),
        "document_remove": ("applicant", {"pk": approved.pk, "document_pk": unsent.pk}),
        "receipt_download": ("applicant", {"pk": draft.pk, "number": 1}),
        "version_diff": ("applicant", {"pk": approved.pk, "number": 2}),
        "unsent_edits": (
            "applicant",
            {"pk": approved.pk, "request_pk": _lapsed(integration).pk},
        ),
        "unsent_texts_restore": (
            "applicant",
            {"pk": approved.pk, "request_pk": _lapsed(integration).pk},
        ),
        "applicant_decree_download": (
            "applicant",
            {"pk": integration.pk, "decree_pk": decree.pk},
        ),
        "review_document_download": ("officer", {"pk": integration.pk, "document_pk": document.pk}),
        "review_decree_download": ("officer", {"pk": integration.pk, "decree_pk": decree.pk}),
        "review_decree_retry": ("manager", {"pk": integration.pk, "decree_pk": decree.pk}),
        # The approved polo has one version: its second is the integration's, not its own.
        "review_receipt_download": ("officer", {"pk": approved.pk, "number": 2}),
        "review_version_diff": ("officer", {"pk": approved.pk, "number": 2}),
        "register_detail": ("anonymous", {"pk": integration.pk}),  # not a recognised polo
    }


CROSS_NAMES = frozenset(
    {
        "member_update",
        "member_remove",
        "offering_add",
        "offering_remove",
        "document_download",
        "document_remove",
        "receipt_download",
        "version_diff",
        "unsent_edits",
        "unsent_texts_restore",
        "applicant_decree_download",
        "review_document_download",
        "review_decree_download",
        "review_decree_retry",
        "review_receipt_download",
        "review_version_diff",
        "register_detail",
    }
)
NOT_IDS = frozenset({"pk", "step", "action", "code", "uidb64", "token"})


def test_every_second_id_has_a_cross_application_rule():
    """A URL that names an object inside an application needs a case in ``_cross``."""
    with_ids = {
        pattern.name for pattern in url_patterns() if set(route_params(pattern.name)) - NOT_IDS
    }
    assert sorted(with_ids - CROSS_NAMES) == []


def test_another_applications_objects_are_not_found_under_an_applications_url(world):
    cases = _cross(world)
    assert set(cases) == CROSS_NAMES
    mismatches = []
    for name, (role, kwargs) in sorted(cases.items()):
        method = "post" if RULES[name].get[ROLES.index(role)] == 405 else "get"
        url = reverse(name, kwargs=kwargs)
        before = state()
        response = getattr(_client_for(world.users[role]), method)(url)
        if response.status_code != 404:
            mismatches.append(f"{method.upper()} {url} ({name}): {response.status_code}")
        if state() != before:
            mismatches.append(f"{method.upper()} {url} ({name}): ha cambiato il database")
    assert mismatches == []


def test_a_commitment_for_another_applications_member_is_not_found(world):
    company = world.approved.members.filter(organisation__kind=OrganisationKind.COMPANY).first()
    draft = world.draft
    client = _client_for(world.users["applicant"])
    before = state()
    response = client.post(
        reverse("document_upload", args=[draft.pk]),
        {"kind": DocumentKind.COMMITMENT, "member": company.pk, "file": pdf_upload()},
    )
    assert response.status_code == 404
    assert state() == before


def test_a_draft_cannot_be_started_for_an_organisation_the_user_does_not_represent(world):
    foreign = OrganisationFactory()
    foreign.representatives.add(world.users["other_applicant"])
    client = _client_for(world.users["applicant"])
    before = state()
    response = client.post(
        reverse("application_new"),
        {"call": world.draft.call_id, "organisation": foreign.pk, "name": "Polo altrui"},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert state() == before


# --- CSRF, downloads, redirects -----------------------------------------------------------------


def test_every_url_that_takes_a_post_refuses_one_without_the_csrf_token(world):
    """Refused by a 403, with nothing changed, for the first role whose POST would be processed."""
    mismatches = []
    for name, rule in sorted(RULES.items()):
        accepting = [
            role for role, status in zip(ROLES, rule.post, strict=True) if status not in REFUSALS
        ]
        if not accepting:
            continue
        url = reverse(name, kwargs=_kwargs(name, world)) + QUERY.get(name, "")
        before = state()
        response = _client_for(world.users[accepting[0]], csrf=True).post(url)
        if response.status_code != 403:
            mismatches.append(f"POST {url} ({name}) senza CSRF: {response.status_code}")
        if state() != before:
            mismatches.append(f"POST {url} ({name}) senza CSRF: ha cambiato il database")
    assert mismatches == []


# Every response sent as an attachment: content type, and whether it is someone's own (no cache).
DOWNLOADS: dict[str, tuple[str, bool]] = {
    "document_download": ("application/pdf", True),
    "receipt_download": ("application/pdf", True),
    "applicant_decree_download": ("application/pdf", True),
    "network_export": ("application/json", True),
    "review_document_download": ("application/pdf", True),
    "review_decree_download": ("application/pdf", True),
    "review_receipt_download": ("application/pdf", True),
    "decree_download_public": ("application/pdf", False),
    "statistics_csv": ("text/csv", False),
}


def test_every_download_is_an_attachment_with_safe_headers(world):
    """Any URL that answers with an attachment is listed in ``DOWNLOADS`` and sends its headers."""
    mismatches = []
    seen = set()
    for name, rule in sorted(RULES.items()):
        role = next((r for r, s in zip(ROLES, rule.get, strict=True) if s == 200), None)
        if role is None:
            continue
        url = reverse(name, kwargs=_kwargs(name, world)) + QUERY.get(name, "")
        response = _client_for(world.users[role]).get(url)
        disposition = response.get("Content-Disposition", "")
        if disposition.startswith("attachment"):
            seen.add(name)
        if name not in DOWNLOADS:
            continue
        content_type, private = DOWNLOADS[name]
        cache_control = response.get("Cache-Control", "")
        problems = [
            problem
            for problem, wrong in (
                (
                    f"Content-Disposition {disposition!r}",
                    not disposition.startswith("attachment; filename="),
                ),
                (
                    f"Content-Type {response['Content-Type']!r}",
                    not response["Content-Type"].startswith(content_type),
                ),
                ("senza nosniff", response.get("X-Content-Type-Options") != "nosniff"),
                (
                    f"Cache-Control {cache_control!r}",
                    private
                    and not {"no-store", "private"}
                    <= {d.strip() for d in cache_control.split(",")},
                ),
            )
            if wrong
        ]
        mismatches.extend(f"{name}: {problem}" for problem in problems)
        if response.streaming:
            # Read it to the end: the test client then closes it as a server would. A bare
            # close() fires request_finished, whose close_old_connections drops the test's
            # PostgreSQL connection inside its transaction (SQLite's in-memory one is kept).
            b"".join(response.streaming_content)
    assert sorted(seen - set(DOWNLOADS)) == [], "attachments without a rule in DOWNLOADS"
    assert sorted(set(DOWNLOADS) - seen) == [], "DOWNLOADS that sent no attachment"
    assert mismatches == []


ELSEWHERE = [
    "https://malevolo.example/",
    "//malevolo.example/",
    "/\\malevolo.example/",
    "\\\\malevolo.example",
    "https:malevolo.example",
    "https://testserver.malevolo.example/",
    " https://malevolo.example/",
]


def _goes_elsewhere(response: Any) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    location = response.get("Location", "")
    return not url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"})


@pytest.mark.parametrize("target", ELSEWHERE)
def test_no_redirect_leaves_the_portal(client, applicant, target):
    """Login, logout and the language switch never send the user to another site."""
    from tests.factories import PASSWORD

    login = reverse("login")
    sent = {
        "login": client.post(
            login, {"username": applicant.username, "password": PASSWORD, "next": target}
        ),
        "login again": client.get(login, {"next": target}),
        "language": client.post(reverse("set_language"), {"language": "en", "next": target}),
        "language by referer": client.post(
            reverse("set_language"), {"language": "it"}, headers={"referer": target}
        ),
        "logout": client.post(reverse("logout") + f"?next={target}", {"next": target}),
    }
    assert {name: response.status_code for name, response in sent.items()} == dict.fromkeys(
        sent, 302
    )
    assert [name for name, response in sent.items() if _goes_elsewhere(response)] == []


# --- the admin ------------------------------------------------------------------------------------

# What the catalogue role gets on each model's list and add page: the catalogue and the
# registry, nothing of the applications, the accounts, the login records or the task queue.
CATALOGUE_ADMIN_PAGES: dict[str, int] = {
    "networks.EconomicArea": 200,
    "networks.StudyProgramme": 200,
    "networks.AtecoMapping": 200,
    "networks.Organisation": 200,
    "networks.Offering": 200,
    "networks.Call": 200,
    "networks.Application": 403,
    "auth.User": 403,
    "auth.Group": 403,
    "axes.AccessAttempt": 403,
    "axes.AccessLog": 403,
    "axes.AccessFailureLog": 403,
    "django_tasks_database.DBTaskResult": 403,
}


def test_the_catalogue_role_reaches_exactly_the_catalogue_in_the_admin(client, catalogue_admin):
    """Every model registered in the admin has a rule: a new registration must say who sees it."""
    registered = {model._meta.label: model for model in admin.site._registry}
    assert sorted(set(registered) ^ set(CATALOGUE_ADMIN_PAGES)) == []
    client.force_login(catalogue_admin)
    got = {}
    for label, model in registered.items():
        opts = model._meta
        for page in ("changelist", "add"):
            status = client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}")
            ).status_code
            got[f"{label} {page}"] = status
    expected = {
        f"{label} {page}": status
        for label, status in CATALOGUE_ADMIN_PAGES.items()
        for page in ("changelist", "add")
    }
    expected["networks.Application add"] = 403  # nobody adds an application in the admin
    assert got == expected


def _view_on_site(client: Client, obj: Any) -> Any:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(obj)
    return client.get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))


def test_view_on_site_reveals_no_decree_code_nor_application_to_the_catalogue_role(client, world):
    """It once redirected any staff account to any decree's verification page, rejections too."""
    decree = world.approved.decrees.get()
    client.force_login(world.users["catalogue_admin"])
    for obj in (decree, world.approved, world.draft):
        response = _view_on_site(client, obj)
        assert response.status_code == 404, obj
        assert decree.verification_code not in response.get("Location", "")
    organisation = world.draft.applicant_organisation
    response = _view_on_site(client, organisation)
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("admin:networks_organisation_change", args=[organisation.pk])
    )


@pytest.mark.parametrize("object_id", ["0", "abc", "9" * 30, "-1"])
def test_view_on_site_answers_not_found_for_an_id_no_object_has(client, catalogue_admin, object_id):
    from django.contrib.contenttypes.models import ContentType

    client.force_login(catalogue_admin)
    content_type = ContentType.objects.get_for_model(Organisation)
    for type_id in (str(content_type.pk), object_id):
        response = client.get(reverse("admin:view_on_site", args=[type_id, object_id]))
        assert response.status_code == 404


def test_view_on_site_shows_an_officer_made_staff_only_what_the_desk_shows(client, world):
    officer = world.users["officer"]
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert _view_on_site(client, world.draft).status_code == 404
    response = _view_on_site(client, world.approved)
    assert response.status_code == 302
    assert response["Location"].endswith(world.approved.get_absolute_url())
    assert _view_on_site(client, world.approved.decrees.get()).status_code == 404


# --- the review's actions: who may fire each ------------------------------------------------------


@dataclass(frozen=True)
class ActionCase:
    status: str
    allowed: str  # the role that fires it; the other staff roles are refused
    data: Callable[[Application, dict[str, User]], dict[str, Any]]
    notice_for_rejection: bool = False
    also_allowed: frozenset[str] = frozenset()


def _proposal(application: Application) -> int:
    return application.proposals.get(outcome="pending").pk


def _deadline() -> str:
    return working_day(15).strftime("%d/%m/%Y")


ACTION_CASES: dict[str, ActionCase] = {
    "take_charge": ActionCase(
        "submitted", "officer", lambda a, u: {}, also_allowed=frozenset({"other_officer"})
    ),
    "request_integration": ActionCase(
        "in_review",
        "officer",
        lambda a, u: {
            "request_integration-text": "Carica l'accordo firmato.",
            "request_integration-deadline": _deadline(),
        },
    ),
    "resume_review": ActionCase("integration_requested", "officer", lambda a, u: {}),
    "resume_after_notice": ActionCase(
        "rejection_notice",
        "officer",
        lambda a, u: {"resume_after_notice-note": "Nuovi elementi sulla rete."},
    ),
    "propose_approval": ActionCase(
        "in_review",
        "officer",
        lambda a, u: {
            f"propose_approval-assessment_{code.lower().replace('-', '_')}": text
            for code, text in assessments_for(a).items()
        },
    ),
    "send_rejection_notice": ActionCase(
        "in_review",
        "officer",
        lambda a, u: {"send_rejection_notice-reasons": "Mancano i requisiti."},
    ),
    "propose_rejection": ActionCase(
        "rejection_notice",
        "officer",
        lambda a, u: {"propose_rejection-reasons": "Requisiti non dimostrati."},
        notice_for_rejection=True,
    ),
    "adopt_approval": ActionCase(
        "approval_proposed",
        "manager",
        lambda a, u: {"adopt_approval-proposal": _proposal(a), "adopt_approval-confirm": "on"},
    ),
    "adopt_rejection": ActionCase(
        "rejection_proposed",
        "manager",
        lambda a, u: {"adopt_rejection-proposal": _proposal(a), "adopt_rejection-confirm": "on"},
    ),
    "return_proposal": ActionCase(
        "approval_proposed",
        "manager",
        lambda a, u: {
            "return_proposal-reasons": "Da rivedere.",
            "return_proposal-proposal": _proposal(a),
        },
    ),
    "assign": ActionCase(
        "submitted", "manager", lambda a, u: {"assign-officer": u["other_officer"].pk}
    ),
    "reassign": ActionCase(
        "in_review", "manager", lambda a, u: {"reassign-officer": u["other_officer"].pk}
    ),
}
STAFF = ("other_officer", "officer", "manager")


def test_every_review_action_has_a_case():
    from networks.views.review import ACTION_SERVICES

    assert sorted(ACTION_SERVICES) == sorted(ACTION_CASES)


@pytest.mark.parametrize("action", sorted(ACTION_CASES))
def test_only_the_entitled_role_fires_each_review_action(
    action, applicant, other_officer, officer, manager
):
    """The officer not in charge, and the role the action is not for, change nothing."""
    from tests.procedure import bring_to, expire_open_request

    case = ACTION_CASES[action]
    users = {"other_officer": other_officer, "officer": officer, "manager": manager}
    application = bring_to(
        case.status,
        applicant=applicant,
        officer=officer,
        manager=manager,
        notice_for_rejection=case.notice_for_rejection,
    )
    if action in {"resume_review", "resume_after_notice"}:
        expire_open_request(application)
    url = reverse("review_action", args=[application.pk, action])
    data = case.data(application, users)
    for role in STAFF:
        if role == case.allowed or role in case.also_allowed:
            continue
        before = state()
        response = _client_for(users[role]).post(url, data)
        assert (role, response.status_code) == (role, 200)
        assert state() == before, role
    response = _client_for(users[case.allowed]).post(url, data)
    assert response.status_code == 302
    changed = Application.objects.get(pk=application.pk)
    assert (changed.status, changed.officer_id) != (application.status, application.officer_id)


def test_a_manager_cannot_decide_with_another_applications_proposal(applicant, officer, manager):
    from tests.procedure import bring_to

    first, second = (
        bring_to("approval_proposed", applicant=applicant, officer=officer, manager=manager)
        for _ in range(2)
    )
    client = _client_for(manager)
    for action, data in (
        ("adopt_approval", {"adopt_approval-confirm": "on"}),
        ("return_proposal", {"return_proposal-reasons": "Da rivedere."}),
    ):
        before = state()
        response = client.post(
            reverse("review_action", args=[first.pk, action]),
            {**data, f"{action}-proposal": _proposal(second)},
        )
        assert response.status_code == 200
        assert state() == before, action
