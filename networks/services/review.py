"""Writes of the review that are not status changes: the officers' private notes."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from networks.models import Application, OfficerNote

# A note sent again (a double click, a second tab) within this time, with nothing written in
# between, is the same note: it is not added a second time.
REPEATED_NOTE_SECONDS = 10 * 60


class NoteAlreadySaved(Exception):
    """The same author sent the same note again: ``note`` is the one already saved."""

    def __init__(self, note: OfficerNote) -> None:
        self.note = note
        super().__init__(note.text)


@transaction.atomic
def officer_note_add(*, application: Application, by: User, text: str) -> OfficerNote:
    """Add a private note between officers (never shown to the applicant or the public).

    Raise ``NoteAlreadySaved`` when the application's latest note is this very
    note by the same author, written less than ``REPEATED_NOTE_SECONDS`` ago.
    """
    # The application's row serialises two sendings of the same form: the second sees the first.
    Application.objects.select_for_update(of=("self",)).filter(pk=application.pk).first()
    note = OfficerNote(application=application, author=by, text=text.strip())
    note.full_clean()
    latest = (
        OfficerNote.objects.filter(application=application).order_by("-created_at", "-pk").first()
    )
    if (
        latest is not None
        and latest.author_id == by.pk
        and latest.text == note.text
        and latest.created_at >= timezone.now() - timedelta(seconds=REPEATED_NOTE_SECONDS)
    ):
        raise NoteAlreadySaved(latest)
    note.save()
    return note
