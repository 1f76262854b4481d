"""Log lines carry the time in the portal's zone with its offset, whatever the process's zone."""

import logging
from datetime import UTC, datetime

from django.conf import settings

from ptp_portal.logformat import PortalTimeFormatter


def record_at(moment: datetime) -> logging.LogRecord:
    record = logging.LogRecord("networks", logging.WARNING, __file__, 1, "prova", None, None)
    record.created = moment.timestamp()
    record.msecs = 0
    return record


def configured_formatter() -> logging.Formatter:
    formatter_settings = settings.LOGGING["formatters"]["plain"]
    assert formatter_settings["()"] == "ptp_portal.logformat.PortalTimeFormatter"
    return PortalTimeFormatter(formatter_settings["format"])


def test_winter_and_summer_times_carry_their_offsets():
    formatter = configured_formatter()
    winter = formatter.format(record_at(datetime(2026, 12, 1, 21, 30, 5, 123000, tzinfo=UTC)))
    summer = formatter.format(record_at(datetime(2026, 7, 1, 21, 30, 5, tzinfo=UTC)))
    assert winter == "2026-12-01T22:30:05.123+01:00 WARNING networks prova"
    assert summer == "2026-07-01T23:30:05.000+02:00 WARNING networks prova"


def test_the_repeated_hour_of_the_october_change_stays_in_order():
    """00:30 and 01:30 UTC on 25/10/2026 are both 02:30 in Rome: the offset tells them apart."""
    formatter = configured_formatter()
    first = formatter.formatTime(record_at(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)))
    second = formatter.formatTime(record_at(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)))
    assert first == "2026-10-25T02:30:00.000+02:00"
    assert second == "2026-10-25T02:30:00.000+01:00"


def test_a_date_format_still_applies_in_the_portal_zone():
    formatter = PortalTimeFormatter("%(asctime)s", datefmt="%d/%m/%Y %H:%M")
    assert formatter.format(record_at(datetime(2026, 12, 31, 23, 15, tzinfo=UTC))) == (
        "01/01/2027 00:15"
    )
