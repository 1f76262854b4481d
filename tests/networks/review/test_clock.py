"""The procedure's clock: 30 days from submission, suspended while the applicant is asked, stopped at the decision."""

from datetime import date, datetime, timedelta

import pytest
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from networks.clock import ROME, StatusChange, procedure_clock
from networks.constants import ApplicationStatus as S
from networks.holidays import next_working_day
from networks.models import Application, AuditEvent
from networks.selectors import application_clock
from networks.services import workflow as services
from tests.factories import application_in_review, submitted_application
from tests.procedure import working_day


def at(day: int, hour: int = 10) -> datetime:
    """Return a moment of March 2026 in Rome (day 1 = 1 March)."""
    return datetime(2026, 3, 1, hour, tzinfo=ROME) + timedelta(days=day - 1)


def changes(*pairs: tuple[int, str]) -> list[StatusChange]:
    return [StatusChange(at(day), status) for day, status in pairs]


def test_a_draft_has_no_clock() -> None:
    """Has no start, no deadline and is never overdue before submission."""
    clock = procedure_clock(changes((1, S.DRAFT)), term_days=30, now=at(90))
    assert (clock.started, clock.deadline, clock.elapsed_days, clock.overdue) == (
        None,
        None,
        0,
        False,
    )


def test_runs_from_submission() -> None:
    """Counts calendar days from the day of submission."""
    clock = procedure_clock(
        changes((1, S.DRAFT), (2, S.SUBMITTED), (3, S.IN_REVIEW)), term_days=30, now=at(12)
    )
    assert clock.started == date(2026, 3, 2)
    assert (clock.elapsed_days, clock.left_days, clock.suspended_days) == (10, 20, 0)
    assert clock.deadline == date(2026, 4, 1)
    assert not clock.overdue
    assert not clock.suspended
    assert not clock.stopped


def test_overdue_after_the_term() -> None:
    """Is overdue the day after the term ends, with negative days left."""
    history = changes((1, S.SUBMITTED), (2, S.IN_REVIEW))
    assert not procedure_clock(history, term_days=30, now=at(31)).overdue
    late = procedure_clock(history, term_days=30, now=at(33))
    assert late.overdue
    assert late.left_days == -2


def test_integration_suspends_and_resubmission_resumes() -> None:
    """Stops while integrations are awaited and moves the deadline by those days."""
    history = changes(
        (1, S.SUBMITTED),
        (2, S.IN_REVIEW),
        (6, S.INTEGRATION_REQUESTED),
        (16, S.IN_REVIEW),
    )
    during = procedure_clock(history[:3], term_days=30, now=at(10))
    assert during.suspended
    assert (during.elapsed_days, during.suspended_days) == (5, 4)
    after = procedure_clock(history, term_days=30, now=at(20))
    assert not after.suspended
    assert (after.elapsed_days, after.suspended_days) == (9, 10)
    assert after.deadline == date(2026, 3, 1) + timedelta(days=40)


def test_a_suspended_application_is_never_overdue() -> None:
    """Is not overdue while suspended, even long after the original term."""
    history = changes((1, S.SUBMITTED), (2, S.IN_REVIEW), (20, S.REJECTION_NOTICE))
    clock = procedure_clock(history, term_days=30, now=at(60))
    assert clock.suspended
    assert clock.elapsed_days == 19
    assert not clock.overdue


def test_10_bis_notice_suspends_like_an_integration() -> None:
    """Adds both suspensions: integration, then the notice until the observations."""
    history = changes(
        (1, S.SUBMITTED),
        (2, S.IN_REVIEW),
        (5, S.INTEGRATION_REQUESTED),
        (8, S.IN_REVIEW),
        (10, S.REJECTION_NOTICE),
        (20, S.IN_REVIEW),
        (21, S.REJECTION_PROPOSED),
    )
    clock = procedure_clock(history, term_days=30, now=at(25))
    assert clock.suspended_days == 3 + 10
    assert clock.elapsed_days == 24 - 13
    assert clock.deadline == date(2026, 3, 1) + timedelta(days=43)


