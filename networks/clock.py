"""The procedure's clock (art. 2 L. 241/1990), as a pure function of the status history.

The term runs from the first submission; it stops while the application waits
for the applicant (integration requested, 10-bis notice). An integration's
suspension ends with the applicant's answer or, unanswered, with the request's
deadline, and never lasts more than 30 days (art. 2 c. 7: a deadline moved past
a holiday gives the applicant the day, not the administration's term). Only the
first integration request suspends the term: art. 2 c. 7 allows one suspension
"per una sola volta". A 10-bis notice suspends the term until ten days after
the observations or, without them, until its deadline (art. 10-bis as amended
by DL 76/2020: the terms "ricominciano a decorrere dieci giorni dopo la
presentazione delle osservazioni o, in mancanza delle stesse, dalla scadenza del
termine"): the suspension runs on after the review has resumed.
Days are calendar days in Europe/Rome. The clock stops for good at the
decision or withdrawal. A term whose last day is a Sunday or a holiday ends on
the next working day (art. 2963 c.c., ``networks.holidays``), the
administration's as the applicant's.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from networks.constants import FINAL_STATUSES, SUSPENDING_STATUSES, ApplicationStatus
from networks.holidays import next_working_day

ROME = ZoneInfo("Europe/Rome")
# Art. 2 c. 7 L. 241/1990: an integration request suspends the term up to 30 days.
MAX_INTEGRATION_SUSPENSION = timedelta(days=30)
# Art. 10-bis: the term runs again ten days after the observations.
OBSERVATIONS_RESTART = timedelta(days=10)


@dataclass(frozen=True)
class StatusChange:
    at: datetime
    to_status: str
    # For a change into a suspending status: whether it suspends the term at all, and
    # the day the suspension ends at the latest (the request's deadline; None: no limit).
    suspends: bool = True
    until: date | None = None
    # The status was left by the applicant's answer, and the suspension runs on to
    # ``until`` all the same (a 10-bis notice: ten days after the observations).
    runs_after_answer: bool = False


@dataclass(frozen=True)
class Clock:
    started: date | None
    elapsed_days: int
    suspended_days: int
    term_days: int
    suspended: bool
    stopped: bool
    # While suspended: the last day the suspension may last (the request's deadline), if any.
    suspended_until: date | None = None
    # The day the clock was read for (today, or the day it stopped).
    as_of: date | None = None
    # While suspended: the applicant has answered, and the suspension runs on to
    # ``suspended_until`` (ten days after observations on a 10-bis notice).
    answered: bool = False

    @property
    def calendar_deadline(self) -> date | None:
        """Return the term's last day in calendar days, moved on by the days of suspension so far."""
        if self.started is None:
            return None
        return self.started + timedelta(days=self.term_days + self.suspended_days)

    @property
    def deadline(self) -> date | None:
        """Return the term's last day: ``calendar_deadline``, or the working day after it."""
        calendar = self.calendar_deadline
        return next_working_day(calendar) if calendar is not None else None

    @property
    def left_days(self) -> int:
        """Return the days left to ``deadline`` (negative: the days it is past)."""
        shift = (self.deadline - self.calendar_deadline).days if self.started else 0
        return self.term_days - self.elapsed_days + shift

    @property
    def overdue(self) -> bool:
        return self.started is not None and not self.stopped and self.left_days < 0

    @property
    def latest_deadline(self) -> date | None:
        """Return, while suspended until a known day, the deadline if it runs to that day.

        The applicant's answer ends the suspension earlier, and the deadline with it;
        with no answer, the term runs again the day after ``suspended_until``.
        """
        if not self.suspended or self.suspended_until is None or self.as_of is None:
            return None
        calendar = self.calendar_deadline
        assert calendar is not None  # suspended implies started
        remaining = max((self.suspended_until - self.as_of).days, 0)
        return next_working_day(calendar + timedelta(days=remaining))


def _day(moment: datetime) -> date:
    return moment.astimezone(ROME).date()


def procedure_clock(changes: Iterable[StatusChange], *, term_days: int, now: datetime) -> Clock:
    """Return the clock of an application from its status changes in time order."""
    started: date | None = None
    suspended_since: date | None = None
    suspended_until: date | None = None
    runs_after_answer = answered = False
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
            if change.suspends:
                if suspended_since is not None:  # the tail of an answered notice ends here
                    suspended_days += suspension_days(day)
                suspended_since, suspended_until = day, change.until
                runs_after_answer, answered = change.runs_after_answer, False
        elif suspended_since is not None:
            if runs_after_answer and not answered:
                answered = True  # the answer: the suspension runs on to ``suspended_until``
            elif not answered or change.to_status in FINAL_STATUSES:
                suspended_days += suspension_days(day)
                suspended_since = suspended_until = None
                runs_after_answer = answered = False
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
        suspended_until=suspended_until if suspended else None,
        as_of=end,
        answered=suspended and answered,
    )
