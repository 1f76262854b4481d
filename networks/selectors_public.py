"""Reads for the public area: what anyone may see without logging in.

A polo is *recognised* when its application is ``approved`` and its approval
decree is rendered (numbered, archived, hashed). Only recognised poli are
public; every other application (draft, submitted, rejected, withdrawn) is
invisible here, and a guessed URL answers 404.

What a polo is made of comes from the frozen network of its latest
submitted version (``ApplicationVersion.network``), the same document the
decree's Annex A was drawn from, with the contact person removed. The
contact fields of ``Application`` and the officers' notes are never read.

Filters on members (kind, province, name) run in the database on that JSON
through the backend's JSON table function (``json_each`` on SQLite,
``jsonb_array_elements`` on PostgreSQL), so a page of the register costs a
fixed number of queries however many poli there are.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db.models import (
    BooleanField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import Expression
from django.http import Http404

from networks.constants import ApplicationStatus, DecreeKind
from networks.models import Application, ApplicationVersion, Decree, DecreeRenderStatus
from networks.models.decrees import normalise_verification_code
from networks.search import FOLD_PARAMS, fold, folded_sql
from networks.services.documents import recognition_end

PUBLIC_NETWORK_FIELDS = ("format", "name", "area", "reference_date", "lead_partner", "members")


def public_network(network: dict[str, Any]) -> dict[str, Any]:
    """Return the ``ptp-network/1`` document without anything private (the contact object)."""
    return {name: network[name] for name in PUBLIC_NETWORK_FIELDS if name in network}


# --- decrees ------------------------------------------------------------------------------------


def decree_get_public_approval(code: str) -> Decree:
    """Return a rendered approval decree of an approved polo by its code, else raise ``Http404``."""
    try:
        return Decree.objects.select_related("application").get(
            verification_code=normalise_verification_code(code),
            kind=DecreeKind.APPROVAL,
            render_status=DecreeRenderStatus.RENDERED,
            application__status=ApplicationStatus.APPROVED,
        )
    except Decree.DoesNotExist:
        raise Http404 from None


# --- the register -------------------------------------------------------------------------------


def recognised_poli() -> QuerySet[Application]:
    """Return the recognised poli, each annotated with its decree and its latest version's id.

    Annotations: ``decree_pk``, ``decree_number``, ``decree_year``,
    ``decree_adopted_at``, ``decree_code``, ``decree_sha256``, ``latest_version_id``.
    """
    latest_version = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by(
        "-number"
    )
    return (
        Application.objects.annotate(
            approval_decree=FilteredRelation(
                "decrees",
                condition=Q(
                    decrees__kind=DecreeKind.APPROVAL,
                    decrees__render_status=DecreeRenderStatus.RENDERED,
                ),
            )
        )
        .filter(status=ApplicationStatus.APPROVED, approval_decree__isnull=False)
        .annotate(
            decree_pk=F("approval_decree__pk"),
            decree_number=F("approval_decree__number"),
            decree_year=F("approval_decree__year"),
            decree_adopted_at=F("approval_decree__adopted_at"),
            decree_code=F("approval_decree__verification_code"),
            decree_sha256=F("approval_decree__sha256"),
            decree_school_years=F("approval_decree__recognition_school_years"),
            latest_version_id=Subquery(latest_version.values("pk")[:1]),
        )
        .select_related("area", "call")
        .only("pk", "name", "status", "area", "call__title")
        .order_by("-approval_decree__adopted_at", "name", "pk")
    )


def recognised_decree_years() -> list[int]:
    """Return the years of the decrees of recognised poli, newest first."""
    return sorted(
        set(recognised_poli().order_by().values_list("decree_year", flat=True)), reverse=True
    )


def _like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class MembersMatch(Expression):
    """``EXISTS`` a member of a version's network matching every given condition (SQL, no Python).

    Compiles to ``jsonb_array_elements`` on PostgreSQL and ``json_each`` on
    SQLite, on the version row at hand: used inside a correlated subquery, it
    costs one index lookup and one small JSON scan per polo, whatever the plan.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(
        self,
        *,
        kind: str | None = None,
        province: str | None = None,
        name: str | None = None,
        programme: str | None = None,
    ) -> None:
        super().__init__()
        self.network: Any = F("network")
        self.kind, self.province, self.name = kind, province, name
        # A member offering this programme (an element of its ``offerings``).
        self.programme = programme

    def get_source_expressions(self) -> list[Any]:
        return [self.network]

    def set_source_expressions(self, expressions: list[Any]) -> None:
        (self.network,) = expressions

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column, column_params = compiler.compile(self.network)
        if connection.vendor == "postgresql":
            source = f"jsonb_array_elements(({column})::jsonb -> 'members') AS m(value)"
            offerings = ", jsonb_array_elements(m.value -> 'offerings') AS o(value)"
            field = "m.value ->> '{}'"
            programme = "o.value ->> 'programme' = %s"

        else:
            source = f"json_each({column}, '$.members') AS m"
            offerings = ", json_each(m.value, '$.offerings') AS o"
            field = "json_extract(m.value, '$.{}')"
            programme = "json_extract(o.value, '$.programme') = %s"

        conditions: list[str] = []
        params: list[Any] = []
        if self.kind:
            conditions.append(f"{field.format('kind')} = %s")
            params.append(self.kind)
        if self.province:
            conditions.append(f"{field.format('province')} = %s")
            params.append(self.province)
        if self.name:
            # Whatever the case, accents and apostrophes, as the polo's own name (networks.search).
            conditions.append(folded_sql(field.format("name")) + " LIKE %s ESCAPE '\\'")
            params.extend([*FOLD_PARAMS, _like_pattern(fold(self.name))])
        if self.programme:
            source += offerings
            conditions.append(programme)
            params.append(self.programme)
        where = " AND ".join(conditions) or "1 = 1"
        # Every value is a bound parameter; the SQL text holds only the constants above.
        return f"EXISTS (SELECT 1 FROM {source} WHERE {where})", [*column_params, *params]  # noqa: S608


