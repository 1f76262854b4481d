"""Identifier validators: good identifiers pass, bad ones get a precise Italian message."""

import pytest
from django.core.exceptions import ValidationError

from networks.validators import (
    ascii_int,
    normalise_ateco,
    normalise_school_code,
    validate_ateco_code,
    validate_ateco_prefix,
    validate_personal_tax_code,
    validate_plain_name,
    validate_school_code,
    validate_vat_number,
)


@pytest.mark.parametrize(
    "code", ["SPIS00600X", "mitf01000d", "MI IS 00900 T", "RMPSUE500Q", "ＭＩＩＳ００９００Ｔ"]
)
def test_accepts_well_formed_school_codes(code):
    validate_school_code(code)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("SPIS0060X", "10 caratteri"),
        ("SPIS00600XX", "10 caratteri"),
        ("SPIS0060-X", "caratteri non ammessi"),
        ("XXIS00600X", "sigla di una provincia"),
        ("12IS00600X", "caratteri non ammessi"),
    ],
)
def test_rejects_bad_school_codes_saying_what_is_wrong(code, fragment):
    with pytest.raises(ValidationError) as error:
        validate_school_code(code)
    assert fragment in error.value.messages[0]


@pytest.mark.parametrize("number", ["00397130584", "IT 00397130584", "00010019990"])
def test_accepts_checksum_valid_vat_numbers(number):
    validate_vat_number(number)


def test_a_full_width_school_code_is_read_as_typed_on_a_plain_keyboard():
    assert normalise_school_code("ｍｉｉｓ ００９００ｔ") == "MIIS00900T"


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("0039713058", "11 cifre"),
        ("00397130585", "cifra di controllo"),
        ("0039713058A", "solo cifre"),
        ("12345678903", "ufficio provinciale"),
        ("00000001234", "non possono essere tutte zero"),
        ("0000", "11 cifre: ne hai scritte 4"),
        ("0000000", "11 cifre: ne hai scritte 7"),
    ],
)
def test_rejects_bad_vat_numbers_saying_what_is_wrong(number, fragment):
    with pytest.raises(ValidationError) as error:
        validate_vat_number(number)
    assert fragment in error.value.messages[0]


def test_personal_tax_code_checks_the_control_letter():
    validate_personal_tax_code("RSSMRA85T10A562S")
    with pytest.raises(ValidationError, match="lettera di controllo"):
        validate_personal_tax_code("RSSMRA85T10A562T")


@pytest.mark.parametrize(
    ("code", "edition"), [("30.11", "2025"), ("25.62.00", "2025"), ("62.01", "2022")]
)
def test_accepts_ateco_codes_of_the_edition(code, edition):
    validate_ateco_code(code, edition)


def test_normalises_compact_ateco_codes():
    assert normalise_ateco("301100") == "30.11.00"
    assert normalise_ateco(" 30.11 ") == "30.11"


def test_full_width_ateco_digits_read_as_ascii_and_other_scripts_get_the_format_message():
    """An Asian keyboard layout types ３０．１１: the same code. Arabic-Indic digits are not."""
    assert normalise_ateco("３０．１１") == "30.11"
    assert normalise_ateco("３０１１００") == "30.11.00"
    validate_ateco_code("３０．１１")
    validate_ateco_prefix("３０", "2025")
    with pytest.raises(ValidationError) as raised:
        validate_ateco_code("٣٠.١١")
    assert "non è nella forma attesa" in raised.value.messages[0]


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("99.99", "non esiste"), ("3O.11", "forma attesa"), ("C", "forma attesa")],
)
def test_rejects_unknown_or_malformed_ateco_codes(code, fragment):
    with pytest.raises(ValidationError) as error:
        validate_ateco_code(code)
    assert fragment in error.value.messages[0]


def test_mapping_prefix_must_be_division_group_or_class():
    validate_ateco_prefix("30")
    validate_ateco_prefix("30.1")
    validate_ateco_prefix("30.11")
    with pytest.raises(ValidationError, match="divisione, un gruppo o una classe"):
        validate_ateco_prefix("30.11.00")


@pytest.mark.parametrize(
    ("text", "number"),
    [("7", 7), ("007", 7), ("0", 0), ("2147483647", 2_147_483_647), ("0" * 40 + "12", 12)],
)
def test_ascii_int_reads_plain_digits(text, number):
    assert ascii_int(text) == number


@pytest.mark.parametrize("text", ["", "²", "①", "٣", "3.5", "-3", " 3", "2147483648", "9" * 5000])
def test_ascii_int_refuses_what_is_not_a_number_a_database_holds(text):
    assert ascii_int(text) is None


def test_ascii_int_keeps_to_its_maximum():
    assert ascii_int("60", maximum=60) == 60
    assert ascii_int("61", maximum=60) is None


@pytest.mark.parametrize(
    "name", ["Polo\u200b", "Ente\u200bZero", "\ufeffIstituto", "Poli\u00adtecnico", "A\u2060B"]
)
def test_a_name_with_a_character_that_shows_nothing_is_refused(name: str) -> None:
    """«Polo\u200b» would look like «Polo» in every list and not be found as it."""
    with pytest.raises(ValidationError) as refused:
        validate_plain_name(name)
    assert refused.value.code == "hidden"
    assert "spazio di larghezza zero" in refused.value.messages[0]


@pytest.mark.parametrize("name", ["Polo <b>Alfa</b>", "Polo > Beta", "<img src=x>"])
def test_a_name_with_markup_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_plain_name(name)
    assert refused.value.code == "markup"


@pytest.mark.parametrize("name", ["Polo dell’Adda & Co. – «Alfa» (2026)", "Città di Cantù"])
def test_a_name_with_ordinary_punctuation_is_accepted(name: str) -> None:
    assert validate_plain_name(name) is None
