"""Login, logout, password change and reset, and brute-force protection."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_and_logout(client, applicant):
    response = client.post(reverse("login"), {"username": "richiedente", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "Area richiedente" in client.get(reverse("home")).content.decode()
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_wrong_password_says_so_in_italian(client, applicant):
    response = client.post(reverse("login"), {"username": "richiedente", "password": "sbagliata"})
    assert response.status_code == 200
    html = response.content.decode()
    alert = html[html.index('role="alert"') :]
    assert alert.index("Inserisci nome utente e password corretti") < alert.index("</div>")


def test_password_change(client, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nuova-Password-2026",
            "new_password2": "Nuova-Password-2026",
        },
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password("Nuova-Password-2026")


def test_password_reset_sends_a_working_link(client, applicant):
    client.post(reverse("password_reset"), {"email": applicant.email})
    assert len(mail.outbox) == 1
    link = re.search(
        r"https?://[^/]+(/account/password/recupera/[^\s]+/)", mail.outbox[0].body
    ).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Recuperata-2026!", "new_password2": "Recuperata-2026!"}
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password("Recuperata-2026!")


def test_password_reset_mails_an_address_at_most_three_times_an_hour(client, applicant, mailoutbox):
    """The fourth request for the same address (in any case) sends nothing and says "done"."""
    other = UserFactory(username="collega", email="collega@example.org")
    for _attempt in range(3):
        response = client.post(reverse("password_reset"), {"email": applicant.email})
        assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 3
    response = client.post(reverse("password_reset"), {"email": applicant.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 3
    client.post(reverse("password_reset"), {"email": other.email})
    assert len(mailoutbox) == 4
    assert mailoutbox[-1].to == [other.email]


def test_password_reset_counts_an_unknown_address_like_a_known_one(client, mailoutbox):
    for _attempt in range(4):
        response = client.post(reverse("password_reset"), {"email": "nessuno@example.org"})
        assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_password_reset_takes_ten_requests_an_hour_from_one_client(
    client, applicant, mailoutbox, settings
):
    """The eleventh request from the same client gets an Italian 429 with its input kept."""
    settings.PORTAL_PROXY_COUNT = 1
    balancer = {"REMOTE_ADDR": "10.0.0.1"}
    for index in range(10):
        client.post(
            reverse("password_reset"),
            {"email": f"utente{index}@example.org"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
            **balancer,
        )
    response = client.post(
        reverse("password_reset"),
        {"email": applicant.email},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        **balancer,
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Troppe richieste di recupero della password" in html
    assert f'value="{applicant.email}"' in html
    assert mailoutbox == []
    # Another client behind the same balancer is not held back.
    response = client.post(
        reverse("password_reset"),
        {"email": applicant.email},
        HTTP_X_FORWARDED_FOR="198.51.100.9",
        **balancer,
    )
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1


def test_login_locks_username_and_ip_after_five_failures_but_not_other_users(client, applicant):
    UserFactory(username="collega")
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "richiedente", "password": "sbagliata"})
    response = client.post(reverse("login"), {"username": "richiedente", "password": PASSWORD})
    assert response.status_code == 429
    assert "Troppi tentativi" in response.content.decode()
    response = client.post(reverse("login"), {"username": "collega", "password": PASSWORD})
    assert response.status_code == 302


def test_lockout_expires_after_the_cool_off(client, applicant, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _attempt in range(5):
        client.post(reverse("login"), {"username": "richiedente", "password": "sbagliata"})
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = client.post(reverse("login"), {"username": "richiedente", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("applicant", "Area richiedente"),
        ("officer", "Scrivania istruttoria"),
        ("manager", "Scrivania del dirigente"),
        ("catalogue_admin", "Gestione del catalogo"),
    ],
)
def test_each_role_sees_its_own_home(client, request, role, heading):
    client.force_login(request.getfixturevalue(role))
    content = client.get(reverse("home")).content.decode()
    assert heading in content
    others = {
        "Area richiedente",
        "Scrivania istruttoria",
        "Scrivania del dirigente",
        "Gestione del catalogo",
    }
    for other in others - {heading}:
        assert other not in content


def test_manager_home_links_both_kinds_of_proposal(client, manager):
    client.force_login(manager)
    content = client.get(reverse("home")).content.decode()
    queue = reverse("review_queue")
    assert f'href="{queue}?status=approval_proposed"' in content
    assert f'href="{queue}?status=rejection_proposed"' in content


def test_home_is_italian_with_accessibility_link_and_skip_link(client):
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="it">' in content
    assert reverse("accessibility") in content
    assert 'href="#contenuto"' in content


def test_english_is_available(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in content
    assert "Accessibility statement" in content


ALERT = '<div class="alert alert-danger" role="alert">Correggi i campi segnalati e riprova.</div>'


@pytest.mark.parametrize(
    ("url", "data", "logged_in"),
    [
        ("login", {"username": "", "password": ""}, False),
        ("password_reset", {"email": "non-una-email"}, False),
        ("password_change", {"old_password": "", "new_password1": "", "new_password2": ""}, True),
    ],
)
def test_a_form_refused_for_its_fields_says_so_in_an_alert(client, applicant, url, data, logged_in):
    """Field errors alone come back with an alert on top, read out on arrival (WCAG 3.3.1, 4.1.3):
    the page otherwise looks unchanged to someone who cannot see the messages under the fields."""
    if logged_in:
        client.force_login(applicant)
    html = client.post(reverse(url), data).content.decode()
    assert html.count(ALERT) == 1
    assert html.index(ALERT) < html.index('class="invalid-feedback"')


def test_a_refused_login_shows_one_alert_not_two(client, applicant):
    html = client.post(
        reverse("login"), {"username": "richiedente", "password": "sbagliata"}
    ).content.decode()
    assert html.count('role="alert"') == 1
    assert ALERT not in html
