"""Django admin for the catalogue and the organisation registry.

Catalogue entries are never deleted once in use: a programme offered by an
organisation, or an area a programme or an ATECO mapping points to, can only be
deactivated. The admin says so instead of showing Django's generic refusal.
Every change is recorded in the admin history (who, when, what).

Only a superuser grants access: the catalogue role keeps areas, programmes,
mappings and the registry, but an organisation's representatives (who may
file and read its applications) are read-only for it. The superuser's user
and group pages name each model's permissions in the reader's language.
"""

import json
from collections.abc import Callable, Sequence
from datetime import MAXYEAR, MINYEAR, date, datetime
from typing import Any, ClassVar

import ateco
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import ActionLocation, IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db import DatabaseError, models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, override
from django.utils.translation import gettext_lazy as _

from networks.admin_forms import (
    EconomicAreaChangelistForm,
    OfferingInlineFormSet,
    PossibleIdsMixin,
    RowErrorsVisibleForm,
    fits_the_database,
)
from networks.documents import as_sentence
from networks.forms import OrganisationAdminForm, add_text_check
from networks.models import (
    Application,
    AtecoMapping,
    Call,
    EconomicArea,
    Offering,
    Organisation,
    StudyProgramme,
)
from networks.schoolyears import format_school_year
from networks.selectors import (
    applications_visible_to,
    live_networks_with,
    undecided_applications,
    undecided_filed_with_programme,
)
from networks.services.workflow import RECORD_LANGUAGE
from networks.validators import validate_long_text, validate_plain_name, validate_plain_text

admin.site.site_header = _("Poli Tecnici Professionali – amministrazione")
admin.site.site_title = _("PTP – amministrazione")
admin.site.index_title = _("Catalogo e anagrafe delle organizzazioni")


