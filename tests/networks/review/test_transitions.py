"""Every transition of ``networks.workflow.TRANSITIONS`` fired through the services, by every role.

Allowed ones move the status and write the audit event; a status the action
does not apply to raises ``InvalidTransition``; a user without the role (or
not the officer in charge, or not a representative) raises ``NotAllowed`` —
never ``PermissionDenied``. Then the guards: the 10-bis notice before a
rejection, no approval with a blocking failure, an assessment for every
warning; and the mail that commit sends.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from networks import workflow
from networks.constants import ApplicationStatus as S
from networks.constants import OrganisationKind, RequestOutcome, Role
from networks.models import (
    Application,
    ApplicationMember,
    AuditEvent,
    Decree,
    ProcedureRequest,
    ProposalKind,
    ProposalOutcome,
)
from networks.roles import display_name
from networks.services import workflow as services
from tests.factories import (
    UserFactory,
    add_other_member,
    application_in_review,
    refile,
    submitted_application,
    user_with_role,
)
from tests.procedure import (
    ASSESSMENT,
    assessments_for,
    bring_to,
    expire_open_request,
    propose_rejection_after_the_term,
    working_day,
)

pytestmark = pytest.mark.django_db

ROLES = ("applicant", "other_applicant", "officer_in_charge", "other_officer", "manager")


def _fire(action: str, application: Application, user: User) -> Any:
    pk = application.pk
    calls: dict[str, Callable[[], Any]] = {
        "submit": lambda: services.application_submit(application_id=pk, by=user),
        "take_charge": lambda: services.application_take_charge(application_id=pk, by=user),
        "request_integration": lambda: services.application_request_integration(
            application_id=pk,
            by=user,
            text="Integrare la dichiarazione dell'impresa.",
            deadline=working_day(10),
        ),
        "resubmit": lambda: services.application_resubmit(
            application_id=pk, by=user, note="Ecco le integrazioni."
        ),
        "resume_review": lambda: services.application_resume_review(
            application_id=pk, by=user, note="Si prosegue sugli atti."
        ),
        "resume_after_notice": lambda: services.application_resume_after_notice(
            application_id=pk, by=user, note="Nuovi elementi: si riesamina la rete."
        ),
        "propose_approval": lambda: services.application_propose_approval(
            application_id=pk, by=user, assessments=assessments_for(application)
        ),
        "send_rejection_notice": lambda: services.application_send_rejection_notice(
            application_id=pk, by=user, reasons="Motivi ostativi."
        ),
        "submit_observations": lambda: services.application_submit_observations(
            application_id=pk, by=user, observations="Le nostre osservazioni."
        ),
        "propose_rejection": lambda: services.application_propose_rejection(
            application_id=pk,
            by=user,
            reasons="Requisiti non soddisfatti.",
            # Only observations that came can be answered (the decree says whether they did).
            observations_response="Le osservazioni non superano i motivi."
            if application.requests.filter(outcome=RequestOutcome.ANSWERED).exists()
            else "",
        ),
        "adopt": lambda: services.application_adopt(application_id=pk, by=user),
        "return_proposal": lambda: services.application_return_proposal(
            application_id=pk, by=user, reasons="Approfondire la rete."
        ),
        "withdraw": lambda: services.application_withdraw(
            application_id=pk, by=user, reason="Rinunciamo."
        ),
        "assign": lambda: services.application_assign(
            application_id=pk, by=user, officer_id=_another_officer().pk
        ),
        "reassign": lambda: services.application_reassign(
            application_id=pk, by=user, officer_id=_another_officer().pk
        ),
    }
    return calls[action]()


def _another_officer() -> User:
    officer = UserFactory()
    officer.groups.add(Group.objects.get(name=Role.OFFICER.value))
    return officer


# Each service and the transitions of the table it fires (adopt picks by the proposal's kind).
SERVICE_TRANSITIONS = {
    "submit": ("submit",),
    "take_charge": ("take_charge",),
    "request_integration": ("request_integration",),
    "resubmit": ("resubmit",),
    "resume_review": ("resume_review",),
    "resume_after_notice": ("resume_after_notice",),
    "propose_approval": ("propose_approval",),
    "send_rejection_notice": ("send_rejection_notice",),
    "submit_observations": ("submit_observations",),
    "propose_rejection": ("propose_rejection",),
    "adopt": ("adopt_approval", "adopt_rejection"),
    "return_proposal": ("return_proposal",),
    "withdraw": ("withdraw",),
    "assign": ("assign",),
    "reassign": ("reassign",),
}
ROLE_FOR_ACTOR = {
    workflow.Actor.APPLICANT: {"applicant"},
    workflow.Actor.ANY_OFFICER: {"officer_in_charge", "other_officer"},
    workflow.Actor.OFFICER_IN_CHARGE: {"officer_in_charge"},
    workflow.Actor.MANAGER: {"manager"},
}


def _expected(action: str, status: str, role: str) -> tuple[str, workflow.Transition | None]:
    """Return ``ok``, ``invalid`` or ``not_allowed`` by reading the table, and the transition."""
    transitions = [
        t
        for t in workflow.TRANSITIONS
        if t.action in SERVICE_TRANSITIONS[action] and status in t.sources
    ]
    if not transitions:
        return "invalid", None
    transition = transitions[0]
    return ("ok" if role in ROLE_FOR_ACTOR[transition.actor] else "not_allowed"), transition


def test_every_transition_of_the_table_is_covered() -> None:
    """Covers each action of the table with a service of the matrix below."""
    covered = {name for names in SERVICE_TRANSITIONS.values() for name in names}
    assert covered == {t.action for t in workflow.TRANSITIONS}


def _assert_fires(
    action: str, status: str, transition: workflow.Transition, application: Application, user: User
) -> None:
    _fire(action, application, user)
    application.refresh_from_db()
    assert application.status == transition.leads_to(status)
    event = AuditEvent.objects.filter(application=application).last()
    assert event is not None
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        transition.action,
        status,
        transition.leads_to(status),
        user,
    )


def _assert_refused(outcome: str, action: str, application: Application, user: User) -> None:
    status = application.status
    events_before = AuditEvent.objects.filter(application=application).count()
    expected_error = workflow.InvalidTransition if outcome == "invalid" else workflow.NotAllowed
    with pytest.raises(expected_error) as raised:
        _fire(action, application, user)
    assert not isinstance(raised.value, PermissionDenied)
    if outcome == "invalid":
        assert not isinstance(raised.value, workflow.NotAllowed)
    application.refresh_from_db()
    assert application.status == status
    assert AuditEvent.objects.filter(application=application).count() == events_before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", list(S))
def test_transition_matrix(
    status: str,
    role: str,
    subtests: Any,
    applicant: User,
    other_applicant: User,
    officer: User,
    other_officer: User,
    manager: User,
) -> None:
    """Fires every action from ``status`` as ``role``: it succeeds exactly where the table allows.

    Elsewhere it raises InvalidTransition (wrong status) or NotAllowed (wrong
    user), and leaves status and history untouched. The refused actions share
    one application (a refusal changes nothing); each allowed one gets its own.
    """
    user = {
        "applicant": applicant,
        "other_applicant": other_applicant,
        "officer_in_charge": officer,
        "other_officer": other_officer,
        "manager": manager,
    }[role]
    people = {"applicant": applicant, "officer": officer, "manager": manager}
    expectations = {action: _expected(action, status, role) for action in SERVICE_TRANSITIONS}
    shared = bring_to(status, **people)
    for action, (outcome, _transition) in expectations.items():
        if outcome != "ok":
            with subtests.test(action=action, outcome=outcome):
                _assert_refused(outcome, action, shared, user)
    for action, (outcome, transition) in expectations.items():
        if outcome == "ok":
            assert transition is not None
            with subtests.test(action=action, outcome=outcome):
                application = bring_to(
                    status, **people, notice_for_rejection=action == "propose_rejection"
                )
                if action in {"resume_review", "resume_after_notice"}:
                    # Their guard: the request's days have passed unanswered.
                    expire_open_request(application)
                _assert_fires(action, status, transition, application, user)


def test_the_matrix_allows_each_transition_somewhere() -> None:
    """Checks the expectations themselves: every table transition has a role that may fire it."""
    allowed = {
        transition.action
        for action in SERVICE_TRANSITIONS
        for status in S
        for role in ROLES
        for outcome, transition in [_expected(action, status, role)]
        if outcome == "ok" and transition is not None
    }
    assert allowed == {t.action for t in workflow.TRANSITIONS}


# --- the 10-bis guard ---------------------------------------------------------------------------


def test_rejection_needs_the_10_bis_notice_first(applicant, officer) -> None:
    """Refuses to propose rejection straight from the review, with no notice given."""
    application = application_in_review(applicant, officer)
    with pytest.raises(workflow.InvalidTransition, match="10-bis"):
        services.application_propose_rejection(
            application_id=application.pk, by=officer, reasons="No."
        )
    assert not services.notice_given(application)


def test_rejection_waits_for_the_observations_or_the_ten_days(applicant, officer) -> None:
    """Refuses while the 10 days run; allows once they passed without an answer."""
    application = application_in_review(applicant, officer)
    request = services.application_send_rejection_notice(
        application_id=application.pk, by=officer, reasons="Imprese fuori area."
    )
    assert request.deadline == services.observation_deadline(timezone.localdate())
    assert request.deadline >= timezone.localdate() + timedelta(days=services.OBSERVATION_DAYS)
    with pytest.raises(workflow.InvalidTransition):
        services.application_propose_rejection(
            application_id=application.pk, by=officer, reasons="Imprese fuori area."
        )
    expire_open_request(application)
    assert services.notice_given(application)
    proposal = services.application_propose_rejection(
        application_id=application.pk, by=officer, reasons="Imprese fuori area."
    )
    assert proposal.kind == ProposalKind.REJECTION
    assert Application.objects.get(pk=application.pk).status == S.REJECTION_PROPOSED


def test_rejection_after_observations_must_answer_them(applicant, officer) -> None:
    """Refuses a rejection that does not say why the observations are not accepted."""
    application = application_in_review(applicant, officer)
    services.application_send_rejection_notice(
        application_id=application.pk, by=officer, reasons="Motivi."
    )
    services.application_submit_observations(
        application_id=application.pk, by=applicant, observations="Non siamo d'accordo."
    )
    assert services.notice_given(application)
    with pytest.raises(workflow.InvalidTransition, match="osservazioni"):
        services.application_propose_rejection(
            application_id=application.pk, by=officer, reasons="Motivi."
        )
    services.application_propose_rejection(
        application_id=application.pk,
        by=officer,
        reasons="Motivi.",
        observations_response="Non dimostrano i requisiti.",
    )


def test_rejection_without_observations_answers_none(applicant, officer, manager) -> None:
    """Refuses a reply to observations never sent: the decree would say they were not accepted."""
    application = bring_to(
        S.REJECTION_NOTICE,
        applicant=applicant,
        officer=officer,
        manager=manager,
        notice_for_rejection=True,
    )
    with pytest.raises(workflow.InvalidTransition, match="non ha presentato osservazioni"):
        services.application_propose_rejection(
            application_id=application.pk,
            by=officer,
            reasons="Mancano le imprese dell'area.",
            observations_response="Le osservazioni non dimostrano i requisiti.",
        )
    application.refresh_from_db()
    assert application.status == S.REJECTION_NOTICE
    proposal = services.application_propose_rejection(
        application_id=application.pk, by=officer, reasons="Mancano le imprese dell'area."
    )
    assert proposal.observations_response == ""


def test_a_new_integration_request_resets_the_notice_condition(applicant, officer) -> None:
    """Needs a fresh notice once an integration request followed the answered one."""
    application = application_in_review(applicant, officer)
    services.application_send_rejection_notice(
        application_id=application.pk, by=officer, reasons="Motivi."
    )
    services.application_submit_observations(
        application_id=application.pk, by=applicant, observations="Osservazioni."
    )
    services.application_request_integration(
        application_id=application.pk,
        by=officer,
        text="Integrate.",
        deadline=working_day(5),
    )
    services.application_resubmit(application_id=application.pk, by=applicant, note="Fatto.")
    assert not services.notice_given(Application.objects.get(pk=application.pk))
    assert not any(
        t.action == "propose_rejection"
        for t in workflow.available_actions(
            S.IN_REVIEW, roles={"Istruttore"}, is_representative=False, is_in_charge=True
        )
    )


# --- approval guards ------------------------------------------------------------------------------


def _drop_a_company(application: Application) -> None:
    ApplicationMember.objects.filter(
        pk=ApplicationMember.objects.filter(
            application=application, organisation__kind=OrganisationKind.COMPANY
        )
        .values("pk")
        .first()["pk"]
    ).delete()
    refile(application)


def test_approval_refused_with_a_blocking_failure(applicant, officer) -> None:
    """Refuses to propose approval when a rule fails on the network as it is now."""
    application = application_in_review(applicant, officer)
    _drop_a_company(application)
    with pytest.raises(workflow.InvalidTransition, match="PTP-COMPANIES"):
        services.application_propose_approval(
            application_id=application.pk, by=officer, assessments={}
        )
    assert Application.objects.get(pk=application.pk).status == S.IN_REVIEW
    assert not application.proposals.exists()


def test_adoption_refused_when_the_network_became_ineligible(applicant, officer, manager) -> None:
    """Refuses to adopt an approval whose rules fail when checked again on adoption day."""
    application = application_in_review(applicant, officer)
    services.application_propose_approval(application_id=application.pk, by=officer, assessments={})
    _drop_a_company(application)
    with pytest.raises(workflow.InvalidTransition, match="rinvia"):
        services.application_adopt(application_id=application.pk, by=manager)
    assert not Decree.objects.filter(application=application).exists()


def test_adoption_refused_when_an_outcome_changed_since_the_proposal(
    client, applicant, officer, manager
) -> None:
    """The decree carries the proposal's outcomes and assessments: a rule with observations
    on adoption day that the proposal found satisfied (so unassessed) stops the adoption,
    and the manager's page says which, before the button is pressed."""
    application = application_in_review(applicant, officer)
    services.application_propose_approval(application_id=application.pk, by=officer, assessments={})
    add_other_member(application)  # the filed network now ends PTP-MEMBER-TYPES with observations
    with pytest.raises(
        workflow.InvalidTransition,
        match="PTP-MEMBER-TYPES: soddisfatto nella proposta, da valutare oggi",
    ):
        services.application_adopt(application_id=application.pk, by=manager)
    assert not Decree.objects.filter(application=application).exists()
    client.force_login(manager)
    page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    notice = page[page.index('id="proposta-superata"') :]
    assert "PTP-MEMBER-TYPES: soddisfatto nella proposta, da valutare oggi" in notice

    # Sent back and proposed again with the assessment, it is adopted with it.
    services.application_return_proposal(
        application_id=application.pk, by=manager, reasons="Valuta il nuovo membro."
    )
    services.application_propose_approval(
        application_id=application.pk, by=officer, assessments=assessments_for(application)
    )
    page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    assert 'id="proposta-superata"' not in page
    decree = services.application_adopt(application_id=application.pk, by=manager)
    assert decree.proposal.assessments["PTP-MEMBER-TYPES"] == ASSESSMENT


