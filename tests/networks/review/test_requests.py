"""How a request to the applicant closes, and where it stands on a given day.

The action that leaves the suspension records the outcome: the applicant's
answer (resubmission, observations), a withdrawal, or the officer going on
once a 10-bis notice's days have passed. The officer's page reads the outcome
instead of guessing it from the answer's text.
"""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from networks import selectors, workflow
from networks.constants import SUSPENDING_STATUSES, RequestOutcome, RequestState
from networks.constants import ApplicationStatus as S
from networks.models import ProcedureRequest
from networks.services import workflow as services
from tests.helpers import migrated
from tests.procedure import (
    ask_integrations,
    bring_to,
    edit_plan,
    expire_open_request,
    propose_rejection_after_the_term,
    working_day,
)

pytestmark = pytest.mark.django_db

WITHDRAWAL_REASON = "La rete si è sciolta prima della decisione."


def _officer_page_request_section(client, officer, application) -> str:
    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    section = page[page.index('id="ultima-richiesta"') :]
    return section[: section.index("</section>")]


@pytest.fixture
def integration(applicant, officer, manager):
    return bring_to(S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager)


def test_resubmission_closes_the_integration_request_as_answered_with_the_note(
    integration, applicant
):
    services.application_resubmit(
        application_id=integration.pk, by=applicant, note="Allegata la dichiarazione."
    )
    request = integration.requests.get()
    assert request.closed_at is not None
    assert request.outcome == RequestOutcome.ANSWERED
    assert request.answer == "Allegata la dichiarazione."


def test_withdrawal_closes_the_request_without_taking_the_reason_for_an_answer(
    client, integration, applicant, officer
):
    services.application_withdraw(
        application_id=integration.pk, by=applicant, reason=WITHDRAWAL_REASON
    )
    request = integration.requests.get()
    assert request.outcome == RequestOutcome.WITHDRAWN
    assert request.answer == ""
    section = _officer_page_request_section(client, officer, integration)
    assert "chiusa dal ritiro della domanda" in section
    assert "Risposta il" not in section
    assert WITHDRAWAL_REASON not in section
    # The reason stays where it belongs: in the history of the application.
    assert integration.events.get(action="withdraw").note == WITHDRAWAL_REASON


def test_observations_close_the_notice_as_answered(client, applicant, officer, manager):
    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    services.application_submit_observations(
        application_id=application.pk, by=applicant, observations="Le imprese ci sono."
    )
    request = application.requests.get()
    assert (request.outcome, request.answer) == (RequestOutcome.ANSWERED, "Le imprese ci sono.")
    section = _officer_page_request_section(client, officer, application)
    assert "Risposta il" in section
    assert "Le imprese ci sono." in section


def test_a_rejection_proposal_after_the_term_closes_the_notice_as_lapsed(
    applicant, officer, manager
):
    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    propose_rejection_after_the_term(application, officer)
    request = application.requests.get()
    assert (request.outcome, request.answer) == (RequestOutcome.LAPSED, "")
    assert request.state_on(timezone.localdate()) == RequestState.LAPSED


def test_the_officer_resumes_the_review_once_the_integration_deadline_passed(
    client, integration, applicant, officer, mailoutbox, django_capture_on_commit_callbacks
):
    """Before the deadline the action is neither offered nor accepted; after it, it goes on."""
    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[integration.pk])).content.decode()
    assert "Riprendi l&#x27;istruttoria senza le integrazioni" not in page
    deadline = integration.requests.get().deadline.strftime("%d/%m/%Y")
    with pytest.raises(workflow.InvalidTransition, match=f"fino al {deadline}"):
        services.application_resume_review(application_id=integration.pk, by=officer)
    response = client.post(
        reverse("review_action", args=[integration.pk, "resume_review"]),
        {"resume_review-note": "Proseguo."},
    )
    assert f"fino al {deadline}" in response.content.decode()
    integration.refresh_from_db()
    assert integration.status == S.INTEGRATION_REQUESTED

    expire_open_request(integration)
    page = client.get(reverse("review_detail", args=[integration.pk])).content.decode()
    assert "Riprendi l&#x27;istruttoria senza le integrazioni" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review_action", args=[integration.pk, "resume_review"]), {})
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.status == S.IN_REVIEW
    request = integration.requests.get()
    assert (request.outcome, request.answer) == (RequestOutcome.LAPSED, "")
    # The applicant is told, in the history and by mail, why the review went on without them.
    [to_contact] = [m for m in mailoutbox if m.to == [integration.contact_email]]
    assert "scaduto senza risposta" in to_contact.body
    client.force_login(applicant)
    page = client.get(reverse("application_detail", args=[integration.pk])).content.decode()
    assert "scaduto senza risposta" in page


