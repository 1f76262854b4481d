"""The officer's desk and the application page: access, filters, query counts, actions, notes, downloads."""

import re
from datetime import date, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from networks.clock import ROME, StatusChange, procedure_clock
from networks.constants import ApplicationStatus as S
from networks.constants import OrganisationKind
from networks.models import (
    Application,
    ApplicationMember,
    AuditEvent,
    Decree,
    DecreeRenderStatus,
    OfficerNote,
    Organisation,
    ProposalKind,
    ProposalOutcome,
)
from networks.roles import display_name
from networks.services import workflow as services
from networks.views import review as review_views
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    add_other_member,
    application_in_review,
    approved_application,
    draft_application,
    refile,
    rename_filed,
    submitted_application,
)
from tests.helpers import languages_of, page_title, page_without_tokens
from tests.procedure import (
    assessments_for,
    bring_to,
    expire_open_request,
    pending_proposal,
    propose_rejection_after_the_term,
    working_day,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("review_queue")
# The application page of an officer or a manager, warm: session, user, roles, the application
# with its network and catalogue, events, requests (and their documents), proposals, decrees,
# documents, versions, notes; the manager's page also asks who could take over.
PAGE_QUERIES = {"officer": 20, "manager": 21}


def detail_url(application: Application) -> str:
    return reverse("review_detail", args=[application.pk])


def action_url(application: Application, action: str) -> str:
    return reverse("review_action", args=[application.pk, action])


def protocols(response) -> list[str]:
    return [row.application.protocol_number for row in response.context["rows"]]


# --- access -----------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client, applicant) -> None:
    """Redirects to the login page from the desk and from an application page."""
    application = submitted_application(applicant)
    for url in (QUEUE, detail_url(application)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_desk_is_for_officers_and_managers(
    client, applicant, catalogue_admin, officer, manager
) -> None:
    """Answers 403 to applicants and catalogue admins, 200 to officers and managers."""
    for user, status in ((applicant, 403), (catalogue_admin, 403), (officer, 200), (manager, 200)):
        client.force_login(user)
        assert client.get(QUEUE).status_code == status


def test_applicant_gets_404_for_the_review_page_of_own_application(client, applicant) -> None:
    """Hides the review page, notes included, even from the applicant who filed it."""
    application = submitted_application(applicant)
    client.force_login(applicant)
    assert client.get(detail_url(application)).status_code == 404
    assert client.post(action_url(application, "take_charge")).status_code == 404


def test_drafts_are_never_visible(client, applicant, officer) -> None:
    """Leaves drafts out of the desk and answers 404 for their page."""
    draft = draft_application(applicant)
    client.force_login(officer)
    assert client.get(QUEUE).context["page"].paginator.count == 0
    assert client.get(detail_url(draft)).status_code == 404


# --- the desk ---------------------------------------------------------------------------------------


@pytest.fixture
def desk(applicant, other_applicant, officer, other_officer, manager):
    """Return four applications in different states, areas, provinces and calls."""
    first = application_in_review(applicant, officer)  # protocol 1
    second = submitted_application(other_applicant)  # protocol 2
    second_call = CallFactory(title="Secondo avviso")
    third = submitted_application(applicant, call=second_call)  # protocol 3
    rename_filed(third, "Polo Agroalimentare Bresciano")
    Organisation.objects.filter(pk=third.applicant_organisation_id).update(province="BS")
    fourth = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=other_officer, manager=manager
    )
    return {"first": first, "second": second, "third": third, "fourth": fourth}


def test_desk_lists_counts_and_shows_each_row(client, officer, desk) -> None:
    """Lists every submitted application with protocol, officer, clock; counts per status."""
    client.force_login(officer)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts == {S.SUBMITTED: 2, S.IN_REVIEW: 1, S.INTEGRATION_REQUESTED: 1}
    content = response.content.decode()
    assert desk["first"].protocol_number in content
    assert "0 di 30 giorni" in content
    assert "sospeso" in content  # the integration request suspends the fourth


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": S.SUBMITTED}, {"second", "third"}),
        ({"status": S.INTEGRATION_REQUESTED}, {"fourth"}),
        ({"province": "BS"}, {"third"}),
        ({"officer": "nessuno"}, {"second", "third"}),
        ({"q": "Agroalimentare"}, {"third"}),
        ({"q": "2"}, {"second"}),
        ({"q": "0000003"}, {"third"}),
    ],
)
def test_desk_filters(client, officer, desk, params, expected) -> None:
    """Filters by status, province, officer in charge and free text."""
    client.force_login(officer)
    response = client.get(QUEUE, params)
    wanted = {desk[name].protocol_number for name in expected}
    assert set(protocols(response)) == wanted


def test_desk_filters_by_call_area_and_officer(client, officer, other_officer, desk) -> None:
    """Filters by call, by area and by the officer in charge."""
    client.force_login(officer)
    third = desk["third"]
    assert protocols(client.get(QUEUE, {"call": third.call_id})) == [third.protocol_number]
    assert len(protocols(client.get(QUEUE, {"area": third.area_id}))) == 4
    assert protocols(client.get(QUEUE, {"officer": other_officer.pk})) == [
        desk["fourth"].protocol_number
    ]


def test_desk_filters_by_an_officer_no_longer_active(client, manager, other_officer, desk) -> None:
    """The applications of an officer who left stay on their name until a manager reassigns them."""
    other_officer.is_active = False
    other_officer.save()
    client.force_login(manager)
    response = client.get(QUEUE, {"officer": other_officer.pk})
    assert not response.context["filter"].form.errors
    assert protocols(response) == [desk["fourth"].protocol_number]
    assert "Lucia Bianchi (non più attivo)" in response.content.decode()


def test_desk_search_by_full_protocol_member_school_code_and_vat(client, officer, desk) -> None:
    """Finds an application by its full protocol number or by any member's identifiers."""
    client.force_login(officer)
    first = desk["first"]
    assert protocols(client.get(QUEUE, {"q": first.protocol_number})) == [first.protocol_number]
    company = first.members.filter(organisation__kind=OrganisationKind.COMPANY).first().organisation
    assert protocols(client.get(QUEUE, {"q": company.vat_number})) == [first.protocol_number]
    assert protocols(client.get(QUEUE, {"q": company.name})) == [first.protocol_number]
    school = first.members.filter(organisation__kind=OrganisationKind.INSTITUTE).last().organisation
    assert protocols(client.get(QUEUE, {"q": school.school_code.lower()})) == [
        first.protocol_number
    ]


def test_desk_search_reads_a_vat_number_and_an_apostrophe_as_typed(client, officer, desk) -> None:
    """«IT 0123...» finds the partita IVA the registry keeps as digits; ' and ’ are one letter."""
    client.force_login(officer)
    first = desk["first"]
    company = first.members.filter(organisation__kind=OrganisationKind.COMPANY).first().organisation
    for typed in (
        f"IT{company.vat_number}",
        f"it {company.vat_number[:5]} {company.vat_number[5:]}",
    ):
        assert protocols(client.get(QUEUE, {"q": typed})) == [first.protocol_number]
    Organisation.objects.filter(pk=company.pk).update(name="Officine dell’Adda S.r.l.")
    assert protocols(client.get(QUEUE, {"q": "officine dell'adda"})) == [first.protocol_number]
    rename_filed(first, "Polo dell'Oltrepò")
    assert protocols(client.get(QUEUE, {"q": "Polo dell’Oltrepò"})) == [first.protocol_number]
    assert len(protocols(client.get(QUEUE, {"q": " - "}))) == 0


def test_desk_search_ignores_accents_and_case(client, officer, desk) -> None:
    """«oltrepo» finds «Oltrepò», «ITALIA» finds «Itàlia»: the polo's, the lead's, a member's."""
    client.force_login(officer)
    first = desk["first"]
    rename_filed(first, "Polo dell’Oltrepò Pavese")
    for typed in ("oltrepo", "OLTREPÒ", "dell'oltrepo"):
        assert protocols(client.get(QUEUE, {"q": typed})) == [first.protocol_number]
    company = first.members.filter(organisation__kind=OrganisationKind.COMPANY).first().organisation
    Organisation.objects.filter(pk=company.pk).update(name="Società Agricola Nicolò")
    for typed in ("societa agricola", "NICOLO"):
        assert protocols(client.get(QUEUE, {"q": typed})) == [first.protocol_number]
    assert protocols(client.get(QUEUE, {"q": "nicolas"})) == []


