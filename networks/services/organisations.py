"""Writes to the organisation registry.

An organisation is identified by what identifies it in the real world: the
codice meccanografico for an institute, the partita IVA for a company, and the
kind and name for everything else. Importing the same network twice updates
instead of duplicating.

The registry is shared: an applicant changes only the records
``selectors.organisations_editable_by`` allows (those they represent, or that
nobody represents and no other applicant uses). An imported member that matches
a record they may not change joins the network as registered, unchanged.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from networks.constants import OrganisationKind
from networks.models import Offering, Organisation, StudyProgramme
from networks.schoolyears import format_school_year, parse_school_year
from networks.selectors import organisations_editable_by


def _find_existing(member: Mapping[str, Any]) -> Organisation | None:
    kind = member["kind"]
    if kind == OrganisationKind.INSTITUTE and member.get("school_code"):
        return Organisation.objects.filter(school_code=member["school_code"].upper()).first()
    if kind == OrganisationKind.COMPANY and member.get("vat_number"):
        return Organisation.objects.filter(vat_number=member["vat_number"]).first()
    return Organisation.objects.filter(kind=kind, name=member["name"]).first()


def organisation_upsert_from_member(
    *, member: Mapping[str, Any], main_institution: Organisation | None = None
) -> Organisation:
    """Create or update the organisation described by a ``ptp-network/1`` member, with its offerings."""
    organisation = _find_existing(member) or Organisation(kind=member["kind"])
    organisation.kind = member["kind"]
    organisation.name = member["name"]
    organisation.province = member.get("province", "") or ""
    if organisation.kind == OrganisationKind.INSTITUTE:
        organisation.school_code = member["school_code"]
        organisation.school_status = member.get("status", "")
        organisation.main_institution = main_institution
    elif organisation.kind == OrganisationKind.COMPANY:
        organisation.vat_number = member["vat_number"]
        organisation.ateco_codes = list(member.get("ateco", []))
        organisation.ateco_edition = member.get("ateco_edition", "2025")
        organisation.chamber_registered = member.get("chamber_registered", True)
    elif organisation.kind == OrganisationKind.ACCREDITED_BODY:
        sections = set(member.get("sections", []))
        organisation.section_a = "A" in sections
        organisation.section_b = "B" in sections
        organisation.labour_services = bool(member.get("labour_services", False))
        organisation.accreditation_id = member.get("accreditation_id", "")
    organisation.full_clean()
    organisation.save()
    if "offerings" in member:
        offerings_replace(organisation=organisation, offerings=member["offerings"])
    return organisation


def offerings_replace(
    *, organisation: Organisation, offerings: Sequence[Mapping[str, Any]]
) -> None:
    """Replace the organisation's offerings with ``offerings`` (``programme``, ``from``, ``to``)."""
    programmes = StudyProgramme.objects.in_bulk(
        [item["programme"] for item in offerings], field_name="code"
    )
    new = []
    for item in offerings:
        offering = Offering(
            organisation=organisation,
            programme=programmes[item["programme"]],
            first_year=parse_school_year(item["from"]),
            last_year=parse_school_year(item["to"]) if item.get("to") else None,
        )
        offering.full_clean(exclude=["organisation"], validate_unique=False)
        new.append(offering)
    organisation.offerings.all().delete()
    Offering.objects.bulk_create(new)


@dataclass
class ImportedOrganisations:
    by_key: dict[str, Organisation] = field(default_factory=dict)
    kept: list[Organisation] = field(default_factory=list)  # matched, not ours to change


def require_editable(organisation: Organisation, by: User) -> None:
    """Raise ``PermissionDenied`` with the reason unless ``by`` may change ``organisation``."""
    if organisation.pk not in organisations_editable_by(by, [organisation]):
        raise PermissionDenied(
            _(
                "I dati di %(name)s nell'anagrafe non si possono modificare da questa domanda: "
                "l'organizzazione ha propri referenti o fa parte della rete di un altro "
                "richiedente. Per correggerli scrivi alla Regione."
            )
            % {"name": organisation.name}
        )


@transaction.atomic
def network_organisations_import(
    *, data: Mapping[str, Any], by: User | None
) -> ImportedOrganisations:
    """Upsert every member of a validated ``ptp-network/1`` document; return them by key.

    Main institutions are written before their sites, and ITS founders are set
    once every member exists. With ``by`` (an applicant), a member matching a
    record ``by`` may not change is taken as registered and listed in ``kept``;
    ``by=None`` is the system (the demo data), which may change any record.
    """
    members = data["members"]
    by_code: dict[str, Organisation] = {}
    imported = ImportedOrganisations()
    result = imported.by_key
    existing = {member["key"]: _find_existing(member) for member in members}
    editable = (
        None
        if by is None
        else organisations_editable_by(by, [o for o in existing.values() if o is not None])
    )
    kept_keys = {
        key
        for key, organisation in existing.items()
        if organisation is not None and editable is not None and organisation.pk not in editable
    }

    def is_site(member: Mapping[str, Any]) -> bool:
        main = member.get("main_school_code") or member.get("school_code")
        return member["kind"] == OrganisationKind.INSTITUTE and main != member.get("school_code")

    for member in sorted(members, key=is_site):
        main = None
        if is_site(member):
            main_code = member["main_school_code"]
            main = (
                by_code.get(main_code) or Organisation.objects.filter(school_code=main_code).first()
            )
        if member["key"] in kept_keys:
            organisation = existing[member["key"]]
            imported.kept.append(organisation)
        else:
            organisation = organisation_upsert_from_member(member=member, main_institution=main)
        if organisation.school_code:
            by_code[organisation.school_code] = organisation
        result[member["key"]] = organisation
    for member in members:
        if member["kind"] == OrganisationKind.ITS and member["key"] not in kept_keys:
            result[member["key"]].founders.set(
                [result[key] for key in member.get("founders", []) if key in result]
            )
    return imported


@transaction.atomic
def organisation_register(*, organisation: Organisation, by: Any) -> Organisation:
    """Add a new organisation to the registry after full validation (identifiers, kind's fields)."""
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def offering_add(
    *,
    organisation: Organisation,
    programme: StudyProgramme,
    first_year: int,
    last_year: int | None,
    by: User,
) -> Offering:
    """Record that ``organisation`` offers ``programme`` over the given school years."""
    require_editable(organisation, by)
    if organisation.offerings.filter(programme=programme, first_year=first_year).exists():
        # unique_offering_start in words: the constraint's own message only names its fields.
        raise ValidationError(
            {
                "first_year": _(
                    "L'indirizzo %(code)s è già registrato dal %(start)s: indica un altro "
                    "primo anno, o togli prima l'offerta registrata."
                )
                % {"code": programme.code, "start": format_school_year(first_year)}
            }
        )
    offering = Offering(
        organisation=organisation, programme=programme, first_year=first_year, last_year=last_year
    )
    offering.full_clean()
    offering.save()
    return offering


@transaction.atomic
def offering_remove(*, offering: Offering, by: User) -> None:
    """Remove an offering from an organisation's record."""
    require_editable(offering.organisation, by)
    offering.delete()