def test_an_open_request_awaits_until_its_deadline_then_expires(integration):
    request = integration.requests.get()
    assert request.outcome == ""
    assert request.state_on(request.deadline) == RequestState.AWAITING
    assert request.state_on(request.deadline + timedelta(days=1)) == RequestState.EXPIRED


def test_open_keeps_only_the_request_not_yet_closed(integration, applicant, officer):
    """Resubmitted, then asked again: of the two requests, open() is the second one."""
    first = integration.requests.get()
    services.application_resubmit(application_id=integration.pk, by=applicant, note="Fatto.")
    services.application_request_integration(
        application_id=integration.pk,
        by=officer,
        text="Manca ancora l'impegno di un'impresa.",
        deadline=working_day(10),
    )
    second = integration.requests.exclude(pk=first.pk).get()
    assert list(integration.requests.open()) == [second]
    assert list(ProcedureRequest.objects.open()) == [second]
    assert selectors.open_request(integration) == second


def test_every_way_out_of_a_suspension_has_its_outcome():
    """The transition table's exits from a suspension are exactly the ones with an outcome."""
    exits = {
        transition.action
        for transition in workflow.TRANSITIONS
        for source in transition.sources & SUSPENDING_STATUSES
        if transition.leads_to(source) not in SUSPENDING_STATUSES
    }
    assert {action: workflow.request_outcome(action) for action in exits} == {
        "resubmit": RequestOutcome.ANSWERED,
        "submit_observations": RequestOutcome.ANSWERED,
        "withdraw": RequestOutcome.WITHDRAWN,
        "propose_rejection": RequestOutcome.LAPSED,
        "resume_review": RequestOutcome.LAPSED,
        "resume_after_notice": RequestOutcome.SET_ASIDE,
    }


def test_the_database_refuses_a_closed_request_without_an_outcome(integration):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureRequest.objects.filter(application=integration).update(closed_at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_the_migration_derives_the_outcome_of_requests_closed_before_it(
    applicant, officer, manager
):
    """Rows closed under 0005 (answer only, a withdrawal's reason as the answer) get outcomes."""
    withdrawn = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    services.application_withdraw(application_id=withdrawn.pk, by=applicant, reason="Ritirata.")
    resubmitted = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    services.application_resubmit(application_id=resubmitted.pk, by=applicant, note="")
    lapsed = bring_to(S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager)
    propose_rejection_after_the_term(lapsed, officer)
    observed = bring_to(S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager)
    services.application_submit_observations(
        application_id=observed.pk, by=applicant, observations="Le imprese ci sono."
    )
    still_open = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )

    before, after = ("networks", "0005_document_request"), ("networks", "0006_request_outcome")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old_requests = executor.loader.project_state([before]).apps.get_model(
        "networks", "ProcedureRequest"
    )
    # What 0005's code stored for a withdrawal: the reason as the request's answer.
    old_requests.objects.filter(application_id=withdrawn.pk).update(answer="Ritirata.")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    try:
        _assert_outcomes(withdrawn, resubmitted, lapsed, observed, still_open)
    finally:  # the tests after this one in the process need the schema of today
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _assert_outcomes(withdrawn, resubmitted, lapsed, observed, still_open):
    # Only the columns 0006 knows: the model of today has more.
    outcomes = {
        application: (outcome, answer)
        for application, outcome, answer in ProcedureRequest.objects.values_list(
            "application_id", "outcome", "answer"
        )
    }
    assert outcomes == {
        withdrawn.pk: (RequestOutcome.WITHDRAWN, ""),
        resubmitted.pk: (RequestOutcome.ANSWERED, ""),
        lapsed.pk: (RequestOutcome.LAPSED, ""),
        observed.pk: (RequestOutcome.ANSWERED, "Le imprese ci sono."),
        still_open.pk: ("", ""),
    }


