"""The simulator: typed-in and uploaded networks, rule-by-rule verdicts, input errors, no writes."""

import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from networks.views.public import SIMULATOR_LIMIT
from tests.helpers import languages_of
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


def test_the_verdict_names_the_rules_by_their_title_not_their_code(client, db):
    """The public read «Regole lombardia-dgr-124-2013»: an identifier, not the rules' name."""
    html = client.post(reverse("simulator"), form_data(ROWS)).content.decode()
    assert (
        "Regole «Regione Lombardia — Poli Tecnici Professionali (DGR X/124 del 14 maggio 2013)», "
        "data di riferimento"
    ) in html
    assert "lombardia-dgr-124-2013" not in html


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


def test_typed_errors_show_at_their_fields_and_keep_the_form(client, db):
    rows = [dict(row) for row in ROWS]
    rows[2]["vat_number"] = "12345678901"
    response = client.post(reverse("simulator"), form_data(rows))
    html = response.content.decode()
    errors = response.context["formset"].forms[2].errors
    [message] = errors["vat_number"]
    assert message.startswith("La partita IVA 12345678901 non è valida: le cifre dall'ottava")
    assert '<div id="id_form-2-vat_number_error" class="invalid-feedback d-block">' in html
    assert '<a href="#id_form-2-vat_number">Membro 3 – Partita IVA</a>:' in html
    assert "members[" not in html
    assert "data-verdict" not in html
    assert 'value="Officine Rossi S.p.A."' in html
    assert 'value="12345678901"' in html


@pytest.mark.parametrize(
    ("ateco", "offerings"),
    [
        ("2813", "IT-MME 2015/16-"),
        ("２８.１３", "IT-MME ２０１５/１６-"),
        ("28.13 ", "IT-MME ٢٠١٥/١٦-"),
    ],
    ids=["compact-ateco", "full-width", "other-digits"],
)
def test_typed_codes_are_read_as_people_type_them(client, db, ateco, offerings):
    """A file must write them canonically (decision 0005); the simulator's fields need not."""
    rows = [dict(row) for row in ROWS]
    rows[2]["ateco"] = ateco
    rows[0]["offerings"] = offerings
    response = client.post(reverse("simulator"), form_data(rows))
    assert 'data-verdict="eligible"' in response.content.decode()


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
        (b"[1, 2, 3]", "Il documento deve essere un oggetto JSON"),
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


def test_behind_a_balancer_each_citizen_has_their_own_limit(client, db, settings):
    """With PORTAL_PROXY_COUNT=1 the address is the balancer's X-Forwarded-For entry, not its own."""
    settings.PORTAL_PROXY_COUNT = 1
    data = form_data(ROWS)
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(SIMULATOR_LIMIT):
        client.post(reverse("simulator"), data, HTTP_X_FORWARDED_FOR="203.0.113.5", **balancer)
    assert (
        client.post(
            reverse("simulator"), data, HTTP_X_FORWARDED_FOR="203.0.113.5", **balancer
        ).status_code
        == 429
    )
    other = client.post(reverse("simulator"), data, HTTP_X_FORWARDED_FOR="198.51.100.7", **balancer)
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


def field_errors(response, number: int | None = None) -> dict[str, list[str]]:
    """Return the errors of the network's form, or of member ``number`` (1-based)."""
    if number is None:
        return dict(response.context["network_form"].errors)
    return dict(response.context["formset"].forms[number - 1].errors)


def test_a_typed_network_is_checked_in_one_submission(client, db):
    """A row without a kind does not hide the other rows' code and VAT errors till the next submit."""
    rows = [dict(row) for row in ROWS]
    rows[0] = {"name": "Scuola senza tipo", "school_code": "MITF00011X"}
    rows[1]["school_code"] = "MIRI0001"
    rows[2]["vat_number"] = "12345678901"
    rows[5]["offerings"] = "NON-ESISTE 2015/16-"
    response = client.post(reverse("simulator"), form_data(rows))
    html = response.content.decode()
    assert field_errors(response, 1) == {"kind": ["Scegli il tipo di membro."]}
    assert field_errors(response, 2)["school_code"] == [
        "Il codice meccanografico deve avere 10 caratteri (per esempio SPIS00600X): "
        "ne hai scritti 8."
    ]
    assert "vat_number" in field_errors(response, 3)
    assert field_errors(response, 6)["offerings"] == ["Riga 1: indirizzo sconosciuto 'NON-ESISTE'."]
    assert "data-verdict" not in html
    for label in (
        "Membro 1 – Tipo",
        "Membro 2 – Codice meccanografico",
        "Membro 3 – Partita IVA",
        "Membro 6 – Offerta formativa",
    ):
        assert f"{label}</a>:" in html, label


