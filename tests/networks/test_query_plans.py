"""Lists that a region fills by the thousand are read in index order, not sorted whole.

With thousands of organisations and applications, a list that sorts every
row to show the first 25 or 100 costs tens of milliseconds on PostgreSQL
(the desk's default page sorted 4,400 applications with their joined rows:
37-180 ms; with the index, under 1 ms). The plan, not the timing, is what a
test can check: on PostgreSQL, with sequential scans and sorts priced out
(the test tables are tiny, so the planner would otherwise scan them), and on
SQLite as its planner chooses.
"""

import pytest
from django.db import connection

from networks import selectors
from networks.filters import DEFAULT_ORDERING
from networks.models import Organisation

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:  # type: ignore[no-untyped-def]
    """Return the query plan of ``queryset``, with no choice left between scanning and an index."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Until the end of the test's transaction.
            for setting in ("enable_seqscan", "enable_sort", "enable_incremental_sort"):
                cursor.execute(f"SET LOCAL {setting} = off")
    return queryset.explain()


def assert_read_in_index_order(queryset, index: str) -> None:  # type: ignore[no-untyped-def]
    text = plan(queryset)
    assert index in text, text
    if connection.vendor == "postgresql":
        assert "Sort" not in text, text
    else:
        assert "TEMP B-TREE" not in text, text


def test_the_desk_default_page_is_read_from_an_index(officer) -> None:
    """``?`` and ``?order=-submitted`` (the officers' usual page) need no sort of the table."""
    queryset = selectors.review_queue_queryset(officer).order_by(*DEFAULT_ORDERING)
    assert_read_in_index_order(queryset.prefetch_related(None)[:25], "application_desk_order")


def test_the_registry_is_listed_by_name_from_an_index() -> None:
    """The back office's list, the applicants' search and the autocomplete sort by name."""
    assert_read_in_index_order(Organisation.objects.order_by("name")[:100], "organisation_name")