def test_the_officer_is_told_a_second_integration_request_does_not_suspend(
    client, integration, applicant, officer
):
    services.application_resubmit(application_id=integration.pk, by=applicant, note="Fatto.")
    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[integration.pk])).content.decode()
    assert "non si sospende di nuovo" in page
    response = client.post(
        reverse("review_action", args=[integration.pk, "request_integration"]),
        {
            "request_integration-text": "Manca ancora un impegno.",
            "request_integration-deadline": working_day(10).strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    assert "Il termine non è sospeso" in response.content.decode()
    assert not selectors.application_clock(integration).suspended


def test_a_second_request_says_when_the_term_it_does_not_suspend_ends(
    client, integration, applicant, officer
):
    """An answer due after the term would come too late: the deadline's help says when it ends."""
    services.application_resubmit(application_id=integration.pk, by=applicant, note="Fatto.")
    term = selectors.application_clock(integration).deadline
    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[integration.pk])).content.decode()
    assert (
        f"Il termine del procedimento scade il {term:%d/%m/%Y}: una scadenza successiva lo "
        "supererebbe."
    ) in page


def test_a_second_request_due_after_the_term_says_so_when_sent(
    client, integration, applicant, officer
):
    """Not refused (the officer may need it), but the message names both dates."""
    from networks.models import Application
    from tests.helpers import page_messages

    services.application_resubmit(application_id=integration.pk, by=applicant, note="Fatto.")
    Application.objects.filter(pk=integration.pk).update(term_days=5)
    integration.refresh_from_db()
    term = selectors.application_clock(integration).deadline
    deadline = working_day(10)
    assert deadline > term
    client.force_login(officer)
    response = client.post(
        reverse("review_action", args=[integration.pk, "request_integration"]),
        {
            "request_integration-text": "Manca ancora un impegno.",
            "request_integration-deadline": deadline.strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    [message] = page_messages(response)
    assert message.endswith(
        f"La scadenza della risposta, il {deadline:%d/%m/%Y}, è dopo il termine del "
        f"procedimento, il {term:%d/%m/%Y}."
    )


def test_a_second_request_after_the_term_passed_does_not_say_a_later_date_would_pass_it(
    client, integration, applicant, officer
):
    from networks.models import Application, AuditEvent

    services.application_resubmit(application_id=integration.pk, by=applicant, note="Fatto.")
    Application.objects.filter(pk=integration.pk).update(term_days=1)
    AuditEvent.objects.filter(application=integration).update(at=timezone.now() - timedelta(days=5))
    ProcedureRequest.objects.filter(application=integration).update(
        created_at=timezone.now() - timedelta(days=5),
        closed_at=timezone.now() - timedelta(days=5),
    )
    integration.refresh_from_db()
    term = selectors.application_clock(integration).deadline
    assert term < timezone.localdate()
    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[integration.pk])).content.decode()
    assert f"Il termine del procedimento è già scaduto, il {term:%d/%m/%Y}" in page
    assert "una scadenza successiva lo supererebbe" not in page


