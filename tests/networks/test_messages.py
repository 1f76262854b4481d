"""Refusal texts: a form error names its field in the user's language; the 500 page speaks it too."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from networks.views.messages import form_errors_text


class _Form(forms.Form):
    year = forms.IntegerField(label=_("Anno scolastico"))
    code = forms.CharField(label=_("Codice"))

    def clean(self):
        raise forms.ValidationError("Combinazione non valida: cambia l'anno o il codice.")


def test_form_errors_name_the_field_they_belong_to():
    form = _Form({"year": "duemila"})
    text = form_errors_text(form)
    assert "Anno scolastico: Inserisci un numero intero." in text
    assert "Codice: Questo campo è obbligatorio." in text
    assert "Combinazione non valida: cambia l'anno o il codice." in text
    assert "__all__" not in text
    assert "year" not in text


def test_server_error_page_is_in_the_active_language():
    with translation.override("en"):
        html = render_to_string("500.html")
    assert '<html lang="en">' in html
    assert "The service could not complete the request" in html
    with translation.override("it"):
        assert "non è riuscito a completare la richiesta" in render_to_string("500.html")


def test_a_small_file_size_is_in_italian_bytes():
    """Django's Italian catalogue writes "193 bytes"; locale/it says "193 byte"."""
    with translation.override("it"):
        assert filesizeformat(193) == "193\xa0byte"
        assert filesizeformat(1) == "1\xa0byte"
    with translation.override("en"):
        assert filesizeformat(193) == "193\xa0bytes"
