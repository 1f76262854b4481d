"""Filters of the officer's desk: status, area, province, call, officer, overdue, free text, order.

The filter set narrows a queryset the caller took from
``selectors.applications_visible_to``: it never widens what a user may see.
"Overdue" depends on the procedure's clock, computed from the status history
in Python; it is filtered with three fixed queries (the open applications with
their term, then the events and requests of those filed longer ago than it)
whatever the number of rows, and turned into a ``pk__in`` condition so that the
page query stays one query.
"""

import re
from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import User
from django.db.models import (
    Case,
    Expression,
    F,
    IntegerField,
    Min,
    OrderBy,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from localflavor.it.it_province import PROVINCE_CHOICES

from networks.clock import ROME
from networks.constants import FINAL_STATUSES, ApplicationStatus
from networks.models import Application, ApplicationMember, Call, EconomicArea
from networks.roles import display_name
from networks.search import fold
from networks.selectors import (
    applicant_provinces,
    application_clock,
    desk_officers,
    events_prefetch,
    requests_prefetch,
)
from networks.validators import normalise_vat_number
from networks.widgets import BootstrapItaliaMixin

SEARCH_MAX_LENGTH = 200
# "2026/0000012", "2026/12" or a bare sequence number "12" / "0000012".
_PROTOCOL = re.compile(r"^\s*(?:(?P<year>\d{4})\s*/\s*)?(?P<seq>\d{1,7})\s*$")

STATUS_CHOICES = [
    (value, label) for value, label in ApplicationStatus.choices if value != ApplicationStatus.DRAFT
]
# A status's place in the procedure (the order of ApplicationStatus), not its code's spelling:
# sorted by code, "approval_proposed" would come before "approved" and "submitted" last.
STATUS_RANK = Case(
    *(When(status=value, then=Value(rank)) for rank, value in enumerate(ApplicationStatus.values)),
    output_field=IntegerField(),
)
ORDERING_FIELDS: dict[str, tuple[str | Expression, ...]] = {
    "submitted": ("submitted_at", "pk"),
    "protocol": ("protocol_year", "protocol_seq"),
    "name": ("filed_name", "pk"),  # as filed (selectors.review_queue_queryset)
    "status": (STATUS_RANK, "pk"),
}
DEFAULT_ORDERING = ("-submitted_at", "-pk")
# What the "Ordina per" select offers, the default order (newest first) first: with no
# empty choice, the option a browser shows when no order is asked for is the one applied.
ORDER_CHOICES = [
    ("-submitted", _("data di presentazione, dalla più recente")),
    ("submitted", _("data di presentazione, dalla meno recente")),
    ("protocol", _("protocollo, crescente")),
    ("-protocol", _("protocollo, decrescente")),
    ("name", _("nome del polo, dalla A alla Z")),
    ("-name", _("nome del polo, dalla Z alla A")),
    ("status", _("stato, nell'ordine del procedimento")),
    ("-status", _("stato, in ordine inverso")),
]


def _order_by(column: str | Expression, *, descending: bool) -> OrderBy:
    expression = F(column) if isinstance(column, str) else column
    return expression.desc() if descending else expression.asc()


class OfficerField(django_filters.fields.ModelChoiceField):
    """Show officers by full name."""

    def label_from_instance(self, obj: User) -> str:
        name = display_name(obj)
        if not obj.is_active:
            return gettext("%(name)s (non più attivo)") % {"name": name}
        return name


class OfficerChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = OfficerField


class QueueOrderingFilter(django_filters.OrderingFilter):
    """Order by a public name that may stand for several columns (protocol: year, then number)."""

    def filter(self, qs: QuerySet[Application], value: Any) -> QuerySet[Application]:
        if not value:
            return qs.order_by(*DEFAULT_ORDERING)
        ordering = [
            _order_by(column, descending=name.startswith("-"))
            for name in value
            for column in ORDERING_FIELDS.get(name.lstrip("-"), ())
        ]
        return qs.order_by(*ordering) if ordering else qs.order_by(*DEFAULT_ORDERING)


class ReviewQueueFilterForm(BootstrapItaliaMixin, forms.Form):
    """The desk's filter form, styled for Bootstrap Italia."""


class ReviewQueueFilter(django_filters.FilterSet):
    """The desk's filters; every label is what the officer reads."""

    q = django_filters.CharFilter(
        label=_("Cerca"),
        method="filter_search",
        # SQLite refuses a LIKE pattern of more than 50,000 characters; no name is that long.
        max_length=SEARCH_MAX_LENGTH,
        help_text=_(
            "Protocollo (2026/0000012 o 12), nome del polo, organizzazione, "
            "codice meccanografico o partita IVA."
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("Stato"), choices=STATUS_CHOICES, empty_label=_("Tutti")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"),
        queryset=EconomicArea.objects.order_by("name"),
        empty_label=_("Tutte"),
    )
    province = django_filters.ChoiceFilter(
        label=_("Provincia del richiedente"),
        field_name="applicant_organisation__province",
        choices=PROVINCE_CHOICES,
        empty_label=_("Tutte"),
    )
    call = django_filters.ModelChoiceFilter(
        label=_("Avviso"),
        queryset=Call.objects.order_by("-opens_at"),
        empty_label=_("Tutti"),
    )
    officer = OfficerChoiceFilter(
        label=_("Responsabile"),
        queryset=desk_officers(),
        empty_label=_("Tutti"),
        null_label=_("Nessuno (da prendere in carico)"),
        null_value="nessuno",
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Termine scaduto"),
        method="filter_overdue",
        choices=[("si", _("Sì")), ("no", _("No"))],
        empty_label=_("Indifferente"),
    )
    order = QueueOrderingFilter(
        label=_("Ordina per"),
        fields=tuple((name, name) for name in ORDERING_FIELDS),
        choices=ORDER_CHOICES,
        empty_label=None,
    )

    class Meta:
        model = Application
        fields: list[str] = []
        form = ReviewQueueFilterForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Evaluated per request, so a newly appointed officer appears at once.
        self.filters["officer"].queryset = desk_officers()
        # Only the provinces that occur among applicants: a short list to read (and to render).
        present = applicant_provinces(self.request.user)
        self.filters["province"].extra["choices"] = [
            (code, name) for code, name in PROVINCE_CHOICES if code in present
        ]

    def filter_search(
        self, queryset: QuerySet[Application], name: str, value: str
    ) -> QuerySet[Application]:
        """Match a protocol number, or else the polo's name or a member's name, school code or VAT.

        A bare number (up to 7 digits, optionally after ``2026/``) is a protocol
        number: matching it inside names would bury the one application sought.
        """
        text = value.strip()
        if not text:
            return queryset
        match = _PROTOCOL.match(text)
        if match:
            protocol = Q(protocol_seq=int(match["seq"]))
            if match["year"]:
                protocol &= Q(protocol_year=int(match["year"]))
            return queryset.filter(protocol)
        folded = fold(text)
        names = Q(filed_name__folded__contains=folded) | Q(
            applicant_organisation__name__folded__contains=folded
        )
        members_match = Q(organisation__name__folded__contains=folded)
        # "IT 01234567890" as the registry stores it: the digits only ("-" alone is no number).
        vat_number = normalise_vat_number(text)
        if vat_number:
            members_match |= Q(organisation__vat_number=vat_number)
        members = ApplicationMember.objects.filter(
            members_match | Q(organisation__school_code__iexact=text)
        ).values("application_id")
        return queryset.filter(names | Q(pk__in=members))

    def filter_overdue(
        self, queryset: QuerySet[Application], name: str, value: str
    ) -> QuerySet[Application]:
        """Keep the applications whose term has (``si``) or has not (``no``) passed."""
        if value not in {"si", "no"}:
            return queryset
        now = timezone.now()
        today = now.astimezone(ROME).date()  # the clock's days
        open_filed = (
            queryset.exclude(status__in=FINAL_STATUSES)
            .select_related(None)
            .prefetch_related(None)
            .select_related("call")
            .only("pk", "term_days", "call__term_days")
            .annotate(
                first_filed=Min(
                    "events__at", filter=Q(events__to_status=ApplicationStatus.SUBMITTED)
                )
            )
            .filter(first_filed__isnull=False)
            .order_by()
        )
        # The clock runs from the first filing and only subtracts suspensions: a term cannot
        # have passed before that many days have gone by. Only those read their history.
        candidates = [
            application
            for application in open_filed
            if (today - application.first_filed.astimezone(ROME).date()).days
            > (application.term_days or application.call.term_days)
        ]
        prefetch_related_objects(candidates, events_prefetch(), requests_prefetch())
        overdue = [
            application.pk
            for application in candidates
            if application_clock(
                application,
                now=now,
                events=application.events.all(),
                requests=application.request_list,
            ).overdue
        ]
        if value == "si":
            return queryset.filter(pk__in=overdue)
        return queryset.exclude(pk__in=overdue)
