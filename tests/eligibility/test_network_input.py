"""What a ptp-network/1 file may hold: characters a page can show, identifiers in canonical form."""

import json
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from eligibility.adapters import NetworkInputError, composition_from_network, parse_network_json
from eligibility.core import evaluate
from tests.networks.public.helpers import network_document

pytestmark = pytest.mark.django_db


def parse_errors(text: str) -> list[str]:
    with pytest.raises(NetworkInputError) as error:
        parse_network_json(text)
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
    errors = parse_errors(with_text(where, escaped))
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}: ")
    assert "carattere" in errors[0]
    errors[0].encode("utf-8")  # the message itself can be shown on a page


def test_a_bad_character_in_a_field_name_is_refused_without_repeating_it():
    errors = parse_errors('{"format": "ptp-network/1", "members": [{"ke\\ud800y": 1}]}')
    assert len(errors) == 1
    assert errors[0].startswith("members[0]: ")
    errors[0].encode("utf-8")


def test_every_bad_string_is_listed():
    text = (
        '{"name": "\\u0000", "members": [{"name": "\\ud800"}, {"key": "ok"}, {"name": "\\u0001"}]}'
    )
    assert [error.split(":")[0] for error in parse_errors(text)] == [
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
    errors = parse_errors("[" * depth + '"\\u0000"' + "]" * depth)
    assert errors[0].startswith("[0]" * depth + ": ")


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