def test_stops_at_the_decision() -> None:
    """Freezes at the decree: later days do not count and it is never overdue."""
    history = changes(
        (1, S.SUBMITTED), (2, S.IN_REVIEW), (20, S.APPROVAL_PROPOSED), (25, S.APPROVED)
    )
    clock = procedure_clock(history, term_days=30, now=at(200))
    assert clock.stopped
    assert clock.elapsed_days == 24
    assert not clock.overdue


def test_stops_at_withdrawal_even_while_suspended() -> None:
    """Closes an open suspension at the withdrawal."""
    history = changes(
        (1, S.SUBMITTED), (2, S.IN_REVIEW), (5, S.INTEGRATION_REQUESTED), (9, S.WITHDRAWN)
    )
    clock = procedure_clock(history, term_days=30, now=at(100))
    assert clock.stopped
    assert not clock.suspended
    assert (clock.elapsed_days, clock.suspended_days) == (4, 4)


def test_a_suspension_ends_at_its_deadline_when_unanswered() -> None:
    """Counts suspended days only up to the request's deadline; an answer before it ends it sooner."""
    history = [
        StatusChange(at(1), S.SUBMITTED),
        StatusChange(at(2), S.IN_REVIEW),
        StatusChange(at(6), S.INTEGRATION_REQUESTED, until=date(2026, 3, 16)),
    ]
    waiting = procedure_clock(history, term_days=30, now=at(12))
    assert waiting.suspended
    assert waiting.suspended_days == 6
    # The deadline day is the applicant's last day to answer: still suspended, frozen count.
    on_the_day = procedure_clock(history, term_days=30, now=at(16))
    assert on_the_day.suspended
    assert (on_the_day.suspended_days, on_the_day.elapsed_days) == (10, 5)
    day_after = procedure_clock(history, term_days=30, now=at(17))
    assert not day_after.suspended
    assert (day_after.suspended_days, day_after.elapsed_days) == (10, 6)
    lapsed = procedure_clock(history, term_days=30, now=at(40))
    assert not lapsed.suspended
    assert (lapsed.suspended_days, lapsed.elapsed_days) == (10, 29)
    assert procedure_clock(history, term_days=30, now=at(42)).overdue
    answered_early = [*history, StatusChange(at(9), S.IN_REVIEW)]
    assert procedure_clock(answered_early, term_days=30, now=at(40)).suspended_days == 3
    answered_late = [*history, StatusChange(at(25), S.IN_REVIEW)]
    assert procedure_clock(answered_late, term_days=30, now=at(40)).suspended_days == 10


def test_a_change_that_does_not_suspend_lets_the_term_run() -> None:
    """A second integration request (``suspends=False``) stops nothing."""
    history = [
        StatusChange(at(1), S.SUBMITTED),
        StatusChange(at(2), S.IN_REVIEW),
        StatusChange(at(6), S.INTEGRATION_REQUESTED, suspends=False, until=date(2026, 3, 20)),
    ]
    clock = procedure_clock(history, term_days=30, now=at(15))
    assert not clock.suspended
    assert (clock.suspended_days, clock.elapsed_days) == (0, 14)


@pytest.mark.django_db
def test_only_the_first_integration_request_suspends_the_term(applicant, officer) -> None:
    """Art. 2 c. 7: suspended once; a second request after the answer lets the term run."""
    application = application_in_review(applicant, officer)
    deadline = working_day(10)
    services.application_request_integration(
        application_id=application.pk, by=officer, text="Integrare.", deadline=deadline
    )
    assert application_clock(application).suspended
    services.application_resubmit(application_id=application.pk, by=applicant, note="Fatto.")
    assert services.integration_suspends(application) is False
    services.application_request_integration(
        application_id=application.pk, by=officer, text="Ancora.", deadline=deadline
    )
    clock = application_clock(application, now=timezone.now() + timedelta(days=3))
    assert not clock.suspended
    assert clock.suspended_days == 0
    assert clock.elapsed_days == 3


