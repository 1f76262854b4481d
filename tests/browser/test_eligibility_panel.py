"""The live eligibility panel in Chromium: what a screen reader is told when the area changes.

The panel is not a live region: a change of the area would queue its dozen rules at each
arrow key. Only the verdict line is copied into a short live region, once the panel is
updated; the panel is busy meanwhile, and an answer overtaken by a later change is dropped.
"""

import re

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_roles import log_in
from tests.factories import draft_application

PANEL = re.compile(r"/domande/\d+/verifica/")


def test_only_the_verdict_line_is_live_and_the_panel_is_busy_while_it_changes(page, applicant):
    application = draft_application(applicant, eligible=False)
    log_in(page, applicant.username)
    page.goto(f"{page.base_url}/domande/{application.pk}/modifica/polo/")
    panel = page.locator("#eligibility-panel")
    summary = page.locator("#eligibility-summary")
    expect(panel.locator("[data-verdict]")).to_have_count(1)
    expect(panel).not_to_have_attribute("aria-live", re.compile(".*"))
    expect(summary).to_have_attribute("aria-live", "polite")
    expect(summary).to_have_text("")
    assert_accessible(page)

    held = []
    page.route(PANEL, lambda route: held.append(route))
    area = page.get_by_label("Area economico-professionale")
    area.select_option(label="Turismo")
    area.select_option(label="Cultura")
    expect(panel).to_have_attribute("aria-busy", "true")
    for _ in range(50):  # the requests reach the route while Playwright waits
        if len(held) == 2:
            break
        page.wait_for_timeout(100)
    turismo, cultura = held
    cultura.continue_()
    expect(panel).to_contain_text("Area Cultura attiva nel catalogo")
    expect(panel).not_to_have_attribute("aria-busy", "true")
    verdict = " ".join(panel.locator("[data-summary]").inner_text().split())
    assert re.fullmatch(
        r"\d+ requisiti non soddisfatti: la domanda non può essere presentata", verdict
    )
    expect(summary).to_have_text(verdict)
    assert len(panel.inner_text()) > 10 * len(verdict)  # the rules stay out of the live region

    # The first answer, late, is dropped: the panel keeps the area chosen last.
    turismo.continue_()
    page.wait_for_timeout(500)
    expect(panel).to_contain_text("Area Cultura attiva nel catalogo")
    expect(panel).not_to_contain_text("Area Turismo")
    assert_accessible(page)