def latest_version_has_member(**conditions: str | None) -> Exists:
    """Return a condition on recognised poli: their latest version has a matching member."""
    return Exists(
        ApplicationVersion.objects.filter(pk=OuterRef("latest_version_id")).filter(
            MembersMatch(**conditions)
        )
    )


def networks_by_version(version_ids: Iterable[int | None]) -> dict[int, dict[str, Any]]:
    """Return the public networks of the given versions (one query), by version id."""
    ids = [pk for pk in version_ids if pk is not None]
    if not ids:
        return {}
    return {
        pk: public_network(network)
        for pk, network in ApplicationVersion.objects.filter(pk__in=ids).values_list(
            "pk", "network"
        )
    }


@dataclass(frozen=True)
class PublicMember:
    """A member of a recognised polo, as the public sees it."""

    key: str
    kind: str
    kind_label: str
    name: str
    province: str
    school_code: str
    vat_number: str
    is_lead: bool
    is_its_founder: bool


@dataclass(frozen=True)
class PublicPolo:
    """A recognised polo with its decree and members (the register's row and page)."""

    pk: int
    name: str
    area_code: str
    area_name: str
    call_title: str
    decree_number: int
    decree_year: int
    decree_adopted_on: date
    decree_adopted_at: datetime
    decree_code: str
    decree_sha256: str
    recognised_until: date
    members: tuple[PublicMember, ...]
    network: dict[str, Any]

    @property
    def lead(self) -> PublicMember | None:
        """Return the lead partner (capofila), if the network names one."""
        return next((member for member in self.members if member.is_lead), None)

    @property
    def decree_label(self) -> str:
        """Return the decree as ``n. 7 del 23/11/2026``."""
        return f"n. {self.decree_number} del {self.decree_adopted_on:%d/%m/%Y}"

    def members_by_kind(self) -> list[tuple[str, list[PublicMember]]]:
        """Return the members grouped by kind, in the order of ``OrganisationKind``."""
        from networks.constants import OrganisationKind

        groups = []
        for kind, label in OrganisationKind.choices:
            members = [member for member in self.members if member.kind == kind]
            if members:
                groups.append((str(label), members))
        return groups


def _kind_labels() -> dict[str, str]:
    """Return each member kind's label, translated once (not once per member of every polo)."""
    from networks.constants import OrganisationKind

    return {kind: str(label) for kind, label in OrganisationKind.choices}


def _members(network: dict[str, Any], labels: dict[str, str]) -> tuple[PublicMember, ...]:
    """Return a network's members for the public; ``labels`` is ``_kind_labels()``."""
    founders = {key for m in network.get("members", []) for key in m.get("founders", [])}
    return tuple(
        PublicMember(
            key=member["key"],
            kind=member["kind"],
            kind_label=labels.get(member["kind"], member["kind"]),
            name=member["name"],
            province=member.get("province", ""),
            school_code=member.get("school_code", ""),
            vat_number=member.get("vat_number", ""),
            is_lead=member["key"] == network.get("lead_partner"),
            is_its_founder=member["key"] in founders,
        )
        for member in network.get("members", [])
    )


