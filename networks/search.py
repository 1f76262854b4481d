"""Name searches that ignore case, accents and the kind of apostrophe.

«Cantu» finds «Istituto Cantù», «SANT'ELIA» finds «Sant’Elia» pasted from a letter.
Both sides are folded the same way: the query here in Python (``fold``), the column
in SQL by the ``folded`` transform (``name__folded__contains=fold(text)``), as
``TRANSLATE(LOWER(column), …)``. PostgreSQL has ``TRANSLATE``; on SQLite the
connection gets a function of that name when it opens (``register_sqlite_translate``).

No index serves these searches (neither did ``icontains``): each scans the names of
its table, which the benchmarks measure (docs/performance.md).
"""

from functools import cache
from typing import Any

from django.db.models import CharField, TextField, Transform

# Each character of the first string becomes the one at its place in the second. Upper-case
# letters are there too: SQLite's LOWER() folds ASCII letters only.
_FROM = "àáâäãåèéêëìíîïòóôöõùúûüçñÀÁÂÄÃÅÈÉÊËÌÍÎÏÒÓÔÖÕÙÚÛÜÇÑ’‘`´"
_TO = "aaaaaaeeeeiiiiooooouuuucnaaaaaaeeeeiiiiooooouuuucn''''"
_TABLE = str.maketrans(_FROM, _TO)


def fold(text: str) -> str:
    """Return ``text`` as the ``folded`` transform turns a column: lower case, no accents.

    Runs of spaces become one, as the registry stores names («Capellini  Sauro» typed).
    """
    return " ".join(text.split()).lower().translate(_TABLE)


class Folded(Transform):
    """``column__folded``: the column lower-cased, its accents and apostrophes plain."""

    lookup_name = "folded"
    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.lhs)
        return folded_sql(sql), [*params, *FOLD_PARAMS]


FOLD_PARAMS = (_FROM, _TO)


def folded_sql(column: str) -> str:
    """Return the SQL that folds ``column``; its parameters are ``FOLD_PARAMS``, in order."""
    return f"TRANSLATE(LOWER({column}), %s, %s)"


CharField.register_lookup(Folded)
TextField.register_lookup(Folded)


@cache
def _table(source: str, target: str) -> dict[int, int]:
    return str.maketrans(source, target)


def sql_translate(text: str | None, source: str, target: str) -> str | None:
    """SQL ``TRANSLATE`` for SQLite: each character of ``source`` becomes its ``target``."""
    if text is None:
        return None
    return text.translate(_table(source, target))


def register_sqlite_translate(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give each new SQLite connection the ``TRANSLATE`` function PostgreSQL has."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("TRANSLATE", 3, sql_translate, deterministic=True)
