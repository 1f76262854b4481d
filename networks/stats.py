"""Public statistics of the register: tables, their server-rendered SVG bar charts and CSV.

Each statistic is a ``Table`` (label, value rows) computed from public data
only: recognised poli and their frozen networks, counts of applications by
status (never which ones), and procedure times. ``bar_chart`` turns a table
into the geometry of a horizontal bar chart that the template draws as SVG
with SVG attributes only (the CSP allows no inline style to depend on).

Definitions (also shown on the page):

- poli per province: the province of the lead partner (capofila);
- members per kind: every member of every recognised polo, counted once per polo;
- applications per status: every application that was ever submitted (drafts
  are not applications yet);
- procedure time: calendar days from the first submission
  (``Application.submitted_at``) to the adoption of the decree that decided it,
  approval or rejection; suspensions (integrations, 10-bis) are not subtracted.
  The median is per calendar year of the decree and overall.

The CSV of each table (``table_csv``) is open data: its column names are the
fixed identifiers of ``Table.csv_columns``, never translated, and the caller
builds the table in Italian whatever the reader's language (the views use
``opendata.LANGUAGE``), so that a file is the same for every reader. Each row
names what it counts by its code too (area, province, member kind, status),
since names may change and codes do not; the code comes last, so that a
program reading the columns by position still finds label and value first.
"""

import csv
import io
import statistics as pystats
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from localflavor.it.it_province import PROVINCE_CHOICES

from networks.constants import (
    INTERNAL_STATUSES,
    ApplicationStatus,
    OrganisationKind,
    applicant_status,
)
from networks.models import Application, Decree, EconomicArea
from networks.selectors_public import PublicPolo, public_poli, recognised_poli

VERDICT_LABELS = {
    "eligible": _("Ammissibile"),
    "eligible_with_warnings": _("Ammissibile con osservazioni"),
    "not_eligible": _("Non ammissibile"),
}
PROVINCE_NAMES = dict(PROVINCE_CHOICES)

# Chart geometry (SVG user units).
CHART_WIDTH = 720
LABEL_WIDTH = 250
BAR_AREA = 380
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    y: int
    width: float
    text_y: int
    value_x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_x: int
    bar_x: int
    bars: tuple[Bar, ...]


@dataclass
class Table:
    """A statistic: a title, what it counts, the column headings and (label, value) rows.

    ``csv_columns`` names the CSV's columns: label, value, then extra and
    code where the table has them. ``codes`` holds each row's stable code.
    """

    name: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    csv_columns: tuple[str, ...]
    rows: list[tuple[str, float]] = field(default_factory=list)
    value_format: str = "{:d}"
    extra_heading: str = ""
    extra: list[Any] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(value for _label, value in self.rows)

    def display(self, value: float) -> str:
        """Return ``value`` as the table shows it, with the language's decimal separator."""
        if self.value_format == "{:d}":
            return str(int(value))
        decimals = int(self.value_format.removeprefix("{:.").removesuffix("f}"))
        return formats.number_format(value, decimal_pos=decimals)

    @property
    def chart(self) -> Chart:
        return bar_chart(self)

    @property
    def display_rows(self) -> list[tuple[str, str, Any]]:
        extras = self.extra or [""] * len(self.rows)
        return [
            (label, self.display(value), extra)
            for (label, value), extra in zip(self.rows, extras, strict=True)
        ]


def bar_chart(table: Table) -> Chart:
    """Return the geometry of a horizontal bar chart of ``table`` (bars scaled to the maximum)."""
    maximum = max((value for _label, value in table.rows), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(table.rows):
        y = TOP + index * ROW_HEIGHT
        width = round(BAR_AREA * value / maximum, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                display=table.display(value),
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT - 5,
                value_x=LABEL_WIDTH + 10 + width + 6,
            )
        )
    return Chart(
        width=CHART_WIDTH,
        height=TOP * 2 + max(len(bars), 1) * ROW_HEIGHT,
        label_x=LABEL_WIDTH,
        bar_x=LABEL_WIDTH + 10,
        bars=tuple(bars),
    )


