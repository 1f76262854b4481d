"""The simulator: typed-in and uploaded networks, rule-by-rule verdicts, input errors, no writes."""

import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.views.public import SIMULATOR_LIMIT
from tests.networks.public.helpers import PLANTED_EMAIL, network_document

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "kind": "institute",
        "name": "ITIS Galilei",
        "province": "MI",
        "lead": "on",
        "school_code": "MITF00011X",
        "status": "statale",
        "offerings": "IT-MME 2015/16-",
    },
    {
        "kind": "institute",
        "name": "IPSIA Volta",
        "province": "MI",
        "school_code": "MIRI00012X",
        "status": "paritaria",
        "offerings": "IT-MME 2016/17-",
    },
    {
        "kind": "company",
        "name": "Officine Rossi S.p.A.",
        "province": "MI",
        "vat_number": "00000119990",
        "ateco": "28.13",
        "commitment_signed": "on",
    },
    {
        "kind": "company",
        "name": "Meccanica Bianchi S.r.l.",
        "province": "BG",
        "vat_number": "00000129999",
        "ateco": "28.13",
        "commitment_signed": "on",
    },
    {
        "kind": "accredited_body",
        "name": "Ente di Formazione Lombardo",
        "sections": ["A"],
        "offerings": "IEFP-MEC 2015/16-",
    },
    {
        "kind": "its",
        "name": "ITS Meccatronica",
        "offerings": "ITSO-MI-MEC 2015/16-2023/24\nITS-06 2024/25-",
    },
]


def form_data(rows: list[dict], *, area: str = "meccanica", extra_rows: int = 1, **network) -> dict:
    from tests.factories import fictitious_vat

    assert fictitious_vat(11) == "00000119990"
    assert fictitious_vat(12) == "00000129999"
    data = {
        "name": "Polo simulato",
        "area": area,
        "reference_date": "23/11/2026",
        "form-TOTAL_FORMS": str(len(rows) + extra_rows),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "60",
        **network,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"form-{index}-{name}"] = value
    return data


def json_upload(document: object, name: str = "rete.json") -> SimpleUploadedFile:
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_shows_an_empty_form(client, db):
    response = client.get(reverse("simulator"))
    assert response.status_code == 200
    assert 'name="form-TOTAL_FORMS"' in response.content.decode()


def test_an_eligible_typed_network_is_eligible_rule_by_rule(client, db):
    before = row_counts()
    response = client.post(reverse("simulator"), form_data(ROWS))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-verdict="eligible"' in html
    for code in (
        "PTP-AREA",
        "PTP-INSTITUTES",
        "PTP-COMPANIES",
        "PTP-ACCREDITED-A",
        "PTP-ITS",
        "PTP-OFFER-3Y",
    ):
        assert f"({code})" in html
    assert "DGR X/124/2013" in html  # citations
    assert row_counts() == before


def test_a_short_network_fails_with_message_and_hint(client, db):
    response = client.post(reverse("simulator"), form_data(ROWS[:1] + ROWS[2:]))
    html = response.content.decode()
    assert 'data-verdict="not_eligible"' in html
    assert "rule-result--fail" in html
    assert "Come rimediare:" in html


def test_its_founders_by_member_number(client, db):
    rows = [dict(row) for row in ROWS]
    rows[5]["founders"] = "3"
    html = client.post(reverse("simulator"), form_data(rows)).content.decode()
    assert 'data-verdict="not_eligible"' in html  # the founder company no longer counts
    assert "(PTP-ITS-FOUNDERS)" in html


def test_typed_errors_show_with_their_paths_and_keep_the_form(client, db):
    rows = [dict(row) for row in ROWS]
    rows[2]["vat_number"] = "12345678901"
    response = client.post(reverse("simulator"), form_data(rows))
    html = response.content.decode()
    assert "<code>members[2].vat_number</code>" in html
    assert "data-verdict" not in html
    assert 'value="Officine Rossi S.p.A."' in html


def test_a_bad_offering_line_is_a_field_error(client, db):
    rows = [dict(row) for row in ROWS]
    rows[0]["offerings"] = "IT-MME dal 2015"
    html = client.post(reverse("simulator"), form_data(rows)).content.decode()
    assert "Riga 1:" in html
    assert "data-verdict" not in html


