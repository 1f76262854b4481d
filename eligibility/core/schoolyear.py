"""School years, the unit in which the rules count a training offer.

An Italian school year runs from 1 September to 31 August and is written
``2023/24``. The core keeps it as the year in which it starts, so that years
order, add and subtract like integers while still printing the way schools
write them. Nothing here reads the clock: callers pass the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import overload

_PATTERN = re.compile(r"(\d{4})/(\d{2})")

# The first day of a school year; the last day is the day before the next one.
_FIRST_MONTH = 9


@dataclass(frozen=True, order=True, slots=True)
class SchoolYear:
    """The school year starting in September of ``start`` (2023 means 2023/24)."""

    start: int

    def __post_init__(self) -> None:
        # Both ends must be representable as dates for first_day/last_day.
        if isinstance(self.start, bool) or not isinstance(self.start, int):
            raise TypeError(f"SchoolYear.start deve essere un intero, non {self.start!r}")
        if not 1 <= self.start <= 9998:
            raise ValueError(f"Anno scolastico fuori dall'intervallo ammesso: {self.start}")

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """Return the school year written as ``YYYY/YY``; raise ``ValueError`` otherwise."""
        match = _PATTERN.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(
                f"Anno scolastico «{text}» non valido: scrivilo nella forma AAAA/AA, "
                "per esempio 2023/24."
            )
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 != end:
            raise ValueError(
                f"Anno scolastico «{text.strip()}» non valido: l'anno che comincia nel "
                f"{start} finisce nel {start + 1}, quindi si scrive "
                f"{start}/{(start + 1) % 100:02d}."
            )
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> SchoolYear:
        """Return the school year that includes ``day``."""
        return cls(day.year if day.month >= _FIRST_MONTH else day.year - 1)

    @property
    def first_day(self) -> date:
        """Return 1 September of the starting year."""
        return date(self.start, _FIRST_MONTH, 1)

    @property
    def last_day(self) -> date:
        """Return 31 August of the following year."""
        return date(self.start + 1, _FIRST_MONTH - 1, 31)

    def next(self) -> SchoolYear:
        """Return the following school year."""
        return SchoolYear(self.start + 1)

    def __add__(self, years: int) -> SchoolYear:
        if isinstance(years, bool) or not isinstance(years, int):
            return NotImplemented
        return SchoolYear(self.start + years)

    @overload
    def __sub__(self, other: int) -> SchoolYear: ...

    @overload
    def __sub__(self, other: SchoolYear) -> int: ...

    def __sub__(self, other: int | SchoolYear) -> SchoolYear | int:
        """Return an earlier year (``- int``) or the distance in years (``- SchoolYear``)."""
        if isinstance(other, SchoolYear):
            return self.start - other.start
        if isinstance(other, bool) or not isinstance(other, int):
            return NotImplemented
        return SchoolYear(self.start - other)

    def __str__(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"
