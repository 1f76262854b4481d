"""Sessions expire after SESSION_COOKIE_AGE of inactivity, refreshed at most every few minutes."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from ptp_portal.middleware import REFRESHED_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def stored_session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def log_in(client, user) -> None:
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_login_records_the_refresh(client, applicant):
    log_in(client, applicant)
    assert REFRESHED_KEY in stored_session(client).get_decoded()


def test_a_use_within_the_refresh_window_does_not_write_the_session(client, applicant):
    log_in(client, applicant)
    before = stored_session(client).expire_date
    client.get(reverse("application_list"))
    assert stored_session(client).expire_date == before


def test_a_use_after_the_window_pushes_the_expiry_forward(client, applicant, settings):
    log_in(client, applicant)
    session = client.session
    session[REFRESHED_KEY] -= settings.SESSION_REFRESH_SECONDS + 1
    session.save()
    soon = timezone.now() + timedelta(minutes=1)
    Session.objects.filter(session_key=session.session_key).update(expire_date=soon)
    response = client.get(reverse("application_list"))
    assert response.status_code == 200
    refreshed = stored_session(client)
    assert refreshed.expire_date > soon + timedelta(seconds=settings.SESSION_COOKIE_AGE - 120)
    assert refreshed.get_decoded()[REFRESHED_KEY] > session[REFRESHED_KEY]


def test_anonymous_visits_create_no_session(client):
    client.get(reverse("register_list"))
    client.get(reverse("home"))
    assert Session.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("opendata_csv", {}),
        ("opendata_json", {}),
        ("opendata_dcat", {}),
        ("statistics_csv", {"table": "aree"}),
    ],
)
def test_a_publicly_cacheable_file_sends_no_session_cookie(client, officer, settings, url, query):
    """A proxy may keep an open-data file for everyone: it must not carry someone's session."""
    log_in(client, officer)
    session = client.session
    session[REFRESHED_KEY] -= settings.SESSION_REFRESH_SECONDS + 1
    session.save()
    response = client.get(reverse(url), query)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    # The next page refreshes the session as usual.
    assert settings.SESSION_COOKIE_NAME in client.get(reverse("review_queue")).cookies
