"""Writes of the review that are not status changes: the officers' private notes."""

from django.contrib.auth.models import User
from django.db import transaction

from networks.models import Application, OfficerNote


@transaction.atomic
def officer_note_add(*, application: Application, by: User, text: str) -> OfficerNote:
    """Add a private note between officers (never shown to the applicant or the public)."""
    note = OfficerNote(application=application, author=by, text=text.strip())
    note.full_clean()
    note.save()
    return note
