"""What a ptp-network/1 file may hold: characters a page can show, keys and codes in canonical form.

Every error is listed at once, the text's with the structure's; the portal's own
exports are canonical input.
"""

import json
import re
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from eligibility.adapters import NetworkInputError, composition_from_network, parse_network_json
from eligibility.core import evaluate
from networks.services.applications import application_member_register
from tests.factories import OrganisationFactory, draft_application, submitted_application
from tests.networks.public.helpers import network_document

pytestmark = pytest.mark.django_db


def parse_errors(text: str) -> list[str]:
    with pytest.raises(NetworkInputError) as error:
        parse_network_json(text)
    return [str(item) for item in error.value.errors]


def file_errors(text: str) -> list[str]:
    """Return the errors of a file's text, as the checker and the import list them."""
    with pytest.raises(NetworkInputError) as error:
        composition_from_network(parse_network_json(text))
    return [str(item) for item in error.value.errors]


def input_errors(data: dict) -> list[str]:
    with pytest.raises(NetworkInputError) as error:
        composition_from_network(data)
    return [str(item) for item in error.value.errors]


def with_text(path: str, escaped: str) -> str:
    """Return a valid network file whose string at ``path`` is the JSON escape ``escaped``."""
    document = network_document(1, name="Polo")
    places = {
        "name": (document, "name"),
        "member": (document["members"][0], "name"),
        "offering": (document["members"][0]["offerings"][0], "from"),
        "phone": (document["contact"], "phone"),
    }
    container, field = places[path]
    container[field] = "@@here@@"
    return json.dumps(document).replace('"@@here@@"', f'"{escaped}"')


# --- characters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "path"),
    [
        ("name", "name"),
        ("member", "members[0].name"),
        ("offering", "members[0].offerings[0].from"),
        ("phone", "contact.phone"),
    ],
)
@pytest.mark.parametrize(
    "escaped", ["\\ud800", "x\\udfffy", "\\u0000", "a\\u0007b", "\\u007f", "\\u0085", "\\r"]
)
def test_a_lone_surrogate_or_a_control_character_is_refused_with_its_path(where, path, escaped):
    errors = file_errors(with_text(where, escaped))
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}: ")
    assert "carattere" in errors[0]
    errors[0].encode("utf-8")  # the message itself can be shown on a page


def test_a_bad_character_in_a_field_name_is_refused_without_repeating_it():
    document = network_document(1, name="Polo")
    document["members"][0]["@@here@@"] = 1
    errors = file_errors(json.dumps(document).replace('"@@here@@"', '"ke\\ud800y"'))
    assert errors == ["members[0]: il nome di un campo contiene un carattere non ammesso"]


def test_every_bad_string_is_listed():
    document = network_document(1, name="@@0@@")
    document["members"][0]["name"] = "@@1@@"
    document["members"][2]["name"] = "@@2@@"
    text = json.dumps(document)
    for marker, escaped in (("@@0@@", "\\u0000"), ("@@1@@", "\\ud800"), ("@@2@@", "a\\u0001")):
        text = text.replace(marker, escaped)
    assert [error.split(":")[0] for error in file_errors(text)] == [
        "name",
        "members[0].name",
        "members[2].name",
    ]


@pytest.mark.parametrize(
    "escaped", ["Polo\\tdella\\nMeccanica", "Polo \\ud83d\\ude80", "Società àèìòù €", "Ω"]
)
def test_tabs_newlines_and_any_real_character_are_accepted(escaped):
    data = parse_network_json(with_text("name", escaped))
    assert composition_from_network(data).members


def test_a_very_deep_document_still_gets_its_json_message():
    errors = parse_errors("[" * 100_000 + "]" * 100_000)
    assert errors == ["Il file JSON è annidato troppo in profondità."]


def test_a_document_as_deep_as_the_parser_allows_is_walked_without_recursion():
    depth = sys.getrecursionlimit() // 2
    errors = file_errors("[" * depth + '"\\u0000"' + "]" * depth)
    assert errors == [
        "[0]" * depth + ": contiene un carattere di controllo non ammesso (U+0000): toglilo; "
        "sono ammessi solo tabulazione e a capo",
        "Il documento deve essere un oggetto JSON",
    ]


def test_check_network_refuses_a_lone_surrogate_as_invalid_input(tmp_path):
    path = tmp_path / "rete.json"
    path.write_text(with_text("member", "\\ud800"), encoding="utf-8")
    stderr = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("check_network", str(path), stdout=StringIO(), stderr=stderr)
    assert exit_.value.code == 2
    assert "members[0].name: " in stderr.getvalue()