def test_an_institute_without_status_names_the_statuses_by_their_labels(client, db):
    rows = [dict(row) for row in ROWS]
    rows[1]["status"] = ""
    response = client.post(reverse("simulator"), form_data(rows))
    assert field_errors(response, 2) == {
        "status": ["Scegli lo stato giuridico dell'istituto: Statale, Paritaria o Non paritaria."]
    }
    assert "non_paritaria" not in response.content.decode().split('<form method="post"')[0]


def test_a_company_needs_its_vat_number_and_an_ateco_code(client, db):
    rows = [dict(row) for row in ROWS]
    rows[2]["vat_number"] = ""
    rows[2]["ateco"] = ""
    response = client.post(reverse("simulator"), form_data(rows))
    assert field_errors(response, 3) == {
        "vat_number": ["Indica la partita IVA dell'impresa."],
        "ateco": ["Indica almeno un codice ATECO 2025, quello dell'attività prevalente."],
    }


def test_a_typed_network_without_area_asks_for_it_at_the_field(client, db):
    response = client.post(reverse("simulator"), form_data(ROWS, area=""))
    html = response.content.decode()
    assert field_errors(response) == {"area": ["Scegli l'area economico-professionale del polo."]}
    assert '<a href="#id_area">Area economico-professionale</a>:' in html
    assert "non può essere vuoto" not in html
    assert "data-verdict" not in html


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999"])
def test_a_typed_reference_date_out_of_range_is_shown_at_the_field_as_typed(client, db, typed):
    response = client.post(reverse("simulator"), form_data(ROWS, reference_date=typed))
    assert field_errors(response) == {
        "reference_date": [
            f"La data {typed} è fuori dall'intervallo ammesso: usa una data tra 01/01/2000 "
            "e 31/12/2099."
        ]
    }
    html = response.content.decode()
    assert "2000-01-01" not in html
    assert f'value="{typed}"' in html


def test_its_founders_must_be_filled_in_rows_other_than_the_its(client, db):
    rows = [dict(row) for row in ROWS]
    rows[5]["founders"] = "6, 9"
    response = client.post(reverse("simulator"), form_data(rows))
    assert field_errors(response, 6) == {
        "founders": [
            "Un ITS non può essere socio fondatore di se stesso.",
            "La scheda 9 è vuota o non esiste: indica i numeri delle schede dei soci fondatori.",
        ]
    }
    assert "membro-9" not in response.content.decode()


def test_a_row_with_only_a_code_typed_is_not_ignored(client, db):
    rows = [*ROWS, {"school_code": "MITF00013X"}]
    response = client.post(reverse("simulator"), form_data(rows))
    assert field_errors(response, 7) == {
        "kind": ["Scegli il tipo di membro."],
        "name": ["Indica la denominazione."],
    }
    assert "data-verdict" not in response.content.decode()


def test_two_leads_and_a_row_error_are_reported_together(client, db):
    rows = [dict(row) for row in ROWS]
    rows[1]["lead"] = "on"
    rows[0]["offerings"] = "IT-MME dal 2015"
    response = client.post(reverse("simulator"), form_data(rows))
    html = response.content.decode()
    assert "Indica un solo capofila." in html
    assert "Riga 1:" in html


def test_the_verdict_does_not_read_out_its_internal_code(client, db):
    html = client.post(reverse("simulator"), form_data(ROWS[:1] + ROWS[2:])).content.decode()
    assert 'data-verdict="not_eligible"' in html
    assert "Non ammissibile" in html
    assert "(not_eligible)" not in html


def test_the_rate_limit_keeps_what_was_typed(client, db):
    data = form_data(ROWS)
    for _ in range(SIMULATOR_LIMIT):
        client.post(reverse("simulator"), data)
    response = client.post(reverse("simulator"), data)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Troppe verifiche in poco tempo" in html
    assert 'value="ITIS Galilei"' in html
    assert 'value="23/11/2026"' in html


# --- founders typed as anything but plain row numbers ---------------------------------------------


def its_row_with_founders(founders: str) -> list[dict]:
    rows = [dict(row) for row in ROWS]
    rows[5]["founders"] = founders
    return rows


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("²", "«²» non è il numero di una scheda"),
        ("1,①", "«①» non è il numero di una scheda"),
        ("٣", "«٣» non è il numero di una scheda"),
        ("3.5", "«3.5» non è il numero di una scheda"),
        ("-3", "«-3» non è il numero di una scheda"),
        ("0", "La scheda 0 non esiste"),
        ("61", "La scheda 61 non esiste"),
        ("9" * 5000, "La scheda 9999999999… non esiste"),
    ],
)
def test_founders_that_are_not_row_numbers_are_a_field_error_not_a_crash(
    client, db, typed, message
):
    """Unicode digits, signs and huge numbers are explained at the field; the rest is kept."""
    response = client.post(reverse("simulator"), form_data(its_row_with_founders(typed)))
    assert response.status_code == 200
    html = response.content.decode()
    [error] = field_errors(response, 6)["founders"]
    assert message in error
    assert "da 1 a 60" in error
    assert f'<a href="#id_form-5-founders">Membro 6 – Soci fondatori (solo ITS)</a>: {error}' in (
        html.replace("&laquo;", "«").replace("&raquo;", "»").replace("&#x27;", "'")
    )
    assert "data-verdict" not in html
    assert 'value="ITS Meccatronica"' in html
    assert 'value="Officine Rossi S.p.A."' in html
    assert typed[:100] in html  # the founders field comes back as typed


