"""School years: parsing, the dates they span, and their arithmetic."""

from datetime import date

import pytest

from eligibility.core import SchoolYear


@pytest.mark.parametrize(
    ("text", "start"),
    [("2023/24", 2023), ("1999/00", 1999), ("2099/00", 2099), (" 2010/11 ", 2010)],
)
def test_parses_yyyy_yy(text, start):
    assert SchoolYear.parse(text) == SchoolYear(start)


@pytest.mark.parametrize(
    "text", ["2023/25", "2023/23", "2023-24", "2023/2024", "23/24", "", "2023/4", "abcd/ef"]
)
def test_rejects_malformed_or_non_consecutive_years_in_italian(text):
    with pytest.raises(ValueError, match="Anno scolastico"):
        SchoolYear.parse(text)


def test_names_the_right_spelling_of_a_non_consecutive_year():
    with pytest.raises(ValueError, match="si scrive 2023/24"):
        SchoolYear.parse("2023/25")


@pytest.mark.parametrize("year", [2023, 1999, 2099, 2009])
def test_prints_as_it_parses(year):
    assert SchoolYear.parse(str(SchoolYear(year))) == SchoolYear(year)


def test_prints_the_century_turn_with_two_digits():
    assert str(SchoolYear(1999)) == "1999/00"
    assert str(SchoolYear(2009)) == "2009/10"


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2023, 9, 1), 2023),
        (date(2024, 8, 31), 2023),
        (date(2024, 9, 1), 2024),
        (date(2024, 1, 1), 2023),
        (date(2016, 5, 14), 2015),
    ],
)
def test_finds_the_year_containing_a_date(day, start):
    assert SchoolYear.containing(day) == SchoolYear(start)


def test_spans_1_september_to_31_august():
    year = SchoolYear(2023)
    assert year.first_day == date(2023, 9, 1)
    assert year.last_day == date(2024, 8, 31)
    assert SchoolYear.containing(year.first_day) == year
    assert SchoolYear.containing(year.last_day) == year
    assert year.next().first_day == date.fromordinal(year.last_day.toordinal() + 1)


def test_adds_and_subtracts_years():
    year = SchoolYear(2023)
    assert year + 2 == SchoolYear(2025)
    assert year - 3 == SchoolYear(2020)
    assert year.next() == year + 1
    assert SchoolYear(2026) - SchoolYear(2024) == 2


def test_orders_and_hashes_like_its_start():
    assert SchoolYear(2017) < SchoolYear(2018) <= SchoolYear(2018)
    assert max(SchoolYear(2015), SchoolYear(2020)) == SchoolYear(2020)
    assert len({SchoolYear(2020), SchoolYear(2020), SchoolYear(2021)}) == 2


@pytest.mark.parametrize("bad", [0, 10000, -1])
def test_rejects_years_that_cannot_be_dates(bad):
    with pytest.raises(ValueError, match="fuori dall'intervallo"):
        SchoolYear(bad)


def test_refuses_non_integer_arithmetic():
    with pytest.raises(TypeError):
        SchoolYear(2020) + 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        SchoolYear("2020")  # type: ignore[arg-type]
