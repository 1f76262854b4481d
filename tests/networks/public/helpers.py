"""Build recognised poli fast, straight into the tables, for the public area's tests.

``bulk_recognised_poli`` writes Application, ApplicationVersion, Proposal and
Decree rows with ``bulk_create``, bypassing the services: it is how the
register's query bound is tested with thousands of poli in seconds. The
networks are valid ``ptp-network/1`` documents (every identifier checks), so
the open-data export can be fed back through the adapters. Each network
carries a planted contact e-mail that must never reach a public page.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from networks.constants import ApplicationStatus, DecreeKind
from networks.models import (
    Application,
    ApplicationVersion,
    Call,
    Decree,
    DecreeRenderStatus,
    EconomicArea,
    Organisation,
    Proposal,
    ProposalKind,
    ProposalOutcome,
)
from tests.factories import fictitious_school_code, fictitious_vat

ROME = ZoneInfo("Europe/Rome")
PLANTED_EMAIL = "segreto.referente@example.org"
PLANTED_PHONE = "+39 02 5555 0101"


def network_document(
    number: int,
    *,
    name: str,
    area: str = "meccanica",
    province: str = "MI",
    extra_kinds: Sequence[str] = (),
    contact_email: str = PLANTED_EMAIL,
) -> dict[str, Any]:
    """Return a valid ``ptp-network/1`` document for polo ``number`` (identifiers unique per number)."""
    n = number * 10
    members: list[dict[str, Any]] = [
        {
            "key": "istituto-a",
            "kind": "institute",
            "name": f"Istituto Tecnico {number} A",
            "province": province,
            "school_code": fictitious_school_code(n + 1, province, "TF"),
            "main_school_code": fictitious_school_code(n + 1, province, "TF"),
            "status": "statale",
            "offerings": [{"programme": "IT-MME", "from": "2015/16", "to": None}],
        },
        {
            "key": "istituto-b",
            "kind": "institute",
            "name": f"Istituto Professionale {number} B",
            "province": province,
            "school_code": fictitious_school_code(n + 2, province, "RI"),
            "main_school_code": fictitious_school_code(n + 2, province, "RI"),
            "status": "paritaria",
            "offerings": [{"programme": "IT-MME", "from": "2016/17", "to": None}],
        },
        {
            "key": "impresa-a",
            "kind": "company",
            "name": f"Officine {number} S.p.A.",
            "province": province,
            "vat_number": fictitious_vat(n + 3),
            "ateco": ["28.13"],
            "ateco_edition": "2025",
            "chamber_registered": True,
            "commitment_signed": True,
        },
        {
            "key": "impresa-b",
            "kind": "company",
            "name": f"Meccanica {number} S.r.l.",
            "province": "BG",
            "vat_number": fictitious_vat(n + 4),
            "ateco": ["28.13"],
            "ateco_edition": "2025",
            "chamber_registered": True,
            "commitment_signed": True,
        },
        {
            "key": "ente",
            "kind": "accredited_body",
            "name": f"Ente di Formazione {number}",
            "province": province,
            "sections": ["A"],
            "labour_services": False,
            "accreditation_id": f"LOM-{number:05d}",
            "offerings": [{"programme": "IEFP-MEC", "from": "2015/16", "to": None}],
        },
        {
            "key": "its",
            "kind": "its",
            "name": f"ITS Academy {number}",
            "province": province,
            "founders": [],
            "offerings": [
                {"programme": "ITSO-MI-MEC", "from": "2015/16", "to": "2023/24"},
                {"programme": "ITS-06", "from": "2024/25", "to": None},
            ],
        },
    ]
    for position, kind in enumerate(extra_kinds):
        members.append(
            {
                "key": f"altro-{position}",
                "kind": kind,
                "name": f"{kind.title()} {number}-{position}",
            }
        )
    return {
        "format": "ptp-network/1",
        "name": name,
        "area": area,
        "reference_date": "2026-01-15",
        "lead_partner": "istituto-a",
        "contact": {"name": "Referente Riservato", "email": contact_email, "phone": PLANTED_PHONE},
        "members": members,
    }


def bulk_recognised_poli(
    count: int,
    *,
    user: User,
    call: Call,
    organisation: Organisation,
    area: str = "meccanica",
    province: str = "MI",
    year: int = 2025,
    first_number: int = 1000,
    adopted_at: dt.datetime | None = None,
    submitted_days_before: int = 20,
    name_prefix: str = "Polo Bulk",
    extra_kinds: Sequence[str] = (),
    status: str = ApplicationStatus.APPROVED,
    decree_kind: str = DecreeKind.APPROVAL,
    render_status: str = DecreeRenderStatus.RENDERED,
) -> list[Application]:
    """Create ``count`` applications with a frozen version, an adopted proposal and a decree."""
    economic_area = EconomicArea.objects.get(code=area)
    adopted_at = adopted_at or dt.datetime(year, 10, 15, 11, 0, tzinfo=ROME)
    submitted_at = adopted_at - dt.timedelta(days=submitted_days_before)
    applications = Application.objects.bulk_create(
        [
            Application(
                call=call,
                applicant_organisation=organisation,
                created_by=user,
                name=f"{name_prefix} {first_number + i}",
                area=economic_area,
                contact_name="Referente Riservato",
                contact_email=PLANTED_EMAIL,
                contact_phone=PLANTED_PHONE,
                status=status,
                term_days=None if status == ApplicationStatus.DRAFT else call.term_days,
                protocol_year=year,
                protocol_seq=first_number + i,
                submitted_at=submitted_at,
            )
            for i in range(count)
        ]
    )
    ApplicationVersion.objects.bulk_create(
        [
            ApplicationVersion(
                application=application,
                number=1,
                network=network_document(
                    first_number + i,
                    name=application.name,
                    area=area,
                    province=province,
                    extra_kinds=extra_kinds,
                ),
                verdict={"format": "ptp-verdict/1", "verdict": "eligible", "results": []},
                documents=[],
                sha256="0" * 64,
                submitted_at=submitted_at,
                submitted_by=user,
            )
            for i, application in enumerate(applications)
        ]
    )
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                application=application,
                kind=ProposalKind.APPROVAL
                if decree_kind == DecreeKind.APPROVAL
                else ProposalKind.REJECTION,
                verdict={},
                reasons="Motivazione interna riservata",
                proposed_by=user,
                proposed_at=adopted_at,
                outcome=ProposalOutcome.ADOPTED,
                decided_by=user,
                decided_at=adopted_at,
            )
            for application in applications
        ]
    )
    Decree.objects.bulk_create(
        [
            Decree(
                application=application,
                proposal=proposal,
                kind=decree_kind,
                year=year,
                number=first_number + i,
                adopted_at=adopted_at,
                adopted_by=user,
                render_status=render_status,
                rendered_at=adopted_at if render_status == DecreeRenderStatus.RENDERED else None,
                area_name=economic_area.name,
                call_title=call.title,
                sha256="f" * 64,
                recognition_school_years=application.call.recognition_school_years
                if decree_kind == DecreeKind.APPROVAL
                else None,
            )
            for i, (application, proposal) in enumerate(zip(applications, proposals, strict=True))
        ]
    )
    return applications