def test_desk_filters_overdue(client, officer, desk) -> None:
    """Keeps the applications past their term (by the clock) with the overdue filter."""
    client.force_login(officer)
    assert protocols(client.get(QUEUE, {"overdue": "si"})) == []
    first = desk["first"]
    # Three days pass on a 1-day term: the history is moved back, as time would.
    Application.objects.filter(pk=first.pk).update(term_days=1)
    AuditEvent.objects.filter(application=first).update(at=timezone.now() - timedelta(days=3))
    # Moving the history back does not change the desk's version, as days passing would
    # change the day in the cache key: forget the cached desk instead.
    cache.clear()
    late = client.get(QUEUE, {"overdue": "si"})
    assert protocols(late) == [first.protocol_number]
    assert "scaduto da 2 giorni" in late.content.decode()
    on_time = client.get(QUEUE, {"overdue": "no"})
    assert first.protocol_number not in protocols(on_time)
    assert len(protocols(on_time)) == 3


def test_desk_badge_for_a_request_expired_without_answer(client, officer, desk) -> None:
    """Marks the row whose integration deadline passed without an answer."""
    client.force_login(officer)
    assert "integrazione scaduta senza risposta" not in client.get(QUEUE).content.decode()
    expire_open_request(desk["fourth"])
    cache.clear()  # the deadline moved back in the data, not the day forward in the key
    assert "integrazione scaduta senza risposta" in client.get(QUEUE).content.decode()


def test_desk_sorting(client, officer, desk) -> None:
    """Sorts by protocol both ways, by name and by submission date (newest first by default)."""
    client.force_login(officer)
    numbers = sorted(application.protocol_number for application in desk.values())
    assert protocols(client.get(QUEUE, {"order": "protocol"})) == numbers
    assert protocols(client.get(QUEUE, {"order": "-protocol"})) == numbers[::-1]
    assert protocols(client.get(QUEUE)) == numbers[::-1]
    by_name = protocols(client.get(QUEUE, {"order": "name"}))
    assert by_name[0] == desk["third"].protocol_number  # "Polo Agroalimentare" sorts first
    assert protocols(client.get(QUEUE, {"order": "-submitted"})) == numbers[::-1]
    assert len(protocols(client.get(QUEUE, {"order": "status"}))) == 4


def sorted_headers(response) -> list[tuple[str, str]]:
    """Return (aria-sort, text) of the desk's column headers that say they are sorted."""
    html = response.content.decode()
    return [
        (sort, " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for sort, text in re.findall(r'<th scope="col" aria-sort="(\w+)">(.*?)</th>', html, re.S)
    ]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ({}, ("descending", "Presentata il (decrescente)")),
        ({"order": "protocol"}, ("ascending", "Protocollo (crescente)")),
        ({"order": "-protocol"}, ("descending", "Protocollo (decrescente)")),
        ({"order": "name"}, ("ascending", "Polo (crescente)")),
        ({"order": "-status"}, ("descending", "Stato (decrescente)")),
        ({"order": "submitted"}, ("ascending", "Presentata il (crescente)")),
        ({"order": "nonsense"}, ("descending", "Presentata il (decrescente)")),
    ],
)
def test_desk_header_of_the_sorted_column_says_how(client, officer, desk, order, expected) -> None:
    """The one sorted column carries aria-sort and says the direction in words; with no valid
    order asked for, it is the default one (newest first)."""
    client.force_login(officer)
    assert sorted_headers(client.get(QUEUE, order)) == [expected]


def statuses(response) -> list[str]:
    return [row.application.status for row in response.context["rows"]]


def test_desk_sorts_by_status_in_the_order_of_the_procedure(
    client, applicant, officer, manager, desk
) -> None:
    """Sorts by the place of the status in the procedure, not by its code, both ways."""
    bring_to(S.APPROVED, applicant=applicant, officer=officer, manager=manager)
    bring_to(S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager)
    client.force_login(officer)
    procedure = [
        S.SUBMITTED,
        S.SUBMITTED,
        S.IN_REVIEW,
        S.INTEGRATION_REQUESTED,
        S.APPROVAL_PROPOSED,
        S.APPROVED,
    ]
    ascending = client.get(QUEUE, {"order": "status"})
    descending = client.get(QUEUE, {"order": "-status"})
    assert statuses(ascending) == procedure
    assert statuses(descending) == procedure[::-1]
    # Within a status, the older application first (and last the other way).
    submitted = [desk["second"].protocol_number, desk["third"].protocol_number]
    assert protocols(ascending)[:2] == submitted
    assert protocols(descending)[-2:] == submitted[::-1]


def test_desk_order_select_has_no_empty_choice_and_shows_the_default_first(
    client, officer, desk
) -> None:
    """Offers the default order (newest first) as the first option instead of "---------"."""
    client.force_login(officer)
    html = client.get(QUEUE).content.decode()
    select = re.search(r'<select name="order".*?</select>', html, re.S)[0]
    values = re.findall(r'<option value="([^"]*)"', select)
    assert values[0] == "-submitted"
    assert "" not in values
    assert "---------" not in html
    assert 'value="-submitted">data di presentazione, dalla più recente</option>' in select
    chosen = client.get(QUEUE, {"order": "status"}).content.decode()
    assert '<option value="status" selected>stato, nell&#x27;ordine del' in chosen


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_desk_page_below_one_or_not_a_number_is_the_first_page(client, officer, desk, page) -> None:
    """Gives the first page for page 0, -1 or a word, as for no page at all."""
    client.force_login(officer)
    first = protocols(client.get(QUEUE, {"per_page": 3, "order": "protocol"}))
    response = client.get(QUEUE, {"per_page": 3, "order": "protocol", "page": page})
    assert response.context["page"].number == 1
    assert protocols(response) == first


def test_desk_page_past_the_end_is_the_last_page(client, officer, desk) -> None:
    """Gives the last page for a page number past the end."""
    client.force_login(officer)
    response = client.get(QUEUE, {"per_page": 3, "order": "protocol", "page": 99999})
    assert response.context["page"].number == 2
    assert protocols(response) == [desk["fourth"].protocol_number]


def test_desk_pagination_and_page_size_limit(client, officer, desk) -> None:
    """Pages with per_page, keeps the filters, and caps the page size at 100."""
    client.force_login(officer)
    first_page = client.get(QUEUE, {"per_page": 3, "order": "protocol"})
    assert len(first_page.context["rows"]) == 3
    assert first_page.context["page"].paginator.num_pages == 2
    assert "page=2" in first_page.content.decode()
    second_page = client.get(QUEUE, {"per_page": 3, "order": "protocol", "page": 2})
    assert protocols(second_page) == [desk["fourth"].protocol_number]
    assert client.get(QUEUE, {"per_page": 5000}).context["per_page"] == 100
    assert client.get(QUEUE, {"per_page": "molte"}).context["per_page"] == 25


@pytest.mark.parametrize("page_size", [10, 100])
def test_desk_query_count_does_not_grow_with_the_page(
    client, applicant, officer, django_assert_max_num_queries, page_size
) -> None:
    """Runs the same fixed number of queries for 10 or 100 rows per page (one is the version;
    the overdue filter reads the events and the requests of the candidates, one query each)."""
    for index in range(12):
        application = submitted_application(applicant)
        if index % 3 == 0:
            services.application_take_charge(application_id=application.pk, by=officer)
        if index % 6 == 0:
            services.application_request_integration(
                application_id=application.pk,
                by=officer,
                text="Integrare.",
                deadline=working_day(5),
            )
    client.force_login(officer)
    with django_assert_max_num_queries(19):
        response = client.get(QUEUE, {"per_page": page_size, "overdue": "no", "q": "Polo"})
    assert len(response.context["rows"]) == min(12, page_size)


