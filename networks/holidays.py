"""Sundays and public holidays, for the deadlines the portal gives applicants.

A term that falls on a holiday runs to the next day that is not (art. 2963,
third paragraph, of the codice civile, which case law applies to the terms of an
administrative procedure). Saturday is a working day: the rule of art. 155 c.p.c.
for Saturdays concerns court proceedings, and the portal takes answers every day.

The national holidays are those of L. 260/1949 as amended (L. 54/1977, DPR
792/1985, and L. 151/2025, which restored 4 October from 2026); the patron's day
of the office's town is a holiday there too and comes from the setting
``PORTAL_LOCAL_HOLIDAYS`` ("MM-DD name", several separated by ";"), Sant'Ambrogio
for Milan by default.
"""

import calendar
import functools
import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

_FIXED = (
    (1, 1, gettext_lazy("Capodanno")),
    (1, 6, gettext_lazy("Epifania")),
    (4, 25, gettext_lazy("Festa della Liberazione")),
    (5, 1, gettext_lazy("Festa del Lavoro")),
    (6, 2, gettext_lazy("Festa della Repubblica")),
    (8, 15, gettext_lazy("Assunzione (Ferragosto)")),
    (11, 1, gettext_lazy("Ognissanti")),
    (12, 8, gettext_lazy("Immacolata Concezione")),
    (12, 25, gettext_lazy("Natale")),
    (12, 26, gettext_lazy("Santo Stefano")),
)
SAINT_FRANCIS_FROM = 2026  # L. 151/2025


class LocalHolidaysError(ValueError):
    """``PORTAL_LOCAL_HOLIDAYS`` holds an entry that is not "MM-DD name"."""


def local_holidays(value: str | None = None) -> list[tuple[int, int, str]]:
    """Return the (month, day, name) of ``value`` (default: the setting); raise ``LocalHolidaysError``."""
    value = settings.PORTAL_LOCAL_HOLIDAYS if value is None else value
    days = []
    for entry in str(value).split(";"):
        if not entry.strip():
            continue
        when, _space, name = entry.strip().partition(" ")
        try:
            month, day = (int(part) for part in when.split("-"))
            date(2024, month, day)  # a leap year: 29 February is a possible day
        except ValueError:
            raise LocalHolidaysError(entry.strip()) from None
        days.append((month, day, name.strip() or when))
    return days


def easter_sunday(year: int) -> date:
    """Return Easter Sunday of ``year`` in the Gregorian calendar (the computus of Meeus/Jones/Butcher)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century + 8) // 25
    moon = (century - correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return date(year, month, day + 1)


def holidays_of(year: int) -> dict[date, str]:
    """Return the public holidays of ``year`` in the office's town, by day, named in the language."""
    return {
        day: str(name) for day, name in _closed_days(year, settings.PORTAL_LOCAL_HOLIDAYS).items()
    }


@functools.cache
def _closed_days(year: int, local_setting: str) -> dict[date, Any]:
    """Return the holidays of ``year`` with lazy names: computed once per year and setting.

    Every clock on the desk and every deadline asks for them; the names stay lazy so
    that each reader gets them in their own language.
    """
    days: dict[date, Any] = {date(year, month, day): name for month, day, name in _FIXED}
    easter = easter_sunday(year)
    days[easter] = gettext_lazy("Pasqua")
    days[easter + timedelta(days=1)] = gettext_lazy("Lunedì dell'Angelo")
    if year >= SAINT_FRANCIS_FROM:
        days[date(year, 10, 4)] = gettext_lazy("San Francesco d'Assisi, patrono d'Italia")
    try:
        local = local_holidays(local_setting)
    except LocalHolidaysError as error:  # check networks.E006 names it; the national days stand
        logger.error("PORTAL_LOCAL_HOLIDAYS ignored: %r is not 'MM-DD name'", str(error))
        local = []
    for month, day, name in local:
        if month == 2 and day == 29 and not calendar.isleap(year):
            continue
        days.setdefault(date(year, month, day), name)
    return days


def closed_because(day: date) -> str:
    """Return why ``day`` is not a working day (the holiday's name, or "domenica"), else ""."""
    if name := _closed_days(day.year, settings.PORTAL_LOCAL_HOLIDAYS).get(day):
        return str(name)
    return _("domenica") if day.isoweekday() == 7 else ""


def next_working_day(day: date) -> date:
    """Return ``day`` if it is a working day, else the first working day after it."""
    while closed_because(day):
        day += timedelta(days=1)
    return day
