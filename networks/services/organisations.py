"""Writes to the organisation registry.

An organisation is identified by what identifies it in the real world: the
codice meccanografico for an institute, the partita IVA for a company, the
accreditation id for an accredited body (its name when a file gives no id),
and the kind and name for everything else. Importing the same network twice
updates instead of duplicating.

The registry is shared: an applicant changes only the records
``selectors.organisations_editable_by`` allows (those they represent, or that
nobody represents and no other applicant uses). An imported member that matches
a record they may not change joins the network as registered, unchanged.
"""

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from eligibility.adapters import InputError
from networks.constants import OrganisationKind
from networks.models import Offering, Organisation, StudyProgramme
from networks.schoolyears import format_school_year, parse_school_year
from networks.selectors import organisations_editable_by


def _accreditation_id(member: Mapping[str, Any]) -> str:
    return (member.get("accreditation_id") or "").strip()


def _identity(member: Mapping[str, Any]) -> tuple[tuple[str, str], str]:
    """Return what tells a validated member's organisation apart, and those words in Italian.

    It is what ``_find_existing`` looks the member up by: two members of a file
    with one identity are one organisation.
    """
    kind = member["kind"]
    if kind == OrganisationKind.INSTITUTE and member.get("school_code"):
        code = member["school_code"]
        return ("school_code", code), _("codice meccanografico %(code)s") % {"code": code}
    if kind == OrganisationKind.COMPANY and member.get("vat_number"):
        number = member["vat_number"]
        return ("vat_number", number), _("partita IVA %(number)s") % {"number": number}
    if kind == OrganisationKind.ACCREDITED_BODY and _accreditation_id(member):
        code = _accreditation_id(member)
        return ("accreditation_id", code), _("identificativo di accreditamento %(code)s") % {
            "code": code
        }
    name = member["name"].strip()
    return ("name", f"{kind}:{name}"), _("stesso tipo e stessa denominazione «%(name)s»") % {
        "name": name
    }


def _find_existing(members: Sequence[Mapping[str, Any]]) -> list[Organisation | None]:
    """Return the registry record of each validated member, looked up by its ``_identity``.

    An accredited body is found by its accreditation id when the file gives
    one (another id is another body, whatever its name), by name otherwise.
    One query, however many members: each member's record is the first, in
    the registry's order, that its identity's lookup would find. Each member
    gets an instance of its own, as a lookup of its own would give it, since
    the caller writes the member's data on it.
    """
    if not members:
        return []
    identities = [_identity(member)[0] for member in members]
    wanted: dict[str, set[str]] = {
        "school_code": set(),
        "vat_number": set(),
        "accreditation_id": set(),
    }
    names: set[str] = set()
    kinds: set[str] = set()
    for member, (lookup, value) in zip(members, identities, strict=True):
        if lookup == "name":
            names.add(member["name"].strip())
            kinds.add(member["kind"])
        else:
            wanted[lookup].add(value)
    query = (
        Q(school_code__in=wanted["school_code"])
        | Q(vat_number__in=wanted["vat_number"])
        | Q(kind=OrganisationKind.ACCREDITED_BODY, accreditation_id__in=wanted["accreditation_id"])
        | Q(kind__in=kinds, name__in=names)
    )
    found: dict[tuple[str, str], Organisation] = {}
    for record in Organisation.objects.filter(query).order_by("name", "pk"):
        # The first record of each lookup wins, as ``first()`` would pick it.
        found.setdefault(("school_code", record.school_code), record)
        found.setdefault(("vat_number", record.vat_number), record)
        if record.kind == OrganisationKind.ACCREDITED_BODY:
            found.setdefault(("accreditation_id", record.accreditation_id), record)
        found.setdefault(("name", f"{record.kind}:{record.name}"), record)
    given: set[int] = set()
    result: list[Organisation | None] = []
    for identity in identities:
        record = found.get(identity)
        if record is not None:
            record = copy.copy(record) if record.pk in given else record
            given.add(record.pk)
        result.append(record)
    return result


def organisation_upsert_from_member(
    *,
    member: Mapping[str, Any],
    existing: Organisation | None,
    main_institution: Organisation | None = None,
) -> Organisation:
    """Create or update the organisation described by a ``ptp-network/1`` member, with its offerings.

    ``existing`` is the member's record as ``_find_existing`` found it before the
    import wrote anything (``None``: a new record). Looking it up again would
    find what an earlier member of the same file has just written.
    """
    organisation = _organisation_from_member(
        member, organisation=existing, main_institution=main_institution
    )
    organisation.full_clean()
    organisation.save()
    if "offerings" in member:
        offerings_replace(organisation=organisation, offerings=member["offerings"])
    return organisation