def public_poli(applications: Iterable[Application]) -> list[PublicPolo]:
    """Return the view-models of annotated recognised poli (one query for their networks)."""
    from django.utils import timezone

    applications = list(applications)
    networks = networks_by_version(a.latest_version_id for a in applications)  # type: ignore[attr-defined]
    labels = _kind_labels()
    poli = []
    for application in applications:
        network = networks.get(application.latest_version_id, {"members": []})  # type: ignore[attr-defined]
        adopted_at = application.decree_adopted_at  # type: ignore[attr-defined]
        adopted_on = timezone.localtime(adopted_at).date()
        poli.append(
            PublicPolo(
                pk=application.pk,
                name=application.name,
                area_code=application.area.code if application.area else "",
                area_name=application.area.name if application.area else "",
                call_title=application.call.title,
                decree_number=application.decree_number,  # type: ignore[attr-defined]
                decree_year=application.decree_year,  # type: ignore[attr-defined]
                decree_adopted_on=adopted_on,
                decree_adopted_at=adopted_at,
                decree_code=application.decree_code,  # type: ignore[attr-defined]
                decree_sha256=application.decree_sha256,  # type: ignore[attr-defined]
                recognised_until=recognition_end(
                    adopted_on,
                    application.decree_school_years,  # type: ignore[attr-defined]
                ),
                members=_members(network, labels),
                network=network,
            )
        )
    return poli


def polo_get_public(pk: int) -> PublicPolo:
    """Return a recognised polo by id, else raise ``Http404`` (any other status is not public)."""
    try:
        application = recognised_poli().get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None
    return public_poli([application])[0]


class RegisterSignature(NamedTuple):
    """What the register's version is made of (``register_signature``)."""

    latest: datetime | None  # the last change of a polo, an area or a call
    count: int  # the recognised poli
    areas: int  # the areas of the catalogue: a deletion leaves no time behind


def register_signature() -> RegisterSignature:
    """Return when the public register last changed, the number of poli and of areas in it.

    Every public dataset and the register page are derived from the
    recognised poli, so this triple changes whenever they may have changed: it
    is what ETag, Last-Modified and the register's page cache are computed
    from. A polo is recognised when its approval decree is rendered: the
    approval decree is adopted by the transition that approves the
    application, in the same transaction, and approval is final, so counting
    rendered approval decrees counts the recognised poli (an index-only scan
    of ``decree_register_version``, read on every request of the register).

    The time is the latest of: the newest rendering of an approval decree
    (not its adoption: a retried rendering adds an older decree later), and
    the last change of an area or a call, whose names the register prints.
    The statistics and the register's filter list every area: deleting one
    changes no time, so the number of areas is part of the signature too.
    One query, with the catalogue tables read as scalar subqueries (three more while the
    register is empty, when the aggregate has no row to read them on).
    """
    from django.db.models import Count, Max

    from networks.models import Call, EconomicArea

    def last_change(model: type[Call] | type[EconomicArea]) -> Subquery:
        return Subquery(model.objects.order_by("-updated_at").values("updated_at")[:1])

    area_count = Subquery(
        EconomicArea.objects.order_by()
        .values(every=Value(1))
        .annotate(number=Count("pk"))
        .values("number")[:1]
    )
    row = (
        Decree.objects.filter(kind=DecreeKind.APPROVAL, render_status=DecreeRenderStatus.RENDERED)
        .order_by()
        .aggregate(
            latest=Max("rendered_at"),
            count=Count("rendered_at"),
            areas=Max(last_change(EconomicArea)),
            calls=Max(last_change(Call)),
            area_count=Max(area_count),
        )
    )
    if not row["count"]:
        # An aggregate over no decree row reads no subquery: an empty register asks again.
        row |= {
            "areas": EconomicArea.objects.aggregate(latest=Max("updated_at"))["latest"],
            "calls": Call.objects.aggregate(latest=Max("updated_at"))["latest"],
            "area_count": EconomicArea.objects.count(),
        }
    stamps = [row[name] for name in ("latest", "areas", "calls") if row[name] is not None]
    return RegisterSignature(max(stamps, default=None), row["count"], row["area_count"] or 0)


def register_first_published() -> datetime | None:
    """Return when the first polo was published: the oldest rendering of an approval decree."""
    from django.db.models import Min

    return (
        Decree.objects.filter(kind=DecreeKind.APPROVAL, render_status=DecreeRenderStatus.RENDERED)
        .order_by()
        .aggregate(first=Min("rendered_at"))["first"]
    )