# --- identifiers ---------------------------------------------------------------------------------


def test_a_partita_iva_with_prefix_or_spaces_is_refused_naming_the_canonical_form():
    document = network_document(1, name="Polo")
    canonical = document["members"][2]["vat_number"]
    document["members"][2]["vat_number"] = "IT" + canonical
    document["members"][3]["vat_number"] = " ".join(
        [canonical[:3], canonical[3:6], canonical[6:9], canonical[9:]]
    )
    errors = input_errors(document)
    assert errors == [
        f"members[2].vat_number: scrivi la partita IVA con le sole 11 cifre, senza «IT» né spazi "
        f"({canonical})",
        f"members[3].vat_number: scrivi la partita IVA con le sole 11 cifre, senza «IT» né spazi "
        f"({document['members'][3]['vat_number'].replace(' ', '')})",
    ]


@pytest.mark.parametrize("field", ["school_code", "main_school_code"])
@pytest.mark.parametrize("written", ["lower", "spaced", "padded"])
def test_a_school_code_in_lower_case_or_with_spaces_is_refused(field, written):
    document = network_document(1, name="Polo")
    canonical = document["members"][0][field]
    document["members"][0][field] = {
        "lower": canonical.lower(),
        "spaced": f"{canonical[:2]} {canonical[2:4]} {canonical[4:]}",
        "padded": f" {canonical} ",
    }[written]
    errors = input_errors(document)
    assert errors == [
        f"members[0].{field}: scrivi il codice meccanografico in maiuscolo e senza spazi "
        f"({canonical})"
    ]


@pytest.mark.parametrize("written", ["mi", "Mi"])
def test_a_province_not_in_capitals_is_refused_as_the_schema_does(written):
    document = network_document(1, name="Polo")
    document["members"][0]["province"] = written
    assert input_errors(document) == [
        "members[0].province: scrivi la sigla della provincia in maiuscolo (MI)"
    ]


def test_a_wrong_identifier_keeps_its_own_message():
    document = network_document(1, name="Polo")
    document["members"][2]["vat_number"] = "IT123"
    document["members"][0]["school_code"] = "mi 123"
    errors = input_errors(document)
    assert errors[0].startswith("members[0].school_code: Il codice meccanografico deve avere 10")
    assert errors[1].startswith("members[2].vat_number: La partita IVA deve avere 11 cifre")


def test_canonical_identifiers_are_accepted_and_a_repeated_one_is_a_verdict():
    document = network_document(1, name="Polo")
    document["members"].append({**document["members"][2], "key": "impresa-bis"})
    verdict = evaluate(composition_from_network(document))
    unique = next(result for result in verdict.results if result.code == "PTP-UNIQUE")
    assert unique.status == "fail"
    assert unique.members == ("impresa-a", "impresa-bis")


def test_check_network_refuses_a_partita_iva_with_the_it_prefix(tmp_path):
    document = network_document(1, name="Polo")
    document["members"][2]["vat_number"] = "IT" + document["members"][2]["vat_number"]
    path = tmp_path / "rete.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("check_network", str(path), stdout=stdout, stderr=stderr)
    assert exit_.value.code == 2
    assert stdout.getvalue() == ""
    assert "members[2].vat_number: scrivi la partita IVA con le sole 11 cifre" in stderr.getvalue()


# --- keys, written exactly -----------------------------------------------------------------------


KEY_SPACES = "scrivi la chiave senza spazi all'inizio o alla fine"


def test_a_founder_written_with_a_space_is_refused_not_left_counting():
    """Once stripped from the member's key but not from ``founders``: the company counted."""
    document = network_document(1, name="Polo")
    document["members"][2]["key"] = "impresa-a "
    document["members"][5]["founders"] = ["impresa-a "]
    assert input_errors(document) == [
        f"members[2].key: {KEY_SPACES} («impresa-a»)",
        f"members[5].founders[0]: {KEY_SPACES} («impresa-a»)",
    ]


def test_a_founder_with_a_space_is_refused_naming_the_key_to_write():
    document = network_document(1, name="Polo")
    document["members"][5]["founders"] = [" impresa-a", "impresa-b"]
    assert input_errors(document) == [f"members[5].founders[0]: {KEY_SPACES} («impresa-a»)"]