def _organisation_from_member(
    member: Mapping[str, Any],
    *,
    organisation: Organisation | None,
    main_institution: Organisation | None,
) -> Organisation:
    """Return ``organisation`` (or a new one) with the member's data written on it, unsaved.

    Text is stripped and the province put in capitals, as the format's
    validator reads them.
    """
    organisation = organisation or Organisation(kind=member["kind"])
    organisation.kind = member["kind"]
    organisation.name = member["name"].strip()
    organisation.province = (member.get("province", "") or "").strip().upper()
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
        # Without an id in the file the body was found by name: it keeps the registry's id.
        organisation.accreditation_id = _accreditation_id(member) or organisation.accreditation_id
    return organisation


def _offering_from(
    item: Mapping[str, Any],
    programmes: Mapping[str, StudyProgramme],
    organisation: Organisation | None = None,
) -> Offering:
    """Return the (unsaved) offering a ``ptp-network/1`` offering describes.

    Without ``organisation`` the offering has none at all (its model checks what
    needs one only when it is set), not an organisation of ``None``.
    """
    offering = Offering(
        programme=programmes[item["programme"]],
        first_year=parse_school_year(item["from"]),
        last_year=parse_school_year(item["to"]) if item.get("to") else None,
    )
    if organisation is not None:
        offering.organisation = organisation
    return offering


def offerings_replace(
    *, organisation: Organisation, offerings: Sequence[Mapping[str, Any]]
) -> None:
    """Replace the organisation's offerings with ``offerings`` (``programme``, ``from``, ``to``).

    It refuses, with a ``ValidationError``, what ``network_organisations_check``
    lists for an import (the rows are written in bulk, past the model's checks).
    """
    programmes = StudyProgramme.objects.in_bulk(
        [item["programme"] for item in offerings], field_name="code"
    )
    errors = _offering_errors(offerings, "offerings", programmes, organisation)
    if errors:
        raise ValidationError([str(error) for error in errors])
    organisation.offerings.all().delete()
    Offering.objects.bulk_create(
        [_offering_from(item, programmes, organisation) for item in offerings]
    )


@dataclass
class ImportedOrganisations:
    by_key: dict[str, Organisation] = field(default_factory=dict)
    kept: list[Organisation] = field(default_factory=list)  # matched, not ours to change
    # Matched and changed by the file: the registry's record, which every application
    # with the organisation reads, is now the file's (its data, offerings or founders).
    updated: list[Organisation] = field(default_factory=list)


def _registry_states(pks: set[int]) -> dict[int, tuple[Any, ...]]:
    """Return, for each organisation, what an import may change in it. Three queries.

    The fields are those a member writes (``_MEMBER_PATHS``), then the offerings and the
    founders (an ITS).
    """
    offerings: dict[int, set[tuple[Any, ...]]] = {pk: set() for pk in pks}
    for row in Offering.objects.filter(organisation_id__in=pks).values_list(
        "organisation_id", "programme_id", "first_year", "last_year"
    ):
        offerings[row[0]].add(row[1:])
    founders: dict[int, set[int]] = {pk: set() for pk in pks}
    through = Organisation.founders.through
    for its_id, founder_id in through.objects.filter(from_organisation_id__in=pks).values_list(
        "from_organisation_id", "to_organisation_id"
    ):
        founders[its_id].add(founder_id)
    return {
        row[0]: (*row[1:], frozenset(offerings[row[0]]), frozenset(founders[row[0]]))
        for row in Organisation.objects.filter(pk__in=pks).values_list("pk", *_MEMBER_PATHS)
    }