@pytest.mark.django_db
def test_an_unanswered_notice_stops_suspending_after_its_ten_days(applicant, officer) -> None:
    """The 10-bis days pass without observations: the term runs again before the officer acts."""
    application = application_in_review(applicant, officer)
    notice = services.application_send_rejection_notice(
        application_id=application.pk, by=officer, reasons="Mancano le imprese."
    )
    # Ten days, or to the next working day when the tenth is a holiday.
    days = (notice.deadline - timezone.localdate()).days
    assert days >= 10
    clock = application_clock(application, now=timezone.now() + timedelta(days=25))
    assert not clock.suspended
    assert clock.suspended_days == days
    assert clock.elapsed_days == 25 - days


def rome(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, tzinfo=ROME)


def test_a_term_ending_on_a_holiday_runs_to_the_next_working_day() -> None:
    """Filed 02/12/2026: the thirtieth day is Capodanno, so the term ends on Saturday 02/01."""
    history = [StatusChange(rome(2026, 12, 2), S.SUBMITTED)]
    clock = procedure_clock(history, term_days=30, now=rome(2026, 12, 2))
    assert clock.calendar_deadline == date(2027, 1, 1)
    assert clock.deadline == date(2027, 1, 2)
    assert clock.left_days == 31
    on_the_holiday = procedure_clock(history, term_days=30, now=rome(2027, 1, 1))
    assert (on_the_holiday.left_days, on_the_holiday.overdue) == (1, False)
    last_day = procedure_clock(history, term_days=30, now=rome(2027, 1, 2))
    assert (last_day.left_days, last_day.overdue) == (0, False)
    late = procedure_clock(history, term_days=30, now=rome(2027, 1, 3))
    assert (late.left_days, late.overdue) == (-1, True)


def test_a_suspension_says_how_late_the_deadline_can_move() -> None:
    """Suspended on day 6 until day 20 and read on day 10: 4 days so far, 10 more at most."""
    history = [
        StatusChange(at(1), S.SUBMITTED),
        StatusChange(at(2), S.IN_REVIEW),
        StatusChange(at(6), S.INTEGRATION_REQUESTED, until=at(20).date()),
    ]
    clock = procedure_clock(history, term_days=30, now=at(10))
    assert clock.suspended
    assert clock.suspended_until == date(2026, 3, 20)
    assert clock.deadline == date(2026, 3, 1) + timedelta(days=34)
    # 04/04/2026 + 10 days = Tuesday 14/04.
    assert clock.latest_deadline == date(2026, 3, 1) + timedelta(days=44)
    answered = procedure_clock(
        [*history, StatusChange(at(12), S.IN_REVIEW)], term_days=30, now=at(12)
    )
    assert answered.latest_deadline is None
    # Answered on day 12: 6 days of suspension, 06/04/2026 is Lunedì dell'Angelo.
    assert answered.calendar_deadline == date(2026, 4, 6)
    assert answered.deadline == date(2026, 4, 7)


def test_a_latest_deadline_on_a_holiday_moves_on_too() -> None:
    """A suspension running to Easter Sunday 2026 gives Easter Monday, then Tuesday 07/04."""
    history = [
        StatusChange(at(1), S.SUBMITTED),
        StatusChange(at(2), S.INTEGRATION_REQUESTED, until=at(7).date()),
    ]
    clock = procedure_clock(history, term_days=30, now=at(3))
    # 01/03 + 30 + 1 day so far + 4 more = 05/04, Pasqua; then Lunedì dell'Angelo.
    assert clock.latest_deadline == date(2026, 4, 7)


def test_term_set_by_the_call() -> None:
    """Uses the call's term instead of 30 days."""
    clock = procedure_clock(changes((1, S.SUBMITTED)), term_days=60, now=at(45))
    assert (clock.left_days, clock.overdue) == (16, False)


