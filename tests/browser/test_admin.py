"""The catalogue admin in a real browser: school years typed as 2015/16, the areas selector in Italian."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from networks.models import StudyProgramme
from tests.browser.axe import assert_accessible
from tests.browser.test_roles import log_in


def test_catalogue_admin_reads_and_types_school_years_and_picks_areas(page, catalogue_admin):
    log_in(page, catalogue_admin.username)
    programme = StudyProgramme.objects.get(code="IPO-MAT")
    page.goto(f"{page.base_url}/admin/networks/studyprogramme/{programme.pk}/change/")
    expect(page.get_by_label("valido dall'anno scolastico")).to_have_value("2010/11")
    expect(page.get_by_label("valido fino all'anno scolastico")).to_have_value("2017/18")

    page.goto(f"{page.base_url}/admin/networks/studyprogramme/add/")
    # The selector is drawn by the admin's script with the texts of jsi18n: both passed the CSP.
    expect(page.get_by_text("aree nella selezione")).to_be_visible()
    expect(page.get_by_label("Tipo")).to_contain_text("- Scegli -")
    page.get_by_label("Codice").fill("IT-PRV")
    page.get_by_label("Denominazione").fill("Indirizzo di prova")
    page.get_by_label("Tipo").select_option("tecnico")
    page.get_by_label("valido dall'anno scolastico").press_sequentially("2015/16")
    page.locator("#id_areas_from").select_option(label="Meccanica")
    page.get_by_role("button", name="Scegli le voci selezionate (aree)").click()
    page.get_by_role("button", name="Salva", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("IT-PRV")
    programme = StudyProgramme.objects.get(code="IT-PRV")
    assert programme.valid_from == 2015
    assert [area.code for area in programme.areas.all()] == ["meccanica"]


ADMIN_PAGES = (
    "/admin/",
    "/admin/networks/studyprogramme/",
    "/admin/networks/studyprogramme/add/",
    "/admin/networks/atecomapping/add/",
    "/admin/networks/organisation/add/",
    "/admin/networks/offering/add/",
    "/admin/networks/call/add/",
)


def test_the_admin_widgets_have_names(page, catalogue_admin):
    """Autocomplete boxes and the two-list selector are named by their labels (axe-core clean)."""
    log_in(page, catalogue_admin.username)
    for address in ADMIN_PAGES:
        page.goto(f"{page.base_url}{address}")
        assert_accessible(page)
    page.goto(f"{page.base_url}/admin/networks/studyprogramme/add/")
    successor = page.get_by_role("combobox", name="Indirizzo successore")
    expect(successor).to_be_visible()
    successor.click()
    search = page.get_by_role("searchbox", name="Cerca")
    expect(search).to_be_visible()
    assert_accessible(page)
    search.fill("IPO-MAT")
    page.get_by_role("option", name=re.compile("IPO-MAT")).click()
    # The name is the label followed by the value chosen.
    expect(
        page.get_by_role("combobox", name=re.compile("Indirizzo successore.*IPO-MAT"))
    ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("filtrare l'elenco"))).to_have_count(2)


def axe_rules_failed(page) -> set[str]:
    """Return the ids of every axe-core rule the page fails, whatever its impact."""
    page.wait_for_load_state("load")
    return {violation["id"] for violation in Axe().run(page).response["violations"]}


def test_the_admin_login_page_has_a_main_heading(page):
    """Beyond the serious violations: the login page has its h1 (page-has-heading-one)."""
    page.goto(f"{page.base_url}/admin/login/")
    expect(page.get_by_role("heading", level=1, name="Accedi")).to_have_count(1)
    assert "page-has-heading-one" not in axe_rules_failed(page)


def test_an_inline_header_row_has_no_empty_header_cell(page, catalogue_admin):
    """Beyond the serious violations: the offerings inline's header row starts with a plain
    cell, not an empty header one (empty-table-header)."""
    log_in(page, catalogue_admin.username)
    page.goto(f"{page.base_url}/admin/networks/organisation/add/")
    expect(page.locator("#offerings-group thead td.original")).to_have_count(1)
    assert "empty-table-header" not in axe_rules_failed(page)


def test_an_organisations_offerings_and_a_lists_search_box_are_named_in_italian(
    page, catalogue_admin
):
    """Each offering row's years and delete box have a name (axe: label, label-title-only);
    the magnifier that labels a list's search box says «Cerca», not Django's «Search»."""
    from tests.factories import OfferingFactory

    first = OfferingFactory(programme=StudyProgramme.objects.get(code="IT-MME"), first_year=2012)
    OfferingFactory(
        organisation=first.organisation,
        programme=StudyProgramme.objects.get(code="IT-INF"),
        first_year=2015,
        last_year=2019,
    )
    log_in(page, catalogue_admin.username)
    page.goto(f"{page.base_url}/admin/networks/organisation/{first.organisation.pk}/change/")
    expect(page.get_by_role("checkbox", name="Cancella l'offerta, riga 2")).to_have_count(1)
    expect(
        page.get_by_role("textbox", name=re.compile(r"^Ultimo anno scolastico, riga 1"))
    ).to_have_count(1)
    assert_accessible(page)
    assert not {"label", "label-title-only"} & axe_rules_failed(page)
    # Rows added with «Aggiungi» are named by their own number, as the server's rows are.
    add = page.locator("#offerings-group .add-row a")
    add.click()
    add.click()
    for row in (3, 4):
        expect(
            page.get_by_role("textbox", name=f"Primo anno scolastico, riga {row}", exact=True)
        ).to_have_count(1)
    # The founders' autocomplete box shows the focus (select2 takes its outline away).
    founders = page.locator(".field-founders .select2-search__field")
    founders.focus()
    assert founders.evaluate("field => getComputedStyle(field).outlineStyle") == "solid"
    page.goto(f"{page.base_url}/admin/networks/organisation/")
    expect(page.get_by_role("textbox", name="Cerca", exact=True)).to_have_count(1)