def test_a_key_with_a_space_is_refused_even_where_the_lead_partner_matches_it():
    document = network_document(1, name="Polo")
    document["members"][0]["key"] = "istituto-a "
    document["lead_partner"] = "istituto-a "
    assert input_errors(document) == [f"members[0].key: {KEY_SPACES} («istituto-a»)"]


def test_a_key_and_the_same_key_with_a_space_are_not_one_key():
    document = network_document(1, name="Polo")
    document["members"].append({**document["members"][2], "key": "impresa-a\t"})
    document["members"][-1]["vat_number"] = document["members"][3]["vat_number"]
    assert input_errors(document) == [f"members[6].key: {KEY_SPACES} («impresa-a»)"]


def test_a_byte_order_mark_around_a_key_is_a_space_as_the_schema_reads_it():
    """``str.strip`` keeps U+FEFF; JSON Schema's ``\\S`` (ECMA-262) does not: both refuse it now."""
    document = network_document(1, name="Polo")
    document["members"][2]["key"] = "impresa-a\ufeff"
    document["members"][5]["founders"] = ["\ufeffimpresa-a"]
    assert input_errors(document) == [
        f"members[2].key: {KEY_SPACES} («impresa-a»)",
        f"members[5].founders[0]: {KEY_SPACES} («impresa-a»)",
    ]


@pytest.mark.parametrize("key", ["", "   "])
def test_an_empty_key_or_founder_is_refused_saying_what_to_write(key):
    document = network_document(1, name="Polo")
    document["members"][0]["key"] = key
    document["members"][5]["founders"] = [key]
    errors = input_errors(document)
    assert errors[0].startswith("members[0].key: non può essere vuota: dai al membro una chiave")
    assert errors[1] == (
        "members[5].founders[0]: non può essere vuota: scrivi la chiave (key) di un membro di "
        "questa rete"
    )


def test_keys_are_compared_as_written_by_the_lead_partner_rule():
    document = network_document(1, name="Polo")
    document["lead_partner"] = "istituto-a "
    result = evaluate(composition_from_network(document)).result("PTP-LEAD-PARTNER")
    assert result.status == "fail"
    assert result.message == "Il capofila «istituto-a » non è un membro della rete"


def test_check_network_refuses_a_founder_with_a_trailing_space(tmp_path):
    document = network_document(1, name="Polo")
    document["members"][2]["key"] = "impresa-a "
    document["members"][5]["founders"] = ["impresa-a "]
    path = tmp_path / "rete.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("check_network", str(path), stdout=stdout, stderr=stderr)
    assert (exit_.value.code, stdout.getvalue()) == (2, "")
    assert f"members[5].founders[0]: {KEY_SPACES} («impresa-a»)" in stderr.getvalue()


# --- school years and ATECO codes, written canonically -------------------------------------------


@pytest.mark.parametrize("field", ["from", "to"])
@pytest.mark.parametrize(
    "written", ["2021/22 ", " 2021/22", "2021 / 22", "２０２１/２２", "２０２１／２２", "٢٠٢١/٢٢"]
)
def test_a_school_year_not_in_ascii_digits_or_with_spaces_is_refused(field, written):
    document = network_document(1, name="Polo")
    document["members"][0]["offerings"][0]["to"] = "2021/22"
    document["members"][0]["offerings"][0][field] = written
    assert input_errors(document) == [
        f"members[0].offerings[0].{field}: scrivi l'anno scolastico con le cifre 0-9 e senza "
        "spazi (2021/22)"
    ]


def test_a_last_year_not_written_canonically_is_not_read_as_still_offered():
    """IPO-MAT ends in 2017/18: a refused last year is no open end to refuse a second time."""
    document = network_document(1, name="Polo")
    document["members"][0]["offerings"] = [
        {"programme": "IPO-MAT", "from": "2009/10", "to": "2017/18 "}
    ]
    assert input_errors(document) == [
        "members[0].offerings[0].to: scrivi l'anno scolastico con le cifre 0-9 e senza spazi "
        "(2017/18)",
        "members[0].offerings[0].from: l'indirizzo IPO-MAT è valido solo dal 2010/11",
    ]


def test_a_school_year_that_does_not_exist_keeps_its_own_message():
    document = network_document(1, name="Polo")
    document["members"][0]["offerings"][0]["from"] = "２０１５/１７"
    assert input_errors(document) == [
        "members[0].offerings[0].from: Anno scolastico «2015/17» non valido: l'anno che "
        "comincia nel 2015 finisce nel 2016, quindi si scrive 2015/16."
    ]


