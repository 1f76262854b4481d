"""Identifier validators: good identifiers pass, bad ones get a precise Italian message."""

import pytest
from django.core.exceptions import ValidationError

from networks.validators import (
    normalise_ateco,
    validate_ateco_code,
    validate_ateco_prefix,
    validate_personal_tax_code,
    validate_school_code,
    validate_vat_number,
)


@pytest.mark.parametrize("code", ["SPIS00600X", "mitf01000d", "MI IS 00900 T", "RMPSUE500Q"])
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


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("0039713058", "11 cifre"),
        ("00397130585", "cifra di controllo"),
        ("0039713058A", "solo cifre"),
        ("12345678903", "ufficio provinciale"),
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
