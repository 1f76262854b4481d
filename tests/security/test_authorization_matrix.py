"""Every URL of the portal × every role, on an object that belongs to someone else.

The URL list is read from the URL configuration: a new URL without an
expectation here fails ``test_every_url_has_an_expectation``. Roles:
anonymous, an applicant of another organisation, the owner applicant, an
officer, a manager, a catalogue administrator. The object is an approved
application (with versions, documents and a decree) filed by the owner's
organisation, so "someone else's" is the other applicant's view of it.
"""

import pytest
from django.urls import get_resolver, reverse

from networks.models import Decree
from tests.factories import approved_application
from tests.helpers import url_patterns

ROLES = ("anonymous", "other_applicant", "applicant", "officer", "manager", "catalogue_admin")
LOGIN = "login"  # a redirect to the login page

# Expected outcome per role, in ROLES order. 200/302/403/404/405 are status codes;
# LOGIN is a 302 to the login page.
PUBLIC = (200, 200, 200, 200, 200, 200)
APPLICANT_OWNED = (LOGIN, 404, 200, 404, 404, 404)
APPLICANT_OWNED_REDIRECT = (
    LOGIN,
    404,
    302,
    404,
    404,
    404,
)  # refused for the status, with a message
APPLICANT_AREA = (LOGIN, 200, 200, 404, 404, 404)
STAFF_QUEUE = (LOGIN, 403, 403, 200, 200, 403)
STAFF_OBJECT = (LOGIN, 404, 404, 200, 200, 404)
STAFF_POST = (LOGIN, 404, 404, 302, 302, 404)
LOGGED_IN = (LOGIN, 200, 200, 200, 200, 200)

EXPECTATIONS: dict[str, tuple[str, tuple]] = {
    "set_language": ("post", (302,) * 6),
    "login": ("get", (200, 302, 302, 302, 302, 302)),
    "logout": ("post", (302,) * 6),
    "password_change": ("get", LOGGED_IN),
    "password_change_done": ("get", LOGGED_IN),
    "password_reset": ("get", PUBLIC),
    "password_reset_done": ("get", PUBLIC),
    "password_reset_confirm": ("get", PUBLIC),  # an invalid link shows its own message
    "password_reset_complete": ("get", PUBLIC),
    "home": ("get", PUBLIC),
    "health": ("get", PUBLIC),
    "accessibility": ("get", PUBLIC),
    "privacy": ("get", PUBLIC),
    "legal_notes": ("get", PUBLIC),
    "application_list": ("get", APPLICANT_AREA),
    "application_new": ("get", APPLICANT_AREA),
    "application_detail": ("get", APPLICANT_OWNED),
    "application_edit": ("get", APPLICANT_OWNED_REDIRECT),
    "application_panel": ("get", APPLICANT_OWNED),
    "member_add": ("post", APPLICANT_OWNED_REDIRECT),
    "member_update": ("post", APPLICANT_OWNED_REDIRECT),
    "member_remove": ("post", APPLICANT_OWNED_REDIRECT),
    "organisation_register": ("post", APPLICANT_OWNED_REDIRECT),
    "offering_add": ("post", APPLICANT_OWNED_REDIRECT),
    "offering_remove": ("post", APPLICANT_OWNED_REDIRECT),
    "document_upload": ("post", (LOGIN, 404, 404, 404, 404, 404)),  # no valid kind posted
    "document_download": ("get", APPLICANT_OWNED),
    "document_remove": ("post", (LOGIN, 404, 404, 404, 404, 404)),  # not an integration document
    "receipt_download": ("get", APPLICANT_OWNED),
    "version_diff": ("get", (LOGIN, 404, 404, 404, 404, 404)),  # version 2 does not exist
    "unsent_edits": ("get", (LOGIN, 404, 404, 404, 404, 404)),  # no request lapsed
    "unsent_texts_restore": ("post", (LOGIN, 404, 404, 404, 404, 404)),  # no request lapsed
    "applicant_decree_download": ("get", APPLICANT_OWNED),
    "network_export": ("get", APPLICANT_OWNED),
    "network_import": ("post", APPLICANT_OWNED_REDIRECT),
    "application_submit": ("post", APPLICANT_OWNED_REDIRECT),
    "application_withdraw": ("post", APPLICANT_OWNED_REDIRECT),
    "application_delete": ("post", APPLICANT_OWNED_REDIRECT),  # approved: refused, a message
    "application_observations": ("post", APPLICANT_OWNED_REDIRECT),
    "review_queue": ("get", STAFF_QUEUE),
    "review_detail": ("get", STAFF_OBJECT),
    "review_action": ("post", (LOGIN, 404, 404, 200, 200, 404)),  # form errors re-render the page
    "review_note_add": ("post", (LOGIN, 404, 404, 200, 200, 404)),  # empty note: errors shown
    "review_document_download": ("get", STAFF_OBJECT),
    "review_decree_download": ("get", STAFF_OBJECT),
    "review_decree_retry": ("post", STAFF_POST),
    "review_receipt_download": ("get", STAFF_OBJECT),
    "review_version_diff": ("get", (LOGIN, 404, 404, 404, 404, 404)),  # version 2 does not exist
    "decree_verify_form": ("get", PUBLIC),
    "decree_verify": ("get", PUBLIC),
    "decree_download_public": ("get", PUBLIC),
    "register_list": ("get", PUBLIC),
    "register_detail": ("get", PUBLIC),
    "opendata": ("get", PUBLIC),
    "opendata_csv": ("get", PUBLIC),
    "opendata_json": ("get", PUBLIC),
    "opendata_dcat": ("get", PUBLIC),
    "statistics": ("get", PUBLIC),
    "statistics_csv": ("get", PUBLIC),
    "simulator": ("get", PUBLIC),
}