def test_desk_served_again_from_the_cache_until_an_action_changes_it(
    client, applicant, officer, desk, django_assert_num_queries
) -> None:
    """A second identical request reads the version only; a workflow action shows at once."""
    client.force_login(officer)
    first = client.get(QUEUE, {"status": S.SUBMITTED})
    assert "rows" in first.context
    # session, user, roles, the desk's version (the session is not saved again within 5 minutes)
    with django_assert_num_queries(4):
        again = client.get(QUEUE, {"status": S.SUBMITTED})
    assert page_without_tokens(again) == page_without_tokens(first)
    submitted = Application.objects.filter(status=S.SUBMITTED).order_by("pk").first()
    services.application_take_charge(application_id=submitted.pk, by=officer)
    after = client.get(QUEUE, {"status": S.SUBMITTED})
    assert submitted.protocol_number in protocols(first)
    assert submitted.protocol_number not in protocols(after)


def test_desk_unknown_parameters_share_the_cache_entry_of_the_desk_without_them(
    client, officer, desk, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    """``?foo=1``, ``?foo=2``... are served the plain desk's entry; a real filter gets its own."""
    client.force_login(officer)
    first = client.get(QUEUE, {"foo": "1", "per_page": 2})
    content = first.context["content"]
    assert "foo=" not in content  # not carried into the sorting and paging links
    assert "page=2" in content
    for params in ({"per_page": 2}, {"per_page": 2, "foo": "2"}, {"per_page": 2, "bar": "x"}):
        # session, user, roles, the desk's version
        with django_assert_num_queries(4):
            again = client.get(QUEUE, params)
        assert again.context["content"] == content
    with django_assert_max_num_queries(30) as captured:
        filtered = client.get(QUEUE, {"per_page": 2, "foo": "1", "status": S.SUBMITTED})
    assert len(captured) > 4  # rendered, not served from the unfiltered entry
    assert "rows" in filtered.context


def test_desk_cache_is_per_user(client, officer, manager, desk) -> None:
    """Two users with the same query each get their own rendering of the desk."""
    client.force_login(officer)
    client.get(QUEUE)
    client.force_login(manager)
    response = client.get(QUEUE)
    assert "rows" in response.context


def test_every_desk_page_has_a_title_of_its_own(client, settings, officer, desk) -> None:
    """The desk, each filtered view and page of it and each application page say in their
    <title> which page they are (WCAG 2.4.2), in both languages: not one "Istruttoria" for all."""
    client.force_login(officer)
    titles = {
        "desk": page_title(client.get(QUEUE)),
        "first page": page_title(client.get(QUEUE, {"per_page": 3})),
        "second page": page_title(client.get(QUEUE, {"per_page": 3, "page": 2})),
        "submitted": page_title(client.get(QUEUE, {"status": S.SUBMITTED})),
        "search": page_title(client.get(QUEUE, {"q": "Agroalimentare"})),
        **{name: page_title(client.get(detail_url(item))) for name, item in desk.items()},
    }
    assert len(set(titles.values())) == len(titles), titles
    assert titles["desk"] == "Istruttoria – Regione Lombardia"
    assert titles["second page"] == "Istruttoria – Pagina 2 di 2 – Regione Lombardia"
    assert titles["submitted"] == "Istruttoria – Presentata – 2 risultati – Regione Lombardia"
    assert titles["search"] == "Istruttoria – 1 risultato – Regione Lombardia"
    assert titles["third"] == (
        f"Domanda {desk['third'].protocol_number} – Polo Agroalimentare Bresciano"
        " – Regione Lombardia"
    )
    with translation.override(translation.get_language()):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = page_title(client.get(QUEUE, {"per_page": 1, "page": 2, "status": S.SUBMITTED}))
    assert english.startswith("Review – Submitted – 2 results – Page 2 of 2 – ")


def test_the_desks_title_is_cached_with_its_content_and_follows_an_action(
    client, officer, desk, django_assert_num_queries
) -> None:
    """A cached desk costs no query for its title either, and never keeps a stale count in it."""
    client.force_login(officer)
    first = client.get(QUEUE, {"status": S.SUBMITTED})
    # session, user, roles, the desk's version
    with django_assert_num_queries(4):
        again = client.get(QUEUE, {"status": S.SUBMITTED})
    assert page_title(again) == page_title(first)
    assert page_title(first) == "Istruttoria – Presentata – 2 risultati – Regione Lombardia"
    services.application_take_charge(application_id=desk["second"].pk, by=officer)
    after = client.get(QUEUE, {"status": S.SUBMITTED})
    assert page_title(after) == "Istruttoria – Presentata – 1 risultato – Regione Lombardia"


# --- the application page ---------------------------------------------------------------------------


def actions_on_page(response) -> list[str]:
    return [item["transition"].action for item in response.context["actions"]]


def test_page_shows_everything_about_the_application(client, applicant, officer) -> None:
    """Shows members with identifiers, rules with citations, clock, history, versions, documents."""
    application = application_in_review(applicant, officer)
    client.force_login(officer)
    response = client.get(detail_url(application))
    content = response.content.decode()
    company = application.members.filter(organisation__kind=OrganisationKind.COMPANY).first()
    assert company.organisation.vat_number in content
    assert application.applicant_organisation.school_code in content
    assert "capofila" in content
    assert "PTP-COMPANIES" in content
    assert "DGR" in content  # the rules' citations
    assert "0 di 30 giorni" in content
    assert "Responsabile del procedimento: Mario Rossi" in content
    assert application.versions.get().sha256 in content
    assert "accordo.pdf" in content
    assert "Nessuna nota." in content
    assert (
        '<a href="/istruttoria/">Istruttoria</a><span class="separator" aria-hidden="true">/</span>'
        in content
    )


@pytest.mark.parametrize(
    ("status", "who", "expected"),
    [
        (S.SUBMITTED, "officer", ["take_charge"]),
        (S.SUBMITTED, "manager", ["assign"]),
        (
            S.IN_REVIEW,
            "officer",
            ["request_integration", "propose_approval", "send_rejection_notice"],
        ),
        (S.IN_REVIEW, "other_officer", []),
        (S.INTEGRATION_REQUESTED, "officer", []),
        (S.REJECTION_NOTICE, "officer", []),
        (S.APPROVAL_PROPOSED, "officer", []),
        (S.APPROVAL_PROPOSED, "manager", ["adopt_approval", "return_proposal"]),
        (S.REJECTION_PROPOSED, "manager", ["adopt_rejection", "return_proposal"]),
        (S.APPROVED, "manager", []),
    ],
)
def test_page_shows_only_the_actions_the_user_may_fire(
    client, request, applicant, officer, manager, status, who, expected
) -> None:
    """Offers exactly the allowed actions for the status and the user."""
    application = bring_to(status, applicant=applicant, officer=officer, manager=manager)
    client.force_login(request.getfixturevalue(who))
    response = client.get(detail_url(application))
    assert actions_on_page(response) == expected
    for action in ("take_charge", "propose_rejection", "adopt_approval"):
        assert (f"/azioni/{action}/" in response.content.decode()) == (action in expected)


def page_queries(client, application: Application) -> tuple[int, list[str]]:
    """Return how many queries the application page runs once warm, and the actions it offers."""
    client.get(detail_url(application))  # the session and the roles are read the same every time
    with CaptureQueriesContext(connection) as captured:
        response = client.get(detail_url(application))
    assert response.status_code == 200
    return len(captured), actions_on_page(response)


def add_members(application: Application, count: int) -> None:
    """Add ``count`` organisations to the network, straight into the table."""
    for index in range(count):
        ApplicationMember.objects.create(
            application=application,
            organisation=OrganisationFactory(),
            key=f"aggiunto-{index}",
            position=100 + index,
        )


@pytest.mark.parametrize(
    ("status", "notice_for_rejection", "who", "expected"),
    [
        (S.SUBMITTED, False, "officer", ["take_charge"]),
        (
            S.IN_REVIEW,
            False,
            "officer",
            ["request_integration", "propose_approval", "send_rejection_notice"],
        ),
        (
            S.IN_REVIEW,
            True,
            "officer",
            [
                "request_integration",
                "propose_approval",
                "send_rejection_notice",
                "propose_rejection",
            ],
        ),
        (S.REJECTION_NOTICE, True, "officer", ["resume_after_notice", "propose_rejection"]),
        (S.SUBMITTED, False, "manager", ["assign"]),
        (S.APPROVAL_PROPOSED, False, "manager", ["adopt_approval", "return_proposal", "reassign"]),
    ],
)
def test_page_query_count_does_not_grow_with_the_actions_or_the_members(
    client, request, applicant, officer, manager, other_officer, status, notice_for_rejection, who,
    expected,
) -> None:  # fmt: skip
    """The action guards read the requests the page loads anyway: no query per guard or member.

    The manager's page asks once whether another officer could take over, and the
    reassignment form lists them: two queries, whatever the actions.
    """
    application = bring_to(
        status,
        applicant=applicant,
        officer=officer,
        manager=manager,
        notice_for_rejection=notice_for_rejection,
    )
    client.force_login(request.getfixturevalue(who))
    queries, actions = page_queries(client, application)
    assert actions == expected
    assert queries <= PAGE_QUERIES[who]
    add_members(application, 15)
    assert page_queries(client, application) == (queries, expected)


def test_page_offers_rejection_once_the_notice_term_passed(
    client, applicant, officer, manager
) -> None:
    """Adds the rejection proposal once the 10-bis notice went unanswered for its 10 days, and
    going on with the review instead."""
    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    client.force_login(officer)
    assert actions_on_page(client.get(detail_url(application))) == []
    expire_open_request(application)
    response = client.get(detail_url(application))
    assert actions_on_page(response) == ["resume_after_notice", "propose_rejection"]
    assert "scaduta senza risposta" in response.content.decode()
    # No observations came: the decree will say so, and there is nothing to answer.
    assert 'name="propose_rejection-reasons"' in response.content.decode()
    assert 'name="propose_rejection-observations_response"' not in response.content.decode()
    forged = client.post(
        action_url(application, "propose_rejection"),
        {
            "propose_rejection-reasons": "Imprese fuori area.",
            "propose_rejection-observations_response": "Non accolte.",
        },
    )
    assert forged.status_code == 302
    assert application.proposals.get().observations_response == ""


def test_a_notice_closed_by_the_rejection_proposal_still_reads_as_unanswered(
    client, applicant, officer, manager
) -> None:
    """After the proposal the notice is closed, and says it closed without an answer."""
    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    propose_rejection_after_the_term(application, officer)
    client.force_login(officer)
    page = client.get(detail_url(application)).content.decode()
    section = page[page.index('id="ultima-richiesta"') :]
    assert "chiusa senza risposta" in section
    assert "Risposta il" not in section[: section.index("</p>")]


def test_take_charge_by_post(client, applicant, officer) -> None:
    """Makes the officer responsible and redirects to the page with a message."""
    application = submitted_application(applicant)
    client.force_login(officer)
    response = client.post(action_url(application, "take_charge"), follow=True)
    assert response.redirect_chain[-1][0] == f"{detail_url(application)}#contenuto"
    application.refresh_from_db()
    assert (application.status, application.officer) == (S.IN_REVIEW, officer)
    assert "Hai preso in carico la domanda." in response.content.decode()


def test_request_integration_by_post_with_an_italian_date(client, applicant, officer) -> None:
    """Reads the deadline as dd/mm/yyyy and suspends the term."""
    application = application_in_review(applicant, officer)
    deadline = working_day(15)
    client.force_login(officer)
    response = client.post(
        action_url(application, "request_integration"),
        {
            "request_integration-text": "Carica l'accordo firmato.",
            "request_integration-deadline": deadline.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    request = application.requests.get()
    assert (request.text, request.deadline) == ("Carica l'accordo firmato.", deadline)
    assert Application.objects.get(pk=application.pk).status == S.INTEGRATION_REQUESTED


@pytest.mark.parametrize(
    ("days", "refusal"),
    [
        (0, "La scadenza deve essere successiva a oggi."),
        # At most 30 days of suspension (art. 2 c. 7 L. 241/1990), to the next working day
        # when the thirtieth is a holiday; the message gives the last day. None: the day after.
        (None, "Il termine può restare sospeso al massimo 30 giorni"),
        (365 * 7000, "Il termine può restare sospeso al massimo 30 giorni"),
    ],
)
def test_a_refused_form_keeps_the_text(client, applicant, officer, days, refusal) -> None:
    """Shows the error in Italian and keeps what the officer wrote."""
    application = application_in_review(applicant, officer)
    client.force_login(officer)
    today = timezone.localdate()
    latest = services.latest_request_deadline(today)
    if days is None:
        deadline = latest + timedelta(days=1)
    else:
        deadline = min(today + timedelta(days=days), date(9999, 12, 31))
    response = client.post(
        action_url(application, "request_integration"),
        {
            "request_integration-text": "Testo lungo e ponderato da non perdere.",
            "request_integration-deadline": deadline.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert refusal in content
    if days != 0:
        assert f"entro il {latest.strftime('%d/%m/%Y')}" in content
    assert "Testo lungo e ponderato da non perdere." in content
    assert Application.objects.get(pk=application.pk).status == S.IN_REVIEW


def test_a_service_refusal_becomes_a_message_with_the_input_kept(
    client, applicant, officer
) -> None:
    """Turns InvalidTransition from the service into an Italian message, input kept."""
    application = application_in_review(applicant, officer)
    ApplicationMember.objects.filter(
        application=application, organisation__kind=OrganisationKind.COMPANY
    ).first().delete()
    refile(application)
    client.force_login(officer)
    response = client.post(
        action_url(application, "propose_approval"),
        {"propose_approval-obligations": "Aderire a un ITS entro un anno."},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Non si può proporre l&#x27;approvazione" in content
    assert "PTP-COMPANIES" in content
    assert "Aderire a un ITS entro un anno." in content
    assert not application.proposals.exists()


def test_an_action_no_longer_possible_is_refused_with_a_message(
    client, applicant, officer, other_officer
) -> None:
    """Refuses a second take-charge (stale page, or two officers at once) naming who has it."""
    application = submitted_application(applicant)
    services.application_take_charge(application_id=application.pk, by=other_officer)
    client.force_login(officer)
    response = client.post(action_url(application, "take_charge"))
    assert response.status_code == 200
    assert (
        f"La domanda è già in carico a {display_name(other_officer)}, responsabile del "
        "procedimento: la pagina mostra lo stato attuale."
    ) in unescape(response.content.decode())
    assert Application.objects.get(pk=application.pk).officer == other_officer


def test_a_take_charge_of_a_closed_application_names_its_status_not_an_officer(
    client, applicant, officer, other_officer
) -> None:
    application = application_in_review(applicant, other_officer)
    services.application_withdraw(application_id=application.pk, by=applicant, reason="Ritiro.")
    client.force_login(officer)
    page = unescape(client.post(action_url(application, "take_charge")).content.decode())
    assert "non è possibile per una domanda nello stato «Ritirata»" in page
    assert "già in carico" not in page


def test_a_done_action_lands_on_the_pages_content_not_on_a_refusals_fragment(
    client, applicant, officer
) -> None:
    """Without a fragment of its own the browser would keep the form's #errore-azione."""
    application = submitted_application(applicant)
    client.force_login(officer)
    response = client.post(action_url(application, "take_charge"))
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(application)}#contenuto"
    assert 'id="contenuto"' in client.get(detail_url(application)).content.decode()


def test_an_officer_not_in_charge_gets_not_allowed(
    client, applicant, officer, other_officer
) -> None:
    """Refuses the action of an officer who is not in charge, naming who is, keeping the text."""
    officer.first_name, officer.last_name = "Paola", "Bruni"
    officer.save()
    application = application_in_review(applicant, officer)
    client.force_login(other_officer)
    response = client.post(
        action_url(application, "send_rejection_notice"),
        {"send_rejection_notice-reasons": "Motivi scritti da un altro."},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Solo il responsabile del procedimento, Paola Bruni, può eseguire l&#x27;azione" in content
    )
    assert "Motivi scritti da un altro." in content
    assert f'action="{action_url(application, "send_rejection_notice")}' not in content
    assert Application.objects.get(pk=application.pk).status == S.IN_REVIEW


def test_a_refused_action_lists_its_errors_above_the_actions_with_links_to_the_fields(
    client, applicant, officer, manager
) -> None:
    """The page lands on a summary naming the action and each field in error, linked to it
    (WCAG 3.3.1, 3.3.3), not on a generic alert far from a form below the other actions."""
    application = bring_to(
        S.IN_REVIEW,
        applicant=applicant,
        officer=officer,
        manager=manager,
        notice_for_rejection=True,
    )
    client.force_login(officer)
    action = action_url(application, "propose_rejection")
    assert (
        f'action="{action}#errore-azione"' in client.get(detail_url(application)).content.decode()
    )
    response = client.post(action, {"propose_rejection-reasons": " "})
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[
        html.index('id="errore-azione"') : html.index("</div>", html.index('id="errore-azione"'))
    ]
    assert (
        "L&#x27;azione «Proponi il rigetto» non è stata eseguita: correggi questi errori."
        in summary
    )
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a>: ([^<]+)</li>', summary)
    assert links == [
        ("id_propose_rejection-reasons", "Motivazione del rigetto", "Questo campo è obbligatorio."),
        (
            "id_propose_rejection-observations_response",
            "Perché le osservazioni non sono accolte",
            "Il richiedente ha presentato osservazioni: spiega perché non sono accolte.",
        ),
    ]
    for anchor, _label, _message in links:
        assert f'id="{anchor}"' in html
    assert html.index('id="errore-azione"') < html.index('class="card card-bg')
    assert "Correggi i campi segnalati" not in html


def test_propose_approval_with_assessments_by_post(client, applicant, officer) -> None:
    """Requires one assessment per warning rule and stores it with the obligations."""
    application = application_in_review(applicant, officer)
    add_other_member(application, "Camera di Commercio di Milano", key="camera", position=50)
    client.force_login(officer)
    page = client.get(detail_url(application))
    assert "Valutazione di PTP-MEMBER-TYPES" in page.content.decode()
    missing = client.post(
        action_url(application, "propose_approval"),
        {"propose_approval-obligations": "Aderire a un ITS."},
    )
    assert missing.status_code == 200
    assert "Aderire a un ITS." in missing.content.decode()
    assert not application.proposals.exists()
    response = client.post(
        action_url(application, "propose_approval"),
        {
            "propose_approval-assessment_ptp_member_types": "La Camera sostiene il polo.",
            "propose_approval-obligations": "Aderire a un ITS.",
        },
    )
    assert response.status_code == 302
    proposal = application.proposals.get()
    assert proposal.assessments == {"PTP-MEMBER-TYPES": "La Camera sostiene il polo."}
    assert proposal.obligations == "Aderire a un ITS."


def test_the_assessments_italian_rule_messages_are_marked_italian_on_the_english_page(
    client, settings, applicant, officer
) -> None:
    """Each assessment field's help is its rule's Italian message, with lang="it" (WCAG 3.1.2)."""
    application = application_in_review(applicant, officer)
    add_other_member(application, "Camera di Commercio di Milano", key="camera", position=50)
    client.force_login(officer)
    with translation.override(translation.get_language()):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(detail_url(application))
    form = next(
        item["form"]
        for item in response.context["actions"]
        if item["transition"].action == "propose_approval"
    )
    message = next(
        r.message for r in response.context["verdict"].results if r.code == "PTP-MEMBER-TYPES"
    )
    assert "Camera di Commercio di Milano" in message
    assert str(form["assessment_ptp_member_types"].help_text) == f'<span lang="it">{message}</span>'
    assert languages_of(response, message) == ["it", "it"]  # the help and the rules' table


def test_notice_then_rejection_then_adoption_by_post(
    client, applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    """Walks the rejection path through the page: notice, proposal, manager's adoption."""
    application = application_in_review(applicant, officer)
    client.force_login(officer)
    response = client.post(
        action_url(application, "send_rejection_notice"),
        {"send_rejection_notice-reasons": "Le imprese non appartengono all'area."},
    )
    assert response.status_code == 302
    services.application_submit_observations(
        application_id=application.pk, by=applicant, observations="Le imprese sono dell'area."
    )
    page = client.get(detail_url(application)).content.decode()
    field = page[page.index('name="propose_rejection-observations_response"') :]
    assert "required" in field[: field.index(">")]
    refused = client.post(
        action_url(application, "propose_rejection"),
        {"propose_rejection-reasons": "Imprese fuori area."},
    )
    assert refused.status_code == 200
    assert "spiega perché non sono accolte" in refused.content.decode()
    assert "Imprese fuori area." in refused.content.decode()
    response = client.post(
        action_url(application, "propose_rejection"),
        {
            "propose_rejection-reasons": "Imprese fuori area.",
            "propose_rejection-observations_response": "I codici ATECO non corrispondono.",
        },
    )
    assert response.status_code == 302
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(application, "adopt_rejection"),
            {
                "adopt_rejection-note": "",
                "adopt_rejection-confirm": "on",
                "adopt_rejection-proposal": pending_proposal(application),
            },
        )
    assert response.status_code == 302
    decree = Decree.objects.get(application=application)
    assert decree.kind == ProposalKind.REJECTION
    assert Application.objects.get(pk=application.pk).status == S.REJECTED


def test_manager_returns_a_proposal_with_reasons(client, applicant, officer, manager) -> None:
    """Requires the reasons and sends the application back to review."""
    application = bring_to(
        S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager
    )
    client.force_login(manager)
    proposal = pending_proposal(application)
    empty = client.post(
        action_url(application, "return_proposal"),
        {"return_proposal-reasons": "", "return_proposal-proposal": proposal},
    )
    assert empty.status_code == 200
    assert Application.objects.get(pk=application.pk).status == S.APPROVAL_PROPOSED
    response = client.post(
        action_url(application, "return_proposal"),
        {
            "return_proposal-reasons": "Rivedere la valutazione delle imprese.",
            "return_proposal-proposal": proposal,
        },
        follow=True,
    )
    assert Application.objects.get(pk=application.pk).status == S.IN_REVIEW
    assert (
        "<strong>Motivi del rinvio:</strong> Rivedere la valutazione delle imprese."
        in response.content.decode()
    )


def test_unknown_action_is_404(client, applicant, officer) -> None:
    application = submitted_application(applicant)
    client.force_login(officer)
    assert client.post(action_url(application, "resubmit")).status_code == 404
    assert client.get(action_url(application, "take_charge")).status_code == 405


# --- private notes ----------------------------------------------------------------------------------


def test_officer_notes_are_private(client, applicant, officer, manager) -> None:
    """Shows a note to officers and managers, never to the applicant."""
    application = submitted_application(applicant)
    client.force_login(officer)
    response = client.post(
        reverse("review_note_add", args=[application.pk]),
        {"note-text": "Nota riservata: verificare la CCIAA."},
    )
    assert response.status_code == 302
    assert OfficerNote.objects.get().author == officer
    client.force_login(manager)
    assert (
        "Nota riservata: verificare la CCIAA."
        in client.get(detail_url(application)).content.decode()
    )
    client.force_login(applicant)
    assert client.get(detail_url(application)).status_code == 404
    own_page = client.get(reverse("application_detail", args=[application.pk]))
    assert "Nota riservata" not in own_page.content.decode()
    assert (
        client.post(
            reverse("review_note_add", args=[application.pk]), {"note-text": "Intrusione"}
        ).status_code
        == 404
    )
    assert OfficerNote.objects.count() == 1


def test_an_action_sent_twice_says_it_was_done_already(
    client, applicant, officer, other_officer
) -> None:
    """The second sending names the action and when it was done; another officer's is refused."""
    application = submitted_application(applicant)
    client.force_login(officer)
    assert client.post(action_url(application, "take_charge")).status_code == 302
    again = client.post(action_url(application, "take_charge"))
    html = again.content.decode()
    taken = timezone.localtime(application.events.get(action="take_charge").at)
    assert (
        f"L&#x27;azione «Prendi in carico» l&#x27;hai già eseguita il {taken:%d/%m/%Y} alle "
        f"{taken:%H:%M}: non è stata ripetuta."
    ) in html
    assert application.events.filter(action="take_charge").count() == 1
    client.force_login(other_officer)
    html = client.post(action_url(application, "take_charge")).content.decode()
    assert "già eseguita" not in html
    assert "La domanda è già in carico a " in html


def test_a_note_sent_twice_is_saved_once(client, applicant, officer, other_officer) -> None:
    """A double click (or a second tab) on «Aggiungi la nota» adds one note, and says so."""
    application = submitted_application(applicant)
    url = reverse("review_note_add", args=[application.pk])
    client.force_login(officer)
    assert client.post(url, {"note-text": "Sentito il referente."}).status_code == 302
    response = client.post(url, {"note-text": " Sentito il referente. "}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(application)
    assert "Questa nota era già stata salvata" in response.content.decode()
    assert list(application.officer_notes.values_list("text", flat=True)) == [
        "Sentito il referente."
    ]
    # The same words from another officer, or after another note, are a note of their own.
    client.force_login(other_officer)
    client.post(url, {"note-text": "Sentito il referente."})
    client.force_login(officer)
    client.post(url, {"note-text": "Sentito il referente."})
    assert application.officer_notes.count() == 3


def test_an_empty_note_is_refused(client, applicant, officer) -> None:
    application = submitted_application(applicant)
    client.force_login(officer)
    response = client.post(reverse("review_note_add", args=[application.pk]), {"note-text": " "})
    assert response.status_code == 200
    assert not OfficerNote.objects.exists()


def test_a_refused_note_comes_back_scrolled_to_the_notes_with_an_alert(
    client, applicant, officer
) -> None:
    """The notes close a long page: the form's action carries their fragment and the refusal is
    announced there, not left below the fold of a page that reloads at its top."""
    application = submitted_application(applicant)
    client.force_login(officer)
    action = reverse("review_note_add", args=[application.pk]) + "#sezione-note"
    assert f'action="{action}"' in client.get(detail_url(application)).content.decode()
    response = client.post(reverse("review_note_add", args=[application.pk]), {"note-text": " "})
    content = response.content.decode()
    assert 'role="alert">Correggi i campi segnalati e riprova.</div>' in content
    assert f'action="{action}"' in content


# --- downloads --------------------------------------------------------------------------------------


def test_document_download_headers_and_access(client, applicant, other_applicant, officer) -> None:
    """Serves the PDF as an attachment with a safe name and nosniff; 404 for others."""
    application = submitted_application(applicant)
    document = application.documents.get(kind="network_agreement")
    document.__class__.objects.filter(pk=document.pk).update(
        original_name='../accordo "finale".pdf'
    )
    url = reverse("review_document_download", args=[application.pk, document.pk])
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="accordo-finale.pdf"' in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    other = submitted_application(other_applicant)
    assert (
        client.get(reverse("review_document_download", args=[other.pk, document.pk])).status_code
        == 404
    )
    for user in (applicant, other_applicant):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_receipt_download(client, applicant, officer) -> None:
    """Serves the receipt of a submitted version."""
    application = submitted_application(applicant)
    version = application.versions.get()
    client.force_login(officer)
    page = client.get(detail_url(application)).content.decode()
    # Numbered as the applicant's receipts and the version diffs are, not by row id.
    assert f'href="/istruttoria/{application.pk}/versioni/1/ricevuta/"' in page
    response = client.get(reverse("review_receipt_download", args=[application.pk, version.number]))
    assert response.status_code == 200
    protocol = application.protocol_number.replace("/", "-")
    name = f'filename="ricevuta-{protocol}-v1.pdf"'
    assert response["Content-Disposition"] == f"attachment; {name}"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(applicant)
    own = client.get(reverse("receipt_download", args=[application.pk, 1]))
    assert own["Content-Disposition"] == f"attachment; {name}"


def test_a_pdf_missing_from_storage_is_a_404_not_an_error(client, applicant, officer) -> None:
    application = submitted_application(applicant)
    version = application.versions.get()
    version.receipt.storage.delete(version.receipt.name)
    client.force_login(officer)
    response = client.get(reverse("review_receipt_download", args=[application.pk, version.number]))
    assert response.status_code == 404


def test_decree_download_and_retry_of_a_failed_render(client, applicant, officer, manager) -> None:
    """Links the rendered PDF; a failed render shows the retry button, which renders it again."""
    application = approved_application(applicant, officer, manager)
    decree = Decree.objects.get(application=application)
    assert decree.render_status == DecreeRenderStatus.RENDERED
    client.force_login(manager)
    url = reverse("review_decree_download", args=[application.pk, decree.pk])
    assert url in client.get(detail_url(application)).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    name = f'attachment; filename="decreto-{decree.year}-{decree.number:05d}.pdf"'
    assert response["Content-Disposition"] == name
    client.force_login(applicant)
    own = client.get(reverse("applicant_decree_download", args=[application.pk, decree.pk]))
    assert own["Content-Disposition"] == name
    client.force_login(manager)

    Decree.objects.filter(pk=decree.pk).update(
        render_status=DecreeRenderStatus.FAILED, render_error="NoReverseMatch: decree_verify"
    )
    page = client.get(detail_url(application)).content.decode()
    assert "Rigenera il PDF" in page
    assert f"riferimento decreto-{decree.pk}" in page
    assert "NoReverseMatch" not in page
    assert url not in page
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("review_decree_retry", args=[application.pk, decree.pk]), follow=True
    )
    assert "PDF del decreto generato." in response.content.decode()
    assert Decree.objects.get(pk=decree.pk).render_status == DecreeRenderStatus.RENDERED


def test_a_stale_approval_button_never_adopts_a_rejection(
    client, applicant, officer, manager
) -> None:
    """Refuses "adopt the approval" when the pending proposal is a rejection."""
    application = bring_to(
        S.REJECTION_PROPOSED, applicant=applicant, officer=officer, manager=manager
    )
    client.force_login(manager)
    response = client.post(
        action_url(application, "adopt_approval"),
        {
            "adopt_approval-note": "Ok",
            "adopt_approval-confirm": "on",
            "adopt_approval-proposal": pending_proposal(application),
        },
    )
    assert response.status_code == 200
    assert "non è possibile per una domanda nello stato" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == S.REJECTION_PROPOSED
    assert not Decree.objects.filter(application=application).exists()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("adopt_approval", {"adopt_approval-confirm": "on"}),
        ("adopt_approval", {"adopt_approval-confirm": "on", "adopt_approval-proposal": "abc"}),
        ("return_proposal", {"return_proposal-reasons": "Rivedi."}),
        ("return_proposal", {"return_proposal-reasons": "Rivedi.", "return_proposal-proposal": ""}),
    ],
)
def test_a_decision_that_does_not_name_the_proposal_read_is_refused(
    client, applicant, officer, manager, action, data
) -> None:
    """A truncated or crafted form never decides on whatever proposal is pending then."""
    application = bring_to(
        S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager
    )
    client.force_login(manager)
    response = client.post(action_url(application, action), data)
    assert response.status_code == 200
    assert "Il modulo è arrivato incompleto e non è stato inviato" in response.content.decode()
    assert "Rivedi." in response.content.decode() or action == "adopt_approval"
    assert Application.objects.get(pk=application.pk).status == S.APPROVAL_PROPOSED
    assert not Decree.objects.filter(application=application).exists()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("adopt_approval", {"adopt_approval-note": "", "adopt_approval-confirm": "on"}),
        ("return_proposal", {"return_proposal-reasons": "Rivedi."}),
    ],
)
def test_a_page_left_open_never_decides_on_a_newer_proposal(
    client, applicant, officer, manager, action, data
) -> None:
    """Refuses to adopt or return a proposal made after the page was opened; then shows it."""
    application = bring_to(
        S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager
    )
    client.force_login(manager)
    page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    field = f"{action}-proposal"
    [shown] = re.findall(rf'name="{field}" value="(\d+)"', page)
    # Meanwhile the proposal goes back to the officer, who proposes again with an obligation.
    services.application_return_proposal(
        application_id=application.pk, by=manager, reasons="Aggiungi le prescrizioni."
    )
    services.application_propose_approval(
        application_id=application.pk,
        by=officer,
        assessments=assessments_for(application),
        obligations="Aderire a una fondazione ITS entro il 31/08/2027.",
    )
    newer = application.proposals.get(outcome=ProposalOutcome.PENDING)
    response = client.post(action_url(application, action), {**data, field: shown})
    assert response.status_code == 200
    assert "La proposta è cambiata dopo che hai aperto la pagina" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == S.APPROVAL_PROPOSED
    assert not Decree.objects.filter(application=application).exists()
    # The page now shows the newer proposal, and the same button decides on it.
    [again] = re.findall(rf'name="{field}" value="(\d+)"', response.content.decode())
    assert again == str(newer.pk)
    with_it = client.post(action_url(application, action), {**data, field: again})
    assert with_it.status_code == 302
    assert Application.objects.get(pk=application.pk).status != S.APPROVAL_PROPOSED


def test_the_notes_the_portal_writes_are_italian_whatever_the_users_language(
    client, settings, applicant, officer, manager, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    """Take-charge, resume and adoption notes go into the record, and to the applicant, in Italian."""
    # A request activates the language of its cookie in the thread: give it back after.
    with translation.override(translation.get_language()):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        submitted = bring_to(S.SUBMITTED, applicant=applicant, officer=officer, manager=manager)
        client.force_login(officer)
        client.post(action_url(submitted, "take_charge"))
        assert (
            submitted.events.last().note
            == f"Responsabile del procedimento: {officer.get_full_name()}"
        )
        waiting = bring_to(
            S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
        )
        expire_open_request(waiting)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(action_url(waiting, "resume_review"), {"resume_review-note": ""})
        resumed = (
            "Termine per le integrazioni scaduto senza risposta: l'istruttoria prosegue sugli atti "
            "presentati."
        )
        assert waiting.events.last().note == resumed
        [to_applicant] = [m for m in mailoutbox if m.to == ["referente@example.org"]]
        assert resumed in to_applicant.body
        proposed = bring_to(
            S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager
        )
        client.force_login(manager)
        client.post(
            action_url(proposed, "adopt_approval"),
            {
                "adopt_approval-note": "",
                "adopt_approval-confirm": "on",
                "adopt_approval-proposal": pending_proposal(proposed),
            },
        )
        assert proposed.events.last().note.startswith("Decreto n. ")


def test_a_retry_queued_for_the_worker_does_not_say_it_failed_again(
    client, applicant, officer, manager, settings
) -> None:
    """With the production tasks backend the render runs later: the page says it started."""
    application = approved_application(applicant, officer, manager)
    decree = Decree.objects.get(application=application)
    Decree.objects.filter(pk=decree.pk).update(render_status=DecreeRenderStatus.FAILED)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(manager)
    response = client.post(
        reverse("review_decree_retry", args=[application.pk, decree.pk]), follow=True
    )
    html = response.content.decode()
    assert "Generazione del PDF avviata." in html
    assert "non è riuscita di nuovo" not in html


# --- a new officer in charge ----------------------------------------------------------------------


def _new_officer(username: str = "sostituta", first_name: str = "Lucia") -> Any:
    from django.contrib.auth.models import Group

    from networks.constants import Role
    from tests.factories import UserFactory

    user = UserFactory(username=username, first_name=first_name, last_name=username.capitalize())
    user.groups.add(Group.objects.get(name=Role.OFFICER.value))
    return user


def test_the_manager_assigns_a_suspended_procedure_to_another_officer(
    client, applicant, officer, manager, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    """The officer in charge is away: the manager names another; status and clock stay."""
    from networks.selectors import application_clock

    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    new = _new_officer()
    before = application_clock(application)
    client.force_login(manager)
    page = client.get(detail_url(application)).content.decode()
    assert "Assegna a un altro istruttore" in page
    choices = re.search(r'<select name="reassign-officer".*?</select>', page, re.S).group(0)
    assert "Lucia Sostituta" in choices
    assert officer.get_full_name() not in choices  # the one in charge is no choice
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(application, "reassign"), {"reassign-officer": new.pk})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.officer) == (S.INTEGRATION_REQUESTED, new)
    after = application_clock(application)
    assert (after.elapsed_days, after.suspended_days, after.left_days) == (
        before.elapsed_days,
        before.suspended_days,
        before.left_days,
    )
    assert application.requests.open().count() == 1  # the integration still waits its answer
    to_applicant = [m for m in mailoutbox if m.to == [application.contact_email]]
    assert [m.subject for m in to_applicant] == [
        f"Domanda {application.protocol_number}: nuovo responsabile del procedimento"
    ]
    assert "Responsabile del procedimento: Lucia Sostituta" in to_applicant[0].body
    staff = sorted(m.to[0] for m in mailoutbox if m.to != [application.contact_email])
    assert staff == sorted([new.email, officer.email])  # who has it now, and who had it
    with pytest.raises(services.workflow.NotAllowed):
        services.application_resume_review(application_id=application.pk, by=officer)


@pytest.mark.parametrize("choice", ["officer", "manager", "abc", "99999999999999999999", ""])
def test_a_reassignment_to_no_valid_officer_is_refused_at_the_field(
    client, applicant, officer, manager, choice
) -> None:
    application = bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)
    _new_officer()
    value = {"officer": officer.pk, "manager": manager.pk}.get(choice, choice)
    client.force_login(manager)
    response = client.post(action_url(application, "reassign"), {"reassign-officer": value})
    assert response.status_code == 200  # the page again, as for every refused action
    html = response.content.decode()
    assert "Scegli" in html or "non è più tra quelli disponibili" in html
    application.refresh_from_db()
    assert application.officer == officer


