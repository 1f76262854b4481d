"""The procedure's clock (art. 2 L. 241/1990), as a pure function of the status history.

The term runs from the first submission; it stops while the application waits
for the applicant (integration requested, 10-bis notice) and resumes when the
applicant answers or, unanswered, when the request's deadline comes: a
suspension never outlasts its deadline (at most 30 days for integrations,
art. 2 c. 7; the 10 days of art. 10-bis; either runs to the next working day
when its last day is a holiday, ``networks.holidays``). Only the first integration request
suspends the term: art. 2 c. 7 allows one suspension "per una sola volta".
Days are calendar days in Europe/Rome. The clock stops for good at the
decision or withdrawal.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from networks.constants import FINAL_STATUSES, SUSPENDING_STATUSES, ApplicationStatus

ROME = ZoneInfo("Europe/Rome")


@dataclass(frozen=True)
class StatusChange:
    at: datetime
    to_status: str
    # For a change into a suspending status: whether it suspends the term at all, and
    # the day the suspension ends at the latest (the request's deadline; None: no limit).
    suspends: bool = True
    until: date | None = None


@dataclass(frozen=True)
class Clock:
    started: date | None
    elapsed_days: int
    suspended_days: int
    term_days: int
    suspended: bool
    stopped: bool

    @property
    def left_days(self) -> int:
        return self.term_days - self.elapsed_days

    @property
    def overdue(self) -> bool:
        return self.started is not None and not self.stopped and self.left_days < 0

    @property
    def deadline(self) -> date | None:
        """Return the last day of the term, moved on by the days of suspension so far."""
        if self.started is None:
            return None
        return self.started + timedelta(days=self.term_days + self.suspended_days)


def _day(moment: datetime) -> date:
    return moment.astimezone(ROME).date()


def procedure_clock(changes: Iterable[StatusChange], *, term_days: int, now: datetime) -> Clock:
    """Return the clock of an application from its status changes in time order."""
    started: date | None = None
    suspended_since: date | None = None
    suspended_until: date | None = None
    stopped_on: date | None = None
    suspended_days = 0

    def suspension_days(end: date) -> int:
        if suspended_until is not None:
            end = min(end, suspended_until)
        return max((end - suspended_since).days, 0) if suspended_since else 0

    for change in changes:
        day = _day(change.at)
        if change.to_status == ApplicationStatus.SUBMITTED and started is None:
            started = day
        if started is None or stopped_on is not None:
            continue
        if change.to_status in SUSPENDING_STATUSES:
            if suspended_since is None and change.suspends:
                suspended_since, suspended_until = day, change.until
        elif suspended_since is not None:
            suspended_days += suspension_days(day)
            suspended_since = suspended_until = None
        if change.to_status in FINAL_STATUSES:
            stopped_on = day
    if started is None:
        return Clock(None, 0, 0, term_days, suspended=False, stopped=False)
    end = stopped_on or _day(now)
    suspended = False
    if suspended_since is not None:
        suspended_days += suspension_days(end)
        # The deadline day is still the applicant's to answer (ProcedureRequest.state_on): the
        # term is suspended through it and runs again the day after.
        suspended = stopped_on is None and (suspended_until is None or end <= suspended_until)
    elapsed = (end - started).days - suspended_days
    return Clock(
        started,
        elapsed,
        suspended_days,
        term_days,
        suspended=suspended,
        stopped=stopped_on is not None,
    )
