"""Background work (Django's tasks framework): rendering documents and sending mail.

Enqueued with ``transaction.on_commit`` by the services, so a task never sees
uncommitted data. The immediate backend runs them inline in dev and tests; in
production a database-backed worker runs them (README: ``db_worker``). Each
task is idempotent so that it can simply be retried.
"""

from django.tasks import task

from networks.models import DecreeRenderStatus
from networks.services import documents as document_services
from networks.services import notifications


@task
def render_receipt(version_id: int) -> None:
    """Render and store the receipt PDF of a submitted version, then mail the contact person."""
    document_services.receipt_render(version_id=version_id)
    notifications.notify_submission(version_id=version_id)


@task
def render_decree(decree_id: int) -> None:
    """Render, hash and store a decree's PDF/A, then mail it to the applicant's contact.

    A failure is recorded and can be retried; the mail goes once, after the first
    rendering that succeeds.
    """
    decree = document_services.decree_render(decree_id=decree_id)
    if decree.render_status == DecreeRenderStatus.RENDERED:
        notifications.notify_decree(decree_id=decree_id)


@task
def notify_status_change(event_id: int) -> None:
    """Mail the applicant's contact and the officer in charge about a status change."""
    notifications.notify_event(event_id=event_id)


@task
def notify_reassigned(event_id: int, previous_officer_id: int) -> None:
    """Tell the officer who had the application that another officer has it now."""
    notifications.notify_reassigned(event_id=event_id, previous_officer_id=previous_officer_id)