def test_a_reassignment_sent_twice_says_who_has_it_already(
    client, applicant, officer, manager, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    application = bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)
    new = _new_officer()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(action_url(application, "reassign"), {"reassign-officer": new.pk})
    assert first.status_code == 302
    sent = len(mailoutbox)
    _new_officer("terzo", "Marco")  # someone else to choose, so that the action is still offered
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(action_url(application, "reassign"), {"reassign-officer": new.pk})
    html = again.content.decode()
    assert "La domanda è già assegnata a Lucia Sostituta: scegli un altro istruttore." in html
    assert "non è più tra quelli disponibili" not in html
    application.refresh_from_db()
    assert application.officer == new
    assert len(mailoutbox) == sent
    assert application.events.filter(action="reassign").count() == 1


def test_only_a_manager_reassigns(client, applicant, officer, manager) -> None:
    application = bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)
    new = _new_officer()
    client.force_login(officer)
    assert (
        "Assegna a un altro istruttore" not in client.get(detail_url(application)).content.decode()
    )
    client.post(action_url(application, "reassign"), {"reassign-officer": new.pk})
    application.refresh_from_db()
    assert application.officer == officer


def test_a_proposal_pending_at_the_withdrawal_reads_as_not_decided(
    client, applicant, officer, manager
) -> None:
    application = bring_to(
        S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager
    )
    services.application_withdraw(application_id=application.pk, by=applicant, reason="Rinunciamo.")
    proposal = application.proposals.get()
    assert proposal.outcome == ProposalOutcome.WITHDRAWN
    assert proposal.decided_at == application.events.last().at
    client.force_login(manager)
    page = client.get(detail_url(application)).content.decode()
    assert "Non decisa: domanda ritirata" in page
    assert "In attesa del dirigente" not in page


