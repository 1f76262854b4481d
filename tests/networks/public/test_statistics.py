"""Statistics on a known dataset: numbers, SVG charts with their tables, CSV per table."""

import csv
import io
import re

import pytest
from django.urls import reverse

from networks.constants import ApplicationStatus as S
from networks.models import EconomicArea
from networks.stats import TABLES, statistics_report
from tests.procedure import bring_to

pytestmark = pytest.mark.django_db


def table(name: str) -> dict[str, float]:
    return dict(statistics_report().table(name).rows)


def test_poli_per_area(register):
    rows = table("aree")
    assert rows["Meccanica"] == 4
    assert rows["Turismo"] == 2
    assert rows["Cultura"] == 0
    assert len(rows) == 7


def test_poli_per_province_of_the_lead_partner(register):
    assert table("province") == {"Milano (MI)": 4, "Como (CO)": 2}


def test_members_per_kind(register):
    rows = table("membri")
    assert rows["Istituto scolastico"] == 12
    assert rows["Impresa"] == 12
    assert rows["Ente di formazione accreditato"] == 6
    assert rows["ITS Academy"] == 6
    assert rows["Università"] == 2
    assert rows["Altro soggetto"] == 0


def test_applications_per_status_excludes_drafts(register):
    rows = table("stati")
    assert "Bozza" not in rows
    # 6 recognised + 1 approved whose decree is not rendered yet
    assert rows["Approvata"] == 7
    assert rows["Respinta"] == 1
    assert rows["Presentata"] == 1
    assert rows["Ritirata"] == 1
    assert rows["In istruttoria"] == 0


def test_a_proposal_waiting_for_the_manager_counts_as_in_review(
    register, applicant, officer, manager
):
    """The public reads the statuses the applicant is told: no «Proposta di rigetto» row."""
    before = table("stati")
    bring_to(S.REJECTION_PROPOSED, applicant=applicant, officer=officer, manager=manager)
    bring_to(S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager)
    rows = table("stati")
    assert "Proposta di rigetto" not in rows
    assert "Proposta di approvazione" not in rows
    assert rows["In istruttoria"] == before["In istruttoria"] + 2
    assert "rejection_proposed" not in stats_csv("stati")


def test_median_procedure_time(register):
    report = statistics_report()
    rows = dict(report.table("tempi").rows)
    # 2024: two turismo decrees at 30 days; 2025: 10, 10, 10 (meccanica), 50 (rejection), 20 x 4
    assert rows["2024"] == 30
    assert rows["2025"] == 20
    assert rows["2026"] < 1  # the application taken through the services in this test
    assert report.median_days == 20


def test_page_has_an_accessible_svg_chart_and_a_table_for_each_statistic(client, register):
    html = client.get(reverse("statistics")).content.decode()
    for name in TABLES:
        assert f'aria-labelledby="{name}-svg-title {name}-svg-desc"' in html
        assert f'<title id="{name}-svg-title">' in html
        assert f'<desc id="{name}-svg-desc">' in html
        assert f'href="{reverse("statistics_csv")}?table={name}"' in html
    assert html.count('role="img"') == len(TABLES)
    assert html.count("<table") == len(TABLES)
    assert 'style="' not in html.split('<main id="contenuto"')[1].split("</main>")[0]


def test_bar_widths_are_proportional(register):
    chart = statistics_report().table("aree").chart
    widths = {bar.label: bar.width for bar in chart.bars}
    assert widths["Meccanica"] == 2 * widths["Turismo"]
    assert widths["Cultura"] == 0


@pytest.mark.parametrize("name", TABLES)
def test_each_table_downloads_as_csv(client, register, name):
    response = client.get(reverse("statistics_csv"), {"table": name})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    report_rows = statistics_report().table(name).rows
    assert len(rows) == len(report_rows) + 1
    assert [row[0] for row in rows[1:]] == [label for label, _value in report_rows]


def test_a_table_csv_is_served_like_the_other_open_data_files(client, register):
    """Readable from a web page of another site (CORS) and cacheable, as poli.csv is."""
    response = client.get(reverse("statistics_csv"), {"table": "aree"})
    register_csv = client.get(reverse("opendata_csv"))
    for header in ("Access-Control-Allow-Origin", "Cache-Control", "Content-Language"):
        assert response[header] == register_csv[header]


def test_a_table_csv_revalidates_until_an_application_changes(client, register, applicant):
    """An ETag as for poli.csv: a harvester asking again gets a 304.

    No Last-Modified: the table moves with the steps of every review, and when
    the last of them happened is not the public's to read. The ETag is opaque.
    """
    from tests.factories import submitted_application

    url = reverse("statistics_csv")
    first = client.get(url, {"table": "stati"})
    assert re.fullmatch(r'"[0-9a-f]{32}"', first["ETag"])
    assert "Last-Modified" not in first
    other_table = client.get(url, {"table": "aree"})
    assert other_table["ETag"] != first["ETag"]
    conditional = {"If-None-Match": first["ETag"]}
    assert client.get(url, {"table": "stati"}, headers=conditional).status_code == 304
    submitted_application(applicant)
    changed = client.get(url, {"table": "stati"}, headers=conditional)
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed.content.decode() == stats_csv("stati")
    unknown = client.get(url, {"table": "nope"}, headers={"If-None-Match": "*"})
    assert unknown.status_code == 400


