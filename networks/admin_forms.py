"""Admin widgets, fields and forms that hold up against tampered or stale input.

Only ``networks.admin`` imports this module. The admin redraws a refused form
with what was posted: Django's autocomplete widgets look the posted ids up to
show their labels, and its multiple-choice field checks them with one ``IN``
query. An id that is not a number, or one too large for the database's
integers (30 digits), made those queries raise and the page answer 500; here
such an id is simply not found, and the form says the choice is not valid.

A tabular inline shows no error of its hidden fields (a row's id, its
organisation): the page said "correct the error below" with nothing below.
Those errors are moved under the row.
"""

from typing import Any

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext_lazy as _


def fits_the_database(field: models.Field[Any, Any], value: object, using: str) -> bool:
    """Return whether ``value`` can be compared with ``field`` in the database ``using``."""
    try:
        python_value = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(field, models.IntegerField) and python_value is not None:
        low, high = connections[using].ops.integer_field_range(field.get_internal_type())
        return (low is None or low <= python_value) and (high is None or python_value <= high)
    return True


class _LooksUpOnlyPossibleIds:
    """Leave out of the label query the posted ids no row could have."""

    field: models.Field[Any, Any]
    db: str | None
    choices: Any

    def optgroups(self, name: str, value: list[str], attr: dict[str, Any] | None = None) -> Any:
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        using = self.choices.queryset.using(self.db).db
        possible = [item for item in value if fits_the_database(target, item, using)]
        return super().optgroups(name, possible, attr)  # type: ignore[misc]


class PossibleIdsAutocompleteSelect(_LooksUpOnlyPossibleIds, AutocompleteSelect):
    pass


class PossibleIdsAutocompleteSelectMultiple(_LooksUpOnlyPossibleIds, AutocompleteSelectMultiple):
    pass


class PossibleIdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuse an id too large for the database as Django refuses one that is not a number."""

    def _check_values(self, value: Any) -> Any:
        key = self.to_field_name or "pk"
        opts = self.queryset.model._meta
        target = opts.pk if key == "pk" else opts.get_field(key)
        if isinstance(value, (list, tuple, set, frozenset)):
            for pk in value:
                if not fits_the_database(target, pk, self.queryset.db):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class PossibleIdsMixin:
    """Give the admin's relation fields the widgets and field above."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = PossibleIdsAutocompleteSelect(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = PossibleIdsAutocompleteSelectMultiple(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        kwargs.setdefault("form_class", PossibleIdsMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class RowErrorsVisibleForm(forms.ModelForm):
    """Say under an inline row what went wrong with its hidden fields."""

    stale_row_message = _(
        "Questa riga non corrisponde ai dati salvati (forse la pagina è vecchia o è stata "
        "modificata): ricarica la pagina e ripeti la modifica."
    )

    def full_clean(self) -> None:
        super().full_clean()
        hidden = [
            name
            for name in self._errors
            if name in self.fields and self.fields[name].widget.is_hidden
        ]
        if hidden:
            # A row whose id is not one of the organisation's offerings is taken for a new
            # one, so "already exists" would follow from it: say only what is wrong.
            for name in [*hidden, NON_FIELD_ERRORS]:
                self._errors.pop(name, None)
            self.add_error(None, ValidationError(self.stale_row_message, code="stale_row"))


class EconomicAreaChangelistForm(RowErrorsVisibleForm):
    """A row of the area list, its "ordine" input named after its area.

    The list's inputs have no ``<label>`` (the column header is not one): a
    screen reader would announce a row of anonymous number fields.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "position" in self.fields and self.instance.pk is not None:
            self.fields["position"].widget.attrs["aria-label"] = _("Ordine di «%(area)s»") % {
                "area": self.instance.name
            }


class VerboseUniqueInlineFormSet(BaseInlineFormSet):
    """Name repeated rows by the fields' Italian names, not their attribute names."""

    def get_unique_error_message(self, unique_check: Any) -> str:
        opts = self.model._meta
        names = [
            f"«{opts.get_field(name).verbose_name}»"
            for name in unique_check
            if name != self.fk.name
        ]
        if len(names) == 1:
            return _(
                "Correggi i dati duplicati: più righe hanno lo stesso valore in %(field)s."
            ) % {"field": names[0]}
        return _("Correggi i dati duplicati: più righe hanno gli stessi valori in %(fields)s.") % {
            "fields": get_text_list(names, _("e"))
        }


class OfferingInlineFormSet(VerboseUniqueInlineFormSet):
    """An organisation's offerings, checked for overlapping years as the save will leave them.

    Each row's model check would compare it with the stored rows, which this
    very save may change or remove (closing an open-ended offering and adding
    the next one is one save): the rows are compared with each other instead,
    and with the stored offerings the page did not show (added meanwhile). A
    row left as it was stored is not judged again, only compared with.
    """

    def _construct_form(self, i: int, **kwargs: Any) -> forms.BaseForm:
        form = super()._construct_form(i, **kwargs)
        form.instance.check_stored_overlaps = False
        return form

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        """Name each row's inputs: the table's column headers are no ``<label>`` of theirs.

        A screen reader would otherwise announce «casella di controllo» for the delete
        box and only a placeholder or a title for the years.
        """
        super().add_fields(form, index)
        names = {
            "first_year": capfirst(form.fields["first_year"].label),
            "last_year": capfirst(form.fields["last_year"].label),
            "DELETE": _("Cancella l'offerta"),
        }
        for name, label in names.items():
            if name not in form.fields:
                continue
            attrs = form.fields[name].widget.attrs
            if index is None:
                # The template of the rows «Aggiungi» adds: admin-a11y.js numbers each copy.
                attrs["aria-label"] = f"{label}, " + _("nuova riga")
                attrs["data-row-label"] = label
            else:
                attrs["aria-label"] = f"{label}, " + _("riga %(row)d") % {"row": index + 1}

    def clean(self) -> None:
        super().clean()
        rows = [
            form
            for form in self.forms
            if not form.errors
            and not (self.can_delete and self._should_delete_form(form))
            and form.instance.programme_id is not None
            and form.instance.first_year is not None
        ]
        shown = [form.instance.pk for form in self.initial_forms if form.instance.pk is not None]
        compared = (
            list(self.instance.offerings.exclude(pk__in=shown).select_related("programme"))
            if self.instance.pk is not None
            else []
        )
        # Stable sort: the rows as stored first, so that a changed or new row takes the error.
        for form in sorted(rows, key=lambda form: form.instance.is_new_or_changed):
            offering = form.instance
            other = None
            if offering.is_new_or_changed:
                other = next((row for row in compared if offering.overlaps(row)), None)
            if other is None:
                compared.append(offering)
                continue
            stored = other.pk is not None and not other.is_new_or_changed
            form.add_error(None, offering.overlap_error(other, stored=stored))
