"""Forms of the portal. Field-level validation lives in the models' ``clean``; forms parse."""

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from networks.models import Organisation
from networks.validators import (
    normalise_school_code,
    normalise_vat_number,
    validate_plain_name,
    validate_plain_text,
)


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

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class OrganisationInputForm(forms.ModelForm):
    """The input rules of an organisation, wherever it is typed (the applicant's form, the admin).

    People type "IT 0174 4720 183" or "SP IS 00600 X": the fields are longer
    than the stored codes, and the spaces and the IT prefix are dropped before
    the model checks the code itself. The open data publish names raw
    (decision 0004), so the defence against spreadsheet formulas is here.
    """

    school_code = forms.CharField(
        label=_("codice meccanografico"),
        max_length=20,
        required=False,
        help_text=_("10 caratteri, per esempio SPIS00600X."),
    )
    vat_number = forms.CharField(
        label=_("partita IVA"),
        max_length=20,
        required=False,
        help_text=_("11 cifre; spazi e prefisso IT sono ammessi."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(validate_plain_name)
        self.fields["accreditation_id"].validators.append(validate_plain_text)
        self.fields["city"].validators.append(validate_plain_text)

    def clean_school_code(self) -> str:
        code = normalise_school_code(self.cleaned_data["school_code"])
        holder = self._holder(school_code=code) if code else None
        if holder is not None:
            raise forms.ValidationError(
                _(
                    "Il codice meccanografico %(code)s è già nell'anagrafe, di «%(name)s»: "
                    "cercalo per codice e usa quello."
                ),
                code="school_code_taken",
                params={"code": code, "name": holder.name},
            )
        return code

    def clean_vat_number(self) -> str:
        number = normalise_vat_number(self.cleaned_data["vat_number"])
        holder = self._holder(vat_number=number) if number else None
        if holder is not None:
            raise forms.ValidationError(
                _(
                    "La partita IVA %(number)s è già nell'anagrafe, di «%(name)s» "
                    "(%(kind)s): cercala per partita IVA e usa quella."
                ),
                code="vat_number_taken",
                params={
                    "number": number,
                    "name": holder.name,
                    "kind": holder.get_kind_display(),
                },
            )
        return number

    def _post_clean(self) -> None:
        super()._post_clean()
        # Once the field has failed, the model sees the identifier blank and asks for it:
        # the holder's name is the one message that says what to do.
        for field in ("school_code", "vat_number"):
            taken = [
                error
                for error in self._errors.get(field, self.error_class()).as_data()
                if error.code == f"{field}_taken"
            ]
            if taken:
                self._errors[field] = self.error_class(taken, renderer=self.renderer)

    def _holder(self, **identifier: str) -> Organisation | None:
        """Return another organisation that already holds the identifier, if any.

        The unique constraints stay the safety net (two registrations at once);
        this names the holder, which the constraint's message cannot.
        """
        others = Organisation.objects.filter(**identifier)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        return others.only("name", "kind").first()


class OrganisationAdminForm(OrganisationInputForm):
    ateco_codes = AtecoCodesField(label=_("codici ATECO"), required=False)

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
