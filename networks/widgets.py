"""Form widgets for Bootstrap Italia: the classes it expects, and a fast ``<select>``.

``BootstrapItaliaMixin`` gives a form's widgets the ``form-control`` and
``form-select`` classes, for forms rendered with ``includes/field.html``
rather than crispy-forms.

Django renders a ``<select>`` through one template per option: on the
officers' desk and the public register the filter forms alone took most of
the page's time. ``QuickSelect`` writes the same markup directly, escaping
every value and label, and keeps everything else of ``forms.Select``
(choices, ``selected``, attributes, option groups).
"""

from datetime import timedelta
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A date typed as the portal writes it, dd/mm/yyyy, and the refusal that shows how.
DATE_INPUT = forms.DateInput(
    format="%d/%m/%Y",
    attrs={"placeholder": _("gg/mm/aaaa"), "inputmode": "numeric", "autocomplete": "off"},
)


def _date_invalid() -> str:
    """Say how to write a date, with an example a month from today (never one long past).

    The example is a working day: a deadline's form refuses a Sunday or a holiday, and an
    example it would refuse misleads.
    """
    from networks.holidays import next_working_day

    example = next_working_day(timezone.localdate() + timedelta(days=30))
    return gettext("Inserisci una data valida nella forma gg/mm/aaaa, per esempio %(example)s.") % {
        "example": example.strftime("%d/%m/%Y")
    }


DATE_INVALID = lazy(_date_invalid, str)()


class QuickSelect(forms.Select):
    """A ``forms.Select`` whose markup is built without a template per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        """Return the ``<select>`` element of ``name`` with ``value`` selected."""
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped by format_html


class BootstrapItaliaMixin:
    """Give widgets the Bootstrap Italia classes; render plain selects with ``QuickSelect``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if type(widget) is forms.Select:
                # The form's own deep copy of the widget: QuickSelect adds no state, only render().
                widget.__class__ = QuickSelect
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(
                widget, (forms.TextInput, forms.Textarea, forms.DateInput, forms.ClearableFileInput)
            ):
                widget.attrs.setdefault("class", "form-control")