@pytest.mark.parametrize(
    ("suspended_days", "expected"),
    [
        (0, "Scadenza: 01/04/2026\n"),
        (1, "Scadenza: 02/04/2026 (compresa 1 giornata di sospensione)"),
        (10, "Scadenza: 11/04/2026 (comprese 10 giornate di sospensione)"),
    ],
)
def test_page_states_the_deadline_and_its_suspension_days(
    client, applicant, officer, monkeypatch, suspended_days, expected
):
    """One day of suspension is singular, none is not mentioned."""
    start = datetime(2026, 3, 2, 10, tzinfo=ROME)
    history = [StatusChange(start, S.SUBMITTED), StatusChange(start, S.IN_REVIEW)]
    if suspended_days:
        history += [
            StatusChange(start + timedelta(days=3), S.INTEGRATION_REQUESTED),
            StatusChange(start + timedelta(days=3 + suspended_days), S.IN_REVIEW),
        ]
    clock = procedure_clock(history, term_days=30, now=start + timedelta(days=20))
    assert clock.suspended_days == suspended_days
    monkeypatch.setattr(review_views, "application_clock", lambda *args, **kwargs: clock)
    application = application_in_review(applicant, officer)
    client.force_login(officer)
    content = client.get(detail_url(application)).content.decode()
    assert expected in content
    assert "comprese 0" not in content


