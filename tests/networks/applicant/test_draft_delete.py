"""An applicant deletes a draft never submitted: its network and files go, nothing else does."""

import logging

from django.http import Http404
from django.urls import reverse

from networks.constants import ApplicationStatus
from networks.models import Application, ApplicationMember, AuditEvent, Document, Organisation
from networks.views.applicant import draft_shown_token
from tests.factories import approved_application, draft_application, submitted_application
from tests.helpers import page_messages


def delete(client, application_pk: int, **data: str):
    return client.post(
        reverse("application_delete", args=[application_pk]),
        {"draft_shown": draft_shown_token(application_pk), **data},
        follow=True,
    )


def test_a_representative_deletes_a_draft_with_its_members_and_files(
    client, applicant, caplog, django_capture_on_commit_callbacks
) -> None:
    application = draft_application(applicant)
    organisations = set(application.members.values_list("organisation_id", flat=True))
    documents = list(application.documents.all())
    assert len(documents) >= 2
    storage = documents[0].file.storage
    assert all(storage.exists(document.file.name) for document in documents)
    client.force_login(applicant)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Elimina la bozza" in page
    assert f"e i {len(documents)} documenti caricati" in page

    with (
        caplog.at_level(logging.INFO, logger="networks.services.applications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = delete(client, application.pk, confirm="on")

    assert response.redirect_chain[-1][0] == reverse("application_list")
    assert page_messages(response) == [
        "Bozza «Polo Meccatronica Lombardo» eliminata, con la sua rete e i documenti caricati."
    ]
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not ApplicationMember.objects.filter(application_id=application.pk).exists()
    assert not Document.objects.filter(application_id=application.pk).exists()
    assert not AuditEvent.objects.filter(application_id=application.pk).exists()
    assert not any(storage.exists(document.file.name) for document in documents)
    # The registry keeps the organisations, which other poli may use.
    assert Organisation.objects.filter(pk__in=organisations).count() == len(organisations)
    assert f"draft {application.pk} deleted by user {applicant.pk}" in caplog.text


def test_without_the_tick_nothing_is_deleted_and_the_page_says_what_to_do(
    client, applicant
) -> None:
    application = draft_application(applicant, documents=False)
    client.force_login(applicant)
    response = client.post(
        reverse("application_delete", args=[application.pk]),
        {"draft_shown": draft_shown_token(application.pk)},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Spunta la conferma per eliminare la bozza." in content
    # The tick's label is a statement: the message does not repeat it before the error.
    assert "recuperare.: Spunta" not in content
    assert '<details class="mt-4" id="elimina-bozza" open>' in content
    assert Application.objects.filter(pk=application.pk).exists()


def test_a_second_click_is_told_the_draft_is_gone(client, applicant) -> None:
    application = draft_application(applicant, documents=False)
    client.force_login(applicant)
    delete(client, application.pk, confirm="on")
    response = delete(client, application.pk, confirm="on")
    assert response.status_code == 200
    assert page_messages(response) == ["La bozza era già stata eliminata."]


def test_another_organisations_user_gets_a_404_and_the_draft_stays(
    client, applicant, other_applicant
) -> None:
    application = draft_application(applicant, documents=False)
    client.force_login(other_applicant)
    response = delete(client, application.pk, confirm="on")
    assert response.status_code == 404
    assert Application.objects.filter(pk=application.pk).exists()


def test_an_id_that_names_nothing_is_a_404_even_with_a_token_for_another_id(
    client, applicant
) -> None:
    application = draft_application(applicant, documents=False)
    client.force_login(applicant)
    missing = application.pk + 1000
    response = client.post(
        reverse("application_delete", args=[missing]),
        {"draft_shown": draft_shown_token(application.pk), "confirm": "on"},
    )
    assert response.status_code == 404


def test_a_submitted_application_is_refused_and_kept(client, applicant) -> None:
    application = submitted_application(applicant)
    client.force_login(applicant)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Elimina la bozza" not in page
    response = delete(client, application.pk, confirm="on")
    assert page_messages(response) == [
        "La domanda «Polo Meccatronica Lombardo» è stata presentata e resta agli atti: non si "
        "può eliminare. Finché non è decisa puoi ritirarla, scrivendo il motivo."
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.documents.exists()


def test_a_decided_application_is_said_to_be_concluded(client, applicant, officer, manager) -> None:
    application = approved_application(applicant, officer, manager)
    client.force_login(applicant)
    response = delete(client, application.pk, confirm="on")
    assert page_messages(response) == [
        "La domanda «Polo Meccatronica Lombardo» è stata presentata e il procedimento è "
        "concluso: resta agli atti e non si può eliminare."
    ]
    assert Application.objects.filter(pk=application.pk).exists()


def test_a_get_changes_nothing(client, applicant) -> None:
    application = draft_application(applicant, documents=False)
    client.force_login(applicant)
    response = client.get(reverse("application_delete", args=[application.pk]))
    assert response.status_code == 405
    assert Application.objects.filter(pk=application.pk).exists()


def test_a_draft_deleted_by_another_tab_meanwhile_is_told_so(
    client, applicant, monkeypatch
) -> None:
    """The row went between this request's read and its lock: a message, not an error page."""
    from networks.services import applications as services

    application = draft_application(applicant, documents=False)

    def gone(**kwargs):
        raise Http404

    monkeypatch.setattr(services, "application_delete_draft", gone)
    client.force_login(applicant)
    response = delete(client, application.pk, confirm="on")
    assert response.redirect_chain[-1][0] == reverse("application_list")
    assert page_messages(response) == ["La bozza era già stata eliminata."]
