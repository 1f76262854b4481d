"""Fixtures of the public area: a small known register with private data planted around it."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from networks.constants import ApplicationStatus, DecreeKind
from networks.models import Application, OfficerNote
from tests.factories import CallFactory, OrganisationFactory, approved_application
from tests.networks.public.helpers import ROME, bulk_recognised_poli

OFFICER_NOTE = "Nota interna riservata: verificare la visura camerale"
REJECTED_NAME = "Polo Respinto Riservato"
DRAFT_NAME = "Polo In Bozza Riservato"
WITHDRAWN_NAME = "Polo Ritirato Riservato"
SUBMITTED_NAME = "Polo Presentato Riservato"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Start each test with an empty cache (the simulator's rate limit lives there)."""
    cache.clear()


@dataclass
class Register:
    """The known dataset: what is public and what must never be."""

    approved: Application  # through the services: real decree PDF
    meccanica: list[Application]  # bulk, 2025, MI
    turismo: list[Application]  # bulk, 2024, CO, with a university
    rejected: Application
    draft: Application
    submitted: Application
    withdrawn: Application
    unrendered: Application


@pytest.fixture
def register(applicant, officer, manager) -> Register:
    """Build: 1 polo through the services, 3 meccanica (MI, 2025), 2 turismo (CO, 2024), private others."""
    approved = approved_application(applicant, officer, manager)
    OfficerNote.objects.create(application=approved, author=officer, text=OFFICER_NOTE)
    call = CallFactory(title="Avviso 2024")
    organisation = OrganisationFactory()
    common = {"user": officer, "call": call, "organisation": organisation}
    meccanica = bulk_recognised_poli(
        3,
        **common,
        area="meccanica",
        province="MI",
        year=2025,
        first_number=100,
        name_prefix="Polo Meccanica",
        submitted_days_before=10,
    )
    turismo = bulk_recognised_poli(
        2,
        **common,
        area="turismo",
        province="CO",
        year=2024,
        first_number=200,
        name_prefix="Polo Turismo",
        extra_kinds=("university",),
        submitted_days_before=30,
        adopted_at=dt.datetime(2024, 6, 3, 10, 0, tzinfo=ROME),
    )
    rejected = bulk_recognised_poli(
        1,
        **common,
        year=2025,
        first_number=300,
        name_prefix=REJECTED_NAME,
        status=ApplicationStatus.REJECTED,
        decree_kind=DecreeKind.REJECTION,
        submitted_days_before=50,
    )[0]
    others = {}
    for status, name, number in (
        (ApplicationStatus.DRAFT, DRAFT_NAME, 400),
        (ApplicationStatus.SUBMITTED, SUBMITTED_NAME, 401),
        (ApplicationStatus.WITHDRAWN, WITHDRAWN_NAME, 402),
    ):
        # Give even these a rendered approval decree: only the status may keep them out.
        others[status] = bulk_recognised_poli(
            1, **common, year=2025, first_number=number, name_prefix=name, status=status
        )[0]
    unrendered = bulk_recognised_poli(
        1,
        **common,
        year=2025,
        first_number=500,
        name_prefix="Polo Non Ancora Reso",
        render_status="pending",
    )[0]
    return Register(
        approved=approved,
        meccanica=meccanica,
        turismo=turismo,
        rejected=rejected,
        draft=others[ApplicationStatus.DRAFT],
        submitted=others[ApplicationStatus.SUBMITTED],
        withdrawn=others[ApplicationStatus.WITHDRAWN],
        unrendered=unrendered,
    )
