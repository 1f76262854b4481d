"""Forms of the portal. Field-level validation lives in the models' ``clean``; forms parse."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from networks.constants import OrganisationKind
from networks.models import Organisation
from networks.search import fold
from networks.validators import (
    normalise_school_code,
    normalise_vat_number,
    validate_long_text,
    validate_plain_name,
    validate_plain_text,
    validate_vat_number,
)


def drop_null_check(field: forms.Field) -> None:
    """Take Django's check for NUL off ``field``, whose own check already refuses it.

    Django adds «I caratteri null non sono ammessi» to every text field, beside the
    field's own message for the same character: an address or a link with U+0000 is not
    a valid address or link, and one message is enough.
    """
    field.validators = [
        existing
        for existing in field.validators
        if not isinstance(existing, ProhibitNullCharactersValidator)
    ]


def add_text_check(field: forms.Field, validator: Any) -> None:
    """Give ``field`` one of the portal's text checks, in place of Django's check for NUL.

    The portal's checks refuse U+0000 with the other control characters and say where it
    is; Django's own would say it a second time.
    """
    drop_null_check(field)
    field.validators.append(validator)


class LongTextField(forms.CharField):
    """A text of several lines (reasons, notes, observations): no control characters in it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_text_check(self, validate_long_text)


class PlainTextField(forms.CharField):
    """A one-line text with the portal's check (a name, a role), given as ``check``."""

    def __init__(self, *args: Any, check: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_text_check(self, check)


# Room for dozens of codes («30.11, 33.15, …»), not for a paste of a page.
ATECO_CODES_MAX_CHARS = 500


class AtecoCodesField(forms.CharField):
    """ATECO codes typed as a comma-separated list, primary activity first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("Separati da virgole, l'attività prevalente per prima: per esempio 30.11, 33.15."),
        )
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "maxlength": str(ATECO_CODES_MAX_CHARS)}

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        if len(text) > ATECO_CODES_MAX_CHARS:
            # Each code's own message would repeat a paste of thousands of characters.
            raise ValidationError(
                _(
                    "Hai scritto %(count)d caratteri: scrivi solo i codici ATECO, separati da "
                    "virgole (al massimo %(limit)d caratteri)."
                )
                % {"count": len(text), "limit": ATECO_CODES_MAX_CHARS},
                code="max_length",
            )
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


@dataclass(frozen=True)
class ErrorSummaryItem:
    """One line of the list of errors above a form: where, what, and a link to the field."""

    label: str
    message: str
    anchor: str = ""


def form_errors(
    form: forms.BaseForm, prefix: str = "", exclude: frozenset[str] = frozenset()
) -> list[ErrorSummaryItem]:
    """Return the form's errors in the order of the page, each with its field's label and id.

    ``prefix`` names the form among others on the page (a row: «Membro 2»). The form's
    own errors link to its first field when there is a prefix to name them by; alone,
    they are said as they are.
    """
    items = []
    for name in (NON_FIELD_ERRORS, *form.fields):  # in the order of the page
        if name in exclude or name not in form.errors:
            continue
        messages = form.errors[name]
        if name == NON_FIELD_ERRORS:
            # A row's own errors: the link goes to the row's first field.
            first = next(iter(form.visible_fields()), None)
            label = prefix if first is not None else ""
            anchor = first.id_for_label if first is not None else ""
        else:
            field = form[name]
            label = f"{prefix} – {field.label}" if prefix else str(field.label)
            anchor = field.id_for_label
        items += [ErrorSummaryItem(label, str(message), anchor) for message in messages]
    return items


def show_hidden_field_error(form: forms.BaseForm, field: str, message: str) -> None:
    """Move a hidden field's error among the form's own errors, said as ``message``.

    A hidden field (a revision, the proposal a page showed) has nowhere to show its
    error: only a tampered or truncated request gets one, and the user must be told.
    """
    if form.has_error(field):
        del form.errors[field]
        form.add_error(None, message)


# Refusals of an identifier the registry already holds, by field.
_TAKEN_MESSAGES = {
    "school_code": _(
        "Il codice meccanografico %(value)s è già nell'anagrafe, di «%(name)s»: cercalo per "
        "codice e usa quello."
    ),
    "vat_number": _(
        "La partita IVA %(value)s è già nell'anagrafe, di «%(name)s» (%(kind)s): cercala per "
        "partita IVA e usa quella."
    ),
}


# The kinds an import tells apart by kind and name alone, having no identifier of theirs.
NAMED_KINDS = frozenset(
    {
        OrganisationKind.ITS,
        OrganisationKind.UNIVERSITY,
        OrganisationKind.RESEARCH_CENTRE,
        OrganisationKind.OTHER,
    }
)


class OrganisationInputForm(forms.ModelForm):
    """The input rules of an organisation, wherever it is typed (the applicant's form, the admin).

    People type "IT 0174 4720 183" or "SP IS 00600 X": the fields are longer
    than the stored codes, and the spaces and the IT prefix are dropped before
    the model checks the code itself. The open data publish names raw
    (decision 0004), so the defence against spreadsheet formulas is here.
    """

    school_code = forms.CharField(
        label=_("Codice meccanografico"),
        max_length=20,
        required=False,
        help_text=_("10 caratteri, per esempio SPIS00600X."),
    )
    vat_number = forms.CharField(
        label=_("Partita IVA"),
        max_length=20,
        required=False,
        help_text=_("11 cifre; spazi e prefisso IT sono ammessi."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_text_check(self.fields["name"], validate_plain_name)
        add_text_check(self.fields["accreditation_id"], validate_plain_text)
        add_text_check(self.fields["city"], validate_plain_text)
        if "website" in self.fields:
            drop_null_check(self.fields["website"])

    def clean_school_code(self) -> str:
        return normalise_school_code(self.cleaned_data["school_code"])

    def _update_errors(self, errors: ValidationError) -> None:
        """Add the model's errors, but not to a field the form has refused already.

        The model checks again what the form checked (a company's partita IVA, say): its
        message on a field already refused would be a second one for the same mistake.
        """
        if hasattr(errors, "error_dict"):
            errors = ValidationError(
                {
                    field: messages
                    for field, messages in errors.error_dict.items()
                    if field == NON_FIELD_ERRORS or field not in self._errors
                }
            )
            if not errors.error_dict:
                return
        super()._update_errors(errors)

    def clean_vat_number(self) -> str:
        number = normalise_vat_number(self.cleaned_data["vat_number"])
        if number:
            # Checked here, the model's length check does not add a second message.
            validate_vat_number(number)
        return number

    def validate_constraints(self) -> None:
        """Name the organisation that already holds a code; the unique constraints do the rest.

        The constraints stay the safety net (two registrations at once): their
        message cannot say whose the code is. A field refused here is left out of
        the constraints' check, so its message stands alone.
        """
        for field, message in _TAKEN_MESSAGES.items():
            value = getattr(self.instance, field)
            if not value or self.has_error(field):
                continue
            others = Organisation.objects.filter(**{field: value})
            if self.instance.pk is not None:
                others = others.exclude(pk=self.instance.pk)
            holder = others.only("name", "kind").first()
            if holder is not None:
                params = {"value": value, "name": holder.name, "kind": holder.get_kind_display()}
                self.add_error(field, forms.ValidationError(message, "taken", params))
        self._refuse_a_copy()
        super().validate_constraints()

    def _refuse_a_copy(self) -> None:
        """Refuse a second record of a body or a named organisation the registry holds.

        What tells them apart is what an import looks them up by
        (``services.organisations._identity``): an accredited body's accreditation id,
        the kind and name of an ITS, a university, a research centre or another body.
        A copy would escape the lock on the original (``organisations_editable_by``)
        and count twice in a network.
        """
        instance = self.instance
        others = Organisation.objects.all()
        if instance.pk is not None:
            others = others.exclude(pk=instance.pk)
        if instance.kind == OrganisationKind.ACCREDITED_BODY:
            code = instance.accreditation_id.strip()
            if not code or self.has_error("accreditation_id"):
                return
            holder = (
                others.filter(kind=instance.kind, accreditation_id__iexact=code)
                .only("name")
                .first()
            )
            if holder is not None:
                self.add_error(
                    "accreditation_id",
                    forms.ValidationError(
                        _(
                            "L'identificativo di accreditamento %(value)s è già nell'anagrafe, "
                            "di «%(name)s»: cerca l'ente per identificativo o denominazione e "
                            "usa quello."
                        ),
                        "taken",
                        {"value": code, "name": holder.name},
                    ),
                )
        elif instance.kind in NAMED_KINDS and instance.name and not self.has_error("name"):
            holder = (
                others.filter(kind=instance.kind, name__folded=fold(instance.name.strip()))
                .only("name", "kind")
                .first()
            )
            if holder is not None:
                self.add_error(
                    "name",
                    forms.ValidationError(
                        _(
                            "«%(name)s» (%(kind)s) è già nell'anagrafe: cercalo per denominazione "
                            "e usa quello."
                        ),
                        "taken",
                        {"name": holder.name, "kind": holder.get_kind_display()},
                    ),
                )


class OrganisationAdminForm(OrganisationInputForm):
    ateco_codes = AtecoCodesField(label=_("Codici ATECO"), required=False)

    class Meta:
        model = Organisation
        fields = [
            "kind", "name", "province", "city", "website",
            "school_code", "main_institution", "school_status",
            "vat_number", "ateco_codes", "ateco_edition", "chamber_registered",
            "section_a", "section_b", "labour_services", "accreditation_id",
            "founders", "representatives",
        ]  # fmt: skip


class UsernameLengthMixin:
    """Check the username's length before the form authenticates with it.

    ``AuthenticationForm`` sets the field's ``max_length`` after building it, so
    no validator checks it: a name of any length reached the backends, and
    django-axes' record of the failed login (a 255-character column) made
    PostgreSQL fail the request with a server error.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    """The portal's login form."""


class AdminLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    """The admin's login form."""
