"""The engine compares identifiers in canonical form, and says one year in the singular."""

import pytest

from eligibility.core.counting import consecutive_years_phrase, organisation_key

from ..builders import body, company, institute, its, network, offering, run_rule

REST = (body("b1"), its("t1"))


@pytest.mark.parametrize(
    "written", ["IT12345670017", "123 456 700 17", " 12345670017", "it12345670017"]
)
def test_a_partita_iva_written_two_ways_is_one_company(written):
    first = company("c1", vat_number="12345670017")
    second = company("c2", vat_number=written)
    assert organisation_key(first) == organisation_key(second)
    result = run_rule("PTP-UNIQUE", network(institute("i1"), first, second, *REST))
    assert result.status == "fail"
    assert "partita IVA 12345670017" in result.message
    companies = run_rule("PTP-COMPANIES", network(institute("i1"), first, second, *REST))
    assert companies.counted == 1


@pytest.mark.parametrize("written", ["mi is 00100a", "MI IS00100A", "miis00100a"])
def test_a_school_code_written_two_ways_is_one_institute(written):
    first = institute("i1", school_code="MIIS00100A")
    second = institute("i2", school_code=written)
    result = run_rule("PTP-UNIQUE", network(first, second, *REST))
    assert result.status == "fail"
    assert "codice meccanografico MIIS00100A" in result.message
    assert run_rule("PTP-INSTITUTES", network(first, second, *REST)).counted == 1


def test_sites_name_their_main_institution_in_any_spelling():
    main = institute("main", school_code="MIIS00100A")
    site = institute("site", school_code="MITF00101B", main_school_code="mi is 00100a")
    assert organisation_key(main) == organisation_key(site)


@pytest.mark.parametrize(
    ("years", "phrase"),
    [
        (1, "1 anno scolastico consecutivo"),
        (2, "2 anni scolastici consecutivi"),
        (0, "0 anni scolastici consecutivi"),
    ],
)
def test_consecutive_years_agree_with_their_number(years, phrase):
    assert consecutive_years_phrase(years) == phrase


def test_one_year_of_offer_is_said_in_the_singular():
    short = institute("x", name="IIS X", offerings=(offering("IT-MME", "2026/27"),))
    result = run_rule("PTP-INSTITUTES", network(institute("i1"), short, *REST))
    assert "offerta dell'area da 1 anno scolastico consecutivo su 3 richiesti" in result.message
    assert "consecutivi" not in result.message.split("IIS X:")[1]


def test_a_minimum_of_one_year_is_said_in_the_singular():
    params = {"min_offer_years": 1, "min_institutes": 3}
    short = institute("x", name="IIS X", offerings=())
    result = run_rule("PTP-INSTITUTES", network(institute("i1"), short, *REST), params=params)
    assert "offerti da almeno 1 anno scolastico consecutivo" in result.hint
    offer = run_rule("PTP-OFFER-3Y", network(institute("i1"), *REST), params=params)
    assert "da almeno 1 anno scolastico consecutivo" in offer.message