def test_while_suspended_both_pages_say_how_late_the_deadline_can_be(
    client, applicant, officer, monkeypatch
):
    """Suspended from 05/03 to 20/03 and read on 10/03: the term ends on 16/04 at the latest."""
    start = datetime(2026, 3, 2, 10, tzinfo=ROME)
    history = [
        StatusChange(start, S.SUBMITTED),
        StatusChange(start, S.IN_REVIEW),
        StatusChange(start + timedelta(days=3), S.INTEGRATION_REQUESTED, until=date(2026, 3, 20)),
    ]
    clock = procedure_clock(history, term_days=30, now=start + timedelta(days=8))
    # 5 days so far: 06/04/2026, Lunedì dell'Angelo, so 07/04; 10 more days at most: 16/04.
    assert (clock.deadline, clock.latest_deadline) == (date(2026, 4, 7), date(2026, 4, 16))
    application = application_in_review(applicant, officer)
    monkeypatch.setattr(review_views, "application_clock", lambda *args, **kwargs: clock)
    client.force_login(officer)
    officer_page = client.get(detail_url(application)).content.decode()
    assert (
        "Scadenza: al più tardi il 16/04/2026 (termine sospeso fino alla risposta del "
        "richiedente, al più tardi il 20/03/2026)." in officer_page
    )
    from networks import selectors

    monkeypatch.setattr(selectors, "application_clock", lambda *args, **kwargs: clock)
    client.force_login(applicant)
    applicant_page = client.get(
        reverse("application_detail", args=[application.pk])
    ).content.decode()
    assert (
        "al più tardi il 16/04/2026: il termine è sospeso fino alla tua risposta, al più tardi "
        "il 20/03/2026" in applicant_page
    )
    listing = client.get(reverse("application_list")).content.decode()
    assert "al più tardi il 16/04/2026 (sospeso)" in listing


