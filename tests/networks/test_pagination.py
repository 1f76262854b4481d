"""The portal's paginator: a page number below 1 is the first page, one past the end the last."""

import pytest

from networks.pagination import Paginator


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("2", 2),
        (3, 3),
        ("0", 1),
        (0, 1),
        ("-1", 1),
        (-7, 1),
        ("abc", 1),
        ("1.5", 1),
        (None, 1),
        ("", 1),
        ("4", 4),
        ("99999", 4),
    ],
)
def test_get_page_gives_the_nearest_existing_page(number, expected) -> None:
    """Reads a page below 1 or not a number as the first page and one past the end as the last."""
    page = Paginator(list(range(10)), 3).get_page(number)
    assert page.number == expected


def test_an_empty_list_has_its_one_empty_first_page() -> None:
    """Gives the empty first page of an empty list for any number, as Django's does."""
    for number in ("-1", "0", "1", "5"):
        page = Paginator([], 25).get_page(number)
        assert (page.number, list(page)) == (1, [])
