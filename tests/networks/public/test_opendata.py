"""Open data: CSV and JSON contents, DCAT-AP_IT catalogue, ETag / Last-Modified and 304."""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from eligibility.adapters import composition_from_network
from networks.models import Call, Decree, DecreeRenderStatus, EconomicArea
from networks.opendata import CSV_COLUMNS
from tests.factories import CallFactory, OrganisationFactory
from tests.networks.public.helpers import bulk_recognised_poli

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict[str, str]]:
    content = response.content
    assert not content.startswith(b"\xef\xbb\xbf"), "documented: UTF-8 without BOM"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


def test_csv_has_the_documented_columns_and_one_row_per_member(client, register):
    response = client.get(reverse("opendata_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert list(rows[0]) == [name for name, _description in CSV_COLUMNS]
    # 4 poli of 6 members + 2 poli of 7 (a university)
    assert len(rows) == 4 * 6 + 2 * 7
    assert {row["polo_id"] for row in rows} == {
        str(pk)
        for pk in [register.approved.pk]
        + [p.pk for p in register.meccanica]
        + [p.pk for p in register.turismo]
    }


def test_csv_values(client, register):
    polo = register.turismo[1]
    rows = [
        row
        for row in read_csv(client.get(reverse("opendata_csv")))
        if row["polo_id"] == str(polo.pk)
    ]
    decree = polo.decrees.get()
    lead = next(row for row in rows if row["capofila"] == "true")
    assert lead["membro_nome"] == "Istituto Tecnico 201 A"
    assert lead["membro_tipo"] == "institute"
    assert lead["membro_tipo_descrizione"] == "Istituto scolastico"
    assert lead["membro_codice_meccanografico"].startswith("COTF")
    assert lead["area_codice"] == "turismo"
    assert lead["area_nome"] == "Turismo"
    assert lead["decreto_numero"] == "201"
    assert lead["decreto_data"] == "2024-06-03"
    assert lead["riconoscimento_inizio"] == "2024-06-03"
    assert lead["riconoscimento_fine"] == "2026-08-31"
    assert lead["decreto_url_verifica"].endswith(f"/verifica/{decree.verification_code}/")
    company = next(row for row in rows if row["membro_chiave"] == "impresa-b")
    assert company["membro_partita_iva"]
    assert company["membro_provincia"] == "BG"
    body = next(row for row in rows if row["membro_tipo"] == "accredited_body")
    assert body["membro_codice_accreditamento"] == "LOM-00201"
    assert sum(row["capofila"] == "true" for row in rows) == 1


def test_csv_keeps_non_ascii_text(client, register):
    rows = read_csv(client.get(reverse("opendata_csv")))
    assert any(row["membro_nome"] == "University 200-0" for row in rows)
    assert any(row["membro_tipo_descrizione"] == "Università" for row in rows)


def test_json_items_are_valid_ptp_network_documents_without_contact(client, register):
    response = client.get(reverse("opendata_json"))
    assert response["Content-Type"].startswith("application/json")
    items = json.loads(response.content)
    assert isinstance(items, list)
    assert len(items) == 6
    for item in items:
        network = item["network"]
        assert network["format"] == "ptp-network/1"
        assert "contact" not in network
        composition_from_network(network)  # raises NetworkInputError if invalid
        decree = item["decree"]
        assert set(decree) >= {"number", "date", "verification_url", "sha256"}
        assert decree["verification_url"].endswith(f"/verifica/{decree['verification_code']}/")
        assert len(decree["sha256"]) == 64
    approved = next(item for item in items if item["id"] == register.approved.pk)
    assert approved["decree"]["sha256"] == register.approved.decrees.get().sha256
    assert approved["network"]["area"] == "meccanica"


def test_dcat_catalogue_has_the_required_dcat_ap_it_properties(client, register, settings):
    response = client.get(reverse("opendata_dcat"))
    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = json.loads(response.content)
    assert {"dcat", "dcatapit", "dct", "foaf"} <= set(catalogue["@context"])
    assert "dcatapit:Catalog" in catalogue["@type"]
    for key in ("dct:title", "dct:description", "dct:publisher", "dct:modified", "dcat:dataset"):
        assert catalogue[key], key
    assert catalogue["dct:publisher"]["dct:identifier"] == settings.PORTAL_IPA_CODE == "r_lombar"
    assert catalogue["dct:publisher"]["foaf:name"] == settings.PORTAL_REGION_NAME
    (dataset,) = catalogue["dcat:dataset"]
    assert "dcatapit:Dataset" in dataset["@type"]
    for key in (
        "dct:identifier",
        "dct:title",
        "dct:description",
        "dct:modified",
        "dcat:theme",
        "dct:rightsHolder",
        "dct:accrualPeriodicity",
        "dct:publisher",
        "dcat:contactPoint",
        "dcat:distribution",
    ):
        assert dataset[key], key
    assert dataset["dct:identifier"].startswith("r_lombar:")
    assert dataset["dcat:theme"] == [
        {"@id": "http://publications.europa.eu/resource/authority/data-theme/EDUC"}
    ]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", dataset["dct:modified"]["@value"])
    formats = {}
    for distribution in dataset["dcat:distribution"]:
        assert distribution["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        assert distribution["dcat:accessURL"]["@id"]
        formats[distribution["dct:format"]["@id"].rsplit("/", 1)[1]] = distribution[
            "dcat:downloadURL"
        ]["@id"]
    assert formats["CSV"].endswith("/open-data/poli.csv")
    assert formats["JSON"].endswith("/open-data/poli.json")


def test_the_dataset_was_issued_with_its_first_polo_and_stays_so(client, register, officer):
    """``dct:issued`` is the first publication; only ``dct:modified`` follows new decrees."""
    Decree.objects.filter(rendered_at__isnull=False).update(
        rendered_at=dt.datetime(2024, 6, 3, 23, 30, tzinfo=dt.UTC)  # 4 June in Rome
    )
    (newest,) = bulk_recognised_poli(
        1, user=officer, call=CallFactory(), organisation=OrganisationFactory(), first_number=902
    )
    newest.decrees.update(rendered_at=timezone.now())
    (dataset,) = json.loads(client.get(reverse("opendata_dcat")).content)["dcat:dataset"]
    assert dataset["dct:issued"] == {"@value": "2024-06-04", "@type": "xsd:date"}
    assert dataset["dct:modified"]["@value"] == timezone.localdate().isoformat()


def test_an_empty_register_has_no_issue_date_yet(client, db):
    (dataset,) = json.loads(client.get(reverse("opendata_dcat")).content)["dcat:dataset"]
    assert "dct:issued" not in dataset
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", dataset["dct:modified"]["@value"])


@pytest.mark.parametrize("name", ["opendata_csv", "opendata_json", "opendata_dcat"])
def test_exports_answer_304_when_unchanged(client, register, name):
    url = reverse(name)
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag
    assert last_modified
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("opendata_csv", {}),
        ("opendata_json", {}),
        ("opendata_dcat", {}),
        ("statistics_csv", {"table": "aree"}),
    ],
)
def test_a_304_carries_the_caching_headers_of_its_200(client, register, name, query):
    """RFC 9110, 15.4.5: a 304 repeats the Cache-Control (and here the CORS header) of the 200."""
    url = reverse(name)
    first = client.get(url, query)
    revalidated = client.get(url, query, headers={"If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304
    for header in ("Cache-Control", "Access-Control-Allow-Origin", "Content-Language", "ETag"):
        assert revalidated.get(header) == first[header], header


def test_a_refused_statistics_table_is_not_publicly_cacheable(client, register):
    response = client.get(reverse("statistics_csv"), {"table": "nessuna"})
    assert response.status_code == 400
    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("Access-Control-Allow-Origin")


@pytest.mark.parametrize("name", ["opendata_csv", "opendata_json", "opendata_dcat"])
def test_a_cached_export_costs_one_query(client, register, name, django_assert_num_queries):
    """ETag, Last-Modified and the cached body share one reading of the register's version."""
    url = reverse(name)
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def _everything_changed_an_hour_ago() -> None:
    """Date every change of the register an hour ago, or earlier when it was.

    Last-Modified counts seconds: a change in the second of the first reading
    would not be later. ``update`` leaves ``auto_now`` alone.
    """
    when = timezone.now() - dt.timedelta(hours=1)
    EconomicArea.objects.update(updated_at=when)
    Call.objects.update(updated_at=when)
    Decree.objects.filter(rendered_at__gt=when).update(rendered_at=when)


def test_last_modified_is_the_latest_recognition_decree(client, register):
    _everything_changed_an_hour_ago()
    latest = max(
        decree.rendered_at
        for polo in [register.approved, *register.meccanica, *register.turismo]
        for decree in polo.decrees.all()
    )
    assert latest < timezone.now() - dt.timedelta(minutes=59)
    assert client.get(reverse("opendata_csv"))["Last-Modified"] == http_date(latest.timestamp())


def test_a_decree_rendered_late_moves_last_modified(client, register):
    """A retried rendering recognises a polo adopted before the newest one: the files change."""
    _everything_changed_an_hour_ago()
    url = reverse("opendata_csv")
    last_modified = client.get(url)["Last-Modified"]
    late = register.unrendered.decrees.get()
    late.render_status = DecreeRenderStatus.RENDERED
    late.rendered_at = timezone.now()
    late.save()
    response = client.get(url, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 200
    assert response["Last-Modified"] == http_date(late.rendered_at.timestamp())
    assert register.unrendered.name in response.content.decode()


@pytest.mark.parametrize(
    ("name", "rename"),
    [
        ("opendata_csv", "area"),
        ("opendata_json", "area"),
        ("opendata_csv", "call"),
        ("opendata_json", "call"),
    ],
)
def test_renaming_an_area_or_a_call_is_a_new_version_of_the_files(client, register, name, rename):
    """The files print the area's name and the call's title, read from the catalogue."""
    _everything_changed_an_hour_ago()
    url = reverse(name)
    first = client.get(url)
    if rename == "area":
        renamed = register.approved.area
        renamed.name = "Meccanica e meccatronica"
    else:
        renamed = register.approved.call
        renamed.title = "Avviso rinominato dal catalogo"
    renamed.save()
    conditional = {"If-None-Match": first["ETag"], "If-Modified-Since": first["Last-Modified"]}
    response = client.get(url, headers=conditional)
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert (renamed.name if rename == "area" else renamed.title) in response.content.decode()
    only_since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert only_since.status_code == 200


def test_a_new_recognition_changes_the_etag(client, register, officer):
    url = reverse("opendata_json")
    etag = client.get(url)["ETag"]
    bulk_recognised_poli(
        1, user=officer, call=CallFactory(), organisation=OrganisationFactory(), first_number=900
    )
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


@pytest.mark.parametrize("name", ["opendata_csv", "opendata_json"])
def test_cached_export_includes_a_new_recognition_at_once(client, register, officer, name):
    url = reverse(name)
    before = client.get(url).content.decode()
    bulk_recognised_poli(
        1,
        user=officer,
        call=CallFactory(),
        organisation=OrganisationFactory(),
        first_number=901,
        name_prefix="Polo Appena Riconosciuto",
    )
    after = client.get(url).content.decode()
    assert "Polo Appena Riconosciuto" not in before
    assert "Polo Appena Riconosciuto" in after


def test_opendata_page_documents_columns_and_licence(client, register):
    html = client.get(reverse("opendata")).content.decode()
    for name, _description in CSV_COLUMNS:
        assert f"<code>{name}</code>" in html
    assert "CC BY 4.0" in html
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    assert "UTF-8 senza BOM" in html
    for name in ("opendata_csv", "opendata_json", "opendata_dcat"):
        assert reverse(name) in html


# --- one URL, one file: the exports do not change with the reader's language --------------------

OPEN_DATA = ["opendata_csv", "opendata_json", "opendata_dcat"]


def choose_english(client, settings, how: str) -> dict:
    """Choose English as a reader would (cookie of the language menu, or the browser's setting)."""
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return {}
    return {"Accept-Language": "en"}


@pytest.mark.parametrize("how", ["cookie", "accept-language"])
@pytest.mark.parametrize("name", OPEN_DATA)
def test_an_export_is_the_same_file_whatever_the_language(client, register, settings, name, how):
    """The first reader may read the pages in English: the file cached is still the Italian one."""
    url = reverse(name)
    english = client.get(url, headers=choose_english(client, settings, how))
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    italian = client.get(url)
    assert english.content == italian.content
    assert english["ETag"] == italian["ETag"]
    assert english["Content-Language"] == italian["Content-Language"] == "it"


@pytest.mark.parametrize("how", ["cookie", "accept-language"])
def test_an_english_reader_revalidates_and_gets_the_italian_labels(client, register, settings, how):
    """The 304 for an ETag of the Italian file is right: the English reader gets that file."""
    url = reverse("opendata_csv")
    etag = client.get(url)["ETag"]
    headers = choose_english(client, settings, how)
    assert client.get(url, headers={**headers, "If-None-Match": etag}).status_code == 304
    rows = read_csv(client.get(url, headers=headers))
    labels = {row["membro_tipo"]: row["membro_tipo_descrizione"] for row in rows}
    assert labels["university"] == "Università"
    assert labels["institute"] == "Istituto scolastico"
    assert list(rows[0]) == [name for name, _description in CSV_COLUMNS]


def test_the_opendata_page_says_the_files_do_not_change_with_the_language(client, db):
    html = client.get(reverse("opendata")).content.decode()
    assert "non cambiano con la lingua del portale" in html


def test_the_exports_translate_the_member_kinds_once_not_once_per_member(
    client, register, monkeypatch
):
    """Every export lists every member of every polo: 1,600 poli are ~25,000 members, and a
    lazy label turned into text for each one was a fifth of the time of the statistics."""
    from networks import selectors_public

    calls = []
    kind_labels = selectors_public._kind_labels

    def counted() -> dict[str, str]:
        calls.append(1)
        return kind_labels()

    monkeypatch.setattr(selectors_public, "_kind_labels", counted)
    body = client.get(reverse("opendata_csv")).content.decode()
    assert len(calls) == 1
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len({row["polo_id"] for row in rows}) == 6
    assert "Istituto scolastico" in {row["membro_tipo_descrizione"] for row in rows}


def test_an_empty_register_still_changes_its_version_with_the_catalogue(client):
    """With no polo recognised yet, a renamed area changes the register's version: the ETag
    of a file naming it changes, and the old one is no longer answered with a 304."""
    from django.core.cache import cache

    from networks.models import EconomicArea
    from networks.selectors_public import register_signature

    before = register_signature()
    assert before.count == 0
    assert before.latest is not None  # the catalogue's last change
    etag = client.get("/statistiche/dati.csv?table=aree")["ETag"]
    area = EconomicArea.objects.get(code="meccanica")
    area.name = "Meccanica e meccatronica"
    area.save()
    assert register_signature() != before
    cache.clear()
    response = client.get("/statistiche/dati.csv?table=aree", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Meccanica e meccatronica" in response.content.decode()
    assert response["ETag"] != etag


def test_the_catalogue_of_an_empty_register_is_dated_by_its_last_change(client):
    """One ETag names one content: dct:modified is the catalogue's last change, not today."""
    from networks.models import EconomicArea
    from networks.selectors_public import register_signature

    latest = register_signature().latest
    catalogue = json.loads(client.get("/open-data/catalogo.jsonld").content)
    assert catalogue["dct:modified"]["@value"] == timezone.localtime(latest).date().isoformat()
    assert EconomicArea.objects.exists()