class DeactivateInsteadOfDeleteMixin:
    """Refuse to delete an entry in use, with a message that says to deactivate it."""

    in_use_message = _("«%(obj)s» è in uso e non può essere eliminato: disattivalo invece.")

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions = super().get_actions(request, action_location)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Offer no «Cancella» for an entry in use: it can only be deactivated."""
        if obj is not None and obj.is_in_use():
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is not None and obj.is_in_use():
            self.message_user(request, self.in_use_message % {"obj": obj}, messages.ERROR)  # type: ignore[attr-defined]
            opts = obj._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]


class BoundedDateHierarchyMixin:
    """Send a date drill-down no datetime can express back to the whole list.

    Django builds the range of ``?<field>__year=9999`` up to the year 10000
    (ValueError) and converts year 1 to UTC (OverflowError): a 500 either way.
    Like any other wrong lookup, it now leads to the list without filters.
    """

    # Year 1 and year 9999 have no complete range in every time zone.
    date_parts = (("year", MINYEAR + 1, MAXYEAR - 1), ("month", 1, 12), ("day", 1, 31))

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        field = self.date_hierarchy  # type: ignore[attr-defined]
        for part, low, high in self.date_parts if field else ():
            raw = request.GET.get(f"{field}__{part}")
            if raw is None:
                continue
            try:
                number = int(raw)
            except ValueError as error:
                raise IncorrectLookupParameters(error) from error
            if not low <= number <= high:
                raise IncorrectLookupParameters(f"{part} {number}")
        return super().get_changelist_instance(request)  # type: ignore[misc]


class SafeLookupsMixin:
    """Send a hand-edited list filter that the database cannot run back to the whole list.

    Django's admin accepts any lookup on a model's own fields from the query string
    (``?created_at__year=0``, ``?successor__exact=99999999999999999999``,
    ``?code__range=abc``): building or counting such a list raised ValueError,
    OverflowError, IndexError or a database error, a 500. Like any other wrong
    lookup, it now leads to the list without filters (``?e=1``). The list is built
    in a savepoint, so a refused query leaves the request's transaction usable.
    """

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        try:
            with transaction.atomic():
                return super().get_changelist_instance(request)  # type: ignore[misc]
        except (ValueError, OverflowError, IndexError, DatabaseError) as error:
            raise IncorrectLookupParameters(error) from error


class PossibleListEditableIdsMixin:
    """Leave out of the list's ``pk__in`` query the posted row ids no row could have.

    Django checks them with ``to_python`` only: an id of 20 digits passed, and
    the query raised (500). Such a row is not found, as a missing one.
    """

    def _get_edited_object_pks(self, request: HttpRequest, prefix: str) -> list[str]:
        pks = super()._get_edited_object_pks(request, prefix)  # type: ignore[misc]
        pk_field = self.model._meta.pk  # type: ignore[attr-defined]
        using = self.get_queryset(request).db  # type: ignore[attr-defined]
        return [pk for pk in pks if fits_the_database(pk_field, pk, using)]

    # Says on its row that a row's (hidden) id is wrong, not nowhere.
    changelist_form_class: type[RowErrorsVisibleForm] = RowErrorsVisibleForm

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("form", self.changelist_form_class)
        return super().get_changelist_form(request, **kwargs)  # type: ignore[misc]


class ChangedValuesHistoryMixin:
    """Write in the object's history what each changed field was and what it became.

    Django's history says «Modificati Attiva.» for a deactivation and a reactivation
    alike: the catalogue's history must say who changed what, from what to what. The
    entry is written in Italian, the language of the Region's records; the changes of
    the inline rows (an organisation's offerings) follow in Django's own words.
    """

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        # The list's editable rows are saved with (request, form, None): no ``add``.
        message = super().construct_change_message(request, form, formsets, add)  # type: ignore[misc]
        if add or not form.changed_data:
            return message
        with override(RECORD_LANGUAGE):
            changes = [
                _("%(field)s da «%(before)s» a «%(after)s»")
                % {
                    "field": capfirst(str(form.fields[name].label or name)),
                    "before": _shown(form.fields[name], form.initial.get(name)),
                    "after": _shown(form.fields[name], form.cleaned_data.get(name)),
                }
                for name in form.changed_data
                if name in form.fields
            ]
            # The inline rows' changes, as Django words them (its entries with a "name").
            rows = [
                entry
                for entry in message
                if any(isinstance(value, dict) and "name" in value for value in entry.values())
            ]
            text = as_sentence(_("Modificati: %(changes)s") % {"changes": "; ".join(changes)})
            if rows:
                text += " " + LogEntry(change_message=json.dumps(rows)).get_change_message()
        return text


# How long a value may be in a history entry: a description's new text is not repeated there.
_SHOWN_MAX = 80


def _shown(field: forms.Field, value: Any) -> str:
    """Return ``value`` of ``field`` as the history says it: a label, a name, a date."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    if isinstance(field, forms.ModelMultipleChoiceField):
        pks = [getattr(item, "pk", item) for item in value]
        return ", ".join(str(item) for item in field.queryset.filter(pk__in=pks)) or "—"
    if isinstance(field, forms.ModelChoiceField):
        if not isinstance(value, models.Model):
            value = field.queryset.filter(pk=value).first()
        return str(value) if value is not None else "—"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | tuple):
        text = ", ".join(str(item) for item in value)
    elif value in (choices := dict(getattr(field, "choices", None) or ())):
        return str(choices[value])
    else:
        text = str(field.prepare_value(value))
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


class PlainTextFieldsMixin:
    """Refuse, in the fields whose text the open data publish, what a spreadsheet runs as a formula.

    ``poli.csv`` prints area names and call titles raw (decision 0004): the
    defence is at input, as for the names of organisations and poli. Texts of
    several lines (descriptions) refuse control characters, as the forms do.
    """

    plain_fields: ClassVar[dict[str, Callable[[str], None]]] = {}

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.name in self.plain_fields:
            add_text_check(field, self.plain_fields[db_field.name])
        elif field is not None and isinstance(db_field, models.TextField):
            add_text_check(field, validate_long_text)  # descriptions: no control characters
        return field


