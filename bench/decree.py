"""Benchmark the PDF documents: a decree must cost little more than any WeasyPrint page.

Render, through the same ``render_pdf`` path, a one-paragraph document 20
times, the decree of a 25-member polo 20 times and that of a 200-member polo
8 times, after one warm-up each; print the medians and exit non-zero when the
25-member decree takes 0.5 s or more, or 3 times the one-paragraph document or
more, or when the 200-member decree takes 2 s or more. Beside them it prints
a reference for the ratio: the 25-member decree's own words regrouped as plain
paragraphs in the same stylesheet (an estimate of what that much text costs,
not a proven lower bound), and what the Region's seal (PAdES, decision 0007)
adds to the 25-member decree, with a certificate written for the run.

    .venv/bin/python bench/decree.py
"""

from __future__ import annotations

import copy
import logging
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptp_portal.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import override_settings  # noqa: E402

from networks.documents import (  # noqa: E402
    DecreeDocument,
    MemberRow,
    RuleRow,
    render_decree,
    render_pdf,
)
from networks.sealing import seal_pdf, write_self_signed_seal  # noqa: E402

PARAGRAPH_RUNS = 20
DECREE_25_RUNS = 20
DECREE_200_RUNS = 8
MAX_DECREE_25_SECONDS = 0.5
MAX_RATIO_TO_PARAGRAPH = 3.0
MAX_DECREE_200_SECONDS = 2.0

PLAIN_TEXT_TEMPLATE = "bench/plain-text.html"
PLAIN_TEXT_SOURCE = """{% extends "documents/base.html" %}
{% block title %}Testo del decreto{% endblock %}
{% block content %}{% for paragraph in paragraphs %}<p>{{ paragraph }}</p>{% endfor %}{% endblock %}"""
PARAGRAPH_TEMPLATE = "bench/paragraph.html"
PARAGRAPH_SOURCE = """{% extends "documents/base.html" %}
{% block title %}Documento di prova{% endblock %}
{% block content %}<p>Il presente documento contiene un solo paragrafo di testo, composto con lo
stesso foglio di stile e gli stessi caratteri dei decreti.</p>{% endblock %}"""

KINDS = (
    ("Istituto scolastico", "Istituto di Istruzione Superiore", "MIIS0{:05d}"),
    ("Impresa", "Officine Meccaniche", "IT0{:010d}"),
    ("Impresa", "Automazione Industriale", "IT1{:010d}"),
    ("Ente di formazione accreditato", "Centro di Formazione Professionale", "ACC-A-{:05d}"),
    ("Impresa", "Componenti di Precisione", "IT2{:010d}"),
)
SURNAMES = ("Galilei", "Volta", "Fermi", "Marconi", "Natta", "Meucci", "Olivetti", "Pirelli")
PROVINCES = ("MI", "BG", "BS", "CO", "CR", "LC", "LO", "MN", "MB", "PV", "SO", "VA")

RULES = (
    ("PTP-AREA", "L'area economico-professionale del polo è attiva nel catalogo", "pass"),
    ("PTP-LEAD-PARTNER", "Il capofila è un membro della rete", "pass"),
    ("PTP-UNIQUE", "Nessuna organizzazione compare due volte nella rete", "pass"),
    ("PTP-MEMBER-TYPES", "I membri sono di tipi previsti dalla DGR", "warning"),
    ("PTP-INSTITUTES", "Numero minimo di istituti tecnici e/o professionali", "pass"),
    ("PTP-COMPANIES", "Numero minimo di imprese dell'area iscritte alla CCIAA", "pass"),
    ("PTP-ACCREDITED-A", "Numero minimo di soggetti accreditati alla Sezione A", "pass"),
    ("PTP-ITS", "Numero minimo di ITS, vincolante dopo il primo triennio", "warning"),
    ("PTP-ITS-FOUNDERS", "I soci fondatori di un ITS non contano tra istituti e imprese", "pass"),
    ("PTP-OFFER-3Y", "Offerta formativa nell'area da almeno tre anni", "pass"),
    ("PTP-COMPANY-AREA", "Ogni impresa ha un codice ATECO riferito all'area del polo", "pass"),
    ("PTP-COMPANY-COMMITMENT", "Ogni impresa ha firmato l'impegno su alternanza", "pass"),
)


def sample_members(count: int) -> tuple[MemberRow, ...]:
    """Return ``count`` plausible members, the first one the lead partner."""
    members = []
    for index in range(count):
        kind_label, prefix, identifier = KINDS[index % len(KINDS)]
        surname = SURNAMES[index % len(SURNAMES)]
        members.append(
            MemberRow(
                name=f"{prefix} «{surname}» n. {index + 1}",
                kind_label=kind_label,
                identifier=identifier.format(index),
                province=PROVINCES[index % len(PROVINCES)],
                is_lead=index == 0,
                notes="socio fondatore dell'ITS" if index % 11 == 3 else "",
            )
        )
    return tuple(members)


def sample_decree(member_count: int) -> DecreeDocument:
    """Return an approval decree for a polo of ``member_count`` members."""
    members = sample_members(member_count)
    rules = tuple(
        RuleRow(
            code=code,
            description=description,
            citation="DGR X/124/2013, Allegato A",
            status=status,
            message="Requisito verificato sui dati della domanda."
            if status == "pass"
            else "Aspetto da valutare da parte del responsabile del procedimento.",
            assessment="Valutato non ostativo: il soggetto contribuisce alle attività del polo."
            if status == "warning"
            else "",
        )
        for code, description, status in RULES
    )
    return DecreeDocument(
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
        submitted_at=datetime(2026, 10, 1, 8, 30, tzinfo=UTC),
        officer_name="Mario Rossi",
        signer_name="Anna Bianchi",
        signer_title="Il Dirigente",
        lead_partner_name=members[0].name,
        rules=rules,
        members=members,
        obligations=("di disporre che il Polo aderisca entro il 31/08/2027 a una fondazione ITS;",),
        recognition_period="dal 23/11/2026 al 31/08/2029",
        verification_code="7K3Q-PX2M-91DA",
        verification_url="https://ptp.example.org/verifica/7K3Q-PX2M-91DA",
    )


