"""The review in a real browser, end to end.

An officer takes charge and requests an integration; the applicant answers on
their own pages; the officer proposes approval; the manager adopts it; the
applicant downloads the decree; the public verification page confirms the
downloaded PDF. Every page visited is checked with axe-core.
"""

import pytest
from playwright.sync_api import expect

from networks.constants import ApplicationStatus as S
from networks.models import (
    Application,
    Decree,
    DecreeRenderStatus,
)
from networks.services import review as review_services
from networks.services import workflow as workflow_services
from tests.browser.axe import assert_accessible
from tests.factories import (
    MINIMAL_PDF,
    PASSWORD,
    add_other_member,
    application_in_review,
    rename_filed,
    submitted_application,
)
from tests.procedure import bring_to, working_day

pytestmark = pytest.mark.browser


def log_in(page, username: str) -> None:
    page.goto(f"{page.base_url}/account/accedi/")
    assert_accessible(page)
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").last.click()
    page.wait_for_url(f"{page.base_url}/")
    assert_accessible(page)


def log_out(page) -> None:
    page.get_by_role("button", name="Esci").click()
    page.wait_for_url(f"{page.base_url}/")


def status_of(application: Application) -> str:
    return Application.objects.get(pk=application.pk).status


def test_officer_and_manager_take_an_application_to_its_decree(
    page, applicant, officer, manager, tmp_path
):
    application = submitted_application(applicant)
    # A member the DGR does not foresee: the officer must write an assessment for it.
    add_other_member(application)

    log_in(page, officer.username)
    page.goto(f"{page.base_url}/istruttoria/")
    expect(page.get_by_role("heading", name="Istruttoria delle domande")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=application.protocol_number).click()
    page.wait_for_url(f"{page.base_url}/istruttoria/{application.pk}/")
    expect(page.get_by_role("heading", name="Polo Meccatronica Lombardo")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Prendi in carico").click()
    page.get_by_text("Hai preso in carico la domanda.").wait_for()
    assert status_of(application) == S.IN_REVIEW
    assert_accessible(page)

    deadline = working_day(15)
    page.get_by_label("Che cosa deve integrare o correggere il richiedente").fill(
        "Caricate la dichiarazione di Confindustria sul suo ruolo nel polo."
    )
    page.get_by_label("Scadenza per la risposta").fill(deadline.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Richiedi integrazioni").click()
    page.get_by_text("Richiesta di integrazione inviata").wait_for()
    assert status_of(application) == S.INTEGRATION_REQUESTED
    assert application.requests.get().deadline == deadline
    assert_accessible(page)

    log_out(page)

    # The applicant sees the request and sends the integrations from their own pages.
    log_in(page, applicant.username)
    page.goto(f"{page.base_url}/domande/{application.pk}/")
    expect(
        page.get_by_role("status").filter(has_text="Caricate la dichiarazione di Confindustria")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Modifica e invia le integrazioni").click()
    page.get_by_role("link", name="3. Documenti").click()
    page.wait_for_url(f"{page.base_url}/domande/{application.pk}/modifica/documenti/")
    attachment = tmp_path / "delega-confindustria.pdf"
    attachment.write_bytes(MINIMAL_PDF)
    page.get_by_label("Documento integrativo (PDF)").set_input_files(str(attachment))
    page.get_by_role("button", name="Carica il documento integrativo").click()
    expect(page.get_by_text("Documento «delega-confindustria.pdf» caricato.")).to_be_visible()
    expect(page.get_by_role("button", name="Togli delega-confindustria.pdf")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="4. Riepilogo e invio").click()
    page.wait_for_url(f"{page.base_url}/domande/{application.pk}/modifica/invio/")
    assert_accessible(page)
    page.get_by_label("Nota per l'istruttore").fill("Dichiarazione di Confindustria caricata.")
    page.get_by_role("button", name="Invia le integrazioni").click()
    page.get_by_text("Integrazioni inviate il").first.wait_for()
    assert status_of(application) == S.IN_REVIEW
    sent = application.versions.get(number=2).documents
    assert [d["name"] for d in sent if d["kind"] == "integration"] == ["delega-confindustria.pdf"]
    assert_accessible(page)
    log_out(page)

    log_in(page, officer.username)
    page.goto(f"{page.base_url}/istruttoria/{application.pk}/")
    page.get_by_label("Valutazione di PTP-MEMBER-TYPES").fill(
        "Confindustria coordina le imprese ospitanti: contributo utile al polo."
    )
    page.get_by_label("Prescrizioni").fill("Trasmettere ogni anno il piano delle attività.")
    page.get_by_role("button", name="Proponi l'approvazione").click()
    page.get_by_text("Proposta di approvazione inviata al dirigente.").wait_for()
    assert status_of(application) == S.APPROVAL_PROPOSED
    assert_accessible(page)

    log_out(page)
    log_in(page, manager.username)
    page.goto(f"{page.base_url}/istruttoria/{application.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Adotta il decreto di riconoscimento").click()
    # Not adopted without the tick: the page says so, above the actions and at the box.
    page.locator("#errore-azione").get_by_text(
        "Spunta la conferma per adottare il decreto."
    ).wait_for()
    expect(page.locator("#errore-azione")).to_be_in_viewport()
    assert status_of(application) == S.APPROVAL_PROPOSED
    # The summary's link leads to the box; Bootstrap Italia draws the box on the label, which
    # takes the click, as for a user.
    page.locator("#errore-azione").get_by_role("link", name="Adotto il decreto").click()
    expect(page.get_by_label("Adotto il decreto")).to_be_focused()
    page.locator("label").filter(has_text="Adotto il decreto").click()
    assert page.get_by_label("Adotto il decreto").is_checked()
    page.get_by_role("button", name="Adotta il decreto di riconoscimento").click()
    page.get_by_text("Decreto adottato.").wait_for()
    assert status_of(application) == S.APPROVED
    assert_accessible(page)

    decree = Decree.objects.get(application=application)
    assert decree.render_status == DecreeRenderStatus.RENDERED
    link = page.get_by_role("link", name=f"Scarica il PDF del decreto n. {decree.number}")
    response = page.request.get(page.base_url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    log_out(page)

    # The applicant downloads the decree; the public page verifies that very file.
    log_in(page, applicant.username)
    page.goto(f"{page.base_url}/domande/{application.pk}/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="scarica il decreto (PDF/A)").click()
    path = download.value.path()
    page.goto(f"{page.base_url}/verifica/{decree.verification_code}/")
    assert_accessible(page)
    page.get_by_label("Copia del decreto (PDF)").set_input_files(str(path))
    page.get_by_role("button", name="Verifica il documento").click()
    page.get_by_text("Il documento è autentico e integro.").wait_for()
    assert_accessible(page)


def test_applicant_answers_a_rejection_notice_with_documents(
    page, applicant, officer, manager, tmp_path
):
    """10-bis in the browser: observations with two PDFs chosen at once reach the officer."""
    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    files = []
    for name in ("visura-alfa.pdf", "visura-beta.pdf"):
        path = tmp_path / name
        path.write_bytes(MINIMAL_PDF)
        files.append(str(path))

    log_in(page, applicant.username)
    page.goto(f"{page.base_url}/domande/{application.pk}/")
    expect(page.get_by_role("heading", name="Osservazioni al preavviso di rigetto")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="Osservazioni").fill(
        "Le imprese sono dell'area: visure allegate."
    )
    page.get_by_label("Documenti a sostegno (facoltativi)").set_input_files(files)
    page.get_by_role("button", name="Invia le osservazioni").click()
    page.get_by_text("Osservazioni inviate all'istruttore.").wait_for()
    assert status_of(application) == S.IN_REVIEW
    assert_accessible(page)
    log_out(page)

    log_in(page, officer.username)
    page.goto(f"{page.base_url}/istruttoria/{application.pk}/")
    attachments = page.locator("#allegati-risposta")
    expect(attachments.get_by_role("link", name="visura-alfa.pdf")).to_be_visible()
    expect(attachments.get_by_role("link", name="visura-beta.pdf")).to_be_visible()
    assert_accessible(page)


def test_a_refused_action_lands_on_its_errors_which_lead_to_the_fields(
    page, applicant, officer, manager
):
    """«Proponi il rigetto» sent empty: the page comes back scrolled to a summary above the
    actions that names the action and links each error to its field; axe-core is clean."""
    application = bring_to(
        S.IN_REVIEW,
        applicant=applicant,
        officer=officer,
        manager=manager,
        notice_for_rejection=True,
    )
    log_in(page, officer.username)
    page.goto(f"{page.base_url}/istruttoria/{application.pk}/")
    page.get_by_role("button", name="Proponi il rigetto").click()
    page.wait_for_url(
        f"{page.base_url}/istruttoria/{application.pk}/azioni/propose_rejection/#errore-azione"
    )
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        "L'azione «Proponi il rigetto» non è stata eseguita: correggi questi errori."
    )
    expect(summary).to_be_in_viewport()
    assert_accessible(page)
    summary.get_by_role("link", name="Motivazione del rigetto").click()
    expect(page.get_by_label("Motivazione del rigetto")).to_be_focused()
    expect(page.get_by_label("Motivazione del rigetto")).to_be_in_viewport()


def document_width(page) -> tuple[int, int]:
    """Return the document's width and the viewport's (without its scrollbar), in CSS pixels."""
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


@pytest.mark.parametrize("viewport_width", [1280, 768])
def test_a_long_unbroken_word_wraps_instead_of_widening_the_page(
    page, applicant, officer, viewport_width
):
    """A 5,000-letter word in a private note, a request (and its event) and a 255-letter polo name
    wraps on the officer's and the applicant's pages: the document stays as wide as the window."""
    page.set_viewport_size({"width": viewport_width, "height": 800})
    application = application_in_review(applicant, officer)
    rename_filed(application, "P" * 255)
    word = "y" * 5000
    review_services.officer_note_add(application=application, by=officer, text=word)
    workflow_services.application_request_integration(
        application_id=application.pk,
        by=officer,
        text="z" * 5000,
        deadline=working_day(10),
    )

    log_in(page, officer.username)
    for path in ("/istruttoria/", f"/istruttoria/{application.pk}/"):
        page.goto(f"{page.base_url}{path}")
        width, viewport = document_width(page)
        assert width <= viewport, path
    expect(page.get_by_text(word)).to_be_visible()
    assert_accessible(page)
    log_out(page)

    log_in(page, applicant.username)
    for path in ("/domande/", f"/domande/{application.pk}/"):
        page.goto(f"{page.base_url}{path}")
        width, viewport = document_width(page)
        assert width <= viewport, path
    expect(page.get_by_text("z" * 5000).first).to_be_visible()
    assert_accessible(page)


def test_desk_filter_labels_have_room_and_line_up(page, officer):
    """The "Filtri" heading leaves room for the lifted "Cerca" label, and "Righe per pagina" is
    labelled like the filters beside it, on their line."""
    log_in(page, officer.username)
    page.goto(f"{page.base_url}/istruttoria/")
    heading = page.get_by_role("heading", name="Filtri").bounding_box()
    search = page.locator("label[for=id_q]").bounding_box()
    assert heading["y"] + heading["height"] <= search["y"]
    order = page.locator("label[for=id_order]")
    per_page = page.locator("label[for=id_per_page]")
    assert abs(order.bounding_box()["y"] - per_page.bounding_box()["y"]) < 1
    style = "e => [getComputedStyle(e).fontSize, getComputedStyle(e).fontWeight]"
    assert per_page.evaluate(style) == order.evaluate(style)
    assert_accessible(page)


def test_the_applicant_reads_again_what_the_set_back_set_aside(page, applicant, officer):
    """The review went on without the integrations: the applicant finds what they had
    prepared from the application's page, whole, on a page of its own."""
    from tests.procedure import ask_integrations, edit_plan, expire_open_request

    application = application_in_review(applicant, officer)
    ask_integrations(application, officer, "Descrivete i laboratori condivisi.")
    application = edit_plan(
        application,
        applicant,
        laboratories="Il laboratorio di robotica dell'istituto capofila, aperto alle imprese.",
    )
    expire_open_request(application)
    workflow_services.application_resume_review(application_id=application.pk, by=officer)

    log_in(page, applicant.username)
    page.goto(f"{page.base_url}/domande/{application.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Modifiche preparate per la richiesta di integrazione").click()
    expect(
        page.get_by_role("heading", name="Modifiche preparate e non inviate", level=1)
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Laboratori condivisi", level=3)).to_be_visible()
    expect(page.get_by_text("Il laboratorio di robotica dell'istituto capofila")).to_be_visible()
    assert_accessible(page)

    # Asked for integrations again, the applicant takes the text up with one button.
    ask_integrations(application, officer, "Manca ancora la descrizione dei laboratori.")
    page.reload()
    assert_accessible(page)
    page.get_by_role("button", name="Riprendi questi testi nella domanda").click()
    page.wait_for_url(f"{page.base_url}/domande/{application.pk}/modifica/polo/")
    expect(page.get_by_text("Testi ripresi nella domanda: laboratori condivisi.")).to_be_visible()
    expect(page.get_by_label("Laboratori condivisi")).to_have_value(
        "Il laboratorio di robotica dell'istituto capofila, aperto alle imprese."
    )
    assert_accessible(page)
