"""The applicant's whole journey in Chromium: start, build the network, watch the panel, submit.

A new applicant logs in, starts an application, sees the eligibility panel
go from red to green while adding partners, has a non-PDF upload refused,
submits, downloads the receipt and finds the application on the dashboard.
axe-core must find no serious or critical violation on any page visited.
"""

import re

from django.core import mail
from playwright.sync_api import expect

from networks.models import Application
from tests.browser.axe import assert_accessible
from tests.browser.test_roles import log_in
from tests.factories import MINIMAL_PDF, CallFactory, qualifying_members


def expect_verdict(page, pattern: str) -> None:
    """Wait (with Playwright's retrying assertion) until the panel shows a verdict matching pattern."""
    expect(page.locator("#eligibility-panel [data-verdict]")).to_have_attribute(
        "data-verdict", re.compile(pattern)
    )


def test_new_applicant_builds_and_submits_an_application(page, applicant, tmp_path):
    call = CallFactory(title="Avviso PTP 2026")
    organisations = qualifying_members()
    lead = organisations[0]
    lead.name = "IIS Meccatronica Brescia"
    lead.save()
    lead.representatives.add(applicant)

    log_in(page, applicant.username)
    page.get_by_role("navigation", name="Navigazione principale").get_by_role(
        "link", name="Le mie domande"
    ).click()
    page.wait_for_url(f"{page.base_url}/domande/")
    assert_accessible(page)
    page.get_by_role("link", name="Nuova domanda").click()
    page.wait_for_url(f"{page.base_url}/domande/nuova/")
    assert_accessible(page)
    page.get_by_label("Denominazione del polo").fill("Polo Meccatronica Bresciano")
    page.get_by_role("button", name="Crea la bozza").click()

    # Step 1: the polo
    page.wait_for_url(re.compile(r"/modifica/polo/$"))
    assert_accessible(page)
    page.get_by_label("Area economico-professionale").select_option(label="Meccanica")
    page.get_by_label("Referente", exact=True).fill("Anna Bianchi")
    page.get_by_label("Email del referente").fill("anna.bianchi@example.org")
    page.get_by_label("Obiettivi").fill(
        "Formare tecnici della meccatronica con le imprese del territorio."
    )
    page.get_by_role("button", name="Salva e vai ai partner").click()

    # Step 2: partners; the panel starts red
    page.wait_for_url(re.compile(r"/modifica/partner/$"))
    assert_accessible(page)
    expect_verdict(page, r"^not_eligible$")
    for organisation in organisations[1:]:
        page.get_by_label("Cerca nell'anagrafe").fill(organisation.name)
        page.get_by_role("button", name="Cerca", exact=True).click()
        page.get_by_role("button", name=f"Aggiungi {organisation.name}").click()
        expect(page.get_by_text(f"Nella rete ora c'è anche {organisation.name}")).to_be_visible()
    assert_accessible(page)
    panel = page.locator("#eligibility-panel")
    expect(panel.locator('[data-rule="PTP-INSTITUTES"]')).to_have_attribute("data-status", "pass")
    expect(panel.locator('[data-rule="PTP-COMPANY-COMMITMENT"]')).to_have_attribute(
        "data-status", "fail"
    )

    # Step 3: documents; a non-PDF is refused, then the real ones turn the panel green
    page.get_by_role("link", name="Avanti: documenti").click()
    page.wait_for_url(re.compile(r"/modifica/documenti/$"))
    assert_accessible(page)
    fake = tmp_path / "accordo.pdf"
    fake.write_bytes(b"PK\x03\x04 questo e' uno zip")
    page.get_by_label("File PDF").set_input_files(str(fake))
    page.get_by_role("button", name="Carica l'accordo di rete").click()
    # Named above with a link to its input, and described on the input itself.
    expect(page.get_by_role("alert")).to_contain_text("Accordo di rete: «accordo.pdf» non è un PDF")
    expect(page.get_by_label("File PDF")).to_have_accessible_description(re.compile("non è un PDF"))
    assert_accessible(page)
    real = tmp_path / "accordo-di-rete.pdf"
    real.write_bytes(MINIMAL_PDF)
    page.get_by_label("File PDF").set_input_files(str(real))
    page.get_by_role("button", name="Carica l'accordo di rete").click()
    page.wait_for_selector("text=Documento «accordo-di-rete.pdf» caricato.")
    for company in organisations[2:4]:
        page.get_by_label(f"Dichiarazione di {company.name} (PDF)").set_input_files(str(real))
        page.get_by_role("button", name=f"Carica {company.name}").click()
        expect(
            page.get_by_role(
                "heading", name=re.compile(rf"{re.escape(company.name)}\W+impegno caricato")
            )
        ).to_be_visible()
    expect_verdict(page, r"^(eligible|eligible_with_warnings)$")

    # Step 4: submit
    page.get_by_role("link", name="Avanti: riepilogo e invio").click()
    page.wait_for_url(re.compile(r"/modifica/invio/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Presenta la domanda").click()
    page.wait_for_selector("text=Domanda presentata: protocollo n.")
    assert_accessible(page)
    application = Application.objects.get(name="Polo Meccatronica Bresciano")
    assert application.status == "submitted"
    expect(page.get_by_text(application.protocol_number).first).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="ricevuta (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.get_by_role("navigation", name="Navigazione principale").get_by_role(
        "link", name="Le mie domande"
    ).click()
    row = page.get_by_role("row", name=re.compile("Polo Meccatronica Bresciano"))
    expect(row).to_contain_text("Presentata")
    expect(row).to_contain_text(application.protocol_number)
    assert_accessible(page)
    assert any("anna.bianchi@example.org" in message.to for message in mail.outbox)
    assert call.applications.count() == 1