def median_seconds(render: Callable[[], object], runs: int) -> tuple[float, float]:
    """Return the median wall and CPU times of ``runs`` calls of ``render``, after a warm-up.

    The thresholds apply to wall time; CPU time is printed beside it because on
    a shared machine it shows what the code costs when other work competes.
    """
    render()
    wall, cpu = [], []
    for _ in range(runs):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        render()
        wall.append(time.perf_counter() - wall_start)
        cpu.append(time.process_time() - cpu_start)
    return statistics.median(wall), statistics.median(cpu)


def paragraph_templates() -> list[dict[str, object]]:
    """Return TEMPLATES with an in-memory one-paragraph template before the project's."""
    templates = copy.deepcopy(settings.TEMPLATES)
    engine = templates[0]
    engine["APP_DIRS"] = False
    engine["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.locmem.Loader",
            {PARAGRAPH_TEMPLATE: PARAGRAPH_SOURCE, PLAIN_TEXT_TEMPLATE: PLAIN_TEXT_SOURCE},
        ),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    return templates


def plain_paragraphs(html: str, words_per_paragraph: int = 60) -> list[str]:
    """Return the words of a rendered decree's body regrouped as plain paragraphs.

    Set in the same stylesheet, they give a reference for the ratio: roughly what any
    layout of the decree's text must cost, before headings, lists and boxes.
    """
    body = html[html.index("<body>") : html.index("</body>")]
    words = unescape(re.sub(r"<[^>]+>", " ", body)).split()
    return [
        " ".join(words[start : start + words_per_paragraph])
        for start in range(0, len(words), words_per_paragraph)
    ]


def main() -> int:
    """Run the benchmark, print the medians and return the exit status."""
    # Without libharfbuzz-subset0 WeasyPrint warns on every PDF; say it once, beside the numbers.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint.text.ffi import harfbuzz_subset

    subsetter = "HarfBuzz" if harfbuzz_subset else "fontTools (install libharfbuzz-subset0)"
    load = os.getloadavg()[0]
    decree_25 = sample_decree(25)
    decree_200 = sample_decree(200)
    with override_settings(TEMPLATES=paragraph_templates()):
        paragraph, paragraph_cpu = median_seconds(
            lambda: render_pdf(PARAGRAPH_TEMPLATE, {"document": decree_25}), PARAGRAPH_RUNS
        )
        median_25, median_25_cpu = median_seconds(lambda: render_decree(decree_25), DECREE_25_RUNS)
        median_200, median_200_cpu = median_seconds(
            lambda: render_decree(decree_200), DECREE_200_RUNS
        )
        paragraphs = plain_paragraphs(render_decree(decree_25)[0])
        plain, plain_cpu = median_seconds(
            lambda: render_pdf(
                PLAIN_TEXT_TEMPLATE, {"document": decree_25, "paragraphs": paragraphs}
            ),
            PARAGRAPH_RUNS,
        )
    _html, pdf_25 = render_decree(decree_25)
    with tempfile.TemporaryDirectory() as directory:
        seal_file, password = Path(directory) / "sigillo.p12", secrets.token_hex(8)
        write_self_signed_seal(seal_file, password, subject="Sigillo del benchmark")
        with override_settings(DECREE_SEAL_PKCS12=str(seal_file), DECREE_SEAL_PASSWORD=password):
            seal, seal_cpu = median_seconds(
                lambda: seal_pdf(pdf_25, reason="Decreto n. 7/2026", location="Milano"),
                DECREE_25_RUNS,
            )
    ratio = median_25 / paragraph
    print(f"load average before the run: {load:.2f}; fonts subset by {subsetter}")
    print(
        f"one-paragraph document   median {paragraph:.3f} s  "
        f"(CPU {paragraph_cpu:.3f} s, {PARAGRAPH_RUNS} runs)"
    )
    print(
        f"decree, 25 members       median {median_25:.3f} s  "
        f"(CPU {median_25_cpu:.3f} s, {DECREE_25_RUNS} runs)"
    )
    print(
        f"decree, 200 members      median {median_200:.3f} s  "
        f"(CPU {median_200_cpu:.3f} s, {DECREE_200_RUNS} runs)"
    )
    print(
        f"its text as plain paras  median {plain:.3f} s  "
        f"(CPU {plain_cpu:.3f} s, {PARAGRAPH_RUNS} runs, {len(paragraphs)} paragraphs)"
    )
    print(
        f"seal of the 25-member PDF median {seal:.3f} s  "
        f"(CPU {seal_cpu:.3f} s, {DECREE_25_RUNS} runs; not in the ratio: rendering only)"
    )
    print(f"ratio 25 members / one paragraph: {ratio:.2f}")
    print(f"ratio plain text / one paragraph: {plain / paragraph:.2f} (reference: this much text)")
    failures = []
    if median_25 >= MAX_DECREE_25_SECONDS:
        failures.append(f"25-member decree {median_25:.3f} s >= {MAX_DECREE_25_SECONDS} s")
    if ratio >= MAX_RATIO_TO_PARAGRAPH:
        failures.append(f"ratio {ratio:.2f} >= {MAX_RATIO_TO_PARAGRAPH}")
    if median_200 >= MAX_DECREE_200_SECONDS:
        failures.append(f"200-member decree {median_200:.3f} s >= {MAX_DECREE_200_SECONDS} s")
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print("OK")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