def test_csv_of_an_unknown_table_is_a_bad_request(client, db):
    assert client.get(reverse("statistics_csv"), {"table": "nope"}).status_code == 400
    assert client.get(reverse("statistics_csv")).status_code == 400


def test_page_is_computed_again_when_an_application_is_filed(
    client, register, applicant, django_assert_max_num_queries
):
    """A repeated visit reads two versions only; a new submission changes the counts at once."""
    from tests.factories import submitted_application

    client.get(reverse("statistics"))
    with django_assert_max_num_queries(2):
        assert client.get(reverse("statistics")).status_code == 200
    before = client.get(reverse("statistics_csv"), {"table": "stati"})
    submitted_application(applicant)
    after = client.get(reverse("statistics_csv"), {"table": "stati"})
    assert before.content != after.content
    assert after.content.decode() == stats_csv("stati")


def stats_csv(name: str) -> str:
    from networks.stats import table_csv

    return table_csv(statistics_report().table(name))


# --- the CSV is open data: stable column names and codes, the same file in every language ---------

CSV_HEADERS = {
    "aree": ["area_nome", "poli_riconosciuti", "area_codice"],
    "province": ["provincia", "poli_riconosciuti", "provincia_sigla"],
    "membri": ["membro_tipo_descrizione", "membri", "membro_tipo"],
    "stati": ["stato_descrizione", "domande", "stato"],
    "tempi": ["anno", "giorni_mediana", "decreti"],
}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))


def read_in_english(client, settings, url: str, query: dict):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        return client.get(url, query)
    finally:
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]


@pytest.mark.parametrize("name", TABLES)
def test_csv_column_names_are_identifiers_and_the_file_is_the_same_in_english(
    client, register, settings, name
):
    """An English reader, even the first one, gets the Italian file: headers are not translated."""
    url = reverse("statistics_csv")
    english = read_in_english(client, settings, url, {"table": name})
    italian = client.get(url, {"table": name})
    assert csv_rows(english)[0] == CSV_HEADERS[name]
    assert english.content == italian.content
    assert english["Content-Language"] == "it"


def test_the_english_page_is_still_in_english(client, register, settings):
    """The premise of the test above: the cookie does switch the pages to English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("statistics")).content.decode()
    assert "Recognised poli" in html


def test_areas_csv_identifies_each_area_by_its_code(client, register):
    from networks.models import EconomicArea

    rows = csv_rows(client.get(reverse("statistics_csv"), {"table": "aree"}))
    by_code = {code: (name, count) for name, count, code in rows[1:]}
    assert by_code["meccanica"] == ("Meccanica", "4")
    assert by_code["turismo"] == ("Turismo", "2")
    assert set(by_code) == set(EconomicArea.objects.values_list("code", flat=True))


def test_members_csv_gives_kind_codes_and_italian_labels_in_english(client, register, settings):
    english = read_in_english(client, settings, reverse("statistics_csv"), {"table": "membri"})
    by_code = {code: (label, count) for label, count, code in csv_rows(english)[1:]}
    assert by_code["university"] == ("Università", "2")
    assert by_code["institute"] == ("Istituto scolastico", "12")
    assert by_code["other"] == ("Altro soggetto", "0")


def test_province_and_status_csv_rows_carry_their_codes(client, register):
    from networks.constants import INTERNAL_STATUSES, ApplicationStatus

    provinces = csv_rows(client.get(reverse("statistics_csv"), {"table": "province"}))
    assert {code: count for _label, count, code in provinces[1:]} == {"MI": "4", "CO": "2"}
    statuses = csv_rows(client.get(reverse("statistics_csv"), {"table": "stati"}))
    by_code = {code: count for _label, count, code in statuses[1:]}
    assert set(by_code) == set(ApplicationStatus.values) - {ApplicationStatus.DRAFT} - set(
        INTERNAL_STATUSES
    )
    assert by_code[ApplicationStatus.APPROVED] == "7"


def test_deleting_an_area_that_is_not_the_newest_changes_the_tables_etag(
    client, register, catalogue_admin
):
    """The table of areas lists every area: a deletion must not leave clients on a 304."""
    unused = EconomicArea.objects.create(code="prova", name="Area di prova", position=99)
    area = EconomicArea.objects.get(code="meccanica")
    area.save()  # the newest change is now another area's
    url = reverse("statistics_csv")
    first = client.get(url, {"table": "aree"})
    assert "Area di prova" in first.content.decode()
    client.force_login(catalogue_admin)
    client.post(reverse("admin:networks_economicarea_delete", args=[unused.pk]), {"post": "yes"})
    client.logout()
    assert not EconomicArea.objects.filter(code="prova").exists()
    again = client.get(url, {"table": "aree"}, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "Area di prova" not in again.content.decode()


def test_decimals_follow_the_language_in_the_summary_the_table_and_the_chart(
    client, register, settings
):
    """A comma in Italian, a point in English, wherever a median is written."""
    import re

    def decimals(html: str) -> tuple[set[str], set[str]]:
        # The words the page shows, not the coordinates of the chart's SVG shapes.
        main = re.sub(r"<[^>]+>", " ", html[html.index("<main") : html.index("</main>")])
        return set(re.findall(r"\b\d+,\d\b", main)), set(re.findall(r"\b\d+\.\d\b", main))

    italian = client.get(reverse("statistics")).content.decode()
    commas, points = decimals(italian)
    assert "20,0" in commas
    assert not points
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("statistics")).content.decode()
    commas, points = decimals(english)
    assert "20.0" in points
    assert not commas
