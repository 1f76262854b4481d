"""An edit racing a submission on PostgreSQL: the network cannot change under a filed application.

The main thread plays the submission: it locks the application's row and
moves it out of draft, as ``application_submit`` does in its transaction.
Meanwhile a second thread adds a member through the service with the copy of
the application it loaded before (still a draft). The edit must wait for the
lock, see the new status and refuse, instead of landing on a network whose
version was just frozen.
"""

import threading
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from networks.constants import ApplicationStatus
from networks.models import Application, ApplicationMember
from networks.services.applications import ApplicationError, application_member_add
from tests.factories import OrganisationFactory, draft_application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wait_until_blocked_on_a_lock(timeout: float = 20) -> None:
    """Return once another backend of this database waits on a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the edit never waited for the application's lock")


def test_member_added_while_the_application_is_being_submitted_is_refused(
    postgres_only: None, applicant: User
) -> None:
    application = draft_application(applicant)
    stale = Application.objects.get(pk=application.pk)
    newcomer = OrganisationFactory()
    members_before = application.members.count()
    outcome: dict[str, Any] = {}

    def add_member() -> None:
        try:
            application_member_add(application=stale, organisation=newcomer, by=applicant)
        except ApplicationError as error:
            outcome["error"] = error
        else:
            outcome["added"] = True
        finally:
            connection.close()

    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application.pk)
        Application.objects.filter(pk=application.pk).update(
            status=ApplicationStatus.SUBMITTED, term_days=30
        )
        editor = threading.Thread(target=add_member)
        editor.start()
        _wait_until_blocked_on_a_lock()
    editor.join(timeout=30)

    assert not editor.is_alive()
    assert "added" not in outcome
    assert "«Presentata»" in str(outcome["error"])
    assert ApplicationMember.objects.filter(application=application).count() == members_before
    assert not ApplicationMember.objects.filter(organisation=newcomer).exists()