def test_approval_needs_an_assessment_for_every_warning(applicant, officer) -> None:
    """Refuses an approval that leaves a rule with observations unassessed."""
    application = application_in_review(applicant, officer)
    add_other_member(application)
    warnings = assessments_for(application)
    assert "PTP-MEMBER-TYPES" in warnings
    with pytest.raises(workflow.InvalidTransition, match="PTP-MEMBER-TYPES"):
        services.application_propose_approval(
            application_id=application.pk, by=officer, assessments={"PTP-MEMBER-TYPES": "  "}
        )
    proposal = services.application_propose_approval(
        application_id=application.pk, by=officer, assessments=warnings
    )
    assert proposal.assessments["PTP-MEMBER-TYPES"] == ASSESSMENT


# --- notes, deadlines, records --------------------------------------------------------------------


def test_actions_that_need_a_note_refuse_a_blank_one(applicant, officer) -> None:
    """Refuses an integration request with no text, and one with a past deadline."""
    application = application_in_review(applicant, officer)
    with pytest.raises(workflow.InvalidTransition):
        services.application_request_integration(
            application_id=application.pk,
            by=officer,
            text="   ",
            deadline=working_day(3),
        )
    with pytest.raises(workflow.InvalidTransition, match="scadenza"):
        services.application_request_integration(
            application_id=application.pk,
            by=officer,
            text="Manca un documento.",
            deadline=timezone.localdate(),
        )


