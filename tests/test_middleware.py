"""A 405 (a GET on an address that only takes a form's POST) is an Italian page in the layout."""

import re

import pytest
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from ptp_portal.middleware import MethodNotAllowedPageMiddleware
from tests.factories import approved_application, submitted_application

pytestmark = pytest.mark.django_db

TITLE = "Operazione non disponibile da questo indirizzo"


def assert_method_not_allowed_page(response, allow: str) -> None:
    assert response.status_code == 405
    assert response["Allow"] == allow
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert f"<h1>{TITLE}</h1>" in html
    assert 'id="navigazione"' in html  # the site's header and footer, like the 403 and 404 pages
    # The page's script carries the nonce of the CSP header: the page is rendered before the
    # CSP middleware writes the header.
    nonce = re.search(r'<script [^>]*nonce="([^"]+)"', html)[1]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_a_get_on_a_workflow_action_is_a_405_page(client, applicant, officer) -> None:
    """The officer opening an action's address gets the page, with status 405 and Allow: POST."""
    application = submitted_application(applicant)
    client.force_login(officer)
    response = client.get(reverse("review_action", args=[application.pk, "take_charge"]))
    assert_method_not_allowed_page(response, "POST")
    assert "Esci" in response.content.decode()  # the logged-in header, with its logout button


@pytest.mark.parametrize("username", ["anonymous", "applicant", "officer"])
def test_a_get_on_a_post_only_address_is_a_405_page_for_anyone(
    client, applicant, officer, manager, username
) -> None:
    """Notes and the decree's re-rendering answer a GET with the page, whoever asks."""
    application = approved_application(applicant, officer, manager)
    decree = application.decrees.get()
    if username != "anonymous":
        client.force_login({"applicant": applicant, "officer": officer}[username])
    for url in (
        reverse("review_note_add", args=[application.pk]),
        reverse("review_decree_retry", args=[application.pk, decree.pk]),
    ):
        assert_method_not_allowed_page(client.get(url), "POST")


def test_a_405_with_a_body_of_its_own_is_left_as_it_is(rf: RequestFactory) -> None:
    """Only an empty 405 gets the page; a view's own 405 body and other responses are kept."""
    request = rf.get("/")
    own = HttpResponseNotAllowed(["POST"], content=b"solo POST")
    assert MethodNotAllowedPageMiddleware(lambda _request: own)(request).content == b"solo POST"
    empty_ok = HttpResponse(status=204)
    assert MethodNotAllowedPageMiddleware(lambda _request: empty_ok)(request).content == b""


def test_pages_of_a_logged_in_user_are_kept_out_of_caches(client, applicant) -> None:
    """An applicant's page holds personal data: no proxy, nor the browser after logout, keeps it."""
    application = submitted_application(applicant)
    client.force_login(applicant)
    response = client.get(reverse("application_detail", args=[application.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_pages_and_open_data_keep_their_own_caching(client, applicant) -> None:
    assert "Cache-Control" not in client.get(reverse("home"))
    client.force_login(applicant)
    assert client.get(reverse("opendata_csv"))["Cache-Control"] == "public, max-age=300"


def test_an_english_browser_gets_the_italian_portal_until_it_chooses_english(client) -> None:
    """Italian first (DOMAIN.md §7): the browser's Accept-Language does not choose for the user."""
    with translation.override(translation.get_language()):
        first = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
        assert first.content.decode().count('<html lang="it"') == 1
        chosen = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert chosen.status_code == 302
        then = client.get("/", HTTP_ACCEPT_LANGUAGE="it-IT,it;q=0.9")
        assert '<html lang="en"' in then.content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "klingon"
        odd = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        assert '<html lang="it"' in odd.content.decode()


def test_a_request_for_another_host_is_refused_with_the_policy_and_the_framing_ban(client):
    """CommonMiddleware refuses a host not allowed: the 400 page carries the headers too."""
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "default-src" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