@admin.register(EconomicArea)
class EconomicAreaAdmin(
    ChangedValuesHistoryMixin,
    SafeLookupsMixin,
    PlainTextFieldsMixin,
    PossibleListEditableIdsMixin,
    DeactivateInsteadOfDeleteMixin,
    admin.ModelAdmin,
):
    list_display = ["code", "name", "active", "position"]
    list_editable = ["position"]
    # Each row's position input is named after its area (it has no label of its own).
    changelist_form_class = EconomicAreaChangelistForm
    list_filter = ["active"]
    search_fields = ["code", "name", "description"]
    plain_fields: ClassVar[dict[str, Callable[[str], None]]] = {"name": validate_plain_name}
    in_use_message = _(
        "L'area «%(obj)s» è in uso (indirizzi, corrispondenze ATECO o domande) e non può essere "
        "eliminata: disattivala invece."
    )

    def get_readonly_fields(
        self, request: HttpRequest, obj: EconomicArea | None = None
    ) -> list[str]:
        return ["code"] if obj else []

    def save_model(self, request: HttpRequest, obj: EconomicArea, form: Any, change: bool) -> None:
        """Save; on a deactivation, warn how many undecided applications it reaches."""
        super().save_model(request, obj, form, change)
        deactivated = change and "active" in form.changed_data and not obj.active
        if deactivated and (pending := undecided_applications().filter(area=obj).count()):
            self.message_user(
                request,
                ngettext(
                    "%(count)d domanda presentata nell'area «%(area)s» non è ancora decisa: "
                    "alla decisione non supererà il requisito PTP-AREA, perché l'area non è "
                    "più attiva. Riattivala se la disattivazione non deve riguardarla.",
                    "%(count)d domande presentate nell'area «%(area)s» non sono ancora "
                    "decise: alla decisione non supereranno il requisito PTP-AREA, perché "
                    "l'area non è più attiva. Riattivala se la disattivazione non deve "
                    "riguardarle.",
                    pending,
                )
                % {"count": pending, "area": obj.name},
                messages.WARNING,
            )


