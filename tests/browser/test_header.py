"""The header on a phone and on a desktop: nothing overflows and the main menu is always reachable.

On a phone (Bootstrap Italia below its lg breakpoint) the main menu collapses behind the theme's
toggler button; on a desktop the toggler is hidden and the links sit in the header bar.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_roles import log_in

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
TOGGLER = "Mostra/Nascondi la navigazione"


def main_navigation(page):
    return page.get_by_role("navigation", name="Navigazione principale")


def main_link(page, name: str):
    """Return a link of the main menu, found even while the collapsed menu hides it."""
    return main_navigation(page).get_by_role("link", name=name, include_hidden=True)


def assert_fits_the_viewport(page) -> None:
    """Fail when the page scrolls sideways or the slim header's right zone is cut off.

    The right zone holds the language form and the login/logout button.
    """
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url}: la pagina è larga {width}px su {viewport}px"
    box = page.locator(".it-header-slim-wrapper .header-slim-right-zone").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= viewport, f"{page.url}: lingua e Accedi/Esci tagliati"


def open_menu_and_follow(page, link_name: str) -> None:
    """Open the collapsed menu from the keyboard, close it, reopen it by click and follow a link.

    Once open, the menu takes the focus (its close button); closed, the focus is back on the toggler.
    """
    toggler = page.get_by_role("button", name=TOGGLER)
    close = page.get_by_role("button", name="Nascondi la navigazione", exact=True)
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-controls", "menu-principale")
    expect(toggler).to_have_attribute("aria-expanded", "false")
    link = main_link(page, link_name)
    expect(link).to_be_hidden()

    toggler.focus()
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(close).to_be_focused()
    expect(link).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()
    expect(toggler).to_be_focused()

    toggler.click()
    expect(close).to_be_focused()
    close.click()
    expect(link).to_be_hidden()

    toggler.click()
    expect(close).to_be_focused()
    link.click()
    expect(main_link(page, link_name)).to_have_attribute("aria-current", "page")


def test_phone_header_fits_and_its_menu_opens_for_a_visitor(page):
    page.set_viewport_size(PHONE)
    for path in ("/", "/poli/", "/verifica/", "/open-data/"):
        page.goto(page.base_url + path)
        assert_fits_the_viewport(page)
        assert_accessible(page)
    page.goto(page.base_url + "/")
    open_menu_and_follow(page, "Statistiche")
    assert_fits_the_viewport(page)
    assert_accessible(page)


@pytest.mark.parametrize(
    ("role", "pages", "link_name"),
    [
        ("applicant", ("/", "/domande/", "/poli/"), "Le mie domande"),
        ("officer", ("/", "/istruttoria/", "/statistiche/"), "Istruttoria"),
    ],
)
def test_phone_header_fits_and_its_menu_opens_when_logged_in(page, request, role, pages, link_name):
    user = request.getfixturevalue(role)
    page.set_viewport_size(PHONE)
    log_in(page, user.username)
    for path in pages:
        page.goto(page.base_url + path)
        assert_fits_the_viewport(page)
        assert_accessible(page)
    page.goto(page.base_url + "/poli/")
    open_menu_and_follow(page, link_name)
    assert_fits_the_viewport(page)
    page.locator(".it-header-slim-wrapper").get_by_role("button", name="Esci").click()
    expect(
        page.locator(".it-header-slim-wrapper").get_by_role("link", name="Accedi")
    ).to_be_visible()


def test_language_selector_works_on_the_smallest_phone(page, applicant):
    page.set_viewport_size(SMALL_PHONE)
    log_in(page, applicant.username)
    assert_fits_the_viewport(page)
    page.get_by_label("Lingua").select_option("en")
    page.get_by_role("button", name="Cambia").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_fits_the_viewport(page)
    expect(page.get_by_role("button", name="Show/hide the navigation")).to_be_visible()
    assert_accessible(page)


def test_desktop_header_shows_the_links_without_a_toggler(page, officer):
    page.set_viewport_size(DESKTOP)
    for path in ("/", "/poli/"):
        page.goto(page.base_url + path)
        expect(page.get_by_role("button", name=TOGGLER)).to_be_hidden()
        expect(main_link(page, "Registro dei poli")).to_be_visible()
        assert_fits_the_viewport(page)
    log_in(page, officer.username)
    expect(page.get_by_role("button", name=TOGGLER)).to_be_hidden()
    main_link(page, "Istruttoria").click()
    expect(main_link(page, "Istruttoria")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