def test_audit_events_record_who_when_from_to_and_note(applicant, officer, manager) -> None:
    """Writes one event per change with actor, statuses and the note."""
    application = application_in_review(applicant, officer)
    services.application_request_integration(
        application_id=application.pk,
        by=officer,
        text="Carica l'impegno firmato.",
        deadline=working_day(7),
    )
    services.application_resubmit(application_id=application.pk, by=applicant, note="Caricato.")
    services.application_propose_approval(
        application_id=application.pk, by=officer, assessments={}, note="Tutto in regola."
    )
    services.application_return_proposal(
        application_id=application.pk, by=manager, reasons="Verificare le imprese."
    )
    rows = list(
        AuditEvent.objects.filter(application=application).values_list(
            "action", "from_status", "to_status", "actor__username", "note"
        )
    )
    assert rows[1:] == [
        ("submit", S.DRAFT, S.SUBMITTED, applicant.username, ""),
        ("take_charge", S.SUBMITTED, S.IN_REVIEW, officer.username, "Responsabile del procedimento: Mario Rossi"),
        ("request_integration", S.IN_REVIEW, S.INTEGRATION_REQUESTED, officer.username, "Carica l'impegno firmato."),
        ("resubmit", S.INTEGRATION_REQUESTED, S.IN_REVIEW, applicant.username, "Caricato."),
        ("propose_approval", S.IN_REVIEW, S.APPROVAL_PROPOSED, officer.username, "Tutto in regola."),
        ("return_proposal", S.APPROVAL_PROPOSED, S.IN_REVIEW, manager.username, "Verificare le imprese."),
    ]  # fmt: skip
    assert all(event.at <= timezone.now() for event in AuditEvent.objects.all())
    proposal = application.proposals.get()
    assert proposal.outcome == ProposalOutcome.RETURNED
    assert proposal.manager_note == "Verificare le imprese."
    assert application.versions.count() == 2