@pytest.mark.django_db
def test_a_filed_application_keeps_the_term_of_the_day_it_was_filed(
    client, applicant, officer
) -> None:
    """Changing the call's term moves the procedures filed after, not those under way."""
    from django.urls import reverse

    running = application_in_review(applicant, officer)
    call = running.call
    call.term_days = 5
    call.save()
    later = submitted_application(applicant, call=call)
    running, later = Application.objects.get(pk=running.pk), Application.objects.get(pk=later.pk)
    assert (running.term_days, later.term_days) == (30, 5)
    in_ten_days = timezone.now() + timedelta(days=10)
    assert application_clock(running, now=in_ten_days).term_days == 30
    assert not application_clock(running, now=in_ten_days).overdue
    assert application_clock(later, now=in_ten_days).overdue
    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[running.pk])).content.decode()
    assert "di 30 giorni" in page


@pytest.mark.django_db
def test_application_clock_on_real_events(applicant, officer) -> None:
    """Reads the audit events of a real application: running, suspended, resumed."""
    application = application_in_review(applicant, officer)
    today = timezone.now()
    clock = application_clock(application, now=today + timedelta(days=10))
    assert clock.started == timezone.localdate(application.submitted_at)
    assert clock.elapsed_days == 10
    assert not clock.suspended
    assert application_clock(application, now=today + timedelta(days=45)).overdue

    deadline = working_day(10)
    days = (deadline - timezone.localdate()).days
    services.application_request_integration(
        application_id=application.pk, by=officer, text="Integrare.", deadline=deadline
    )
    during = application_clock(application, now=today + timedelta(days=min(days, 5)))
    assert during.suspended
    assert not during.overdue
    assert during.suspended_days == min(days, 5)
    # Unanswered, the suspension ends with the request's deadline: the term runs again.
    lapsed = application_clock(application, now=today + timedelta(days=45))
    assert not lapsed.suspended
    assert (lapsed.suspended_days, lapsed.elapsed_days) == (days, 45 - days)
    assert lapsed.overdue

    services.application_resubmit(application_id=application.pk, by=applicant, note="Fatto.")
    resumed = application_clock(application, now=today + timedelta(days=5))
    assert not resumed.suspended
    assert resumed.elapsed_days == 5


@pytest.mark.django_db
def test_application_clock_uses_prefetched_events(applicant, django_assert_num_queries) -> None:
    """Computes the clock from given events without querying."""
    pk = submitted_application(applicant).pk
    application = Application.objects.select_related("call").get(pk=pk)
    events = list(application.events.all())
    with django_assert_num_queries(0):
        clock = application_clock(application, events=events, requests=[])
    assert clock.started == timezone.localdate(application.submitted_at)


@given(
    steps=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=40),
            st.sampled_from(list(S)),
            st.booleans(),
            st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
        ),
        max_size=12,
    ),
    term=st.integers(min_value=0, max_value=60),
    today=st.integers(min_value=1, max_value=200),
)
@settings(max_examples=300, deadline=None)
def test_no_term_passes_before_its_days_since_the_first_filing(steps, term, today) -> None:
    """Overdue only once more days than the term have gone by since the first filing.

    The desk's «termine scaduto» filter reads the history only of the applications filed
    longer ago than their term (``ReviewQueueFilter.filter_overdue``): this is why that
    skips none.
    """
    day, history = 1, []
    for gap, status, suspends, until in steps:
        day += gap
        deadline = at(day + until).date() if until is not None else None
        history.append(StatusChange(at(day), status, suspends=suspends, until=deadline))
    clock = procedure_clock(history, term_days=term, now=at(max(day, today)))
    if clock.overdue:
        first_filing = next(c.at for c in history if c.to_status == S.SUBMITTED).date()
        assert (at(max(day, today)).date() - first_filing).days > term
    assert clock.elapsed_days <= (
        (at(max(day, today)).date() - clock.started).days if clock.started else 0
    )


def test_the_desk_says_when_a_holiday_moves_the_term_on() -> None:
    """«0 di 30 giorni (ne restano 32)» alone reads as a slip: the day and its reason follow."""
    # Filed on 26/03/2026: the thirtieth day is Saturday 25 April (Liberazione), then a Sunday.
    clock = procedure_clock(changes((26, S.SUBMITTED)), term_days=30, now=at(26))
    html = render_to_string("networks/review/_clock.html", {"clock": clock, "overdue_days": 0})
    assert "0 di 30 giorni" in html
    assert "ne restano 32: scade il 27/04/2026, primo giorno lavorativo dopo un festivo" in html
    plain = procedure_clock(changes((2, S.SUBMITTED)), term_days=30, now=at(2))
    html = render_to_string("networks/review/_clock.html", {"clock": plain, "overdue_days": 0})
    assert "(ne restano 30)" in html


def test_the_applicant_reads_one_day_elapsed_in_the_singular(client, applicant) -> None:
    application = submitted_application(applicant)
    AuditEvent.objects.filter(application=application).update(at=F("at") - timedelta(days=1))
    client.force_login(applicant)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "1 giorno trascorso su 30" in page
    assert "1 giorni" not in page


def _answered_notice(observations_day: int) -> list[StatusChange]:
    """Notice on day 5 (deadline day 15), observations on ``observations_day``."""
    return [
        StatusChange(at(1), S.SUBMITTED),
        StatusChange(at(2), S.IN_REVIEW),
        StatusChange(
            at(5),
            S.REJECTION_NOTICE,
            until=at(15).date(),
            runs_after_answer=timedelta(days=10),
            answered_on=at(observations_day).date(),
        ),
        StatusChange(at(observations_day), S.IN_REVIEW),
    ]


def test_a_notice_suspends_until_ten_days_after_the_observations() -> None:
    """Art. 10-bis: the term runs again ten days after the observations, not on their day."""
    history = _answered_notice(observations_day=9)
    during = procedure_clock(history, term_days=30, now=at(12))
    assert during.suspended
    assert during.answered
    assert during.suspended_until == at(19).date()
    assert (during.elapsed_days, during.suspended_days) == (4, 7)
    on_the_tenth = procedure_clock(history, term_days=30, now=at(19))
    assert on_the_tenth.suspended
    assert on_the_tenth.suspended_days == 14
    after = procedure_clock(history, term_days=30, now=at(25))
    assert not after.suspended
    assert not after.answered
    assert (after.elapsed_days, after.suspended_days) == (10, 14)
    # A proposal in the ten days changes nothing; the decision stops the clock.
    proposed = [*history, StatusChange(at(11), S.REJECTION_PROPOSED)]
    assert procedure_clock(proposed, term_days=30, now=at(25)).suspended_days == 14
    decided = [*proposed, StatusChange(at(13), S.REJECTED)]
    stopped = procedure_clock(decided, term_days=30, now=at(25))
    assert stopped.stopped
    assert not stopped.suspended
    assert stopped.suspended_days == 8


def test_a_new_request_in_the_ten_days_carries_the_suspension_on() -> None:
    history = [
        *_answered_notice(observations_day=9),
        StatusChange(at(12), S.INTEGRATION_REQUESTED, until=at(30).date()),
    ]
    clock = procedure_clock(history, term_days=30, now=at(20))
    assert clock.suspended
    assert not clock.answered
    assert clock.suspended_days == 15  # days 5 to 20, one suspension after the other


@pytest.mark.django_db
def test_observations_leave_the_term_suspended_for_ten_more_days(
    client, applicant, officer, manager
):
    from tests.procedure import bring_to

    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    services.application_submit_observations(
        application_id=application.pk, by=applicant, observations="Le imprese ci sono."
    )
    today = timezone.localdate()
    clock = application_clock(application)
    assert clock.suspended
    assert clock.answered
    assert clock.suspended_until == today + timedelta(days=10)
    later = application_clock(application, now=timezone.now() + timedelta(days=11))
    assert not later.suspended
    assert later.suspended_days == 10
    until = clock.suspended_until.strftime("%d/%m/%Y")
    client.force_login(officer)
    page = " ".join(
        client.get(reverse("review_detail", args=[application.pk])).content.decode().split()
    )
    assert f"termine sospeso fino al {until}, dieci giorni dopo le osservazioni" in page
    client.force_login(applicant)
    page = " ".join(
        client.get(reverse("application_detail", args=[application.pk])).content.decode().split()
    )
    assert f"il termine riprende a decorrere dopo il {until}, dieci giorni dopo le tue" in page


