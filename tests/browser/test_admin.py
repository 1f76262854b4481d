"""The catalogue admin in a real browser: school years typed as 2015/16, the areas selector in Italian."""

from playwright.sync_api import expect

from networks.models import StudyProgramme
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