def test_adoption_numbers_the_decree_and_closes_the_proposal(applicant, officer, manager) -> None:
    """Gives decree n. 1 of the year and marks the proposal adopted by the manager."""
    application = application_in_review(applicant, officer)
    services.application_propose_approval(application_id=application.pk, by=officer, assessments={})
    decree = services.application_adopt(application_id=application.pk, by=manager)
    assert (decree.year, decree.number) == (timezone.localdate().year, 1)
    proposal = application.proposals.get()
    assert (proposal.outcome, proposal.decided_by) == (ProposalOutcome.ADOPTED, manager)


@pytest.mark.parametrize("status", [S.APPROVAL_PROPOSED, S.REJECTION_PROPOSED])
def test_who_proposed_the_decree_does_not_adopt_it(client, applicant, manager, status) -> None:
    """One user with both roles proposes as officer in charge; another manager adopts."""
    both = user_with_role(Role.OFFICER, "istruttore-dirigente")
    both.groups.add(Group.objects.get(name=Role.MANAGER.value))
    application = bring_to(
        status, applicant=applicant, officer=both, manager=manager, notice_for_rejection=True
    )
    assert application.proposals.get(outcome=ProposalOutcome.PENDING).proposed_by == both

    with pytest.raises(workflow.NotAllowed, match="Hai proposto tu questo decreto"):
        services.application_adopt(application_id=application.pk, by=both)
    assert not application.decrees.exists()
    client.force_login(both)
    # Refused as such, also when the adoption's form is left empty.
    action = "adopt_approval" if status == S.APPROVAL_PROPOSED else "adopt_rejection"
    refused = client.post(reverse("review_action", args=[application.pk, action]), {})
    assert refused.context["action_error"].startswith("Hai proposto tu questo decreto")
    page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    assert 'id="proposta-propria"' in page
    assert "/azioni/adopt_" not in page
    assert "/azioni/return_proposal/" in page

    decree = services.application_adopt(application_id=application.pk, by=manager)
    assert decree.adopted_by == manager


