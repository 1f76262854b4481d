"""Each role logs in through the real login form and lands on its own home page; axe-core is clean."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD


def log_in(page, username: str) -> None:
    page.goto(f"{page.base_url}/account/accedi/")
    assert_accessible(page)
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").last.click()
    page.wait_for_url(f"{page.base_url}/")


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("applicant", "Area richiedente"),
        ("officer", "Scrivania istruttoria"),
        ("manager", "Scrivania del dirigente"),
        ("catalogue_admin", "Gestione del catalogo"),
    ],
)
def test_role_logs_in_and_sees_its_home(page, request, role, heading):
    user = request.getfixturevalue(role)
    log_in(page, user.username)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_accessible(page)


def test_public_home_and_accessibility_statement_are_accessible(page):
    page.goto(page.base_url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Dichiarazione di accessibilità").click()
    expect(page.get_by_role("heading", name="Dichiarazione di accessibilità")).to_be_visible()
    assert_accessible(page)
