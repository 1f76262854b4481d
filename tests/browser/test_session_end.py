"""The session ends (a logout in another tab) while the applicant writes the polo's details.

The live panel keeps what it showed instead of the login page, the save leads
to the login page saying nothing was saved, and after the login the text
typed is back in the form, to save.
"""

import re

from playwright.sync_api import expect

from networks.models import Application
from tests.browser.axe import assert_accessible
from tests.browser.test_roles import log_in
from tests.factories import PASSWORD, draft_application


def test_text_typed_when_the_session_ended_survives_the_login(page, applicant):
    application = draft_application(applicant)
    log_in(page, applicant.username)
    page.goto(f"{page.base_url}/domande/{application.pk}/modifica/polo/")
    panel = page.locator("#eligibility-panel")
    expect(panel.locator("[data-verdict]")).to_have_count(1)
    page.get_by_label("Obiettivi").fill("Obiettivi scritti mentre la sessione scadeva.")

    other_tab = page.context.new_page()
    other_tab.goto(f"{page.base_url}/")
    other_tab.get_by_role("button", name="Esci").first.click()
    other_tab.wait_for_url(f"{page.base_url}/")
    other_tab.close()

    with page.expect_response(re.compile(r"/account/accedi/")):
        page.get_by_label("Area economico-professionale").select_option(label="Turismo")
    page.wait_for_timeout(500)  # the script's last step, after the response
    expect(panel.locator("[data-verdict]")).to_have_count(1)
    expect(panel).not_to_contain_text("Nome utente")

    page.get_by_role("button", name="Salva", exact=True).click()
    page.wait_for_url(re.compile(r"/account/accedi/"))
    expect(page.get_by_role("status")).to_contain_text("quanto hai inviato non è stato salvato")
    assert_accessible(page)
    page.get_by_label("Nome utente").fill(applicant.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").last.click()

    page.wait_for_url(re.compile(r"/modifica/polo/$"))
    expect(page.get_by_label("Obiettivi")).to_have_value(
        "Obiettivi scritti mentre la sessione scadeva."
    )
    expect(page.get_by_role("status").first).to_contain_text("non ancora salvato")
    assert_accessible(page)
    page.get_by_role("button", name="Salva", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Dati del polo salvati")
    application.refresh_from_db()
    assert application.objectives == "Obiettivi scritti mentre la sessione scadeva."
    assert Application.objects.get(pk=application.pk).area.name == "Turismo"