def organisation_lock(organisation: Organisation) -> None:
    """Lock ``organisation``'s row until the transaction ends (it must be in one).

    What is checked under it (an offering's years, an existing draft) cannot be changed by a
    second request at the same moment: that one waits here. Reads the primary key only.
    """
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk"))


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
    Run ``network_organisations_check`` first: it refuses, with JSON paths,
    what this would stop at with a bare ``ValidationError``.
    """
    members = data["members"]
    by_code: dict[str, Organisation] = {}
    imported = ImportedOrganisations()
    result = imported.by_key
    existing = dict(
        zip((member["key"] for member in members), _find_existing(members), strict=True)
    )
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
    written = {
        organisation.pk
        for key, organisation in existing.items()
        if organisation is not None and key not in kept_keys
    }
    before = _registry_states(written)

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
            organisation = organisation_upsert_from_member(
                member=member, existing=existing[member["key"]], main_institution=main
            )
        if organisation.school_code:
            by_code[organisation.school_code] = organisation
        result[member["key"]] = organisation
    in_file = {organisation.pk for organisation in result.values()}
    for member in members:
        if member["kind"] == OrganisationKind.ITS and member["key"] not in kept_keys:
            # The file speaks only of its own members (network-format.md: "keys of members
            # of this file"): founders of the ITS outside the network stay in the registry.
            its = result[member["key"]]
            outside = [o for o in its.founders.all() if o.pk not in in_file]
            listed = [result[key] for key in member.get("founders", []) if key in result]
            its.founders.set(outside + listed)
    after = _registry_states(written)
    changed = {pk for pk in written if before.get(pk) != after.get(pk)}
    # A record two members of the file share is named once.
    imported.updated = list({o.pk: o for o in result.values() if o.pk in changed}.values())
    return imported


# Where the error on a model field goes in a ptp-network/1 member, and in one of its offerings.
_MEMBER_PATHS = {
    "kind": "kind",
    "name": "name",
    "province": "province",
    "school_code": "school_code",
    "school_status": "status",
    "main_institution": "main_school_code",
    "vat_number": "vat_number",
    "ateco_codes": "ateco",
    "ateco_edition": "ateco_edition",
    "chamber_registered": "chamber_registered",
    "section_a": "sections",
    "section_b": "sections",
    "labour_services": "labour_services",
    "accreditation_id": "accreditation_id",
}
_OFFERING_PATHS = {"programme": "programme", "first_year": "from", "last_year": "to"}


def network_organisations_check(
    *, members: Sequence[tuple[int, Mapping[str, Any]]], by: User | None
) -> list[InputError]:
    """Return why ``members`` cannot be written to the registry, each error with its JSON path.

    ``members`` are validated ``ptp-network/1`` members, each with its index in
    the file. Nothing is written: an import runs this first, so that a refusal
    lists every problem at once and leaves the registry as it was. Two members
    that are one organisation are refused, since a network holds each
    organisation once (the checker judges such a file instead: PTP-UNIQUE).
    Members that will join as registered (see ``network_organisations_import``)
    write nothing, so only their identity is checked.
    """
    existing = dict(
        zip(
            (index for index, _member in members),
            _find_existing([member for _index, member in members]),
            strict=True,
        )
    )
    editable = (
        None
        if by is None
        else organisations_editable_by(by, [o for o in existing.values() if o is not None])
    )
    errors: list[InputError] = []
    first_of: dict[tuple[str, str], int] = {}
    first_of_record: dict[int, int] = {}
    written = []
    for index, member in members:
        identity, words = _identity(member)
        record = existing[index]
        earlier = first_of.get(identity)
        if earlier is None and record is not None and record.pk in first_of_record:
            earlier = first_of_record[record.pk]
            words = _("nell'anagrafe è «%(name)s»") % {"name": record.name}
        if earlier is not None:
            errors.append(
                InputError(
                    f"members[{index}]",
                    _(
                        "è la stessa organizzazione di members[%(earlier)d] (%(what)s): nella "
                        "rete compare una volta sola"
                    )
                    % {"earlier": earlier, "what": words},
                )
            )
            continue
        first_of[identity] = index
        if record is not None:
            first_of_record[record.pk] = index
        if record is None or editable is None or record.pk in editable:
            written.append((index, member))
    institutes = {
        member["school_code"]: member
        for _index, member in members
        if member["kind"] == OrganisationKind.INSTITUTE and member.get("school_code")
    }
    programmes = StudyProgramme.objects.in_bulk(
        {item["programme"] for _index, member in written for item in member.get("offerings", [])},
        field_name="code",
    )
    for index, member in written:
        path = f"members[{index}]"
        errors.extend(_organisation_errors(member, path, existing[index], institutes))
        errors.extend(
            _offering_errors(member.get("offerings", []), f"{path}.offerings", programmes)
        )
    return errors


def _organisation_errors(
    member: Mapping[str, Any],
    path: str,
    record: Organisation | None,
    institutes: Mapping[str, Mapping[str, Any]],
) -> list[InputError]:
    """Return what the registry would refuse of ``member`` written on ``record`` (or a new one)."""
    main = None
    code = member.get("school_code")
    main_code = member.get("main_school_code") or code
    if member["kind"] == OrganisationKind.INSTITUTE and main_code != code:
        in_file = institutes.get(main_code)
        if in_file is None:
            main = Organisation.objects.filter(school_code=main_code).first()
            if main is None:
                # Written without it, the site would be an institution of its own: two sites
                # of one school would count as two institutes, which the checker counts once.
                return [
                    InputError(
                        f"{path}.main_school_code",
                        _(
                            "l'istituto principale %(code)s non è nell'anagrafe del portale né "
                            "tra i membri di questo file: aggiungilo come membro della rete, "
                            "così il plesso resta collegato al suo istituto"
                        )
                        % {"code": main_code},
                    )
                ]
        elif (in_file.get("main_school_code") or in_file["school_code"]) != main_code:
            return [
                InputError(
                    f"{path}.main_school_code",
                    _(
                        "l'istituto %(code)s è a sua volta un plesso in questa rete: indica il "
                        "codice dell'istituto principale"
                    )
                    % {"code": main_code},
                )
            ]
    candidate = _organisation_from_member(member, organisation=record, main_institution=main)
    try:
        candidate.full_clean()
    except ValidationError as error:
        return _paths_of(error, path, _MEMBER_PATHS, Organisation)
    return []


def _offering_errors(
    offerings: Sequence[Mapping[str, Any]],
    path: str,
    programmes: Mapping[str, StudyProgramme],
    organisation: Organisation | None = None,
) -> list[InputError]:
    """Return what the registry would refuse of a member's offerings, repetitions included.

    Two offerings of one programme whose years overlap are refused as the
    offering forms refuse them (adjacent ones are fine). With ``organisation``
    its kind is checked against each programme's too.
    """
    errors: list[InputError] = []
    starts: dict[tuple[str, int], int] = {}
    accepted: list[tuple[int, Offering]] = []
    for position, item in enumerate(offerings):
        item_path = f"{path}[{position}]"
        offering = _offering_from(item, programmes, organisation)
        # The file replaces the stored offerings: it is compared with itself, below.
        offering.check_stored_overlaps = False
        start = (item["programme"], offering.first_year)
        if start in starts:
            errors.append(
                InputError(
                    item_path,
                    _(
                        "offerta ripetuta: l'indirizzo %(code)s dal %(start)s è già in "
                        "%(earlier)s; tieni una sola offerta per indirizzo e primo anno"
                    )
                    % {
                        "code": item["programme"],
                        "start": item["from"],
                        "earlier": f"{path}[{starts[start]}]",
                    },
                )
            )
            continue
        starts[start] = position
        try:
            offering.full_clean(exclude=["organisation"], validate_unique=False)
        except ValidationError as error:
            errors.extend(_paths_of(error, item_path, _OFFERING_PATHS, Offering))
            continue
        overlapped = next(
            ((index, other) for index, other in accepted if offering.overlaps(other)), None
        )
        if overlapped is None:
            accepted.append((position, offering))
            continue
        earlier, other = overlapped
        errors.append(
            InputError(
                item_path,
                _(
                    "l'offerta di %(code)s dal %(start)s si sovrappone a quella di %(earlier)s, "
                    "%(other)s: tieni una sola offerta per gli anni in comune, o indica anni "
                    "che non si sovrappongono"
                )
                % {
                    "code": item["programme"],
                    "start": item["from"],
                    "earlier": f"{path}[{earlier}]",
                    "other": other.years_label,
                },
            )
        )
    return errors


def _paths_of(
    error: ValidationError, path: str, paths: Mapping[str, str], model: type[Model]
) -> list[InputError]:
    """Return a model validation's messages, each under the JSON path of its field."""
    errors = []
    for name, messages in error.message_dict.items():
        prefix = ""
        if name in paths:
            where = f"{path}.{paths[name]}"
        else:
            where = path  # a field the format does not have: name it in the message
            if name != NON_FIELD_ERRORS:
                prefix = f"{capfirst(model._meta.get_field(name).verbose_name)}: "
        errors.extend(InputError(where, prefix + message) for message in messages)
    return errors


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
    """Record that ``organisation`` offers ``programme`` over the given school years.

    The organisation's row is locked first, so that two additions at once cannot
    both pass the check for overlapping years (``Offering.clean``).
    """
    require_editable(organisation, by)
    organisation_lock(organisation)
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
