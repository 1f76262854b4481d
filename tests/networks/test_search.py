"""The folding of name searches: the same in Python, in PostgreSQL and in SQLite."""

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler
from hypothesis import given
from hypothesis import strategies as st

from networks.search import _FROM, FOLD_PARAMS, fold, folded_sql

NAMES = ["Istituto Cantù", "SOCIETÀ AGRICOLA", "Sant’Elia", "Nicolò Tommaseo", "Ça Ñ ´`‘"]


def test_fold_drops_case_accents_and_typeset_apostrophes() -> None:
    assert fold("Società dell’Oltrepò – CANTÙ") == "societa dell'oltrepo – cantu"
    assert fold("àÀèÈéÉìÌòÒùÙ") == "aaeeeeiioouu"


@given(st.text(alphabet=_FROM + "abcXYZ '", max_size=20))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_the_database_folds_a_name_as_python_does(name: str) -> None:
    """The suite's database (PostgreSQL in CI) turns a column as ``fold`` turns the query."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {folded_sql('%s')}", [name, *FOLD_PARAMS])
        (folded,) = cursor.fetchone()
    assert folded == fold(name)


@pytest.mark.parametrize("name", NAMES)
def test_sqlite_gets_the_translate_function_on_each_connection(
    name: str, tmp_path, django_db_blocker
) -> None:
    """The zero-setup demo runs on SQLite, which has no TRANSLATE of its own."""
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "s.db")}}
    )
    sqlite = handler["default"]
    try:
        with django_db_blocker.unblock(), sqlite.cursor() as cursor:
            cursor.execute(f"SELECT {folded_sql('%s')}", [name, *FOLD_PARAMS])
            (folded,) = cursor.fetchone()
    finally:
        sqlite.close()
    assert folded == fold(name)
