"""The log lines' time: ISO 8601 in the portal's zone, with its offset, to the millisecond.

Python's default ``asctime`` is the process's local time without an offset,
so a log read next to gunicorn's (which prints ``+0100``) or collected from
servers in other zones could not be put in order, and an hour of every
summer-time change repeats itself.
"""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings


class PortalTimeFormatter(logging.Formatter):
    """A ``logging.Formatter`` whose ``asctime`` is e.g. ``2026-12-01T22:30:05.123+01:00``."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, ZoneInfo(settings.TIME_ZONE))
        if datefmt:
            return moment.strftime(datefmt)
        return moment.isoformat(timespec="milliseconds")
