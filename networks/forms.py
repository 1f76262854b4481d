"""Forms of the portal. Field-level validation lives in the models' ``clean``; forms parse."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import Organisation


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


class OrganisationAdminForm(forms.ModelForm):
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
