"""The text of refusals shown to users: what a service, a validation or a form said, in Italian."""

from django import forms
from django.forms.forms import NON_FIELD_ERRORS


def error_text(error: Exception) -> str:
    """Return the Italian text of a refusal from a service or a model validation."""
    return " ".join(str(message) for message in getattr(error, "messages", [str(error)]))


def add_validation_error(form: forms.BaseForm, error: Exception) -> None:
    """Put a model validation's messages on ``form``: under their field if it has one, else above."""
    by_field = getattr(error, "error_dict", None)
    if by_field is None:
        form.add_error(None, getattr(error, "messages", [str(error)]))
        return
    for name, errors in by_field.items():
        form.add_error(name if name in form.fields else None, errors)


def form_errors_text(form: forms.BaseForm) -> str:
    """Return a form's error messages, each after its field's (translated) label.

    A tick box's label is a whole statement («Adotto il decreto: …»): its error says
    what to do by itself and goes without it.
    """
    texts = []
    for name, field_errors in form.errors.items():
        field = form.fields.get(name)
        label = (
            field.label
            if field is not None
            and name != NON_FIELD_ERRORS
            and not isinstance(field, forms.BooleanField)
            else None
        )
        texts.extend(f"{label}: {error}" if label else str(error) for error in field_errors)
    return " ".join(texts)