def test_resuming_after_a_second_request_does_not_say_the_term_runs_again(
    client, integration, applicant, officer, manager
):
    """The second request never stopped the term (art. 2 c. 7): nothing «corre di nuovo»."""
    from tests.helpers import page_messages

    services.application_resubmit(application_id=integration.pk, by=applicant, note="Fatto.")
    ask_integrations(integration, officer, "Manca ancora un impegno.")
    expire_open_request(integration)
    client.force_login(officer)
    response = client.post(
        reverse("review_action", args=[integration.pk, "resume_review"]), {}, follow=True
    )
    assert page_messages(response) == ["Istruttoria ripresa senza le integrazioni richieste."]
    first = bring_to(S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager)
    expire_open_request(first)
    response = client.post(
        reverse("review_action", args=[first.pk, "resume_review"]), {}, follow=True
    )
    assert page_messages(response) == [
        "Istruttoria ripresa senza le integrazioni: il termine corre di nuovo."
    ]


def test_the_applicant_reads_that_the_deadline_has_passed_and_what_it_means(
    client, integration, applicant
):
    client.force_login(applicant)
    deadline = integration.requests.get().deadline.strftime("%d/%m/%Y")
    page = client.get(reverse("application_detail", args=[integration.pk])).content.decode()
    assert f"rispondi entro il {deadline}" in page
    expire_open_request(integration)
    page = client.get(reverse("application_detail", args=[integration.pk])).content.decode()
    passed = integration.requests.get().deadline.strftime("%d/%m/%Y")
    assert f"il termine per rispondere è scaduto il {passed}" in page
    assert "Puoi ancora rispondere" in page
    assert "ha ripreso a decorrere dalla scadenza" in page
    assert "non sospende il termine" not in page


def test_the_applicant_reads_that_a_second_integration_does_not_suspend_the_term(
    client, integration, applicant, officer
):
    services.application_resubmit(application_id=integration.pk, by=applicant, note="Fatto.")
    services.application_request_integration(
        application_id=integration.pk,
        by=officer,
        text="Ancora una dichiarazione.",
        deadline=working_day(5),
    )
    client.force_login(applicant)
    url = reverse("application_detail", args=[integration.pk])
    page = client.get(url).content.decode()
    assert "Questa richiesta non sospende il termine del procedimento" in page
    expire_open_request(integration)
    page = client.get(url).content.decode()
    assert "il termine per rispondere è scaduto il" in page
    assert "ha ripreso a decorrere" not in page  # it never stopped


def test_the_integration_form_names_the_last_day_it_accepts(
    client, applicant, officer, manager
) -> None:
    """«30 giorni» alone would not say that a thirtieth day on a holiday moves the limit on."""
    application = bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)
    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[application.pk])).content.decode()
    latest = services.latest_request_deadline(timezone.localdate())
    assert f"al più tardi il {latest:%d/%m/%Y} (30 giorni da oggi o, se il trentesimo" in page
    services.check_request_deadline(latest)  # the day named is accepted


UNSENT_DESCRIPTION = "Testo mai inviato.\n\nUn secondo paragrafo, " + "lungo " * 60


def _prepare_and_never_send(integration, applicant):
    """Edit the name, the plan, the network and the documents; return the company taken
    out, the member put in (now the lead) and the document uploaded, none of it sent."""
    from networks.constants import DocumentKind, OrganisationKind
    from networks.services import applications
    from tests.factories import OrganisationFactory, pdf_upload

    company = integration.members.filter(organisation__kind=OrganisationKind.COMPANY).first()
    edit_plan(integration, applicant, name="Nome mai presentato", description=UNSENT_DESCRIPTION)
    applications.application_member_remove(member=company, by=applicant)
    added = applications.application_member_add(
        application=integration, organisation=OrganisationFactory(university=True), by=applicant
    )
    applications.application_member_update(member=added, by=applicant, role="", is_lead=True)
    document = applications.document_upload(
        application=integration,
        kind=DocumentKind.NETWORK_AGREEMENT,
        uploaded=pdf_upload("nuovo-accordo.pdf"),
        by=applicant,
    )
    return company, added, document


