"""The benchmark generator builds a small but consistent region: every status, valid identifiers,
histories the workflow allows, versions that verify, decrees numbered without gaps."""

import itertools
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from stdnum.it import iva

from bench import generate
from eligibility.adapters import application_queryset_for_evaluation, network_from_application
from networks import workflow
from networks.constants import ApplicationStatus, OrganisationKind, Role
from networks.models import (
    Application,
    ApplicationVersion,
    AuditEvent,
    Decree,
    DecreeRenderStatus,
    Organisation,
    ProcedureRequest,
    Proposal,
    ProposalOutcome,
    YearCounter,
)
from networks.services.workflow import verify_version
from networks.validators import validate_school_code

pytestmark = pytest.mark.django_db

ORGANISATIONS, APPLICATIONS, DECREES = 200, 50, 20


@pytest.fixture
def region() -> dict[str, int]:
    return generate.generate(
        organisations=ORGANISATIONS,
        applications=APPLICATIONS,
        decrees=DECREES,
        seed=1,
        out=StringIO(),
    )


def test_counts_and_every_status(region):
    assert region["organisations"] == Organisation.objects.count() == ORGANISATIONS
    assert region["applications"] == Application.objects.count() == APPLICATIONS
    assert region["decrees"] == Decree.objects.count() == DECREES
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(ApplicationStatus.values)
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)


def test_identifiers_are_valid(region):
    for organisation in Organisation.objects.all():
        organisation.full_clean()
        if organisation.vat_number:
            assert iva.is_valid(organisation.vat_number)
            assert organisation.vat_number[7:10] == "999"
        if organisation.kind == OrganisationKind.INSTITUTE:
            validate_school_code(organisation.school_code)


def test_networks_have_6_to_25_members_and_one_lead(region):
    for application in Application.objects.all():
        members = list(application.members.all())
        assert 6 <= len(members) <= 25
        assert [m.organisation_id for m in members if m.is_lead] == [
            application.applicant_organisation_id
        ]


def test_histories_follow_the_workflow(region):
    events = defaultdict(list)
    for event in AuditEvent.objects.order_by("at", "pk"):
        events[event.application_id].append(event)
    for application in Application.objects.all():
        history = events[application.pk]
        assert history[0].action == "create"
        assert history[-1].to_status == application.status
        for previous, event in itertools.pairwise(history):
            assert event.from_status == previous.to_status
            assert event.at >= previous.at
            transition = workflow.get_transition(event.action, event.from_status)
            assert transition.leads_to(event.from_status) == event.to_status
        assert history[-1].at <= timezone.now()


def test_versions_verify_and_match_the_network(region):
    versions = ApplicationVersion.objects.select_related("application")
    assert versions.exists()
    assert all(verify_version(version) for version in versions)
    for application in application_queryset_for_evaluation(
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
    ):
        last = application.versions.order_by("-number").first()
        assert last is not None
        assert last.verdict["verdict"] != "not_eligible"
        as_of = timezone.localdate(last.submitted_at)
        assert network_from_application(application, as_of=as_of) == last.network


def test_decrees_numbered_per_year_without_gaps(region):
    numbers = defaultdict(list)
    for decree in Decree.objects.all():
        numbers[decree.year].append(decree.number)
        assert decree.render_status == DecreeRenderStatus.RENDERED
        assert not decree.pdf
        assert len(decree.sha256) == 64
        assert decree.proposal.outcome == ProposalOutcome.ADOPTED
        assert decree.application.status in {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}
    for year, found in numbers.items():
        assert sorted(found) == list(range(1, len(found) + 1))
        assert YearCounter.objects.get(kind="decree", year=year).last == len(found)
    assert Decree.objects.values("application").distinct().count() == DECREES


def test_requests_and_proposals_match_the_status(region):
    open_requests = Counter(
        ProcedureRequest.objects.filter(closed_at__isnull=True).values_list(
            "application", flat=True
        )
    )
    assert max(open_requests.values()) == 1
    for application in Application.objects.filter(
        status__in=[ApplicationStatus.INTEGRATION_REQUESTED, ApplicationStatus.REJECTION_NOTICE]
    ):
        assert open_requests[application.pk] == 1
    pending = Proposal.objects.filter(outcome=ProposalOutcome.PENDING)
    assert set(pending.values_list("application__status", flat=True)) <= {
        ApplicationStatus.APPROVAL_PROPOSED,
        ApplicationStatus.REJECTION_PROPOSED,
    }


def test_users_have_their_roles(region):
    assert User.objects.filter(groups__name=Role.OFFICER.value).exists()
    assert User.objects.filter(groups__name=Role.MANAGER.value).exists()
    assert User.objects.filter(username=generate.ADMIN_USERNAME, is_superuser=True).exists()
    for application in Application.objects.select_related("created_by"):
        assert application.applicant_organisation.representatives.filter(
            pk=application.created_by_id
        ).exists()


def test_refuses_a_database_with_applications(region):
    with pytest.raises(SystemExit):
        generate.generate(organisations=200, applications=10, decrees=2, out=StringIO())
