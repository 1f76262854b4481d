"""The text of refusals shown to users: what a service, a validation or a form said, in Italian."""

from django import forms


def error_text(error: Exception) -> str:
    """Return the Italian text of a refusal from a service or a model validation."""
    return " ".join(str(message) for message in getattr(error, "messages", [str(error)]))


def form_errors_text(form: forms.BaseForm) -> str:
    """Return a form's error messages, without the field names (which are code, not Italian)."""
    return " ".join(str(error) for field_errors in form.errors.values() for error in field_errors)