def test_resuming_after_a_lapsed_integration_sets_back_what_was_never_sent(
    integration, applicant, officer
):
    """The review goes on with the acts on file: unsent edits leave the network, texts and
    documents; the documents stay on record, and the note tells the applicant."""
    version = integration.versions.get()
    filed_members = set(integration.members.values_list("organisation_id", "is_lead", "role"))
    filed_documents = set(
        integration.documents.filter(current=True).values_list("pk", "member__organisation_id")
    )
    company, _added, unsent = _prepare_and_never_send(integration, applicant)
    expire_open_request(integration)

    services.application_resume_review(application_id=integration.pk, by=officer)

    integration.refresh_from_db()
    assert integration.status == S.IN_REVIEW
    assert integration.name == version.network["name"] == "Polo Meccatronica Lombardo"
    assert integration.description == version.details["description"]
    assert (
        set(integration.members.values_list("organisation_id", "is_lead", "role")) == filed_members
    )
    assert (
        set(integration.documents.filter(current=True).values_list("pk", "member__organisation_id"))
        == filed_documents
    )
    unsent.refresh_from_db()
    assert not unsent.current  # kept on record, no longer part of the application
    assert integration.members.get(organisation=company.organisation).commitment_signed
    # What the review now reads is what was filed, to the member.
    from eligibility.adapters import network_from_application

    exported = network_from_application(
        integration, as_of=date.fromisoformat(version.network["reference_date"])
    )
    assert exported == version.network
    note = integration.events.get(action="resume_review").note
    assert "scaduto senza risposta" in note
    assert "tornano quelli della versione 1" in note
    assert "Restano consultabili nella pagina della domanda" in note


def test_what_was_never_sent_is_kept_for_the_applicant_to_take_up_again(
    client, integration, applicant, other_applicant, officer
):
    """Setting the application back loses nothing the applicant wrote: the request that
    lapsed keeps the network, the texts and the documents prepared, and a page of the
    applicant's (only) shows them whole against the version the review goes on with."""
    company, added, document = _prepare_and_never_send(integration, applicant)
    expire_open_request(integration)
    services.application_resume_review(application_id=integration.pk, by=officer)

    lapsed = integration.requests.get()
    assert lapsed.outcome == RequestOutcome.LAPSED
    kept = lapsed.unsent
    assert kept["version"] == 1
    assert kept["network"]["name"] == "Nome mai presentato"
    assert kept["details"]["description"] == UNSENT_DESCRIPTION
    keys = {member["key"] for member in kept["network"]["members"]}
    assert added.key in keys
    assert company.key not in keys
    assert kept["network"]["lead_partner"] == added.key
    assert kept["documents"] == [{"document": document.pk, "member": ""}]

    client.force_login(applicant)
    detail = client.get(reverse("application_detail", args=[integration.pk])).content.decode()
    address = reverse("unsent_edits", args=[integration.pk, lapsed.pk])
    assert address in detail
    response = client.get(address)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    assert "Nome mai presentato" in page
    assert f"Entra nella rete: {added.organisation.name}" in page
    assert f"Esce dalla rete: {company.organisation.name}" in page
    # The text whole, not an excerpt, paragraphs kept.
    assert "<p>Testo mai inviato.</p>" in page
    assert ("lungo " * 59).strip() in page
    assert reverse("document_download", args=[integration.pk, document.pk]) in page
    assert (
        client.get(reverse("document_download", args=[integration.pk, document.pk])).status_code
        == 200
    )

    client.force_login(other_applicant)
    assert client.get(address).status_code == 404
    client.force_login(officer)
    assert client.get(address).status_code == 404


def test_nothing_is_kept_when_nothing_was_changed(client, integration, applicant, officer):
    expire_open_request(integration)
    services.application_resume_review(application_id=integration.pk, by=officer)
    lapsed = integration.requests.get()
    assert lapsed.unsent == {}
    client.force_login(applicant)
    detail = client.get(reverse("application_detail", args=[integration.pk])).content.decode()
    assert "Modifiche preparate e non inviate" not in detail
    assert client.get(reverse("unsent_edits", args=[integration.pk, lapsed.pk])).status_code == 404