# --- mail ------------------------------------------------------------------------------------------


def test_mail_goes_to_the_contact_and_the_officer(
    applicant, officer, django_capture_on_commit_callbacks
) -> None:
    """Mails the contact person on each change, and the officer in charge when someone else acted.

    Each mail greets its addressee by name: the contact person, or the officer.
    """
    officer.first_name, officer.last_name = "Giulia", "Verdi"
    officer.save()
    application = application_in_review(applicant, officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_integration(
            application_id=application.pk,
            by=officer,
            text="Manca l'impegno di un'impresa.",
            deadline=working_day(10),
        )
    assert [message.to for message in mail.outbox] == [["referente@example.org"]]
    assert mail.outbox[0].body.startswith(
        f"Gentile Mario Rossi,\n\nla domanda «{application.name}» (protocollo "
    )
    assert "Manca l'impegno" in mail.outbox[0].body
    deadline = working_day(10).strftime("%d/%m/%Y")
    assert f"Puoi rispondere sul portale fino al {deadline} compreso." in mail.outbox[0].body
    assert "sospeso fino alla tua risposta e comunque non oltre trenta giorni" in (
        " ".join(mail.outbox[0].body.split())
    )
    assert application.protocol_number in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_resubmit(application_id=application.pk, by=applicant, note="Fatto.")
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert "referente@example.org" in recipients
    assert officer.email in recipients
    officer_mail = next(m for m in mail.outbox if m.to == [officer.email])
    assert officer_mail.body.startswith("Gentile Giulia Verdi,\n\n")
    assert f"/istruttoria/{application.pk}/" in officer_mail.body


def test_a_resubmission_mails_the_contact_once_with_its_receipt(
    applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    """One mail for one sending: the receipt's, not also a status mail; the officer is told."""
    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_resubmit(application_id=application.pk, by=applicant, note="Fatto.")
    to_applicant = [m.subject for m in mail.outbox if m.to == [application.contact_email]]
    assert to_applicant == [
        f"Integrazioni alla domanda {application.protocol_number} ricevute – {application.name}"
    ]
    assert [m for m in mail.outbox if m.to == [officer.email]]


def test_the_applicant_is_told_who_took_charge(
    client, applicant, officer, django_capture_on_commit_callbacks
) -> None:
    """Art. 8 L. 241/1990: the mail and the applicant's history name the responsabile."""
    application = submitted_application(applicant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_take_charge(application_id=application.pk, by=officer)
    [to_applicant] = [m for m in mail.outbox if m.to == ["referente@example.org"]]
    assert "Responsabile del procedimento: Mario Rossi" in to_applicant.body
    client.force_login(applicant)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Responsabile del procedimento: Mario Rossi" in page


def test_a_reassignment_shows_in_the_applicants_history_as_news_not_as_a_change(
    client, applicant, officer, manager
) -> None:
    """The status stays: the history names the new responsabile, not «In istruttoria → In istruttoria»."""
    other = user_with_role(Role.OFFICER, "istruttore2", first_name="Marco", last_name="Neri")
    application = application_in_review(applicant, officer)
    services.application_reassign(application_id=application.pk, by=manager, officer_id=other.pk)
    client.force_login(applicant)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Responsabile del procedimento: Marco Neri" in page
    assert "In istruttoria → In istruttoria" not in page


def test_a_proposal_is_mailed_to_every_active_manager(
    applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    """A proposal waits for a Dirigente: each active one with an address is told where it is."""
    from django.contrib.auth.models import Group

    away = UserFactory(is_active=False)
    away.groups.add(Group.objects.get(name=Role.MANAGER.value))
    application = application_in_review(applicant, officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_propose_approval(
            application_id=application.pk, by=officer, assessments={}, note="Da adottare."
        )
    [to_manager] = [m for m in mail.outbox if m.to == [manager.email]]
    assert to_manager.body.startswith(f"Gentile {manager.get_full_name()},\n\n")
    assert to_manager.subject == f"Domanda {application.protocol_number}: Proposta di approvazione"
    assert f"/istruttoria/{application.pk}/" in to_manager.body
    assert "Da adottare." in to_manager.body  # the officer's words are for the manager
    assert not any(away.email in m.to for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_return_proposal(
            application_id=application.pk, by=manager, reasons="Verificare."
        )
    assert not any(m.to == [manager.email] for m in mail.outbox)


def test_words_between_officer_and_manager_stay_off_the_applicants_page_and_mail(
    client, applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    """A proposal's note, a return's reasons and an adoption note: officers' eyes only.

    The proposals and the return are steps between the officer and the manager: the
    applicant gets no mail of them, and the history shows the review, then the decision.
    """
    application = application_in_review(applicant, officer)
    internal = ("Nota riservata al dirigente.", "Rinvio: verificare le imprese.", "Adottato.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_propose_approval(
            application_id=application.pk, by=officer, assessments={}, note=internal[0]
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_return_proposal(
            application_id=application.pk, by=manager, reasons=internal[1]
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_propose_approval(
            application_id=application.pk, by=officer, assessments={}
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_adopt(application_id=application.pk, by=manager, note=internal[2])
    to_contact = [m.body for m in mail.outbox if m.to == ["referente@example.org"]]
    to_officer = [m.body for m in mail.outbox if m.to == [officer.email]]
    assert len(to_contact) == 1  # the decree's mail, and nothing of the steps before it
    assert to_contact[0].startswith("Gentile Mario Rossi,\n\ncon il decreto n. ")
    assert not any(text in body for text in internal for body in to_contact)
    assert internal[1] in "".join(to_officer)
    [returned] = [
        m for m in mail.outbox if m.to == [officer.email] and "rinviata dal dirigente" in m.subject
    ]
    assert returned.body.startswith(
        f"Gentile {display_name(officer)},\n\nil dirigente ha rinviato la proposta di decisione "
        f"sulla domanda «{application.name}»"
    )
    assert f"Motivi del rinvio:\n{internal[1]}" in returned.body
    client.force_login(applicant)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    history = page[page.index("Cronologia") :]
    assert "Proposta di approvazione" not in page
    assert "Rinviata" not in page
    assert "In istruttoria → Approvata" in history
    assert not any(text in page for text in internal)
    client.force_login(officer)
    desk = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    assert all(text in desk for text in internal)


def test_while_the_manager_decides_the_applicant_reads_in_review(
    client, applicant, officer, django_capture_on_commit_callbacks
) -> None:
    application = application_in_review(applicant, officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_propose_approval(
            application_id=application.pk, by=officer, assessments={}
        )
    assert not [m for m in mail.outbox if m.to == ["referente@example.org"]]
    client.force_login(applicant)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert 'data-status="in_review">In istruttoria</dd>' in page
    listing = client.get(reverse("application_list")).content.decode()
    assert "<td>In istruttoria</td>" in listing
    assert "Proposta di approvazione" not in page + listing


def test_a_reassignment_while_the_manager_decides_is_mailed_to_the_applicant_as_in_review(
    applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    other = user_with_role(Role.OFFICER, "istruttore2", first_name="Marco", last_name="Neri")
    application = application_in_review(applicant, officer)
    services.application_propose_approval(application_id=application.pk, by=officer, assessments={})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reassign(
            application_id=application.pk, by=manager, officer_id=other.pk
        )
    [to_contact] = [m for m in mail.outbox if m.to == ["referente@example.org"]]
    assert "resta nello stato «In istruttoria»" in to_contact.body
    assert "Proposta" not in to_contact.body + to_contact.subject
    [to_officer] = [m for m in mail.outbox if m.to == [other.email]]
    assert "resta nello stato «Proposta di approvazione»" in to_officer.body


def test_an_action_refused_while_the_manager_decides_names_the_applicants_status(
    client, applicant, officer
) -> None:
    """A stale tab's observations: refused, saying «In istruttoria», not the proposal."""
    from tests.helpers import page_messages

    application = application_in_review(applicant, officer)
    services.application_propose_approval(application_id=application.pk, by=officer, assessments={})
    client.force_login(applicant)
    response = client.post(
        reverse("application_observations", args=[application.pk]),
        {"text": "Osservazioni da una scheda rimasta aperta."},
        follow=True,
    )
    assert page_messages(response) == [
        "L'azione «Invia le osservazioni» non è possibile per una domanda nello stato "
        "«In istruttoria»."
    ]


def test_an_unanswered_notice_is_closed_by_the_proposal_so_a_second_notice_can_follow(
    applicant, officer, manager
):
    """10-bis left unanswered, rejection proposed, proposal returned, a new notice: no conflict."""
    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    propose_rejection_after_the_term(application, officer)
    assert not ProcedureRequest.objects.filter(
        application=application, closed_at__isnull=True
    ).exists()
    services.application_return_proposal(
        application_id=application.pk, by=manager, reasons="Riconsiderare le imprese."
    )
    services.application_send_rejection_notice(
        application_id=application.pk, by=officer, reasons="Ancora mancano le imprese."
    )
    assert (
        ProcedureRequest.objects.filter(application=application, closed_at__isnull=True).count()
        == 1
    )


def test_an_adopted_approval_is_mailed_to_the_contact_once_with_its_decree(
    applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    """The act's notification: number, date, where to download it and how to verify it."""
    application = bring_to(
        S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decree = services.application_adopt(application_id=application.pk, by=manager)
    decree.refresh_from_db()
    to_contact = [m for m in mail.outbox if m.to == [application.contact_email]]
    assert len(to_contact) == 1, [m.subject for m in to_contact]
    [message] = to_contact
    date = timezone.localtime(decree.adopted_at).strftime("%d/%m/%Y")
    assert message.subject == (
        f"Decreto n. {decree.number} del {date} – riconoscimento del polo «{application.name}»"
    )
    assert f"il Polo Tecnico Professionale «{application.name}»" in message.body
    assert f"protocollo n. {application.protocol_number}) è riconosciuto." in message.body
    assert f"/domande/{application.pk}/" in message.body
    assert f"Codice di verifica: {decree.verification_code}" in message.body
    assert f"/verifica/{decree.verification_code}" in message.body
    assert decree.notified_at is not None
    # The officer in charge still hears of the status change.
    assert [m for m in mail.outbox if m.to == [officer.email]]


def test_a_rejection_decree_mail_points_to_the_reasons_and_remedies(
    applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    application = bring_to(
        S.REJECTION_PROPOSED, applicant=applicant, officer=officer, manager=manager
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_adopt(application_id=application.pk, by=manager)
    [message] = [m for m in mail.outbox if m.to == [application.contact_email]]
    assert "diniego del riconoscimento" in message.subject
    assert "è negato, per le motivazioni indicate nel decreto" in message.body
    assert "mezzi di ricorso" in message.body


def test_the_decree_mail_waits_for_a_rendering_and_goes_once(
    applicant, officer, manager, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """A failed rendering mails nothing; the retry that renders it mails it; a second, nothing."""
    from networks import tasks
    from networks.services import documents

    application = bring_to(
        S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager
    )

    def broken(document):
        raise RuntimeError("font mancante")

    monkeypatch.setattr(documents, "render_decree", broken)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decree = services.application_adopt(application_id=application.pk, by=manager)
    decree.refresh_from_db()
    assert decree.render_status == "failed"
    assert not [m for m in mail.outbox if m.to == [application.contact_email]]
    monkeypatch.undo()
    tasks.render_decree.enqueue(decree.pk)
    tasks.render_decree.enqueue(decree.pk)
    decree.refresh_from_db()
    assert decree.render_status == "rendered"
    assert len([m for m in mail.outbox if m.to == [application.contact_email]]) == 1


def test_a_decree_without_a_contact_address_mails_no_one(
    applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    application = bring_to(
        S.APPROVAL_PROPOSED, applicant=applicant, officer=officer, manager=manager
    )
    Application.objects.filter(pk=application.pk).update(contact_email="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decree = services.application_adopt(application_id=application.pk, by=manager)
    decree.refresh_from_db()
    assert decree.render_status == "rendered"
    assert decree.notified_at is None
    assert mail.outbox
    assert all(m.to == [officer.email] for m in mail.outbox)


@pytest.mark.django_db
def test_the_rejection_notice_mail_says_what_article_10_bis_gives_the_applicant(
    applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    from tests.procedure import bring_to

    application = bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = services.application_send_rejection_notice(
            application_id=application.pk, by=officer, reasons="Manca un ente accreditato."
        )
    [to_contact] = [m for m in mail.outbox if m.to == [application.contact_email]]
    body = " ".join(to_contact.body.split())
    assert "Manca un ente accreditato." in body
    assert "(articolo 10-bis della legge 241/1990)" in body
    assert f"Entro il {request.deadline:%d/%m/%Y} compreso puoi presentare sul portale" in body
    assert "eventualmente corredate da documenti" in body
    assert "ricominciano a decorrere dieci giorni dopo la presentazione delle osservazioni" in body


def test_after_an_unanswered_notice_the_officer_may_go_on_without_rejecting(
    client, applicant, officer, manager
) -> None:
    """A 10-bis notice does not bind the office: once its days pass, the review may go on,
    with a reason the applicant reads; while they run, the action waits."""
    from tests.procedure import bring_to

    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    deadline = application.requests.get().deadline.strftime("%d/%m/%Y")
    with pytest.raises(workflow.InvalidTransition, match=f"fino al {deadline}"):
        services.application_resume_after_notice(
            application_id=application.pk, by=officer, note="Riesame."
        )
    client.force_login(officer)
    url = reverse("review_detail", args=[application.pk])
    assert (
        "Riprendi l&#x27;istruttoria senza proporre il rigetto"
        not in client.get(url).content.decode()
    )
    expire_open_request(application)
    assert (
        "Riprendi l&#x27;istruttoria senza proporre il rigetto" in client.get(url).content.decode()
    )
    response = client.post(
        reverse("review_action", args=[application.pk, "resume_after_notice"]),
        {"resume_after_notice-note": ""},
    )
    assert "Perché l&#x27;istruttoria prosegue" in response.content.decode()  # shown again
    application.refresh_from_db()
    assert application.status == S.REJECTION_NOTICE
    response = client.post(
        reverse("review_action", args=[application.pk, "resume_after_notice"]),
        {"resume_after_notice-note": "L'ente accreditato risulta iscritto dal registro regionale."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    notice = application.requests.get()
    assert notice.outcome == RequestOutcome.SET_ASIDE
    event = application.events.get(action="resume_after_notice")
    assert event.note_for_applicant.startswith("L'ente accreditato")
    assert (
        f"Il preavviso di rigetto del {timezone.localtime(notice.created_at):%d/%m/%Y} è superato"
        in event.note_for_applicant
    )
    # Every way on is open again, approval included.
    services.application_propose_approval(
        application_id=application.pk, by=officer, assessments=assessments_for(application)
    )
    application.refresh_from_db()
    assert application.status == S.APPROVAL_PROPOSED


def test_a_notice_set_aside_gives_no_ground_for_a_rejection(applicant, officer, manager) -> None:
    """Going on after a notice means a rejection needs a new notice, with its own reasons;
    the decree then takes note of both, and of the review resumed after the first."""
    from networks.models import Decree
    from networks.services.documents import decree_document
    from tests.procedure import bring_to

    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    expire_open_request(application)
    services.application_resume_after_notice(
        application_id=application.pk, by=officer, note="Riesamino la composizione."
    )
    assert not services.notice_given(application)
    with pytest.raises(workflow.InvalidTransition, match="10-bis"):
        services.application_propose_rejection(
            application_id=application.pk, by=officer, reasons="Motivo nuovo: manca l'ITS."
        )
    services.application_send_rejection_notice(
        application_id=application.pk, by=officer, reasons="Manca l'ITS."
    )
    propose_rejection_after_the_term(application, officer)
    services.application_adopt(application_id=application.pk, by=manager)
    steps = decree_document(Decree.objects.get(application=application)).procedure_steps
    assert len(steps) == 2
    assert ", e della ripresa dell'istruttoria il " in steps[0]
    assert "alla quale non sono pervenute osservazioni entro il termine" in steps[1]


def test_the_manager_assigns_an_application_nobody_took(
    client, applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    """Art. 5 c. 1 L. 241/1990: the manager gives a submitted application to an officer, who is
    then in charge; the applicant is told the name, the officer is mailed."""
    from tests.helpers import page_messages

    application = submitted_application(applicant)
    client.force_login(manager)
    page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    assert "Assegna a un istruttore" in page
    assert "Nessuna azione disponibile" not in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review_action", args=[application.pk, "assign"]),
            {"assign-officer": officer.pk},
            follow=True,
        )
    assert page_messages(response) == [
        "Domanda assegnata: l'istruttore scelto è il responsabile del procedimento."
    ]
    application.refresh_from_db()
    assert (application.status, application.officer) == (S.IN_REVIEW, officer)
    event = application.events.last()
    assert (event.action, event.actor) == ("assign", manager)
    note = f"Responsabile del procedimento: {display_name(officer)}"
    [to_contact] = [m for m in mail.outbox if m.to == ["referente@example.org"]]
    assert note in to_contact.body
    assert any(m.to == [officer.email] for m in mail.outbox)
    # Once taken, the application is reassigned, no longer assigned.
    with pytest.raises(workflow.InvalidTransition):
        services.application_assign(
            application_id=application.pk, by=manager, officer_id=officer.pk
        )


def test_an_officer_cannot_assign_an_application(applicant, officer) -> None:
    application = submitted_application(applicant)
    with pytest.raises(workflow.NotAllowed):
        services.application_assign(
            application_id=application.pk, by=officer, officer_id=officer.pk
        )


def test_a_withdrawal_of_a_proposed_application_is_mailed_to_the_managers(
    applicant, officer, manager, django_capture_on_commit_callbacks
) -> None:
    """The managers were asked to decide: they are told the proposal lapsed with the withdrawal."""
    application = application_in_review(applicant, officer)
    services.application_propose_approval(application_id=application.pk, by=officer, assessments={})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(
            application_id=application.pk, by=applicant, reason="Ci ripensiamo."
        )
    [to_manager] = [m for m in mail.outbox if m.to == [manager.email]]
    assert to_manager.subject == f"Domanda {application.protocol_number}: Ritirata"
    assert "Ci ripensiamo." in to_manager.body
    mail.outbox.clear()
    other = application_in_review(applicant, officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application_id=other.pk, by=applicant, reason="Ritiro.")
    assert not any(m.to == [manager.email] for m in mail.outbox)  # no proposal was waiting


def test_who_represents_the_filing_organisation_abstains_from_its_review(
    client, applicant, officer, other_officer, manager
) -> None:
    """Art. 6-bis L. 241/1990: an officer or manager linked to the applicant is offered no
    action, refused one with the reason, and is not among the officers to assign."""
    application = submitted_application(applicant)
    application.applicant_organisation.representatives.add(officer, manager)
    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    assert f"/istruttoria/{application.pk}/azioni/take_charge/" not in page
    client.force_login(other_officer)
    offered = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    assert f"/istruttoria/{application.pk}/azioni/take_charge/" in offered  # the check can fail
    with pytest.raises(workflow.NotAllowed, match="devi astenerti"):
        services.application_take_charge(application_id=application.pk, by=officer)
    with pytest.raises(workflow.NotAllowed, match=r"art\. 6-bis"):
        services.application_assign(
            application_id=application.pk, by=manager, officer_id=other_officer.pk
        )
    from networks.selectors import officers_to_assign

    assert officer not in officers_to_assign(application)
    assert other_officer in officers_to_assign(application)
