"""The public area in a real browser: register, polo page, statistics, simulator, verification."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.factories import CallFactory, OrganisationFactory, approved_application
from tests.networks.public.helpers import bulk_recognised_poli


@pytest.fixture
def recognised(applicant, officer, manager):
    application = approved_application(applicant, officer, manager)
    bulk_recognised_poli(
        3,
        user=officer,
        call=CallFactory(),
        organisation=OrganisationFactory(),
        area="turismo",
        province="CO",
        name_prefix="Polo Turismo Lariano",
    )
    return application


def test_register_and_polo_page(page, recognised):
    page.goto(f"{page.base_url}/poli/")
    expect(
        page.get_by_role("heading", name="Registro dei Poli Tecnici Professionali")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Cerca per nome del polo o di un membro").fill("lariano")
    page.get_by_role("button", name="Applica i filtri").click()
    page.wait_for_url("**/poli/?**")
    expect(page.get_by_text("3 poli riconosciuti")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{page.base_url}/poli/")
    page.get_by_role("link", name=recognised.name).click()
    expect(page.get_by_role("heading", name=recognised.name, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Composizione della rete")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Verifica l'autenticità del decreto").click()
    expect(page.get_by_role("heading", name="Dati del decreto registrato")).to_be_visible()
    assert_accessible(page)


def test_decree_verification_with_an_upload(page, recognised, tmp_path):
    decree = recognised.decrees.get()
    copy = tmp_path / "decreto.pdf"
    copy.write_bytes(decree.pdf.read())
    page.goto(f"{page.base_url}/verifica/")
    assert_accessible(page)
    page.get_by_label("Codice di verifica").fill(decree.verification_code.lower())
    page.get_by_role("button", name="Verifica", exact=True).click()
    page.wait_for_url(f"**/verifica/{decree.verification_code}/")
    page.get_by_label("Copia del decreto (PDF)").set_input_files(str(copy))
    page.get_by_role("button", name="Verifica il documento").click()
    expect(page.get_by_text("Il documento è autentico e integro.")).to_be_visible()
    assert_accessible(page)


def test_statistics_page(page, recognised):
    page.goto(f"{page.base_url}/statistiche/")
    expect(
        page.get_by_role("img", name="Poli riconosciuti per area economico-professionale")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Dati: Poli riconosciuti per area economico-professionale")
    ).to_be_visible()
    assert_accessible(page)


def test_simulator_evaluates_a_typed_network(page):
    page.goto(f"{page.base_url}/simulatore/")
    assert_accessible(page)
    page.get_by_label("Area economico-professionale").select_option("meccanica")
    rows = [
        (
            "institute",
            "ITIS Galilei",
            {"Codice meccanografico": "MITF00011X"},
            "statale",
            "IT-MME 2015/16-",
        ),
        (
            "institute",
            "IPSIA Volta",
            {"Codice meccanografico": "MIRI00012X"},
            "paritaria",
            "IT-MME 2016/17-",
        ),
        (
            "company",
            "Officine Rossi",
            {"Partita IVA": "00000119990", "Codici ATECO 2025": "28.13"},
            "",
            "",
        ),
        (
            "company",
            "Meccanica Bianchi",
            {"Partita IVA": "00000129999", "Codici ATECO 2025": "28.13"},
            "",
            "",
        ),
        ("accredited_body", "Ente Lombardo", {}, "", "IEFP-MEC 2015/16-"),
        ("its", "ITS Meccatronica", {}, "", "ITSO-MI-MEC 2015/16-2023/24\nITS-06 2024/25-"),
    ]
    for index, (kind, name, fields, status, offerings) in enumerate(rows):
        member = page.locator("fieldset", has=page.get_by_text(f"Membro {index + 1}", exact=True))
        member.get_by_label("Tipo", exact=True).select_option(kind)
        member.get_by_label("Denominazione").fill(name)
        for label, value in fields.items():
            member.get_by_label(label).fill(value)
        if status:
            member.get_by_label("Stato giuridico dell'istituto").select_option(status)
        if offerings:
            member.get_by_label("Offerta formativa").fill(offerings)
        if kind == "company":
            page.locator(f"label[for='id_form-{index}-commitment_signed']").click()
        if kind == "accredited_body":
            page.locator(f"label[for='id_form-{index}-sections_0']").click()
        if index == 0:
            page.locator(f"label[for='id_form-{index}-lead']").click()
    # Bootstrap Italia draws its own checkboxes over the inputs: click the labels, then check.
    assert page.get_by_label("Capofila").first.is_checked()
    page.get_by_role("button", name="Verifica la rete").click()
    expect(page.get_by_role("heading", name="Esito della simulazione")).to_be_visible()
    expect(page.locator('[data-verdict="eligible"]')).to_have_count(1)
    assert_accessible(page)


def test_pages_are_set_in_titillium_web_without_a_script(page):
    """The theme's typeface comes from fonts.css (static files, allowed by the CSP), not from the
    fallback fonts that a missing bootstrap.loadFonts() call used to leave."""
    page.goto(f"{page.base_url}/simulatore/")
    loaded = page.evaluate(
        """document.fonts.ready.then(() => Array.from(document.fonts)
            .filter(face => face.family.replace(/["']/g, '') === 'Titillium Web'
                            && face.status === 'loaded')
            .map(face => face.weight))"""
    )
    assert {"400", "600", "700"} <= set(loaded), loaded


def test_simulator_labels_do_not_cover_one_another(page):
    """Bootstrap Italia lifts a field's label above its input: the form leaves it room, so no label
    lies over another one (a checkbox's label under a lifted label could not be clicked)."""
    page.goto(f"{page.base_url}/simulatore/")
    page.evaluate("document.fonts.ready.then(() => true)")
    member = page.locator("fieldset", has=page.get_by_text("Membro 1", exact=True))
    boxes = [
        (label.get_attribute("for"), label.bounding_box())
        for label in member.locator("label").all()
        if label.is_visible()
    ]
    assert len(boxes) >= 12
    assert _overlaps(boxes) == []


def _overlaps(boxes: list[tuple[str, dict]]) -> list[tuple[str, str]]:
    return [
        (first, second)
        for index, (first, a) in enumerate(boxes)
        for second, b in boxes[index + 1 :]
        if a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    ]


def test_simulator_legends_leave_room_for_the_lifted_labels(page):
    """A fieldset's legend stays clear of the labels Bootstrap Italia lifts above the first row."""
    page.goto(f"{page.base_url}/simulatore/")
    page.evaluate("document.fonts.ready.then(() => true)")
    form = page.locator("form[action='/simulatore/']")
    boxes = [
        (element.inner_text(), element.bounding_box())
        for element in form.locator("legend, label").all()
        if element.is_visible()
    ]
    assert any(text == "La rete" for text, _box in boxes)
    assert _overlaps(boxes) == []


def test_simulator_shows_every_typed_error_at_its_field_at_once(page):
    page.goto(f"{page.base_url}/simulatore/")
    page.get_by_label("Area economico-professionale").select_option("meccanica")
    first = page.locator("fieldset", has=page.get_by_text("Membro 1", exact=True))
    first.get_by_label("Denominazione").fill("Scuola senza tipo")
    second = page.locator("fieldset", has=page.get_by_text("Membro 2", exact=True))
    second.get_by_label("Tipo", exact=True).select_option("company")
    second.get_by_label("Denominazione").fill("Officine Rossi")
    second.get_by_label("Partita IVA").fill("12345678901")
    second.get_by_label("Codici ATECO 2025").fill("28.13")
    page.get_by_role("button", name="Verifica la rete").click()
    summary = page.get_by_role("alert").filter(has_text="correggi questi errori")
    expect(summary.get_by_role("link", name="Membro 1 – Tipo")).to_be_visible()
    expect(summary.get_by_role("link", name="Membro 2 – Partita IVA")).to_be_visible()
    expect(page.locator("#id_form-0-kind_error")).to_have_text("Scegli il tipo di membro.")
    expect(page.locator("#id_form-1-vat_number_error")).to_contain_text(
        "La partita IVA 12345678901 non è valida"
    )
    expect(second.get_by_label("Partita IVA")).to_have_value("12345678901")
    assert_accessible(page)
    summary.get_by_role("link", name="Membro 2 – Partita IVA").click()
    page.wait_for_url("**/simulatore/#id_form-1-vat_number")


# A word's text ranges: more than one line box means the word was cut across lines.
_CUT_WORDS = """cell => {
    const cut = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/[^\\s-]+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
            if (tops.size > 1) cut.push(match[0]);
        }
    }
    return cut;
}"""


def test_register_names_on_a_phone_wrap_between_words(page, recognised):
    """On a 375px phone the register's polo and lead names wrap at spaces: the cells of typed text
    used to shrink to a few letters, cutting "Meccatronica" and "Lombardo" across lines."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{page.base_url}/poli/")
    page.evaluate("document.fonts.ready.then(() => true)")
    cells = page.locator("main table .user-text")
    assert cells.count() >= 2
    for cell in cells.all():
        assert cell.evaluate(_CUT_WORDS) == [], cell.inner_text()
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport
