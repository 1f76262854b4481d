"""Real races on PostgreSQL: decree and protocol numbers stay gapless and unique, one officer wins.

Threads wait at a ``threading.Barrier`` and then fire the service at once,
each on its own database connection (closed at the end of the thread). The
background tasks (rendering, mail) go to Django's dummy task backend, as they
would to a queue in production: what is under test is the numbering, done in
the transaction, not the PDF rendered after it.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import Http404
from django.utils import timezone

from networks import workflow
from networks.constants import ApplicationStatus as S
from networks.constants import CounterKind
from networks.models import Application, AuditEvent, Decree, YearCounter
from networks.services import workflow as services
from tests.factories import UserFactory, draft_application
from tests.procedure import bring_to

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _tasks_queued_not_run(settings: Any) -> None:
    settings.TASKS = DUMMY_TASKS


def race(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run ``calls`` in threads released together; return their results and errors."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            outcome = call()
        except BaseException as error:
            with lock:
                errors.append(error)
        else:
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def _last(kind: CounterKind) -> int:
    counter = YearCounter.objects.filter(kind=kind, year=timezone.localdate().year).first()
    return counter.last if counter else 0


def test_twenty_concurrent_adoptions_get_consecutive_decree_numbers(
    postgres_only: None, applicant: User, officer: User, manager: User
) -> None:
    """Numbers 20 decrees adopted at once 1..20 of the year: no gap, no duplicate."""
    applications = [
        bring_to(S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager)
        for _ in range(20)
    ]
    start = _last(CounterKind.DECREE)
    results, errors = race(
        [
            lambda pk=application.pk: services.application_adopt(application_id=pk, by=manager)
            for application in applications
        ]
    )
    assert errors == []
    numbers = sorted(decree.number for decree in results)
    assert numbers == list(range(start + 1, start + 21))
    stored = sorted(Decree.objects.values_list("number", flat=True))
    assert stored == numbers
    assert Application.objects.filter(status=S.APPROVED).count() == 20


def test_two_officers_taking_charge_at_once(
    postgres_only: None, applicant: User, officer: User, manager: User
) -> None:
    """Leaves exactly one officer in charge; the other gets InvalidTransition."""
    application = bring_to(S.SUBMITTED, applicant=applicant, officer=officer, manager=manager)
    rival = UserFactory(username="istruttore-rivale")
    rival.groups.add(*officer.groups.all())
    results, errors = race(
        [
            lambda user=user: services.application_take_charge(
                application_id=application.pk, by=user
            )
            for user in (officer, rival)
        ]
    )
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], workflow.InvalidTransition)
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert application.officer == results[0].officer
    assert AuditEvent.objects.filter(application=application, action="take_charge").count() == 1


def test_twenty_parallel_submissions_get_consecutive_protocol_numbers(
    postgres_only: None, applicant: User
) -> None:
    """Gives 20 applications submitted at once 20 consecutive protocol numbers."""
    drafts = [draft_application(applicant) for _ in range(20)]
    start = _last(CounterKind.PROTOCOL)
    results, errors = race(
        [
            lambda pk=draft.pk: services.application_submit(application_id=pk, by=applicant)
            for draft in drafts
        ]
    )
    assert errors == []
    assert len(results) == 20
    sequences = sorted(
        Application.objects.filter(pk__in=[d.pk for d in drafts]).values_list(
            "protocol_seq", flat=True
        )
    )
    assert sequences == list(range(start + 1, start + 21))
    assert {a.protocol_year for a in Application.objects.all()} == {timezone.localdate().year}


def test_deleting_a_draft_while_another_tab_submits_it_leaves_one_outcome(
    postgres_only: None, applicant: User
) -> None:
    """Submission and deletion take the same row lock: the draft is filed or gone, never both."""
    from networks.services.applications import ApplicationError, application_delete_draft

    application = draft_application(applicant)
    results, errors = race(
        [
            lambda: services.application_submit(application_id=application.pk, by=applicant),
            lambda: application_delete_draft(
                application=Application.objects.get(pk=application.pk), by=applicant
            ),
        ]
    )
    survivor = Application.objects.filter(pk=application.pk).first()
    assert len(results) == 1
    assert len(errors) == 1
    if survivor is None:  # deleted first: submission found no draft to lock
        assert results == [None]
        assert isinstance(errors[0], Http404)
    else:  # submitted first: the deletion read the new status under the lock
        assert isinstance(errors[0], ApplicationError)
        assert survivor.status == S.SUBMITTED
        assert survivor.protocol_number


def test_two_tabs_deleting_one_draft_delete_it_once(postgres_only: None, applicant: User) -> None:
    """The second deletion finds the row gone under the lock: a 404, told as «già eliminata»."""
    from networks.services.applications import application_delete_draft

    application = draft_application(applicant)
    results, errors = race(
        [
            lambda: application_delete_draft(
                application=Application.objects.get(pk=application.pk), by=applicant
            )
            for _ in range(2)
        ]
    )
    assert not Application.objects.filter(pk=application.pk).exists()
    assert len(results) == 1
    assert len(errors) == 1
    # Gone before its read (DoesNotExist) or before its lock (Http404): never deleted twice.
    assert isinstance(errors[0], Application.DoesNotExist | Http404)
