"""Decrees and receipts: the HTML says what the act must say, the PDF is a PDF/A with its own fonts.

Nothing is mocked: every document goes through WeasyPrint. The documents are
rendered once per module, since each rendering takes a few tenths of a second.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import re
import socket
import subprocess
import sys
from datetime import UTC, date, datetime
from html import unescape

import pikepdf
import pytest
import qrcode
from django.test import override_settings
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from networks.documents import (
    DecreeDocument,
    DocumentResourceError,
    MemberRow,
    ReceiptDocument,
    RuleRow,
    decode_qr_data_url,
    qr_data_url,
    qr_png,
    render_decree,
    render_pdf,
    render_receipt,
    resolve_static_url,
    static_base_url,
    static_url_fetcher,
)

KINDS = (
    ("Istituto scolastico", "Istituto d'Istruzione Superiore", "MIIS0{:05d}"),
    ("Impresa", "Officine Meccaniche", "IT0{:010d}"),
    ("Ente di formazione accreditato", "Centro di Formazione Professionale", "ACC-A-{:05d}"),
    ("Impresa", "Automazione Industriale", "IT1{:010d}"),
    ("ITS Academy", "Fondazione ITS Meccatronica", "ITS-{:04d}"),
)
SURNAMES = ("Galilei", "Volta", "Fermi", "Marconi", "Natta")

RULES = (
    RuleRow(
        code="PTP-INSTITUTES",
        description="Numero minimo di istituti tecnici e/o professionali, statali o paritari",
        citation="DGR X/124/2013, Allegato A, composizione minima della rete",
        status="pass",
        message="La rete comprende 5 istituti tecnici o professionali.",
    ),
    RuleRow(
        code="PTP-MEMBER-TYPES",
        description="I membri sono di tipi previsti dalla DGR",
        citation="DGR X/124/2013, Allegato A (altri soggetti della rete)",
        status="warning",
        message="Confindustria Lombardia non è un soggetto previsto dalla DGR.",
        assessment="L'associazione contribuisce all'analisi dei fabbisogni: non ostativa.",
    ),
    RuleRow(
        code="PTP-ITS",
        description="Numero minimo di ITS, vincolante dopo il primo triennio",
        citation="DI 7 febbraio 2013, Allegato C",
        status="warning",
        message="La rete non comprende un ITS.",
        assessment="Il polo si impegna ad aderire a una fondazione ITS entro un anno.",
    ),
    RuleRow(
        code="PTP-COMPANY-COMMITMENT",
        description="Ogni impresa ha firmato l'impegno su alternanza e flessibilità",
        citation="DGR X/124/2013, Allegato A, requisiti per partecipare",
        status="fail",
        message="Manca la dichiarazione di impegno di Officine Meccaniche «Volta».",
    ),
)


def make_members(count: int) -> tuple[MemberRow, ...]:
    members = []
    for index in range(count):
        kind_label, prefix, identifier = KINDS[index % len(KINDS)]
        members.append(
            MemberRow(
                name=f"{prefix} «{SURNAMES[index % len(SURNAMES)]}» sede {index + 1}",
                kind_label=kind_label,
                identifier=identifier.format(index),
                province=("MI", "BG", "BS", "LO")[index % 4],
                is_lead=index == 0,
                notes="socio fondatore dell'ITS" if index == 4 else "",
            )
        )
    return tuple(members)


MEMBERS = make_members(25)

APPROVAL = DecreeDocument(
    kind="approval",
    number=7,
    year=2026,
    adopted_on=date(2026, 11, 23),
    place="Milano",
    region="Regione Lombardia",
    directorate="Direzione Generale Istruzione, Formazione e Lavoro",
    polo_name="Polo della Meccatronica Lombarda",
    area_name="meccanica",
    call_title="Avviso per il riconoscimento dei Poli Tecnici Professionali 2026",
    ruleset_title="Lombardia – DGR X/124/2013",
    protocol_number="2026-0000123",
    # 08:30 UTC on 1 October is 10:30 in Rome (summer time).
    submitted_at=datetime(2026, 10, 1, 8, 30, tzinfo=UTC),
    officer_name="Mario Rossi",
    signer_name="Anna Bianchi",
    signer_title="Il Dirigente",
    lead_partner_name=MEMBERS[0].name,
    rules=RULES[:3],
    members=MEMBERS,
    obligations=("di disporre che il Polo aderisca entro il 31/08/2027 a una fondazione ITS;",),
    recognition_period="dal 23/11/2026 al 31/08/2029",
    verification_code="7K3Q-PX2M-91DA",
    verification_url="https://ptp.example.org/verifica/7K3Q-PX2M-91DA",
)

REJECTION = dataclasses.replace(
    APPROVAL,
    kind="rejection",
    number=8,
    adopted_on=date(2026, 12, 2),
    rules=RULES,
    obligations=(),
    recognition_period="",
    reasons="Le imprese della rete non hanno sottoscritto l'impegno su alternanza e flessibilità.",
    observations_response="Le dichiarazioni trasmesse con le osservazioni non sono firmate.",
)

DOCUMENT_HASHES = (
    ("accordo-di-rete.pdf", "a3f1" + "0" * 56 + "beef"),
    ("impegno-officine-volta.pdf", "9c0d" + "1" * 56 + "cafe"),
)
RECEIPT = ReceiptDocument(
    region="Regione Lombardia",
    directorate="Direzione Generale Istruzione, Formazione e Lavoro",
    protocol_number="2026-0000123",
    submitted_at=datetime(2026, 10, 1, 8, 30, tzinfo=UTC),
    version=2,
    polo_name="Polo della Meccatronica Lombarda",
    area_name="meccanica",
    call_title="Avviso per il riconoscimento dei Poli Tecnici Professionali 2026",
    applicant_organisation=MEMBERS[0].name,
    contact_name="Giulia Verdi",
    contact_email="giulia.verdi@example.org",
    lead_partner_name=MEMBERS[0].name,
    members=MEMBERS[:8],
    verdict_label="Ammissibile con osservazioni",
    rules=RULES[:3],
    documents=DOCUMENT_HASHES,
    snapshot_sha256="5e" * 32,
    deadline=date(2026, 10, 31),
)

HEADINGS = ("IL DIRIGENTE", "VISTI", "PRESO ATTO", "CONSIDERATO", "DECRETA", "Allegato A")


@pytest.fixture(scope="module")
def approval() -> tuple[str, bytes]:
    return render_decree(APPROVAL)


@pytest.fixture(scope="module")
def rejection() -> tuple[str, bytes]:
    return render_decree(REJECTION)


@pytest.fixture(scope="module")
def receipt() -> tuple[str, bytes]:
    return render_receipt(RECEIPT)


def positions(html: str, *fragments: str) -> list[int]:
    """Return where each fragment first occurs, failing on a missing one."""
    found = []
    for fragment in fragments:
        assert fragment in html, fragment
        found.append(html.index(fragment))
    return found


def qr_matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def rule_row(html: str, code: str) -> str:
    match = re.search(
        rf'<li class="rule rule-\w+" data-rule="{re.escape(code)}">.*?</li>', html, re.S
    )
    assert match, code
    return match.group(0)


def annex(html: str) -> str:
    return html[html.index('<section class="annex"') : html.index("</section>")]


def open_pdf(pdf: bytes) -> pikepdf.Pdf:
    assert pdf.startswith(b"%PDF-")
    return pikepdf.open(io.BytesIO(pdf))


def font_names(document: pikepdf.Pdf) -> set[str]:
    names = set()
    for page in document.pages:
        for font in page.Resources.get("/Font", {}).values():
            names.add(str(font.BaseFont).split("+", 1)[-1])
    return names


def assert_pdfa(document: pikepdf.Pdf) -> None:
    metadata = document.open_metadata()
    assert metadata["pdfaid:part"] == "3"
    assert metadata["pdfaid:conformance"] == "B"
    assert "/OutputIntents" in document.Root


# The decree's text


def test_decree_sections_come_in_the_conventional_order(approval):
    html, _ = approval
    headings = positions(html, *(f">{heading}" for heading in HEADINGS))
    assert headings == sorted(headings)


def test_decree_heading_carries_number_date_and_subject(approval):
    html, _ = approval
    assert "Regione Lombardia" in html
    assert "Direzione Generale Istruzione, Formazione e Lavoro" in html
    assert "DECRETO N. 7 DEL 23/11/2026" in html
    assert "decreto n. 7 del 23/11/2026" in html
    assert (
        "Riconoscimento del Polo Tecnico Professionale «Polo della Meccatronica Lombarda» "
        "– area meccanica"
    ) in html


def test_decree_cites_the_law_the_decrees_the_call_and_the_ruleset(approval):
    html, _ = approval
    visti = html[html.index(">VISTI") : html.index(">PRESO ATTO")]
    for citation in (
        "legge 7 agosto 1990, n. 241",
        "decreto interministeriale 7 febbraio 2013",
        "Allegato C",
        "n. X/124 del 14/05/2013",
        "Avviso per il riconoscimento dei Poli Tecnici Professionali 2026",
        "Lombardia – DGR X/124/2013",
    ):
        assert citation in visti, citation


def test_decree_takes_note_of_protocol_and_officer_in_rome_time(approval):
    html, _ = approval
    preso_atto = html[html.index(">PRESO ATTO") : html.index(">CONSIDERATO")]
    assert "protocollo n. 2026-0000123 del 01/10/2026 alle ore 10:30" in preso_atto
    assert "responsabile del procedimento" in preso_atto
    assert "Mario Rossi" in preso_atto


def test_decree_shows_rome_time_whatever_time_zone_is_active():
    with timezone.override("America/New_York"):
        html, _ = render_decree(dataclasses.replace(APPROVAL, members=MEMBERS[:2]))
    assert "del 01/10/2026 alle ore 10:30" in html


def test_a_citation_with_its_own_brackets_nests_them_as_square_ones(rejection):
    """«(DGR X/124/2013 [altri soggetti della rete])», not «((…))» in the act."""
    html, _ = rejection
    nested = next(rule for rule in RULES if "(" in rule.citation)
    row = rule_row(html, nested.code)
    assert "(DGR X/124/2013, Allegato A [altri soggetti della rete]): " in row
    assert "))" not in row


def test_decree_reports_each_rule_with_its_outcome_and_assessment(rejection):
    html, _ = rejection
    labels = {"pass": "Soddisfatto", "warning": "Con osservazioni", "fail": "Non soddisfatto"}
    for rule in RULES:
        row = rule_row(html, rule.code)
        assert f"({escape(rule.citation_in_brackets)}): {labels[rule.status]}. " in row
        assert escape(rule.description) in row
        assert escape(rule.message) in row
        if rule.assessment:
            assert escape(rule.assessment) in row


def test_approval_decrees_the_recognition_then_obligations_period_and_publication(approval):
    html, _ = approval
    decreta = html[html.index(">DECRETA") : html.index('<section class="annex"')]
    points = positions(
        decreta,
        "di riconoscere il Polo Tecnico Professionale «Polo della Meccatronica Lombarda» "
        "nell'area meccanica",
        "Allegato A",
        f"capofila {escape(MEMBERS[0].name)}",
        "di disporre che il Polo aderisca entro il 31/08/2027",
        "di stabilire che il riconoscimento ha validità dal 23/11/2026 al 31/08/2029",
        "di disporre la pubblicazione del presente decreto nel registro dei Poli Tecnici "
        "Professionali",
    )
    assert points == sorted(points)
    assert "(BURL)" in decreta
    assert decreta.count("<li") == 4


def decreta_points(html: str) -> list[str]:
    """Return the text of each DECRETA point, as written in the decree."""
    decreta = html[
        html.index('<ol class="resolutions">') : html.index("</ol>", html.index(">DECRETA"))
    ]
    return [unescape(point).strip() for point in re.findall(r"<li[^>]*>(.*?)</li>", decreta, re.S)]


@pytest.mark.parametrize(
    ("obligations", "period", "expected"),
    [
        (
            ("di aderire a una fondazione ITS;",),
            "dal 23/11/2026 al 31/08/2029",
            ["1", "2", "3", "4"],
        ),
        (
            ("di aderire a una fondazione ITS;", "di comunicare ogni variazione;"),
            "",
            ["1", "2", "3", "4"],
        ),
        ((), "dal 23/11/2026 al 31/08/2029", ["1", "2", "3"]),
        ((), "", ["1", "2"]),
    ],
)
def test_decreta_points_are_numbered_in_order_whatever_is_decreed(obligations, period, expected):
    """The numbers are in the text (no list markers): they follow the points that are there."""
    document = dataclasses.replace(APPROVAL, obligations=obligations, recognition_period=period)
    html, _ = render_decree(document)
    points = decreta_points(html)
    assert [point.split(". ", 1)[0] for point in points] == expected
    assert points[0].startswith("1. di riconoscere il Polo")
    assert points[-1].startswith(f"{expected[-1]}. di disporre la pubblicazione")
    for number, obligation in enumerate(obligations, start=2):
        assert points[number - 1] == f"{number}. {obligation}"


def test_rejection_decreta_points_are_numbered(rejection):
    html, _ = rejection
    assert [point[:3] for point in decreta_points(html)] == ["1. ", "2. ", "3. "]


def test_approval_records_that_warnings_were_assessed(approval):
    html, _ = approval
    assert "valutati dal responsabile del procedimento come non ostativi" in html


def test_decree_ends_with_place_date_and_signer(approval):
    html, _ = approval
    closing = positions(html, ">DECRETA", "Milano, 23/11/2026", "Il Dirigente", "Anna Bianchi")
    assert closing == sorted(closing)
    assert closing[-1] < html.index('<section class="annex"')


def test_annex_lists_every_member_with_kind_identifier_and_province(approval):
    html, _ = approval
    section = annex(html)
    assert "Allegato A – Composizione della rete" in section
    items = section.split('<li class="member">')[1:]
    assert len(items) == len(MEMBERS)
    for number, (member, item) in enumerate(zip(MEMBERS, items, strict=True), start=1):
        assert item.startswith(f"{number}. {escape(member.name)}")
        assert escape(member.name) in item, member.name
        assert escape(member.kind_label) in item
        assert member.identifier in item
        assert f"provincia {member.province}" in item
    assert "socio fondatore dell&#x27;ITS" in section


def test_annex_marks_only_the_lead_partner(approval):
    html, _ = approval
    items = annex(html).split('<li class="member">')[1:]
    assert "(capofila)" in items[0]
    assert not any("capofila" in item for item in items[1:])


def test_decree_closes_with_verification_code_url_and_qr_code(approval):
    html, _ = approval
    box = html[html.index('<aside class="verification"') :]
    assert "7K3Q-PX2M-91DA" in box
    assert 'href="https://ptp.example.org/verifica/7K3Q-PX2M-91DA"' in box
    assert '<img class="qr-code" src="data:image/png;base64,' in box
    assert 'alt="Codice QR per la verifica del decreto"' in box
    # After the signature, before the annex: the box closes the act, not the list of members.
    assert html.index("Anna Bianchi") < html.index("<aside") < html.index('<section class="annex"')


def test_decree_without_verification_url_has_no_qr_code():
    html, _ = render_decree(dataclasses.replace(APPROVAL, members=MEMBERS[:2], verification_url=""))
    assert "qr-code" not in html
    assert "data:image" not in html
    assert "7K3Q-PX2M-91DA" in html


def test_rejection_states_reasons_observations_response_and_remedies(rejection):
    html, _ = rejection
    assert "DECRETO N. 8 DEL 02/12/2026" in html
    assert "Oggetto:</span>\n  Diniego del riconoscimento del Polo Tecnico Professionale" in html
    considerato = html[html.index(">CONSIDERATO") : html.index(">DECRETA")]
    assert escape(REJECTION.reasons) in considerato
    # The rules' outcomes are those of the declared data; the reasons are the review's.
    assert "la verifica dei requisiti sui dati dichiarati nella domanda" in considerato
    assert "che, all'esito dell'istruttoria, la domanda non può essere accolta" in considerato
    assert "articolo 10-bis" in considerato
    assert escape(REJECTION.observations_response) in considerato
    decreta = html[html.index(">DECRETA") :]
    points = positions(
        decreta,
        "di non riconoscere il Polo Tecnico Professionale",
        "per le motivazioni di cui in premessa",
        "Tribunale Amministrativo Regionale (TAR) entro 60 giorni",
        "ricorso straordinario al Presidente della Repubblica entro 120 giorni",
    )
    assert points == sorted(points)
    assert "di riconoscere il Polo" not in html
    assert "di disporre la pubblicazione" not in html


def test_a_rule_and_its_assessment_are_two_sentences_however_they_were_written():
    from networks.documents import as_sentence

    assert as_sentence("ITS Meccatronico (Istituto Tecnico Superiore)") == (
        "ITS Meccatronico (Istituto Tecnico Superiore)."
    )
    assert as_sentence("Valutato con  spazi   doppi..") == "Valutato con spazi doppi."
    assert as_sentence("Tutto in regola;") == "Tutto in regola."
    assert as_sentence("Va bene!") == "Va bene!"
    assert as_sentence("") == ""
    row = RuleRow("PTP-ITS-FOUNDERS", "Soci fondatori", "DI 7/2/2013", "warning", "Fondatori (ITS)")
    row = dataclasses.replace(row, assessment="Contributo utile")
    html, _ = render_decree(dataclasses.replace(APPROVAL, rules=(row,), members=MEMBERS[:2]))
    assert (
        "Fondatori (ITS). Valutazione del responsabile del procedimento: Contributo utile." in html
    )


def test_rejection_without_observations_says_none_arrived():
    html, _ = render_decree(
        dataclasses.replace(REJECTION, members=MEMBERS[:2], observations_response="")
    )
    assert "non sono pervenute osservazioni" in html


def test_view_models_refuse_unknown_kinds_and_statuses():
    with pytest.raises(ValueError, match="decree kind"):
        dataclasses.replace(APPROVAL, kind="revocation")
    with pytest.raises(ValueError, match="rule status"):
        dataclasses.replace(RULES[0], status="ok")


# The decree as a PDF/A


def test_decree_pdf_is_pdfa_with_metadata(approval):
    _, pdf = approval
    with open_pdf(pdf) as document:
        assert_pdfa(document)
        metadata = document.open_metadata()
        assert metadata["dc:title"].startswith("Decreto n. 7 del 23/11/2026 – Riconoscimento")
        assert metadata["dc:creator"] == ["Regione Lombardia"]
        assert "Polo della Meccatronica Lombarda" in metadata["dc:description"]
        assert str(document.docinfo["/Title"]) == metadata["dc:title"]
        assert str(document.docinfo["/Author"]) == "Regione Lombardia"
        assert str(document.Root.Lang) == "it"


def test_decree_pdf_embeds_only_titillium(approval):
    _, pdf = approval
    with open_pdf(pdf) as document:
        names = font_names(document)
        assert {"Titillium-Web", "Titillium-Web-Bold"} <= names
        assert all(name.startswith("Titillium-Web") for name in names), names
        for page in document.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor


def test_decree_pdf_of_25_members_is_several_a4_pages(approval):
    _, pdf = approval
    with open_pdf(pdf) as document:
        assert len(document.pages) > 1
        width, height = (float(value) for value in document.pages[0].MediaBox[2:])
        assert (round(width), round(height)) == (595, 842)


def blocks_per_page(html: str) -> list[list[str]]:
    """Return, page by page, the classes of the decree's blocks laid out there.

    A point of the DECRETA list is named "resolution"; the layout is WeasyPrint's own.
    """
    from weasyprint import HTML

    rendered = HTML(
        string=html, base_url=static_base_url(), url_fetcher=static_url_fetcher()
    ).render()
    pages = []
    for page in rendered.pages:
        names: list[str] = []

        def walk(box, parent_class="", names=names):
            element = getattr(box, "element", None)
            if element is not None and box.element_tag in {"li", "div", "aside"}:
                if box.element_tag == "li" and parent_class == "resolutions":
                    name = "resolution"
                else:
                    name = element.get("class") or box.element_tag
                if not names or names[-1] != name:
                    names.append(name)
            own_class = element.get("class", "") if element is not None else ""
            for child in getattr(box, "children", ()):
                walk(child, own_class if child.element is not element else parent_class)

        walk(page._page_box)
        pages.append(names)
    return pages


# Six and eighteen paragraphs of reasons used to push the verification box, then the
# signature, to the top of a page of their own.
@pytest.mark.parametrize("paragraphs", [6, 18])
def test_signature_and_verification_box_stay_with_the_last_point(paragraphs):
    reasons = ("Motivo di prova. " * 20 + "\n\n") * paragraphs
    html, _ = render_decree(dataclasses.replace(REJECTION, reasons=reasons))
    pages = blocks_per_page(html)
    [closing_page] = [names for names in pages if "closing" in names]
    assert "verification" in closing_page
    assert "resolution" in closing_page[: closing_page.index("closing")]


def test_rendering_opens_no_network_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a document tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    _, pdf = render_decree(dataclasses.replace(APPROVAL, members=MEMBERS[:3]))
    assert pdf.startswith(b"%PDF-")


def test_importing_the_module_does_not_load_weasyprint(settings):
    script = (
        "import django, sys; django.setup(); import networks.documents; "
        "sys.exit('weasyprint' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "ptp_portal.settings.test", "PATH": ""},
        check=False,
    )
    assert completed.returncode == 0


# The URL fetcher


def test_fetcher_serves_the_stylesheet_and_fonts_from_static_files():
    fetcher = static_url_fetcher()
    stylesheet = fetcher.fetch(f"{static_base_url()}ptp/documents/documents.css")
    assert stylesheet.content_type == "text/css"
    assert b"@font-face" in stylesheet.read()
    font = fetcher.fetch(
        f"{static_base_url()}ptp/fonts/titillium-web-v10-latin-ext_latin-regular.ttf"
    )
    assert len(font.read()) > 10_000


def test_fetcher_finds_files_of_installed_apps():
    assert resolve_static_url(f"{static_base_url()}admin/css/base.css").is_file()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/style.css",
        "https://example.org/logo.png",
        "ftp://example.org/font.ttf",
        "data:text/css,body{color:red}",
        "file:///etc/passwd",
        "file://example.org/static/ptp/documents/documents.css",
    ],
)
def test_fetcher_refuses_anything_but_local_static_files(url):
    with pytest.raises(DocumentResourceError):
        static_url_fetcher().fetch(url)


def test_fetcher_refuses_a_project_file_outside_static(settings):
    outside = settings.BASE_DIR / "manage.py"
    assert outside.is_file()
    with pytest.raises(DocumentResourceError):
        static_url_fetcher().fetch(outside.as_uri())
    with pytest.raises(DocumentResourceError):
        static_url_fetcher().fetch(f"{static_base_url()}../manage.py")
    with pytest.raises(DocumentResourceError):
        static_url_fetcher().fetch(f"{static_base_url()}ptp/documents/missing.css")


def test_render_fails_on_a_remote_resource_instead_of_fetching_it(settings):
    templates = [{**settings.TEMPLATES[0], "APP_DIRS": False}]
    templates[0]["OPTIONS"] = {
        **templates[0]["OPTIONS"],
        "loaders": [
            (
                "django.template.loaders.locmem.Loader",
                {
                    "remote.html": '<html><body><img src="https://example.org/logo.png"></body></html>'
                },
            )
        ],
    }
    with override_settings(TEMPLATES=templates), pytest.raises(DocumentResourceError):
        render_pdf("remote.html", {})


# The QR code


def test_qr_code_is_a_png_of_exactly_the_modules_of_the_url_with_its_quiet_zone():
    url = APPROVAL.verification_url
    reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    reference.add_data(url)
    reference.make(fit=True)
    expected = reference.get_matrix()
    with Image.open(io.BytesIO(qr_png(url))) as image:
        assert image.format == "PNG"
        assert image.size == (len(expected), len(expected))
        pixels = image.convert("L").load()
        drawn = [[pixels[x, y] < 128 for x in range(image.width)] for y in range(image.height)]
    assert drawn == expected
    assert not any(drawn[row][col] for row in range(4) for col in range(len(expected)))


def test_qr_data_url_round_trips_through_the_fetcher():
    url = qr_data_url(APPROVAL.verification_url)
    assert url.startswith("data:image/png;base64,")
    response = static_url_fetcher().fetch(url)
    assert response.content_type == "image/png"
    assert response.read() == qr_png(APPROVAL.verification_url)


@pytest.mark.parametrize(
    "url",
    [
        "data:image/png;base64,not base64!",
        f"data:image/png;base64,{base64.b64encode(b'<svg></svg>').decode()}",
        f"data:image/svg+xml;base64,{base64.b64encode(b'<svg></svg>').decode()}",
    ],
)
def test_fetcher_refuses_data_urls_other_than_a_png(url):
    with pytest.raises(DocumentResourceError):
        static_url_fetcher().fetch(url)
    with pytest.raises(DocumentResourceError):
        decode_qr_data_url(url)


def test_decree_pdf_draws_the_qr_code_unsmoothed(approval):
    _, pdf = approval
    with open_pdf(pdf) as document:
        images = {
            image.objgen: image
            for page in document.pages
            for image in page.Resources.get("/XObject", {}).values()
            if image.get("/Subtype") == "/Image"
        }
        assert len(images) == 1
        (image,) = images.values()
        assert not image.get("/Interpolate", False)
        assert int(image.Width) == len(qr_matrix(APPROVAL.verification_url))


# The receipt


def test_receipt_states_what_was_filed_and_when(receipt):
    html, _ = receipt
    assert "Ricevuta di presentazione" in html
    assert "2026-0000123" in html
    assert "01/10/2026 10:30" in html
    for text in (
        "Polo della Meccatronica Lombarda",
        "meccanica",
        RECEIPT.call_title,
        "Giulia Verdi",
        "giulia.verdi@example.org",
        "Ammissibile con osservazioni",
        "31/10/2026",
    ):
        assert text in html, text
    assert ">Versione della domanda</dt><dd>2<" in html
    for member in RECEIPT.members:
        assert escape(member.name) in html


def test_receipt_lists_rule_outcomes_document_hashes_and_snapshot_hash(receipt):
    html, _ = receipt
    for rule in RECEIPT.rules:
        assert rule.code in rule_row(html, rule.code)
    assert ": Con osservazioni. " in rule_row(html, "PTP-ITS")
    for name, sha256 in DOCUMENT_HASHES:
        assert re.search(rf"<td>{re.escape(name)}</td><td class=\"hash\">{sha256}</td>", html)
    assert "5e" * 32 in html


def structure(document: pikepdf.Pdf) -> list[tuple[str, str]]:
    """Return the structure elements of a tagged PDF in reading order: (type, alternative text)."""
    elements: list[tuple[str, str]] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            elements.append((str(node.S), str(node.get("/Alt", ""))))
            walk(node.get("/K"))

    walk(document.Root.StructTreeRoot.K)
    return elements


def test_decree_pdf_is_tagged_for_screen_readers(approval):
    """Headings, lists and paragraphs in a structure tree, the QR code with its text, in
    Italian: what a screen reader needs to read the act (decision 0011)."""
    _, pdf = approval
    with open_pdf(pdf) as document:
        assert document.Root.MarkInfo.Marked
        assert str(document.Root.Lang) == "it"
        elements = structure(document)
    kinds = [kind for kind, _alt in elements]
    assert kinds.count("/H1") == 1
    assert kinds.index("/H1") < kinds.index("/H2")
    assert "/L" in kinds
    assert kinds.count("/P") >= 5
    assert ("/Figure", "Codice QR per la verifica del decreto") in elements


def test_receipt_pdf_is_tagged_too(receipt):
    _, pdf = receipt
    with open_pdf(pdf) as document:
        assert document.Root.MarkInfo.Marked
        kinds = [kind for kind, _alt in structure(document)]
    headings = [kind for kind in kinds if kind.startswith("/H")]
    # One title, its parts one level below: no level skipped for a screen reader.
    assert headings[0] == "/H1"
    assert set(headings[1:]) == {"/H2"}
    assert "/P" in kinds


def test_receipt_without_deadline_leaves_the_term_out():
    html, _ = render_receipt(dataclasses.replace(RECEIPT, deadline=None, members=MEMBERS[:2]))
    assert "Termine del procedimento" not in html


def test_receipt_pdf_is_pdfa_with_metadata(receipt):
    _, pdf = receipt
    with open_pdf(pdf) as document:
        assert_pdfa(document)
        metadata = document.open_metadata()
        assert "Ricevuta di presentazione – protocollo n. 2026-0000123" in metadata["dc:title"]
        assert metadata["dc:creator"] == ["Regione Lombardia"]
        assert all(name.startswith("Titillium-Web") for name in font_names(document))