QUERY = {"statistics_csv": "?table=aree"}


def url_names() -> list[str]:
    """Return the name of every URL outside the Django admin."""
    return [pattern.name for pattern in url_patterns()]


def test_every_url_has_an_expectation():
    names = url_names()
    assert None not in names, "every URL must have a name"
    assert sorted(set(names) - set(EXPECTATIONS)) == []
    assert sorted(set(EXPECTATIONS) - set(names)) == []


def _kwargs(name: str, application, decree: Decree) -> dict:
    member = application.members.first()
    offering = member.organisation.offerings.first()
    by_name = {
        "password_reset_confirm": {"uidb64": "MQ", "token": "token-non-valido"},
        "application_edit": {"pk": application.pk, "step": "partner"},
        "member_update": {"pk": application.pk, "member_pk": member.pk},
        "member_remove": {"pk": application.pk, "member_pk": member.pk},
        "offering_add": {"pk": application.pk, "organisation_pk": member.organisation_id},
        "offering_remove": {
            "pk": application.pk,
            "organisation_pk": member.organisation_id,
            "offering_pk": offering.pk,
        },
        "document_download": {
            "pk": application.pk,
            "document_pk": application.documents.first().pk,
        },
        "document_remove": {
            "pk": application.pk,
            "document_pk": application.documents.first().pk,
        },
        "review_document_download": {
            "pk": application.pk,
            "document_pk": application.documents.first().pk,
        },
        "receipt_download": {"pk": application.pk, "number": 1},
        "version_diff": {"pk": application.pk, "number": 2},
        "unsent_edits": {"pk": application.pk, "request_pk": 1},
        "unsent_texts_restore": {"pk": application.pk, "request_pk": 1},
        "review_version_diff": {"pk": application.pk, "number": 2},
        "applicant_decree_download": {"pk": application.pk, "decree_pk": decree.pk},
        "review_decree_download": {"pk": application.pk, "decree_pk": decree.pk},
        "review_decree_retry": {"pk": application.pk, "decree_pk": decree.pk},
        "review_receipt_download": {
            "pk": application.pk,
            "number": application.versions.first().number,
        },
        "review_action": {"pk": application.pk, "action": "request_integration"},
        "decree_verify": {"code": decree.verification_code},
        "decree_download_public": {"code": decree.verification_code},
    }
    if name in by_name:
        return by_name[name]
    route = get_resolver().reverse_dict.getlist(name)[0]
    params = route[0][0][1]
    return {"pk": application.pk} if "pk" in params else {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_it_may_on_every_url(
    client, request, role, applicant, officer, manager
):
    application = approved_application(applicant, officer, manager)
    decree = application.decrees.get()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    index = ROLES.index(role)
    mismatches = []
    # Logging out ends the session, so it goes last.
    for name, (method, expected_by_role) in sorted(
        EXPECTATIONS.items(), key=lambda item: item[0] == "logout"
    ):
        url = reverse(name, kwargs=_kwargs(name, application, decree)) + QUERY.get(name, "")
        response = getattr(client, method)(url)
        expected = expected_by_role[index]
        if expected == LOGIN:
            ok = response.status_code == 302 and reverse("login") in response["Location"]
        else:
            ok = response.status_code == expected
        if not ok:
            mismatches.append(
                f"{method.upper()} {url} ({name}): {response.status_code}, atteso {expected}"
            )
    assert mismatches == []