@admin.register(StudyProgramme)
class StudyProgrammeAdmin(
    ChangedValuesHistoryMixin,
    SafeLookupsMixin,
    PlainTextFieldsMixin,
    DeactivateInsteadOfDeleteMixin,
    PossibleIdsMixin,
    admin.ModelAdmin,
):
    list_display = ["code", "name", "kind", "validity", "area_list", "successor", "active"]
    list_filter = ["kind", "active", "areas", "legal_basis"]
    search_fields = ["code", "name"]
    plain_fields: ClassVar[dict[str, Callable[[str], None]]] = {"name": validate_plain_name}
    list_select_related = ["successor"]
    filter_horizontal = ["areas"]
    autocomplete_fields = ["successor"]
    in_use_message = _(
        "L'indirizzo «%(obj)s» è in uso (offerte formative, indirizzi precedenti o domande "
        "presentate) e non può essere eliminato: disattivalo invece."
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[StudyProgramme]:
        return super().get_queryset(request).prefetch_related("areas")

    def get_readonly_fields(
        self, request: HttpRequest, obj: StudyProgramme | None = None
    ) -> list[str]:
        return ["code"] if obj else []

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Save the areas too; on a change, warn how many undecided applications it reaches.

        The three-year offer and the institutes are counted, at the decision, with the
        programme's kind, years and areas as they are then.
        """
        super().save_related(request, form, formsets, change)
        if not (change and form.has_changed()):
            return
        # What is decided is the network as last filed: the programme as that version lists it.
        pending = undecided_filed_with_programme(form.instance.code).count()
        if pending:
            self.message_user(
                request,
                ngettext(
                    "L'indirizzo «%(programme)s» è offerto da membri di %(count)d domanda non "
                    "ancora decisa: alla decisione l'offerta triennale e gli istituti si "
                    "verificano con l'indirizzo com'è ora (PTP-OFFER-3Y, PTP-INSTITUTES).",
                    "L'indirizzo «%(programme)s» è offerto da membri di %(count)d domande non "
                    "ancora decise: alla decisione l'offerta triennale e gli istituti si "
                    "verificano con l'indirizzo com'è ora (PTP-OFFER-3Y, PTP-INSTITUTES).",
                    pending,
                )
                % {"count": pending, "programme": form.instance.code},
                messages.WARNING,
            )

    @admin.display(description=_("validità"))
    def validity(self, obj: StudyProgramme) -> str:
        return obj.validity_label

    @admin.display(description=_("aree"))
    def area_list(self, obj: StudyProgramme) -> str:
        return ", ".join(area.name for area in obj.areas.all())


@admin.register(AtecoMapping)
class AtecoMappingAdmin(ChangedValuesHistoryMixin, SafeLookupsMixin, admin.ModelAdmin):
    list_display = ["prefix", "ateco_title", "edition", "area"]
    list_filter = ["edition", "area"]
    search_fields = ["prefix", "area__name"]
    list_select_related = ["area"]

    def save_model(self, request: HttpRequest, obj: AtecoMapping, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._warn_undecided(request)

    def delete_model(self, request: HttpRequest, obj: AtecoMapping) -> None:
        super().delete_model(request, obj)
        self._warn_undecided(request)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        # «Elimina selezionati»: the same warning as one mapping's own delete page.
        super().delete_queryset(request, queryset)
        self._warn_undecided(request)

    def _warn_undecided(self, request: HttpRequest) -> None:
        """Say that the undecided applications are checked against the mappings as they are now."""
        if pending := undecided_applications().count():
            self.message_user(
                request,
                ngettext(
                    "%(count)d domanda presentata non è ancora decisa: alla decisione le sue "
                    "imprese sono valutate con le corrispondenze ATECO come sono ora "
                    "(PTP-COMPANY-AREA; vince il prefisso più lungo).",
                    "%(count)d domande presentate non sono ancora decise: alla decisione le "
                    "loro imprese sono valutate con le corrispondenze ATECO come sono ora "
                    "(PTP-COMPANY-AREA; vince il prefisso più lungo).",
                    pending,
                )
                % {"count": pending},
                messages.WARNING,
            )

    @admin.display(description=_("descrizione ISTAT"))
    def ateco_title(self, obj: AtecoMapping) -> str:
        node = ateco.lookup(obj.prefix, edition=obj.edition)
        return node.title if node else "—"


class OfferingInline(PossibleIdsMixin, admin.TabularInline):
    model = Offering
    form = RowErrorsVisibleForm
    formset = OfferingInlineFormSet
    extra = 0
    autocomplete_fields = ["programme"]


def warn_live_networks(
    model_admin: admin.ModelAdmin, request: HttpRequest, organisations: Sequence[Organisation]
) -> None:
    """Warn how many networks being written read the edited registry records as they are now.

    A draft, and an application awaiting integrations (filed again with the registry as it
    will be then), read the registry live. A submitted application is decided on the
    network it filed (``evaluate_filed``): a registry edit does not reach it.
    """
    pending = live_networks_with(organisations).count()
    if not pending:
        return
    if len(organisations) == 1:
        text = ngettext(
            "«%(name)s» è nella rete di %(count)d domanda in bozza o in attesa di "
            "integrazioni, che legge i dati dell'anagrafe come sono ora: la modifica vale "
            "anche per essa. Le domande già presentate si decidono sulla rete presentata.",
            "«%(name)s» è nella rete di %(count)d domande in bozza o in attesa di "
            "integrazioni, che leggono i dati dell'anagrafe come sono ora: la modifica vale "
            "anche per esse. Le domande già presentate si decidono sulla rete presentata.",
            pending,
        ) % {"count": pending, "name": organisations[0].name}
    else:
        text = ngettext(
            "Le organizzazioni %(names)s sono nella rete di %(count)d domanda in bozza o in "
            "attesa di integrazioni, che legge i dati dell'anagrafe come sono ora: la "
            "modifica vale anche per essa. Le domande già presentate si decidono sulla rete "
            "presentata.",
            "Le organizzazioni %(names)s sono nella rete di %(count)d domande in bozza o in "
            "attesa di integrazioni, che leggono i dati dell'anagrafe come sono ora: la "
            "modifica vale anche per esse. Le domande già presentate si decidono sulla rete "
            "presentata.",
            pending,
        ) % {"count": pending, "names": ", ".join(f"«{o.name}»" for o in organisations)}
    model_admin.message_user(request, text, messages.WARNING)


@admin.register(Organisation)
class OrganisationAdmin(
    ChangedValuesHistoryMixin,
    SafeLookupsMixin,
    DeactivateInsteadOfDeleteMixin,
    PossibleIdsMixin,
    admin.ModelAdmin,
):
    form = OrganisationAdminForm
    # The registry has no «active» flag: what the applications name stays, to be corrected.
    in_use_message = _(
        "«%(obj)s» è nella rete o tra i richiedenti di una domanda, o è l'istituzione principale "
        "di un plesso, e non può essere eliminata: le domande e gli atti la citano. Se i dati "
        "sono da correggere, modificali."
    )
    list_display = ["name", "kind", "school_code", "vat_number", "province", "updated_at"]
    list_filter = ["kind", "province", "school_status", "section_a", "chamber_registered"]
    search_fields = ["name", "school_code", "vat_number", "accreditation_id"]
    autocomplete_fields = ["main_institution", "founders"]
    filter_horizontal = ["representatives"]
    inlines = [OfferingInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "province", "city", "website"]}),
        (
            _("Istituto scolastico"),
            {"fields": ["school_code", "main_institution", "school_status"]},
        ),
        (
            _("Impresa"),
            {"fields": ["vat_number", "ateco_codes", "ateco_edition", "chamber_registered"]},
        ),
        (
            _("Ente accreditato"),
            {"fields": ["section_a", "section_b", "labour_services", "accreditation_id"]},
        ),
        (_("ITS Academy"), {"fields": ["founders"]}),
        (_("Accesso"), {"fields": ["representatives"]}),
    ]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Save the offerings too; on a change, warn how many undecided applications it reaches.

        The decision checks the requirements on the registry as it is then
        (``evaluate_application``): an edited status, code or offering moves their outcome.
        """
        super().save_related(request, form, formsets, change)
        changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
        if change and changed:
            warn_live_networks(self, request, [form.instance])

    def get_readonly_fields(
        self, request: HttpRequest, obj: Organisation | None = None
    ) -> list[str]:
        """Let only a superuser change who represents the organisation (it grants access)."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("representatives")
        return fields


@admin.register(Offering)
class OfferingAdmin(
    ChangedValuesHistoryMixin, SafeLookupsMixin, PossibleIdsMixin, admin.ModelAdmin
):
    list_display = ["organisation", "programme", "first", "last"]
    list_filter = ["programme__kind", "programme"]
    search_fields = ["organisation__name", "organisation__school_code", "programme__code"]
    list_select_related = ["organisation", "programme"]
    autocomplete_fields = ["organisation", "programme"]

    # An offering is the registry's, as on the organisation's page, which warns the same way.
    def save_model(self, request: HttpRequest, obj: Offering, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change or form.has_changed():
            warn_live_networks(self, request, [obj.organisation])

    def delete_model(self, request: HttpRequest, obj: Offering) -> None:
        super().delete_model(request, obj)
        warn_live_networks(self, request, [obj.organisation])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Offering]) -> None:
        organisations = list(
            Organisation.objects.filter(offerings__in=queryset).distinct().order_by("name")
        )
        super().delete_queryset(request, queryset)
        warn_live_networks(self, request, organisations)

    @admin.display(description=_("primo anno"), ordering="first_year")
    def first(self, obj: Offering) -> str:
        return format_school_year(obj.first_year)

    @admin.display(description=_("ultimo anno"), ordering="last_year")
    def last(self, obj: Offering) -> str:
        return format_school_year(obj.last_year) or _("in corso")


@admin.register(Application)
class ApplicationAdmin(SafeLookupsMixin, BoundedDateHierarchyMixin, admin.ModelAdmin):
    """Read-only list of applications for staff: the officers' desk is the real tool.

    Only a superuser sees every application; any other staff account sees
    what the portal would show it (an officer: never someone else's draft).
    """

    list_display = [
        "name",
        "protocol_number",
        "status",
        "area",
        "applicant_organisation",
        "officer",
        "submitted_at",
    ]
    list_filter = ["status", "area", "call", "officer"]
    search_fields = [
        "name",
        "protocol_seq",
        "applicant_organisation__name",
        "members__organisation__name",
    ]
    list_select_related = ["area", "applicant_organisation", "officer"]
    date_hierarchy = "submitted_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=applications_visible_to(request.user).values("pk"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False


@admin.register(Call)
class CallAdmin(
    ChangedValuesHistoryMixin,
    SafeLookupsMixin,
    PlainTextFieldsMixin,
    BoundedDateHierarchyMixin,
    DeactivateInsteadOfDeleteMixin,
    admin.ModelAdmin,
):
    # A call with applications is part of their record: it can be closed, never deleted.
    in_use_message = _(
        "L'avviso «%(obj)s» ha domande, presentate o in bozza, e fa parte dei loro atti: non "
        "si può eliminare. Per non riceverne altre, anticipa la data di chiusura."
    )
    list_display = ["title", "opens_at", "closes_at", "term_days", "max_attachment_mb", "ruleset"]
    list_filter = ["ruleset"]
    search_fields = ["title"]
    plain_fields: ClassVar[dict[str, Callable[[str], None]]] = {"title": validate_plain_text}
    date_hierarchy = "opens_at"


# Django names every model's four permissions "Can add <model>" and stores the
# English words in the database; the superuser's user and group pages list them.
DEFAULT_PERMISSION_LABELS = {
    "add": _("Può aggiungere %(model)s"),
    "change": _("Può modificare %(model)s"),
    "delete": _("Può eliminare %(model)s"),
    "view": _("Può vedere %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """Return how the admin lists ``permission``: its model, then the action in words.

    A model's default permissions are named in the current language from the
    model's verbose name; any other permission keeps its stored name.
    """
    content_type = permission.content_type
    action, _separator, model_name = permission.codename.partition("_")
    model = content_type.model_class()
    template = DEFAULT_PERMISSION_LABELS.get(action)
    if template is None or model is None or model_name != content_type.model:
        return str(permission)
    return f"{content_type} | {gettext(template) % {'model': model._meta.verbose_name}}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Permission) -> str:
        return permission_label(obj)


class PermissionLabelsMixin:
    """List permissions by ``permission_label`` in the user's and the group's form."""

    permission_fields = ("permissions", "user_permissions")

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in self.permission_fields:
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PortalUserAdmin(SafeLookupsMixin, PermissionLabelsMixin, UserAdmin):
    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, Any, Any]:
        """Name the procedure's records that keep an account, and say how to close it instead.

        Django lists the protected records only when no permission is missing,
        and a superuser was told they lacked the permission to delete
        "domanda", which nobody has: the account simply cannot go.
        """
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            perms_needed = set()
            messages.warning(
                request,
                _(
                    "Gli utenti che compaiono negli atti delle domande non si possono eliminare. "
                    "Per togliere l'accesso, apri l'utente e togli la spunta ad «Attivo»."
                ),
            )
        return deleted, counts, perms_needed, protected


@admin.register(Group)
class PortalGroupAdmin(SafeLookupsMixin, PermissionLabelsMixin, GroupAdmin):
    pass
