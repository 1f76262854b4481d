"""A refusal keeps what the user typed, saves nothing half-way, and reads texts as people see them."""

import pytest
from django.core import mail
from django.urls import reverse

from networks.constants import ApplicationStatus, DocumentKind
from networks.models import ApplicationMember, Organisation
from networks.services.applications import MAX_NETWORK_MEMBERS
from tests.factories import (
    OrganisationFactory,
    company_registration,
    draft_application,
    post_polo_step,
)
from tests.procedure import bring_to

pytestmark = pytest.mark.django_db

NOTE = "Ho caricato il nuovo accordo di rete firmato da tutti i partner."


def test_a_blocked_sending_of_integrations_keeps_the_note(client, applicant, officer, manager):
    application = bring_to(
        ApplicationStatus.INTEGRATION_REQUESTED,
        applicant=applicant,
        officer=officer,
        manager=manager,
    )
    # The agreement taken away to be replaced, the new one not uploaded yet.
    application.documents.filter(kind=DocumentKind.NETWORK_AGREEMENT).update(current=False)
    client.force_login(applicant)
    response = client.post(reverse("application_submit", args=[application.pk]), {"text": NOTE})
    page = response.content.decode()
    assert response.status_code == 400
    assert "accordo di rete" in page
    assert NOTE in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTEGRATION_REQUESTED
    assert application.versions.count() == 1


def test_an_organisation_a_full_network_cannot_take_is_not_left_in_the_registry(client, applicant):
    application = draft_application(applicant, eligible=False, documents=False)
    room = MAX_NETWORK_MEMBERS - application.members.count()
    ApplicationMember.objects.bulk_create(
        ApplicationMember(
            application=application, organisation=organisation, key=f"m{i}", position=100 + i
        )
        for i, organisation in enumerate(OrganisationFactory.create_batch(room))
    )
    before = Organisation.objects.count()
    client.force_login(applicant)
    data = company_registration()
    response = client.post(reverse("organisation_register", args=[application.pk]), data)
    page = response.content.decode()
    assert "al più 250" in page
    assert "Sesto San Giovanni" in page
    assert Organisation.objects.count() == before
    # With room made, the same form goes through: no half-saved copy refuses it.
    application.members.filter(key="m0").delete()
    response = client.post(reverse("organisation_register", args=[application.pk]), data)
    assert response.status_code == 302
    assert application.members.filter(organisation__name="Officina Valida S.r.l.").exists()


INVISIBLE = ["\u200b\u2060\u200b", "\u0301", "\u2800\u2800", "\u3164", "\u00a0\u200b"]


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_withdrawal_reason_that_shows_nothing_is_refused(client, applicant, officer, text):
    application = bring_to(
        ApplicationStatus.SUBMITTED, applicant=applicant, officer=officer, manager=officer
    )
    client.force_login(applicant)
    response = client.post(reverse("application_withdraw", args=[application.pk]), {"text": text})
    assert "caratteri che non si vedono" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_polo_name_that_shows_nothing_is_refused(client, applicant, text):
    application = draft_application(applicant)
    client.force_login(applicant)
    response = post_polo_step(client, application, name=text)
    assert response.status_code == 200
    assert "caratteri che non si vedono" in response.content.decode()
    application.refresh_from_db()
    assert application.name == "Polo Meccatronica Lombardo"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_a_polo_name_with_a_line_separator_is_refused_at_the_polo_step(
    client, applicant, separator
):
    application = draft_application(applicant)
    client.force_login(applicant)
    response = post_polo_step(client, application, name=f"Polo{separator}Ostile")
    assert response.status_code == 200
    assert "un a capo" in response.content.decode()
    application.refresh_from_db()
    assert application.name == "Polo Meccatronica Lombardo"


def test_a_name_saved_with_a_line_break_before_the_check_still_gets_its_mail(
    applicant, django_capture_on_commit_callbacks
):
    """Names saved before the forms refused line separators: the receipt mail still goes."""
    from networks.models import Application
    from networks.services import workflow

    application = draft_application(applicant)
    Application.objects.filter(pk=application.pk).update(name="Polo\u2028Meccatronica\x85Alta")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.application_submit(application_id=application.pk, by=applicant)
    [message] = mail.outbox
    assert message.subject.endswith("Polo Meccatronica Alta")
