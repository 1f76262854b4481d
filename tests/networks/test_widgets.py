"""QuickSelect writes the markup Django's Select template writes, escaped the same way."""

import pytest
from django import forms
from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from networks.widgets import QuickSelect

CHOICES = [
    ("", "Tutte"),
    ("MI", "Milano"),
    ("BG", "Bergamo"),
    ("x<y", 'Valore "strano" & <pericoloso>'),
]
GROUPED = [
    ("", "Nessuno"),
    ("Lombardia", [("MI", "Milano"), ("BG", "Bergamo")]),
    ("Liguria", [("GE", "Genova")]),
]


def both(choices, name, value, attrs=None):
    reference = forms.Select(choices=choices, attrs=attrs).render(name, value)
    quick = QuickSelect(choices=choices, attrs=attrs).render(name, value)
    return reference, quick


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (CHOICES, "", None),
        (CHOICES, "BG", {"class": "form-select", "id": "id_province"}),
        (CHOICES, "x<y", {"class": "form-select", "required": True, "disabled": False}),
        (CHOICES, "assente", {"aria-describedby": "aiuto"}),
        (GROUPED, "GE", {"class": "form-select"}),
        ([], None, None),
    ],
)
def test_same_markup_as_django_select(choices, value, attrs):
    reference, quick = both(choices, "province", value, attrs)
    SimpleTestCase().assertHTMLEqual(quick, reference)


def test_labels_and_values_are_escaped():
    _, quick = both(CHOICES, "province", "x<y")
    assert "<pericoloso>" not in quick
    assert "&lt;pericoloso&gt;" in quick
    assert 'value="x&lt;y" selected' in quick


def test_selected_marks_exactly_the_chosen_option():
    _, quick = both(CHOICES, "province", "MI")
    assert quick.count(" selected") == 1
    assert '<option value="MI" selected>Milano</option>' in quick


def test_in_a_bound_form_it_keeps_required_and_the_submitted_value():
    class AreaForm(forms.Form):
        area = forms.ChoiceField(choices=CHOICES, widget=QuickSelect)

    html = str(AreaForm({"area": "BG"})["area"])
    assert '<select name="area" id="id_area" required>' in html
    assert '<option value="BG" selected>Bergamo</option>' in html


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=8), st.text(max_size=12)), max_size=6, unique_by=lambda c: c[0]
    ),
    st.text(max_size=8),
)
def test_any_choices_render_like_django(choices, value):
    reference, quick = both(choices, "campo", value)
    SimpleTestCase().assertHTMLEqual(quick, reference)


def test_bootstrap_italia_forms_render_their_plain_selects_with_quickselect():
    from networks.widgets import BootstrapItaliaMixin

    class Filters(BootstrapItaliaMixin, forms.Form):
        province = forms.ChoiceField(choices=CHOICES)
        provinces = forms.MultipleChoiceField(choices=CHOICES)

    form = Filters()
    assert type(form.fields["province"].widget) is QuickSelect
    assert form.fields["province"].widget.attrs["class"] == "form-select"
    assert type(form.fields["provinces"].widget) is forms.SelectMultiple
    # The swap is on the form's own copy: the class's declared field keeps Django's widget.
    assert type(Filters.base_fields["province"].widget) is forms.Select
    assert '<option value="BG">Bergamo</option>' in str(form["province"])