def test_an_uploaded_network_is_evaluated(client, db):
    before = row_counts()
    document = network_document(5, name="Polo caricato")
    response = client.post(reverse("simulator"), {**form_data([]), "upload": json_upload(document)})
    html = response.content.decode()
    assert 'data-verdict="eligible"' in html
    assert "Polo caricato" in html
    assert PLANTED_EMAIL not in html
    assert row_counts() == before


def test_a_broken_upload_lists_errors_with_json_paths_and_keeps_the_form(client, db):
    document = network_document(5, name="Polo rotto")
    document["members"][2]["vat_number"] = "00000000000X"
    document["members"][0]["offerings"][0]["programme"] = "NON-ESISTE"
    document["area"] = "astronautica"
    del document["members"][1]["status"]
    response = client.post(
        reverse("simulator"), {**form_data(ROWS[:1]), "upload": json_upload(document)}
    )
    html = response.content.decode()
    assert "data-verdict" not in html
    for path in (
        "area",
        "members[0].offerings[0].programme",
        "members[1].status",
        "members[2].vat_number",
    ):
        assert f"<code>{path}</code>" in html, path
    assert "campo obbligatorio mancante" in html
    assert 'value="ITIS Galilei"' in html  # what was typed is kept


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "JSON non valido alla riga 1"),
        (b"\xff\xfe\x00garbage", "non è testo UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON"),
        (b"[1, 2, 3]", "il documento deve essere un oggetto JSON"),
        (b'{"name": ' + b"9" * 5001 + b"}", "un numero con troppe cifre"),
    ],
)
def test_unparseable_uploads_are_explained(client, db, content, message):
    response = client.post(reverse("simulator"), {**form_data([]), "upload": json_upload(content)})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_refuses_an_upload_over_1_mb(client, db):
    big = b'{"format": "ptp-network/1", "name": "' + b"x" * (1024 * 1024) + b'"}'
    response = client.post(reverse("simulator"), {**form_data([]), "upload": json_upload(big)})
    assert "Il file supera 1 MB" in response.content.decode()


def test_add_rows_without_javascript(client, db):
    data = form_data(ROWS[:2], extra_rows=0)
    response = client.post(reverse("simulator"), {**data, "add_rows": "1"})
    html = response.content.decode()
    assert 'name="form-TOTAL_FORMS" value="6"' in html
    assert "Membro 6" in html
    assert "data-verdict" not in html


@pytest.mark.parametrize("total", ["abc", "-5", ""])
def test_add_rows_with_a_tampered_row_count_starts_from_the_empty_rows(client, db, total):
    data = {**form_data(ROWS[:2], extra_rows=0), "form-TOTAL_FORMS": total, "add_rows": "1"}
    response = client.post(reverse("simulator"), data)
    assert response.status_code == 200
    assert 'name="form-TOTAL_FORMS" value="4"' in response.content.decode()


def test_rate_limited_per_ip(client, db):
    data = form_data(ROWS)
    for _ in range(SIMULATOR_LIMIT):
        assert client.post(reverse("simulator"), data).status_code == 200
    response = client.post(reverse("simulator"), data)
    assert response.status_code == 429
    assert "Troppe verifiche" in response.content.decode()
    other = client.post(reverse("simulator"), data, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


@pytest.mark.parametrize("reference_date", ["0001-01-01", "9999-12-31"])
def test_an_uploaded_reference_date_out_of_range_is_an_error_not_a_crash(
    client, db, reference_date
):
    document = network_document(5, name="Polo fuori tempo")
    document["reference_date"] = reference_date
    data = {**form_data([]), "reference_date": "", "upload": json_upload(document)}
    html = client.post(reverse("simulator"), data).content.decode()
    assert "data-verdict" not in html
    assert "<code>reference_date</code>" in html
    assert "fuori dall&#x27;intervallo ammesso" in html


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999"])
def test_a_typed_reference_date_out_of_range_is_an_error_not_a_crash(client, db, typed):
    response = client.post(reverse("simulator"), form_data(ROWS, reference_date=typed))
    assert response.status_code < 500
    html = response.content.decode()
    assert "data-verdict" not in html
    assert "fuori dall&#x27;intervallo ammesso" in html
