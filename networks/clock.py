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
    # The days the suspension runs on after the applicant's answer (a 10-bis notice: ten),
    # and the day of that answer, once it came.
    runs_after_answer: timedelta = timedelta(0)
    answered_on: date | None = None


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
    # While suspended: the last day the suspension can reach, if the applicant answers on
    # the last day allowed (a 10-bis notice: ten days after its deadline).
    suspended_at_most_until: date | None = None
    # While suspended: a 10-bis notice awaits observations (the term would run on ten
    # days after them).
    awaiting_observations: bool = False

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
        latest = self.suspended_at_most_until or self.suspended_until
        if not self.suspended or latest is None or self.as_of is None:
            return None
        calendar = self.calendar_deadline
        assert calendar is not None  # suspended implies started
        remaining = max((latest - self.as_of).days, 0)
        return next_working_day(calendar + timedelta(days=remaining))


def _day(moment: datetime) -> date:
    return moment.astimezone(ROME).date()


@dataclass(frozen=True)
class _Suspension:
    start: date
    end: date | None  # the last day it counts to (None: no limit known)
    # Whether it still runs through ``end`` (a request awaited, or the ten days after
    # observations): the clock reads it as suspended until then.
    running: bool = False
    answered: bool = False
    # A 10-bis notice awaiting observations: the last day it would run to, ten days after
    # observations sent on the deadline day.
    at_most_until: date | None = None


def _suspension(start: date, opening: StatusChange, left_on: date | None) -> _Suspension:
    """Return the suspension that ``opening`` began on ``start``, left on ``left_on`` (or not)."""
    answered_on = opening.answered_on
    if (
        answered_on is not None
        and opening.runs_after_answer
        and (opening.until is None or answered_on <= opening.until)
    ):
        end = answered_on + opening.runs_after_answer
        return _Suspension(start, end, running=True, answered=True)
    # Observations after the deadline do not move the term back: it ran again from the
    # deadline ("in mancanza delle stesse, dalla scadenza del termine", art. 10-bis).
    if left_on is None:
        if opening.until is not None and opening.runs_after_answer:
            at_most = opening.until + opening.runs_after_answer
            return _Suspension(start, opening.until, running=True, at_most_until=at_most)
        return _Suspension(start, opening.until, running=True)
    end = left_on if opening.until is None else min(left_on, opening.until)
    return _Suspension(start, end)


def _days_in(suspensions: list[_Suspension], until: date) -> int:
    """Return the days the suspensions cover up to ``until``, each day once."""
    days = 0
    reached: date | None = None
    for suspension in sorted(suspensions, key=lambda s: s.start):
        end = min(suspension.end or until, until)
        start = max(suspension.start, reached) if reached else suspension.start
        if end > start:
            days += (end - start).days
        reached = max(reached, end) if reached else end
    return days


def procedure_clock(changes: Iterable[StatusChange], *, term_days: int, now: datetime) -> Clock:
    """Return the clock of an application from its status changes in time order.

    Each suspension is a stretch of days; they may overlap (a request sent in the ten
    days after observations on a notice), and a day counts once.
    """
    started: date | None = None
    stopped_on: date | None = None
    opened: tuple[date, StatusChange] | None = None
    suspensions: list[_Suspension] = []

    for change in changes:
        day = _day(change.at)
        if change.to_status == ApplicationStatus.SUBMITTED and started is None:
            started = day
        if started is None or stopped_on is not None:
            continue
        if change.to_status in SUSPENDING_STATUSES:
            if change.suspends and opened is None:
                opened = (day, change)
        elif opened is not None:
            suspensions.append(_suspension(*opened, left_on=day))
            opened = None
        if change.to_status in FINAL_STATUSES:
            stopped_on = day
    if started is None:
        return Clock(None, 0, 0, term_days, suspended=False, stopped=False)
    end = stopped_on or _day(now)
    if opened is not None:
        suspensions.append(_suspension(*opened, left_on=stopped_on))
    suspended_days = _days_in(suspensions, end)
    # The deadline day is still the applicant's to answer (ProcedureRequest.state_on): the
    # term is suspended through it and runs again the day after.
    running = [
        s
        for s in suspensions
        if stopped_on is None and s.running and s.start <= end and (s.end is None or end <= s.end)
    ]
    last = max(running, key=lambda s: (s.end is None, s.end or end), default=None)
    return Clock(
        started,
        (end - started).days - suspended_days,
        suspended_days,
        term_days,
        suspended=bool(running),
        stopped=stopped_on is not None,
        suspended_until=last.end if last else None,
        as_of=end,
        answered=bool(running) and all(s.answered for s in running),
        suspended_at_most_until=max(
            (s.at_most_until or s.end for s in running if s.at_most_until or s.end),
            default=None,
        ),
        awaiting_observations=any(s.at_most_until for s in running),
    )