@pytest.mark.parametrize("written", ["2010/12", "2079/81"])
def test_the_school_years_message_reads_well_before_any_number(written):
    """«dopo il 2010 viene il 11» once: the message names whole years, with no article."""
    document = network_document(1, name="Polo")
    document["members"][0]["offerings"][0]["from"] = written
    start = int(written[:4])
    [error] = input_errors(document)
    assert f"comincia nel {start} finisce nel {start + 1}, quindi si scrive {start}/" in error


def test_a_main_school_code_written_as_null_gets_one_message():
    document = network_document(1, name="Polo")
    document["members"][0]["main_school_code"] = None
    assert input_errors(document) == ["members[0].main_school_code: deve essere una stringa"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2813", "scrivi il codice ATECO con i punti (28.13)"),
        ("281300", "scrivi il codice ATECO con i punti (28.13.00)"),
        ("２８.１３", "scrivi il codice ATECO con le cifre 0-9 e i punti, senza spazi (28.13)"),
        ("２８１３", "scrivi il codice ATECO con le cifre 0-9 e i punti, senza spazi (28.13)"),
        ("28.13 ", "scrivi il codice ATECO con le cifre 0-9 e i punti, senza spazi (28.13)"),
        ("28. 13", "scrivi il codice ATECO con le cifre 0-9 e i punti, senza spazi (28.13)"),
    ],
)
def test_an_ateco_code_not_written_canonically_is_refused_with_the_form_to_write(written, message):
    document = network_document(1, name="Polo")
    document["members"][3]["ateco"] = ["28.13", written]
    assert input_errors(document) == [f"members[3].ateco[1]: {message}"]


def test_an_unknown_ateco_code_keeps_its_own_message():
    document = network_document(1, name="Polo")
    document["members"][3]["ateco"] = ["9999"]
    assert input_errors(document) == [
        "members[3].ateco[0]: Il codice ATECO 99.99 non esiste nell'edizione 2025 della "
        "classificazione ISTAT."
    ]


@pytest.mark.parametrize(
    ("field", "written", "message"),
    [
        ("area", "meccanica ", "area: scrivi il codice dell'area senza spazi (meccanica)"),
        ("province", " MI", "members[0].province: scrivi la sigla della provincia senza spazi (MI)"),
        ("province", " ", "members[0].province: scrivi la sigla della provincia (per esempio MI) "
                          "o togli il campo"),
        ("programme", "it-mme", "members[0].offerings[0].programme: scrivi il codice "
                                "dell'indirizzo in maiuscolo e senza spazi (IT-MME)"),
    ],
)  # fmt: skip
def test_other_codes_with_spaces_are_refused_not_stripped(field, written, message):
    document = network_document(1, name="Polo")
    where = {
        "area": document,
        "province": document["members"][0],
        "programme": document["members"][0]["offerings"][0],
    }[field]
    where[field] = written
    assert input_errors(document) == [message]


def test_check_network_refuses_a_compact_ateco_code(tmp_path):
    document = network_document(1, name="Polo")
    document["members"][2]["ateco"] = ["2813"]
    path = tmp_path / "rete.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("check_network", str(path), stdout=stdout, stderr=stderr)
    assert (exit_.value.code, stdout.getvalue()) == (2, "")
    assert stderr.getvalue() == (
        "members[2].ateco[0]: scrivi il codice ATECO con i punti (28.13)\n"
    )


# --- every error at once: the text's and the structure's ----------------------------------------


def test_a_bad_character_and_structural_errors_are_listed_together():
    document = network_document(1, name="Polo")
    document["members"][0]["name"] = "@@nul@@"
    document["members"][2]["vat_number"] = "00397130585"
    document["area"] = "astronautica"
    text = json.dumps(document).replace("@@nul@@", "Istituto\\u0000A")
    errors = file_errors(text)
    assert [error.split(":")[0] for error in errors] == [
        "area",
        "members[0].name",
        "members[2].vat_number",
    ]
    assert "carattere di controllo" in errors[1]


def test_a_field_named_twice_and_structural_errors_are_listed_together():
    text = json.dumps(network_document(1, name="Polo")).replace(
        '"area": "meccanica"', '"area": "meccanica", "area": "astronautica"'
    )
    document = json.loads(text)
    assert document["area"] == "astronautica"
    text = text.replace('"status": "statale"', '"status": "privata"')
    assert file_errors(text) == [
        "area: il campo è ripetuto nello stesso oggetto: tienine uno solo, con il valore giusto",
        "members[0].status: deve essere uno di statale, paritaria, non_paritaria",
    ]


