"""Applications brought to any status of the procedure through the workflow services, for tests."""

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from networks.constants import ApplicationStatus as S
from networks.holidays import closed_because, next_working_day
from networks.models import Application, ProcedureRequest, ProposalOutcome
from networks.services import workflow as services
from tests.factories import draft_application

ASSESSMENT = "Valutazione dell'istruttore: il soggetto contribuisce al polo."


def assessments_for(application: Application) -> dict[str, str]:
    """Return a written assessment for every rule that now ends with observations."""
    verdict = services.evaluate_application(application)
    return {r.code: ASSESSMENT for r in verdict.results if r.status == "warning"}


def pending_proposal(application: Application) -> str:
    """Return the id of the proposal awaiting the manager, as a decision form posts it."""
    return str(application.proposals.get(outcome=ProposalOutcome.PENDING).pk)


def ask_integrations(application: Application, officer: User, text: str, days: int = 10) -> None:
    """Have the officer in charge ask for integrations, due a working day ``days`` ahead."""
    services.application_request_integration(
        application_id=application.pk, by=officer, text=text, deadline=working_day(days)
    )


def edit_plan(application: Application, by: User, **texts: str) -> Application:
    """Save texts of the polo (name, plan) as the applicant's form would, at the current
    revision; return the application read again."""
    from networks.services import applications

    fresh = Application.objects.get(pk=application.pk)
    applications.application_update_details(
        application=fresh, by=by, revision=fresh.revision, data=texts
    )
    return Application.objects.get(pk=application.pk)


def working_day(days: int) -> date:
    """Return a deadline an officer may give today about ``days`` days ahead: a working day.

    The last working day from today + ``days`` back to tomorrow; when there is none
    (tomorrow is a holiday and ``days`` is 1), the first one after.
    """
    today = timezone.localdate()
    day = today + timedelta(days=days)
    while day > today and closed_because(day):
        day -= timedelta(days=1)
    return day if day > today else next_working_day(today + timedelta(days=days))


def expire_open_request(application: Application) -> None:
    """Move the open request's deadline to yesterday, as if its days had passed unanswered."""
    ProcedureRequest.objects.filter(application=application).open().update(
        deadline=timezone.localdate() - timedelta(days=1)
    )


def propose_rejection_after_the_term(application: Application, officer: User) -> None:
    """Let the open 10-bis notice run out unanswered, then propose the rejection."""
    expire_open_request(application)
    services.application_propose_rejection(
        application_id=application.pk, by=officer, reasons="Mancano le imprese dell'area."
    )


def bring_to(
    status: str,
    *,
    applicant: User,
    officer: User,
    manager: User,
    notice_for_rejection: bool = False,
) -> Application:
    """Return a new eligible application taken to ``status`` through the workflow services.

    With ``notice_for_rejection`` the 10-bis condition is met: in review, after
    a notice that the applicant answered; in the notice, after its 10 days.
    """
    application = draft_application(applicant)
    pk = application.pk

    def submit() -> None:
        services.application_submit(application_id=pk, by=applicant)

    def in_review() -> None:
        submit()
        services.application_take_charge(application_id=pk, by=officer)

    def notice() -> None:
        in_review()
        services.application_send_rejection_notice(
            application_id=pk, by=officer, reasons="Mancano i requisiti minimi."
        )

    def rejection_proposed() -> None:
        notice()
        services.application_submit_observations(
            application_id=pk, by=applicant, observations="I requisiti ci sono."
        )
        services.application_propose_rejection(
            application_id=pk,
            by=officer,
            reasons="Requisiti non dimostrati.",
            observations_response="Le osservazioni non provano i requisiti.",
        )

    def approval_proposed() -> None:
        in_review()
        services.application_propose_approval(
            application_id=pk, by=officer, assessments=assessments_for(application)
        )

    match status:
        case S.DRAFT:
            pass
        case S.SUBMITTED:
            submit()
        case S.IN_REVIEW:
            if notice_for_rejection:
                notice()
                services.application_submit_observations(
                    application_id=pk, by=applicant, observations="Osservazioni del richiedente."
                )
            else:
                in_review()
        case S.INTEGRATION_REQUESTED:
            in_review()
            ask_integrations(application, officer, "Carica l'accordo firmato da tutti.", days=15)
        case S.APPROVAL_PROPOSED:
            approval_proposed()
        case S.REJECTION_NOTICE:
            notice()
            if notice_for_rejection:
                expire_open_request(application)
        case S.REJECTION_PROPOSED:
            rejection_proposed()
        case S.APPROVED:
            approval_proposed()
            services.application_adopt(application_id=pk, by=manager)
        case S.REJECTED:
            rejection_proposed()
            services.application_adopt(application_id=pk, by=manager)
        case S.WITHDRAWN:
            submit()
            services.application_withdraw(application_id=pk, by=applicant, reason="Ci ripensiamo.")
        case _:
            raise AssertionError(status)
    application = Application.objects.get(pk=pk)
    assert application.status == status
    return application