def test_a_refused_polo_step_is_announced_and_accessible_in_both_languages(page, applicant):
    """The emptied details step comes back with an alert, each field's error tied to it, its own
    title, and (in English) the rules' Italian texts marked as Italian; axe-core is clean."""
    from tests.factories import draft_application

    application = draft_application(applicant, eligible=False)
    log_in(page, applicant.username)
    page.goto(f"{page.base_url}/domande/{application.pk}/modifica/polo/")
    expect(page).to_have_title(re.compile(r"^Il polo – Passaggio 1 di 4 – Polo Meccatronica"))
    page.get_by_label("Denominazione del polo").fill("")
    page.get_by_role("button", name="Salva", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Il polo non è stato salvato: correggi questi errori.")
    alert.get_by_role("link", name="Denominazione del polo").click()
    expect(page.get_by_label("Denominazione del polo")).to_be_focused()
    expect(page.get_by_label("Denominazione del polo")).to_have_accessible_description(
        re.compile("Questo campo è obbligatorio")
    )
    assert_accessible(page)
    page.get_by_label("Lingua").select_option("en")
    page.get_by_role("button", name="Cambia").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{page.base_url}/domande/{application.pk}/modifica/polo/")
    expect(page).to_have_title(re.compile(r"^The polo – Step 1 of 4 – "))
    rule = page.locator("#eligibility-panel [data-status='fail']").first
    assert rule.locator("span[lang='it']").count() >= 3
    assert_accessible(page)


def test_an_applicant_deletes_a_draft_after_ticking_the_confirmation(page, applicant):
    """The deletion asks for the tick first, in an accessible page, then goes to the list."""
    from tests.factories import draft_application

    application = draft_application(applicant, documents=False)
    log_in(page, applicant.username)
    page.goto(f"{page.base_url}/domande/{application.pk}/")
    page.get_by_text("Elimina la bozza", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Elimina definitivamente la bozza").click()
    # The portal, not the browser, refuses the unticked box: its message says what to do.
    expect(page.get_by_role("alert")).to_contain_text("Spunta la conferma per eliminare la bozza.")
    assert Application.objects.filter(pk=application.pk).exists()
    assert_accessible(page)
    tick = page.get_by_label("Elimino la bozza con la sua rete")
    # Bootstrap Italia draws the box on the label, which takes the click, as for a user.
    page.get_by_text("Elimino la bozza con la sua rete").click()
    assert tick.is_checked()
    page.get_by_role("button", name="Elimina definitivamente la bozza").click()
    page.wait_for_url(f"{page.base_url}/domande/")
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "Bozza «Polo Meccatronica Lombardo» eliminata"
    )
    assert_accessible(page)
    assert not Application.objects.filter(pk=application.pk).exists()
