"""School years as stored by the portal: the integer year in which they start.

``2023`` is the school year ``2023/24`` (1 September 2023 - 31 August 2024).
The model field keeps an integer so that ranges compare and index cheaply; the
form field reads and writes the ``YYYY/YY`` notation that schools use, always in
a text input: a ``<input type="number">`` (what the admin and any
``formfield_overrides`` give integer model fields) can neither show ``2010/11``
nor accept the slash, so the form field replaces a number widget it is handed.
"""

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eligibility.core.schoolyear import SchoolYear

_PATTERN = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})\s*$")


def format_school_year(start: int | None) -> str:
    """Return ``2023/24`` for 2023, or an empty string for ``None``."""
    if start is None:
        return ""
    return f"{start}/{(start + 1) % 100:02d}"


def current_school_year(today: date | None = None) -> int:
    """Return the school year containing ``today`` (by default today in Europe/Rome).

    The school year starts on 1 September: on 31 August 2026 it is still 2025/26
    (2025), from 1 September 2026 it is 2026/27 (2026).
    """
    return SchoolYear.containing(today or timezone.localdate()).start


def parse_school_year(value: str) -> int:
    """Return the start year of ``YYYY/YY``; raise ``ValidationError`` in Italian otherwise."""
    match = _PATTERN.match(value or "")
    if not match:
        raise ValidationError(
            _("Scrivi l'anno scolastico nella forma AAAA/AA, per esempio 2023/24."),
            code="school_year_format",
        )
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise ValidationError(
            _("L'anno scolastico %(value)s non esiste: dopo %(start)s viene %(expected)s."),
            code="school_year_sequence",
            params={"value": value.strip(), "start": start, "expected": format_school_year(start)},
        )
    if not 1990 <= start <= 2100:
        raise ValidationError(
            _("L'anno scolastico %(value)s è fuori dall'intervallo ammesso (1990/91-2100/01)."),
            code="school_year_range",
            params={"value": value.strip()},
        )
    return start


class SchoolYearInput(forms.TextInput):
    """A text input for ``YYYY/YY``, with the hints browsers and screen readers use."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # No inputmode="numeric": the numeric keypads of phones have no slash.
        super().__init__(
            attrs={
                "maxlength": "7",
                "size": "7",
                "pattern": r"\d{4}/\d{2}",
                "placeholder": _("AAAA/AA"),
                "autocomplete": "off",
                **(attrs or {}),
            }
        )


class SchoolYearFormField(forms.CharField):
    """A text input for ``YYYY/YY`` that cleans to the start year."""

    widget = SchoolYearInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Nella forma AAAA/AA, per esempio 2023/24."))
        # Integer arguments from the model field, and lengths: the cleaned value is an
        # int, which MaxLengthValidator cannot measure; parse_school_year checks the shape.
        for name in ("min_value", "max_value", "step_size", "max_length", "min_length"):
            kwargs.pop(name, None)
        widget = kwargs.get("widget")
        if isinstance(widget, type) and issubclass(widget, forms.NumberInput):
            widget = widget()
        if isinstance(widget, forms.NumberInput):
            kwargs["widget"] = SchoolYearInput(attrs=widget.attrs)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return format_school_year(value)
        return value

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, int):
            return value
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_school_year(value)


class SchoolYearField(models.PositiveSmallIntegerField):
    """A school year, stored as its start year and edited as ``YYYY/YY``."""

    def formfield(self, **kwargs: Any) -> forms.Field:
        return super().formfield(**{"form_class": SchoolYearFormField, **kwargs})