def test_resuming_with_nothing_unsent_changes_nothing_and_says_nothing_of_it(integration, officer):
    revision = integration.revision
    expire_open_request(integration)
    services.application_resume_review(
        application_id=integration.pk, by=officer, note="Proseguo sugli atti."
    )
    integration.refresh_from_db()
    assert integration.revision == revision
    assert integration.events.get(action="resume_review").note == "Proseguo sugli atti."


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_filed_state_of_each_last_version(applicant, officer, manager):
    """Filled from the live records where they match the version; left empty while
    integrations are awaited, when they may not."""
    from networks.models import ApplicationVersion

    in_review = bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)
    waiting = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    expected = ApplicationVersion.objects.get(application=in_review).filed_state
    # Waiting for integrations, the live records may hold what was never sent: left out.
    with migrated(
        ("networks", "0023_ateco_mapping_message"), ("networks", "0024_version_filed_state")
    ):
        states = dict(ApplicationVersion.objects.values_list("application_id", "filed_state"))
        assert states[in_review.pk] == expected
        assert expected["members"]
        assert expected["documents"]
        assert states[waiting.pk] == {}


def test_setting_back_members_whose_keys_swapped_meanwhile_works(integration, officer):
    """Two members removed and added back in the other order swap their keys: the set-back
    gives each its own again, without tripping over the one-key-per-member constraint."""
    from networks.models import ApplicationMember

    first, second = integration.members.order_by("position")[:2]
    filed = {first.organisation_id: first.key, second.organisation_id: second.key}
    ApplicationMember.objects.filter(pk=first.pk).update(key="scambio-temporaneo")
    ApplicationMember.objects.filter(pk=second.pk).update(key=first.key)
    ApplicationMember.objects.filter(pk=first.pk).update(key=second.key)
    expire_open_request(integration)
    services.application_resume_review(application_id=integration.pk, by=officer)
    keys = dict(
        integration.members.filter(organisation__in=filed).values_list("organisation_id", "key")
    )
    assert keys == filed


def test_the_review_decides_on_the_version_filed_not_on_registry_records_changed_since(
    integration, officer
):
    """A company's record changed in the registry meanwhile (another application's import,
    say) does not change what the officer proposes on: the version filed, run again today."""
    from networks.constants import OrganisationKind
    from networks.models import Organisation
    from tests.procedure import assessments_for

    company = integration.members.filter(organisation__kind=OrganisationKind.COMPANY).first()
    Organisation.objects.filter(pk=company.organisation_id).update(ateco_codes=["10.11"])
    assert services.evaluate_application(integration).verdict == "not_eligible"
    expire_open_request(integration)
    services.application_resume_review(application_id=integration.pk, by=officer)
    assert services.evaluate_filed(integration).verdict != "not_eligible"
    services.application_propose_approval(
        application_id=integration.pk, by=officer, assessments=assessments_for(integration)
    )
    integration.refresh_from_db()
    assert integration.status == S.APPROVAL_PROPOSED


def test_a_version_filed_under_other_years_of_validity_is_read_as_filed(integration, officer):
    """An administrator moved a programme's first year after the filing: the version still
    reads as filed, and the review does not fall back to the live records."""
    from networks.models import StudyProgramme

    version = integration.versions.get()
    programmes = {
        offering["programme"]
        for member in version.network["members"]
        for offering in member.get("offerings", [])
    }
    StudyProgramme.objects.filter(code__in=programmes).update(valid_from=2030)
    integration.members.exclude(organisation=integration.applicant_organisation).delete()
    assert services.evaluate_application(integration).verdict == "not_eligible"
    assert (
        services.evaluate_filed(integration).to_dict()["results"]
        != (services.evaluate_application(integration).to_dict()["results"])
    )
    filed = services.evaluate_filed(integration)
    assert filed.result("PTP-COMPANIES").counted == 2