def test_while_a_notice_awaits_observations_the_pages_count_the_ten_days_after_them(
    client, applicant, officer, monkeypatch
):
    """Notice of 05/03 with deadline 16/03: observations on the last day suspend the term to
    26/03, so that is the latest end the pages count, and they say how the term runs."""
    start = datetime(2026, 3, 2, 10, tzinfo=ROME)
    history = [
        StatusChange(start, S.SUBMITTED),
        StatusChange(start, S.IN_REVIEW),
        StatusChange(
            start + timedelta(days=3),
            S.REJECTION_NOTICE,
            until=date(2026, 3, 16),
            runs_after_answer=timedelta(days=10),
        ),
    ]
    clock = procedure_clock(history, term_days=30, now=start + timedelta(days=8))
    # 3 days ran; 27 left from 26/03: 22/04/2026.
    assert clock.latest_deadline == date(2026, 4, 22)
    application = application_in_review(applicant, officer)
    monkeypatch.setattr(review_views, "application_clock", lambda *args, **kwargs: clock)
    client.force_login(officer)
    officer_page = " ".join(client.get(detail_url(application)).content.decode().split())
    assert (
        "Scadenza: al più tardi il 22/04/2026 (termine sospeso: riprende dieci giorni dopo le "
        "osservazioni del richiedente o, senza osservazioni, dopo il 16/03/2026;" in officer_page
    )
    from networks import selectors

    monkeypatch.setattr(selectors, "application_clock", lambda *args, **kwargs: clock)
    client.force_login(applicant)
    applicant_page = " ".join(
        client.get(reverse("application_detail", args=[application.pk])).content.decode().split()
    )
    assert (
        "al più tardi il 22/04/2026: il termine è sospeso e riprende a decorrere dieci giorni "
        "dopo le tue osservazioni o, senza osservazioni, dopo il 16/03/2026" in applicant_page
    )


