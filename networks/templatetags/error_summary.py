"""The list of a refused form's errors, for the templates that show it above the form."""

from django import forms, template

from networks.forms import ErrorSummaryItem, form_errors

register = template.Library()


@register.filter
def error_summary(form: forms.BaseForm) -> list[ErrorSummaryItem]:
    """Return the form's errors in the order of the page, each with a link to its field."""
    return form_errors(form)
