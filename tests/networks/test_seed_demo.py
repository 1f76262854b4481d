"""The demo data loads the Liguria polo with its 25 partners and one user per role, idempotently."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from stdnum.it import iva

from networks.constants import OrganisationKind, Role
from networks.models import Application, Decree, DecreeRenderStatus, Organisation
from networks.validators import validate_school_code

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_complete():
    call_command("seed_demo", verbosity=0)
    count = Organisation.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Organisation.objects.count() == count == 25 + 13
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists()
    for organisation in Organisation.objects.all():
        organisation.full_clean()
        if organisation.kind == OrganisationKind.COMPANY:
            assert iva.is_valid(organisation.vat_number)
        if organisation.kind == OrganisationKind.INSTITUTE:
            validate_school_code(organisation.school_code)
    its = Organisation.objects.get(name__startswith="Istituto Tecnico Superiore Innovazione")
    assert {org.name for org in its.founders.all()} == {
        "IISS Capellini Sauro",
        "Fincantieri S.p.A.",
    }
    site = Organisation.objects.get(school_code="CRTA99013K")
    assert site.main_school_code == "CRIS99012J"
    applicant = User.objects.get(username="richiedente")
    assert list(applicant.organisations.values_list("name", flat=True)) == ["IISS Capellini Sauro"]


def test_seed_demo_runs_each_task_once(django_capture_on_commit_callbacks):
    """Receipt, decree and their mails: once each, when the command's transaction commits."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    decree = Decree.objects.get()
    assert decree.render_status == DecreeRenderStatus.RENDERED
    assert decree.notified_at is not None
    application = Application.objects.get(pk=decree.application_id)
    assert application.versions.get().receipt
    sent = [(tuple(message.to), message.subject) for message in mail.outbox]
    assert len(sent) == len(set(sent)), sent
    subjects = [subject for _to, subject in sent]
    assert sum("ricevuta" in subject for subject in subjects) == 1
    assert sum(subject.startswith("Decreto n.") for subject in subjects) == 1