def test_the_rule_texts_are_marked_italian_on_the_english_application_page(
    client, settings, applicant, officer
) -> None:
    """The requirements table shows the rules' Italian texts with lang="it" (WCAG 3.1.2)."""
    application = application_in_review(applicant, officer)
    client.force_login(officer)
    with translation.override(translation.get_language()):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(detail_url(application))
    assert languages_of(response, "Result of each rule") == ["en"]
    for result in response.context["verdict"].results:
        for text in (result.description, result.message, result.citation):
            assert set(languages_of(response, text)) == {"it"}, text


def test_the_records_italian_notes_are_marked_italian_on_english_pages(
    client, settings, applicant, officer
) -> None:
    """The history's notes, Italian as the record is written, carry lang="it" on the
    officer's and the applicant's English pages (WCAG 3.1.2)."""
    application = application_in_review(applicant, officer)
    note = f"Responsabile del procedimento: {officer.get_full_name() or officer.username}"
    assert application.events.filter(note=note).exists()
    pages = {
        officer: detail_url(application),
        applicant: reverse("application_detail", args=[application.pk]),
    }
    for user, url in pages.items():
        client.force_login(user)
        with translation.override(translation.get_language()):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            response = client.get(url)
        assert response.headers["Content-Language"] == "en"
        assert languages_of(response, note) == ["it"], url


def test_a_decree_is_adopted_only_with_the_managers_tick(client, applicant, officer, manager):
    """One click took a number and told the applicant: the tick says the act is meant."""
    application = bring_to(
        S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager
    )
    client.force_login(manager)
    page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    assert 'name="adopt_approval-confirm"' in page

    refused = client.post(
        action_url(application, "adopt_approval"), {"adopt_approval-note": "Visto, si adotti."}
    )

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Spunta la conferma per adottare il decreto." in html
    assert "Visto, si adotti." in html  # the note typed is kept
    assert Application.objects.get(pk=application.pk).status == S.APPROVAL_PROPOSED
    assert not Decree.objects.filter(application=application).exists()
    adopted = client.post(
        action_url(application, "adopt_approval"),
        {
            "adopt_approval-note": "Visto, si adotti.",
            "adopt_approval-confirm": "on",
            "adopt_approval-proposal": pending_proposal(application),
        },
    )
    assert adopted.status_code == 302
    assert Application.objects.get(pk=application.pk).status == S.APPROVED


def test_a_returned_proposal_comes_back_in_the_form_that_makes_it_again(
    client, applicant, officer, manager
) -> None:
    """The officer corrects the assessments and prescriptions instead of typing them anew."""
    from tests.procedure import assessments_for

    application = application_in_review(applicant, officer)
    add_other_member(application)
    assessments = assessments_for(application)
    assert assessments
    services.application_propose_approval(
        application_id=application.pk,
        by=officer,
        assessments={code: f"Valutazione di {code} da rivedere." for code in assessments},
        obligations="Aderire a una fondazione ITS entro il 31/08/2027.",
        note="Da adottare.",
    )
    services.application_return_proposal(
        application_id=application.pk, by=manager, reasons="Motivare meglio."
    )
    client.force_login(officer)
    response = client.get(detail_url(application))
    form = next(
        action["form"]
        for action in response.context["actions"]
        if action["transition"].action == "propose_approval"
    )
    for code in assessments:
        assert form[form.assessment_field(code)].value() == f"Valutazione di {code} da rivedere."
    assert form["obligations"].value() == "Aderire a una fondazione ITS entro il 31/08/2027."
    assert not form["note"].value()
    assert not form.is_bound


def test_an_action_not_possible_now_is_said_before_what_its_form_lacks(
    client, applicant, officer
) -> None:
    """On a withdrawn application an empty request hears that it cannot be made, not which
    fields to fill in."""
    application = application_in_review(applicant, officer)
    services.application_withdraw(application_id=application.pk, by=applicant, reason="Basta.")
    client.force_login(officer)
    empty = review_views.ACTION_FORMS["request_integration"]({}, prefix="request_integration")
    assert not empty.is_valid()  # the form alone would list what to fill in
    response = client.post(action_url(application, "request_integration"), {})
    assert response.status_code == 200
    error = response.context["action_error"]
    assert "Ritirata" in error
    assert "correggi questi errori" not in error
    assert response.context["action_errors"] == []


def test_an_action_of_another_officers_procedure_is_refused_as_such_whatever_its_form(
    client, applicant, officer, other_officer
) -> None:
    application = application_in_review(applicant, officer)
    client.force_login(other_officer)
    sunday = timezone.localdate() + timedelta(days=(6 - timezone.localdate().weekday()) or 7)
    response = client.post(
        action_url(application, "request_integration"),
        {
            "request_integration-text": "Serve la dichiarazione.",
            "request_integration-deadline": sunday.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    assert response.context["action_error"].startswith("Solo il responsabile del procedimento")
    assert "Serve la dichiarazione." in response.content.decode()
    assert not application.requests.exists()