@pytest.mark.parametrize(
    ("where", "escaped"),
    [
        ("key", "istituto\\u0000a"),
        ("from", "2015/16\\u0007"),
        ("ateco", "28.13\\ud800"),
        ("area", "meccanica\\u0001"),
    ],
)
def test_a_path_with_a_bad_character_gets_no_second_error(where, escaped):
    document = network_document(1, name="Polo")
    places = {
        "key": (document["members"][0], "key", "members[0].key"),
        "from": (document["members"][0]["offerings"][0], "from", "members[0].offerings[0].from"),
        "ateco": (document["members"][2]["ateco"], 0, "members[2].ateco[0]"),
        "area": (document, "area", "area"),
    }
    container, field, path = places[where]
    container[field] = "@@here@@"
    errors = file_errors(json.dumps(document).replace('"@@here@@"', f'"{escaped}"'))
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}: contiene un carattere")


def test_no_message_repeats_a_character_no_page_can_show():
    """Two keys with a lone surrogate are one key repeated too: only the character is said."""
    document = network_document(1, name="Polo")
    document["members"][0]["key"] = "@@here@@"
    document["members"][1]["key"] = "@@here@@"
    errors = file_errors(json.dumps(document).replace('"@@here@@"', '"a\\ud800"'))
    assert [error.split(":")[0] for error in errors] == ["members[0].key", "members[1].key"]
    for error in errors:
        error.encode("utf-8")


def test_a_member_without_a_kind_still_has_its_key_and_name_checked():
    document = network_document(1, name="Polo")
    member = document["members"][3]
    del member["kind"]
    member["key"] = "impresa-b "
    member["name"] = ""
    member["province"] = "mi"
    errors = input_errors(document)
    assert errors == [
        f"members[3].key: {KEY_SPACES} («impresa-b»)",
        "members[3].name: non può essere vuoto",
        "members[3].province: scrivi la sigla della provincia in maiuscolo (MI)",
        "members[3].kind: campo obbligatorio mancante: indica il tipo, uno di institute, "
        "company, accredited_body, its, university, research_centre, other",
    ]


def test_a_member_of_an_unknown_kind_still_has_its_key_and_name_checked():
    document = network_document(1, name="Polo")
    document["members"][3]["kind"] = "scuola"
    del document["members"][3]["name"]
    document["members"][3]["key"] = document["members"][2]["key"]
    errors = input_errors(document)
    assert "members[3].name: campo obbligatorio mancante" in errors
    assert "members[3].key: la chiave 'impresa-a' è ripetuta: ogni membro ne ha una sua" in errors
    assert any(error.startswith("members[3].kind: tipo sconosciuto 'scuola'") for error in errors)


# --- the portal's own exports are canonical ------------------------------------------------------


def _assert_canonical(document: dict) -> None:
    """Check every key, school year and ATECO code of ``document`` is written as the format says."""
    for member in document["members"]:
        assert member["key"] == member["key"].strip()
        for key in member.get("founders", []):
            assert key == key.strip()
        for code in member.get("ateco", []):
            assert re.fullmatch(r"[0-9]{2}(\.[0-9]{1,2}){0,2}", code), code
        for offering in member.get("offerings", []):
            for year in (offering["from"], offering["to"]):
                assert year is None or re.fullmatch(r"[0-9]{4}/[0-9]{2}", year), year


def test_the_portals_exports_write_codes_canonically_whatever_was_typed(applicant, client):
    application = draft_application(applicant)
    company = OrganisationFactory.build(company=True, ateco_codes=["2813", " ３０．１１ "])
    application_member_register(application=application, organisation=company, by=applicant)

    out = StringIO()
    call_command("export_network", str(application.pk), stdout=out)
    exported = json.loads(out.getvalue())
    member = next(m for m in exported["members"] if m.get("vat_number") == company.vat_number)
    assert member["ateco"] == ["28.13", "30.11"]
    _assert_canonical(exported)
    composition_from_network(parse_network_json(out.getvalue()))  # valid input, as it is

    client.force_login(applicant)
    download = client.get(reverse("network_export", args=[application.pk]))
    assert json.loads(download.content) == exported


def test_a_submitted_version_is_canonical_valid_input(applicant):
    application = submitted_application(applicant)
    snapshot = application.versions.get().network
    _assert_canonical(snapshot)
    composition_from_network(parse_network_json(json.dumps(snapshot, ensure_ascii=False)))
