"""Operations: login lockouts behind a balancer and after a reset, the reset mail, the 500 page."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_password_reset_lifts_the_lockout_the_lockout_page_points_to(client, applicant):
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "richiedente", "password": "sbagliata"})
    assert AccessAttempt.objects.filter(username="richiedente").exists()
    client.post(reverse("password_reset"), {"email": applicant.email})
    link = re.search(
        r"https?://[^/]+(/account/password/recupera/[^\s]+/)", mail.outbox[0].body
    ).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "Recuperata-2026!", "new_password2": "Recuperata-2026!"}
    )
    response = client.post(
        reverse("login"), {"username": "richiedente", "password": "Recuperata-2026!"}
    )
    assert response.status_code == 302


def test_behind_a_balancer_a_lockout_holds_the_attackers_address_only(client, applicant, settings):
    """With PORTAL_PROXY_COUNT=1 the address is the balancer's last X-Forwarded-For entry."""
    settings.PORTAL_PROXY_COUNT = 1
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    for _attempt in range(5):
        client.post(
            reverse("login"),
            {"username": "richiedente", "password": "sbagliata"},
            HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.66",  # the first one is the client's lie
            **balancer,
        )
    locked = client.post(
        reverse("login"),
        {"username": "richiedente", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.66",
        **balancer,
    )
    assert locked.status_code == 429
    other = Client().post(
        reverse("login"),
        {"username": "richiedente", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **balancer,
    )
    assert other.status_code == 302


def test_without_proxies_the_address_is_remote_addr(client, applicant, settings):
    """A forged X-Forwarded-For does not move a direct client out of its lockout."""
    for attempt in range(5):
        client.post(
            reverse("login"),
            {"username": "richiedente", "password": "sbagliata"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        )
    response = client.post(
        reverse("login"),
        {"username": "richiedente", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


def test_the_password_reset_mail_names_the_portal_and_what_to_do_if_unrequested(client, applicant):
    client.post(reverse("password_reset"), {"email": applicant.email})
    message = mail.outbox[0]
    assert message.subject == (
        "Scegli una nuova password per il portale dei Poli Tecnici Professionali"
    )
    assert "Il tuo nome utente è richiedente." in message.body
    assert "ignora questo messaggio" in message.body
    assert re.search(r"https?://[^/]+/account/password/recupera/[^\s]+/", message.body)


def test_the_500_page_renders_even_without_a_static_manifest(tmp_path):
    """A release whose collectstatic did not run fails every page: the 500 page must not."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages, DEBUG=False):
        html = render_to_string("500.html")
    assert "non è riuscito a completare la richiesta" in html
    assert 'href="/static/css/bootstrap-italia.min.css"' in html