def test_a_version_without_its_filed_state_says_only_the_texts_came_back(
    integration, applicant, officer
):
    """Versions filed before the composition was kept: the texts come back, and the note
    says the network on the portal is not the one filed, which the review reads."""
    from networks.constants import OrganisationKind
    from networks.models import ApplicationVersion
    from networks.services import applications

    ApplicationVersion.objects.filter(application=integration).update(filed_state={})
    applications.application_update_details(
        application=integration,
        by=applicant,
        revision=integration.revision,
        data={"name": "Nome mai presentato"},
    )
    company = integration.members.filter(organisation__kind=OrganisationKind.COMPANY).first()
    applications.application_member_remove(member=company, by=applicant)
    expire_open_request(integration)
    services.application_resume_review(application_id=integration.pk, by=officer)
    integration.refresh_from_db()
    assert integration.name == "Polo Meccatronica Lombardo"
    note = integration.events.get(action="resume_review").note
    assert "Le modifiche non inviate ai testi della domanda non ne fanno parte" in note
    assert "rete, testi e documenti tornano" not in note
    assert "l'istruttoria prosegue sulla rete della versione 1" in note


def test_the_officers_page_shows_the_version_filed_while_integrations_are_prepared(
    client, integration, applicant, officer
):
    """The applicant's unsent edits are not the application: the page lists the network
    filed, says why, and marks a document uploaded since as not sent."""
    from django.urls import reverse

    from networks.constants import DocumentKind, OrganisationKind
    from networks.models import Organisation
    from networks.services import applications
    from tests.factories import OrganisationFactory, pdf_upload

    version = integration.versions.get()
    applications.application_member_add(
        application=integration,
        organisation=OrganisationFactory(other=True, name="Associazione Mai Inviata"),
        by=applicant,
    )
    company = integration.members.filter(organisation__kind=OrganisationKind.COMPANY).first()
    Organisation.objects.filter(pk=company.organisation_id).update(name="Bar Centrale S.n.c.")
    applications.document_upload(
        application=integration,
        kind=DocumentKind.NETWORK_AGREEMENT,
        uploaded=pdf_upload("accordo-bozza.pdf"),
        by=applicant,
    )
    client.force_login(officer)
    page = " ".join(
        client.get(reverse("review_detail", args=[integration.pk])).content.decode().split()
    )
    network = page[page.index('id="rete"') : page.index('id="requisiti"')]
    assert "Associazione Mai Inviata" not in network
    assert "Bar Centrale" not in network
    filed_company = next(m for m in version.network["members"] if m["kind"] == "company")
    assert filed_company["name"] in network
    assert "Come presentata con la versione 1" in network
    assert "fanno parte della domanda solo quando le invia" in network
    documents = page[page.index('id="documenti"') : page.index('id="versioni"')]
    draft = documents[documents.index("accordo-bozza.pdf") :]
    assert draft.index("non inviato: non fa parte della domanda") < draft.index("</li>")
    assert "Verifica dei requisiti della versione 1" in page


def test_the_desk_and_the_page_name_the_polo_and_its_contact_as_filed(
    client, integration, applicant, officer
):
    """A name or contact changed while integrations are prepared is not sent: the officers
    see, search and sort by the filed one until it is."""
    from tests.procedure import edit_plan

    filed = integration.versions.get().network
    edit_plan(
        integration,
        applicant,
        name="Nome Non Inviato",
        contact_name="Referente Non Inviato",
        contact_email="nuovo@example.org",
    )
    client.force_login(officer)
    page = client.get(reverse("review_detail", args=[integration.pk])).content.decode()
    assert "Nome Non Inviato" not in page
    assert "Referente Non Inviato" not in page
    assert "nuovo@example.org" not in page
    assert f"<h1>{filed['name']}</h1>" in page
    assert filed["contact"]["email"] in page
    desk = reverse("review_queue")
    assert "Nome Non Inviato" not in client.get(desk).content.decode()
    assert filed["name"] in client.get(desk).content.decode()
    unsent = client.get(desk, {"q": "Nome Non Inviato"}).content.decode()
    assert f'data-protocol="{integration.protocol_number}"' not in unsent
    found = client.get(desk, {"q": filed["name"][:12]}).content.decode()
    assert f'data-protocol="{integration.protocol_number}"' in found
    assert client.get(desk, {"order": "name"}).status_code == 200