@pytest.mark.django_db
def test_an_integration_suspends_thirty_days_at_most_even_past_a_holiday(applicant, officer):
    """The applicant's deadline may fall on the 31st day (the 30th a holiday); the term's
    suspension stops at the 30th (art. 2 c. 7)."""
    application = application_in_review(applicant, officer)
    services.application_request_integration(
        application_id=application.pk, by=officer, text="Manca l'impegno.", deadline=working_day(10)
    )
    request = application.requests.get()
    sent = timezone.localtime(request.created_at).date()
    type(request).objects.filter(pk=request.pk).update(deadline=sent + timedelta(days=31))
    clock = application_clock(application, now=timezone.now() + timedelta(days=40))
    assert clock.suspended_days == 30
    assert not clock.suspended


def test_an_integration_answered_in_the_ten_days_leaves_the_notices_suspension_running() -> None:
    """Observations on day 9 suspend the term to day 19; an integration asked on day 12 and
    answered on day 13 does not cut those days short."""
    history = [
        *_answered_notice(observations_day=9),
        StatusChange(at(12), S.INTEGRATION_REQUESTED, until=at(30).date()),
        StatusChange(at(13), S.IN_REVIEW),
    ]
    clock = procedure_clock(history, term_days=30, now=at(16))
    assert clock.suspended
    assert clock.answered
    assert clock.suspended_until == at(19).date()
    after = procedure_clock(history, term_days=30, now=at(25))
    assert after.suspended_days == 14


def test_a_notice_awaiting_observations_may_suspend_ten_days_past_its_deadline() -> None:
    """Observations sent on the deadline day keep the term suspended ten days more: the
    latest deadline the pages show counts them."""
    history = [
        StatusChange(at(1), S.SUBMITTED),
        StatusChange(at(2), S.IN_REVIEW),
        StatusChange(
            at(5), S.REJECTION_NOTICE, until=at(15).date(), runs_after_answer=timedelta(days=10)
        ),
    ]
    clock = procedure_clock(history, term_days=30, now=at(8))
    assert clock.awaiting_observations
    assert clock.suspended_until == at(15).date()
    assert clock.suspended_at_most_until == at(25).date()
    # 4 days ran before the notice; 26 are left, from the day after the latest end.
    assert clock.latest_deadline == next_working_day(at(25).date() + timedelta(days=26))
    lapsed = procedure_clock(history, term_days=30, now=at(20))
    assert not lapsed.suspended
    assert lapsed.suspended_days == 10


def test_an_integration_asked_in_the_ten_days_is_not_read_as_awaiting_observations() -> None:
    """Observations on day 9 (term suspended to day 19), integrations asked on day 9 with a
    deadline on day 13: the latest deadline counts the later end, and no notice is pending."""
    history = [
        *_answered_notice(observations_day=9),
        StatusChange(at(9), S.INTEGRATION_REQUESTED, until=at(13).date()),
    ]
    for day in range(9, 20):
        clock = procedure_clock(history, term_days=30, now=at(day))
        assert not clock.awaiting_observations, day
        assert clock.latest_deadline >= clock.deadline, day
        assert clock.suspended_until == at(19).date(), day


def test_observations_after_the_deadline_do_not_move_the_term_back() -> None:
    """Notice on day 5, deadline day 15, observations on day 20: the term ran again from the
    deadline ("in mancanza delle stesse, dalla scadenza del termine")."""
    start = [StatusChange(at(1), S.SUBMITTED), StatusChange(at(2), S.IN_REVIEW)]
    notice = {"until": at(15).date(), "runs_after_answer": timedelta(days=10)}
    unanswered = [*start, StatusChange(at(5), S.REJECTION_NOTICE, **notice)]
    answered_late = [
        *start,
        StatusChange(at(5), S.REJECTION_NOTICE, **notice, answered_on=at(20).date()),
        StatusChange(at(20), S.IN_REVIEW),
    ]
    before = procedure_clock(unanswered, term_days=30, now=at(20))
    after = procedure_clock(answered_late, term_days=30, now=at(20))
    assert (after.elapsed_days, after.suspended_days) == (before.elapsed_days, 10)
    assert not after.suspended