@dataclass
class Report:
    tables: list[Table]
    poli_count: int
    median_days: float | None

    def table(self, name: str) -> Table:
        """Return the table called ``name``; raise ``KeyError`` if there is none."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


TABLES = ("aree", "province", "membri", "stati", "tempi")


def _poli_per_area(poli: list[PublicPolo]) -> Table:
    counts = Counter(polo.area_code for polo in poli)
    areas = list(EconomicArea.objects.all())
    return Table(
        name="aree",
        title=str(_("Poli riconosciuti per area economico-professionale")),
        description=str(_("Numero di poli riconosciuti in ciascuna area.")),
        label_heading=str(_("Area")),
        value_heading=str(_("Poli riconosciuti")),
        csv_columns=("area_nome", "poli_riconosciuti", "area_codice"),
        rows=[(area.name, counts.get(area.code, 0)) for area in areas],
        codes=[area.code for area in areas],
    )


def _poli_per_province(poli: list[PublicPolo]) -> Table:
    counts = Counter(
        polo.lead.province if polo.lead and polo.lead.province else "" for polo in poli
    )
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rows = [
        (f"{PROVINCE_NAMES.get(code, code)} ({code})" if code else str(_("Non indicata")), count)
        for code, count in ordered
    ]
    return Table(
        name="province",
        title=str(_("Poli riconosciuti per provincia del capofila")),
        description=str(_("Numero di poli riconosciuti per provincia del loro capofila.")),
        label_heading=str(_("Provincia")),
        value_heading=str(_("Poli riconosciuti")),
        csv_columns=("provincia", "poli_riconosciuti", "provincia_sigla"),
        rows=rows,
        codes=[code for code, _count in ordered],
    )


def _members_per_kind(poli: list[PublicPolo]) -> Table:
    counts = Counter(member.kind for polo in poli for member in polo.members)
    return Table(
        name="membri",
        title=str(_("Membri dei poli riconosciuti per tipo")),
        description=str(
            _(
                "Numero di membri dei poli riconosciuti per tipo; chi fa parte di più poli conta in ciascuno."
            )
        ),
        label_heading=str(_("Tipo di membro")),
        value_heading=str(_("Membri")),
        csv_columns=("membro_tipo_descrizione", "membri", "membro_tipo"),
        rows=[(str(label), counts.get(kind, 0)) for kind, label in OrganisationKind.choices],
        codes=list(OrganisationKind.values),
    )


def _applications_per_status() -> Table:
    """Count the submitted applications by the status their applicants are told.

    A proposal waiting for the manager is an internal step of the review: the
    applicant reads «In istruttoria» until the decision, and so does the public
    (a «proposta di rigetto» row would announce a rejection no decree has made).
    """
    counts: dict[str, int] = {}
    for status, count in (
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    ):
        told = applicant_status(status)
        counts[told] = counts.get(told, 0) + count
    statuses = [
        (status, label)
        for status, label in ApplicationStatus.choices
        if status != ApplicationStatus.DRAFT and status not in INTERNAL_STATUSES
    ]
    return Table(
        name="stati",
        title=str(_("Domande presentate per stato")),
        description=str(_("Numero di domande presentate, per stato attuale del procedimento.")),
        label_heading=str(_("Stato")),
        value_heading=str(_("Domande")),
        csv_columns=("stato_descrizione", "domande", "stato"),
        rows=[(str(label), counts.get(status, 0)) for status, label in statuses],
        codes=[status for status, _label in statuses],
    )


def procedure_days() -> list[tuple[int, float]]:
    """Return (year of the decree, days from first submission to decree) for every decision."""
    rows = (
        Decree.objects.filter(application__submitted_at__isnull=False)
        .order_by()
        .values_list("adopted_at", "application__submitted_at")
    )
    return [
        (
            timezone.localtime(adopted_at).year,
            (adopted_at - submitted_at).total_seconds() / 86400,
        )
        for adopted_at, submitted_at in rows
    ]


def _procedure_times(days: list[tuple[int, float]]) -> Table:
    by_year: dict[int, list[float]] = {}
    for year, value in days:
        by_year.setdefault(year, []).append(value)
    years = sorted(by_year)
    return Table(
        name="tempi",
        title=str(_("Durata mediana del procedimento per anno del decreto")),
        description=str(
            _(
                "Giorni di calendario dalla presentazione della domanda al decreto che la decide "
                "(riconoscimento o diniego), mediana per anno; le sospensioni non sono sottratte."
            )
        ),
        label_heading=str(_("Anno")),
        value_heading=str(_("Giorni (mediana)")),
        csv_columns=("anno", "giorni_mediana", "decreti"),
        rows=[(str(year), round(pystats.median(by_year[year]), 1)) for year in years],
        value_format="{:.1f}",
        extra_heading=str(_("Decreti")),
        extra=[len(by_year[year]) for year in years],
    )


def statistics_report() -> Report:
    """Compute every statistic of the public page (a fixed number of queries)."""
    poli = public_poli(recognised_poli())
    days = procedure_days()
    return Report(
        tables=[
            _poli_per_area(poli),
            _poli_per_province(poli),
            _members_per_kind(poli),
            _applications_per_status(),
            _procedure_times(days),
        ],
        poli_count=len(poli),
        median_days=round(pystats.median(value for _year, value in days), 1) if days else None,
    )


def table_csv(table: Table) -> str:
    """Return ``table`` as CSV (UTF-8, comma, the ``csv_columns`` header; decimals with a dot)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.csv_columns)
    for index, (label, value) in enumerate(table.rows):
        row: list[Any] = [label, value if table.value_format != "{:d}" else int(value)]
        if table.extra:
            row.append(table.extra[index])
        if table.codes:
            row.append(table.codes[index])
        writer.writerow(row)
    return buffer.getvalue()