def test_the_decree_names_the_applicant_as_filed_not_as_renamed_since(applicant, officer, manager):
    from networks.models import Decree, Organisation
    from networks.services.documents import decree_document

    application = bring_to(S.APPROVED, applicant=applicant, officer=officer, manager=manager)
    version = application.versions.get()
    other = next(
        m
        for m in version.network["members"]
        if m["key"] != version.network["lead_partner"] and m["kind"] == "institute"
    )
    type(version).objects.filter(pk=version.pk).update(
        network={**version.network, "lead_partner": other["key"]}
    )
    filed_name = next(
        m["name"] for m in version.network["members"] if m["key"] == version.network["lead_partner"]
    )
    Organisation.objects.filter(pk=application.applicant_organisation_id).update(
        name="Istituto Rinominato Dopo"
    )
    document = decree_document(Decree.objects.get(application=application))
    assert document.applicant_name == filed_name


def test_the_applicant_is_told_edits_count_only_once_sent(client, integration, applicant):
    from django.urls import reverse

    client.force_login(applicant)
    url = reverse("application_detail", args=[integration.pk])
    page = " ".join(client.get(url).content.decode().split())
    assert "ne fanno parte solo quando invii le integrazioni, come nuova versione" in page
    expire_open_request(integration)
    page = " ".join(client.get(url).content.decode().split())
    assert "la domanda torna quella dell'ultima versione inviata" in page


def test_texts_set_aside_can_be_taken_up_when_integrations_are_asked_again(
    client, integration, applicant, officer
):
    """Asked for integrations again, the applicant puts the set-aside texts back with one
    button; they replace today's, and leave only with the integrations."""
    _prepare_and_never_send(integration, applicant)
    expire_open_request(integration)
    services.application_resume_review(application_id=integration.pk, by=officer)
    lapsed = integration.requests.get()
    client.force_login(applicant)
    page = client.get(reverse("unsent_edits", args=[integration.pk, lapsed.pk])).content.decode()
    restore = reverse("unsent_texts_restore", args=[integration.pk, lapsed.pk])
    assert restore not in page  # in review: nothing may be edited

    ask_integrations(integration, officer, "Descrivi meglio il polo.")
    integration.refresh_from_db()
    page = client.get(reverse("unsent_edits", args=[integration.pk, lapsed.pk])).content.decode()
    assert restore in page
    stale = integration.revision
    response = client.post(restore, {"revision": integration.revision}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "application_edit", args=[integration.pk, "polo"]
    )
    integration.refresh_from_db()
    assert integration.description == UNSENT_DESCRIPTION
    assert integration.name == integration.versions.get().network["name"]  # texts only
    assert integration.versions.count() == 1  # nothing sent
    # A second post from the same page, now stale, changes nothing more and says so.
    edit_plan(integration, applicant, description="Riscritta dopo.")
    again = client.post(restore, {"revision": stale}, follow=True)
    assert "non sono state salvate" in again.content.decode()
    integration.refresh_from_db()
    assert integration.description == "Riscritta dopo."


def test_status_mails_name_the_polo_as_filed_while_integrations_are_prepared(
    integration, applicant, officer, manager, django_capture_on_commit_callbacks
):
    from django.core import mail

    from networks.constants import Role
    from tests.factories import user_with_role

    filed = integration.versions.get().network["name"]
    edit_plan(integration, applicant, name="Nome Non Inviato")
    other = user_with_role(Role.OFFICER, "istruttore-nuovo")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reassign(
            application_id=integration.pk, by=manager, officer_id=other.pk
        )
    assert mail.outbox
    for message in mail.outbox:
        assert "Nome Non Inviato" not in message.body
        assert f"«{filed}»" in message.body
