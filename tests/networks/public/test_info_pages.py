"""The footer's pages give real ways to reach the office, the RPD and the accessibility desk."""

import pytest
from django.urls import reverse

from tests.procedure import bring_to


@pytest.fixture
def contacts(settings):
    settings.PORTAL_CONTACT_EMAIL = "poli.tecnici@regione.example"
    settings.PORTAL_DPO_EMAIL = "rpd@regione.example"
    settings.PORTAL_ACCESSIBILITY_EMAIL = "accessibilita@regione.example"


def test_every_page_footer_names_the_office_address(client, db, contacts):
    content = client.get(reverse("register_list")).content.decode()
    footer = content[content.index('<footer class="it-footer">') :]
    assert 'href="mailto:poli.tecnici@regione.example"' in footer


def test_the_accessibility_statement_has_its_feedback_address_and_the_agid_form(
    client, db, contacts
):
    content = client.get(reverse("accessibility")).content.decode()
    page = content[content.index("<h1>") : content.index('<footer class="it-footer">')]
    for heading in (
        "Stato di conformità",
        "Contenuti non accessibili",
        "Meccanismo di feedback e recapiti",
        "Procedura di attuazione",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert 'href="mailto:accessibilita@regione.example"' in page
    assert 'href="https://form.agid.gov.it/"' in page


def test_the_privacy_notice_names_controller_rpd_purpose_rights_and_complaint(client, db, contacts):
    content = client.get(reverse("privacy")).content.decode()
    page = content[content.index("<h1>") : content.index('<footer class="it-footer">')]
    assert "Titolare del trattamento è Regione Lombardia" in page
    assert 'href="mailto:rpd@regione.example"' in page
    assert 'href="mailto:poli.tecnici@regione.example"' in page
    assert "art. 6, par. 1, lett. e del GDPR" in page
    assert "articoli 15–21 del GDPR" in page
    assert "Garante per la protezione dei dati personali" in page


def test_the_notice_says_what_the_cookies_are_and_no_others_are_set(
    client, applicant, officer, manager
):
    """What the privacy notice says of cookies holds: session, CSRF and language only."""
    application = bring_to("in_review", applicant=applicant, officer=officer, manager=manager)
    content = client.get(reverse("privacy")).content.decode()
    assert "solo cookie tecnici" in content
    client.get(reverse("login"))
    client.force_login(applicant)
    client.get(reverse("application_detail", args=[application.pk]))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.get(reverse("home"))
    assert set(client.cookies) <= {"sessionid", "csrftoken", "django_language"}
    assert {"sessionid", "csrftoken", "django_language"} <= set(client.cookies)
