"""School years are typed and shown as ``2023/24`` in every form, whatever widget integers get."""

import pytest
from django import forms
from django.apps import apps
from django.contrib.admin.widgets import AdminIntegerFieldWidget
from django.forms import modelform_factory
from django.urls import reverse

from networks.forms_applicant import OfferingForm
from networks.models import Offering, StudyProgramme
from networks.schoolyears import SchoolYearField, SchoolYearFormField
from tests.factories import draft_application

SCHOOL_YEAR_FIELDS = [
    (model, field.name)
    for model in apps.get_app_config("networks").get_models()
    for field in model._meta.get_fields()
    if isinstance(field, SchoolYearField)
]


def test_the_portal_has_school_year_fields_to_check():
    assert {(model.__name__, name) for model, name in SCHOOL_YEAR_FIELDS} >= {
        ("StudyProgramme", "valid_from"),
        ("StudyProgramme", "valid_to"),
        ("Offering", "first_year"),
        ("Offering", "last_year"),
    }


@pytest.mark.parametrize("widget", [None, forms.NumberInput, AdminIntegerFieldWidget])
@pytest.mark.parametrize(("model", "name"), SCHOOL_YEAR_FIELDS)
def test_every_school_year_field_renders_a_text_input_with_the_notation(model, name, widget):
    """Even when a form (like the admin) asks integer fields for a number widget."""
    overrides = {name: widget} if widget else None
    form = modelform_factory(model, fields=[name], widgets=overrides)(initial={name: 2010})
    html = str(form[name])
    assert 'type="text"' in html
    assert 'type="number"' not in html
    assert 'value="2010/11"' in html
    assert 'placeholder="AAAA/AA"' in html


@pytest.mark.parametrize(
    ("typed", "year"), [("2010/11", 2010), (" 1999/00 ", 1999), ("2015 / 16", 2015), ("", None)]
)
def test_the_form_field_cleans_the_notation_to_the_start_year(typed, year):
    assert SchoolYearFormField(required=False).clean(typed) == year


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("201516", "nella forma AAAA/AA"),
        ("2015/17", "dopo 2015 viene 2015/16"),
        ("1980/81", "fuori dall'intervallo"),
    ],
)
def test_the_form_field_says_in_italian_what_is_wrong(typed, message):
    with pytest.raises(forms.ValidationError, match=message):
        SchoolYearFormField().clean(typed)


@pytest.mark.django_db
def test_an_applicant_adds_an_offering_typing_school_years(client, applicant):
    application = draft_application(applicant)
    institute = application.members.get(is_lead=True).organisation
    programme = StudyProgramme.objects.get(code="IT-INF")
    assert 'type="number"' not in str(OfferingForm()["first_year"])
    client.force_login(applicant)
    client.post(
        reverse("offering_add", args=[application.pk, institute.pk]),
        {
            f"o{institute.pk}-programme": programme.pk,
            f"o{institute.pk}-first_year": "2016/17",
            f"o{institute.pk}-last_year": "",
        },
    )
    offering = Offering.objects.get(organisation=institute, programme=programme)
    assert (offering.first_year, offering.last_year) == (2016, None)
