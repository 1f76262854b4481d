"""What the review's forms and services refuse, and what they say when they do.

An integration suspends the term for at most 30 days (art. 2 c. 7 L. 241/1990);
a rejection cannot be proposed while the 10-bis notice's days are running; free
text has a ceiling, so that a pasted document does not become a 50-page decree.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from networks.constants import ApplicationStatus as S
from networks.forms_review import LONG_TEXT, RequestIntegrationForm
from networks.holidays import next_working_day
from networks.models import Application
from networks.services import workflow as services
from tests.procedure import bring_to

pytestmark = pytest.mark.django_db


def action_url(application: Application, action: str) -> str:
    return reverse("review_action", args=[application.pk, action])


def short_date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def in_review(applicant, officer, manager) -> Application:
    return bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)


def test_the_integration_deadline_may_be_the_thirtieth_day_or_the_working_day_after(
    in_review, officer
):
    today = timezone.localdate()
    deadline = services.latest_request_deadline(today)
    assert deadline == next_working_day(today + timedelta(days=30))
    with pytest.raises(ValidationError):
        services.check_request_deadline(deadline + timedelta(days=1))
    with pytest.raises(services.workflow.InvalidTransition, match="al massimo 30 giorni"):
        services.application_request_integration(
            application_id=in_review.pk,
            by=officer,
            text="Manca l'accordo.",
            deadline=deadline + timedelta(days=1),
        )
    request = services.application_request_integration(
        application_id=in_review.pk, by=officer, text="Manca l'accordo.", deadline=deadline
    )
    assert request.deadline == deadline


@pytest.mark.parametrize("typed", ["2027-01-15", "15.01.2027", "31/02/2027", "abc"])
def test_a_date_in_another_form_is_refused_with_the_expected_form(typed):
    form = RequestIntegrationForm({"text": "Manca l'accordo.", "deadline": typed})
    assert not form.is_valid()
    # A date to come, whatever the year, and one the form itself takes: never a Sunday.
    example = next_working_day(timezone.localdate() + timedelta(days=30))
    assert form.errors["deadline"] == [
        f"Inserisci una data valida nella forma gg/mm/aaaa, per esempio {example:%d/%m/%Y}."
    ]
    assert RequestIntegrationForm(
        {"text": "Manca l'accordo.", "deadline": f"{example:%d/%m/%Y}"}
    ).is_valid()


def test_a_rejection_during_the_notice_days_says_until_when_observations_may_come(
    applicant, officer, manager
):
    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    deadline = application.requests.get().deadline
    with pytest.raises(services.workflow.InvalidTransition) as refused:
        services.application_propose_rejection(
            application_id=application.pk, by=officer, reasons="Requisiti non dimostrati."
        )
    assert str(refused.value) == (
        "Il preavviso di rigetto è in corso: il richiedente può presentare osservazioni fino al "
        f"{short_date(deadline)}. Potrai proporre il rigetto quando arrivano le osservazioni o "
        "dopo quella data."
    )


def test_reasons_longer_than_the_ceiling_are_refused_and_kept(client, in_review, officer):
    client.force_login(officer)
    reasons = "Motivo. " * (LONG_TEXT // 8 + 1)
    response = client.post(
        action_url(in_review, "send_rejection_notice"),
        {"send_rejection_notice-reasons": reasons},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"non contenga più di {LONG_TEXT} caratteri" in html
    assert reasons.strip() in html
    assert Application.objects.get(pk=in_review.pk).status == S.IN_REVIEW