def test_founders_with_leading_zeros_and_spaces_are_row_numbers(client, db):
    response = client.post(reverse("simulator"), form_data(its_row_with_founders(" 03 ; 4 ")))
    assert "founders" not in field_errors(response, 6)
    assert "(PTP-ITS-FOUNDERS)" in response.content.decode()


# --- a tampered row count (management form) -------------------------------------------------------

TAMPERED_COUNTS = [
    pytest.param(None, id="missing"),
    pytest.param("abc", id="not-a-number"),
    pytest.param("", id="empty"),
    pytest.param("-1", id="negative"),
    pytest.param("0", id="zero"),
    pytest.param(["0", "0"], id="repeated-zero"),
    pytest.param(["7", "0"], id="repeated"),
    pytest.param("2", id="fewer-than-the-rows-sent"),
    pytest.param("1000", id="more-than-the-maximum"),
    pytest.param("٧", id="unicode-digit"),
]


def tampered(count: str | list[str] | None, **network) -> dict:
    data = form_data(ROWS, **network)
    del data["form-TOTAL_FORMS"]
    if count is not None:
        data["form-TOTAL_FORMS"] = count
    return data


@pytest.mark.parametrize("count", TAMPERED_COUNTS)
def test_a_tampered_row_count_is_explained_and_keeps_the_rows(client, db, count):
    """No Django jargon, no emptied rows, and no verdict on a network the count emptied."""
    response = client.post(reverse("simulator"), tampered(count))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ManagementForm" not in html
    assert "data-verdict" not in html
    assert "Non ammissibile" not in html
    assert "Il modulo è incompleto: ricarica la pagina" not in html  # reloading would lose the rows
    summary = html.split('id="errori"')[1].split("</div>")[0]
    assert "Il modulo è incompleto" in summary
    for row in ROWS:
        assert f'value="{row["name"]}"' in html, row["name"]
    assert 'value="23/11/2026"' in html
    formset = response.context["formset"]
    assert formset.total_form_count() >= len(ROWS)
    assert f'name="form-TOTAL_FORMS" value="{formset.total_form_count()}"' in html


def test_the_page_sent_back_after_a_tampered_count_is_evaluated_as_typed(client, db):
    """The form comes back with a sound row count: sending it again gives the verdict."""
    first = client.post(reverse("simulator"), tampered("-1"))
    total = first.context["formset"].total_form_count()
    again = client.post(reverse("simulator"), {**tampered(None), "form-TOTAL_FORMS": str(total)})
    assert 'data-verdict="eligible"' in again.content.decode()


def test_a_missing_initial_count_is_not_an_error(client, db):
    """The simulator has no initial rows: a missing INITIAL_FORMS changes nothing."""
    data = form_data(ROWS)
    del data["form-INITIAL_FORMS"]
    html = client.post(reverse("simulator"), data).content.decode()
    assert 'data-verdict="eligible"' in html
    assert "ManagementForm" not in html


def test_add_rows_with_a_tampered_row_count_keeps_every_row_sent(client, db):
    data = {**tampered("abc"), "add_rows": "1"}
    html = client.post(reverse("simulator"), data).content.decode()
    for row in ROWS:
        assert f'value="{row["name"]}"' in html, row["name"]


def test_the_italian_rule_texts_are_marked_italian_on_the_english_page(client, db, settings):
    """The rules explain themselves in Italian only: on the English page their texts carry
    lang="it", so a screen reader reads them with Italian pronunciation (WCAG 3.1.2)."""
    with translation.override(translation.get_language()):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(reverse("simulator"), form_data(ROWS[:1] + ROWS[2:]))
    assert languages_of(response, "How to fix it:") == ["en"]
    [failed] = [r for r in response.context["verdict"].results if r.status == "fail"]
    for text in (failed.description, failed.message, failed.hint, failed.citation):
        assert set(languages_of(response, text)) == {"it"}, text


def test_the_italian_errors_of_an_uploaded_network_are_marked_italian_in_english(
    client, db, settings
):
    with translation.override(translation.get_language()):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(
            reverse("simulator"), {**form_data([]), "upload": json_upload({"members": []})}
        )
    assert languages_of(response, "The network cannot be checked") == ["en"]
    for error in response.context["input_errors"]:
        assert set(languages_of(response, error.message)) == {"it"}, error.message
