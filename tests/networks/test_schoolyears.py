"""School years are typed and shown as ``2023/24`` in every form, whatever widget integers get."""

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.apps import apps
from django.contrib.admin.widgets import AdminIntegerFieldWidget
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone

from networks.forms_applicant import OfferingForm
from networks.models import Offering, StudyProgramme
from networks.schoolyears import SchoolYearField, SchoolYearFormField, current_school_year
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


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2026, 8, 31), 2025),
        (date(2026, 9, 1), 2026),
        (date(2027, 1, 15), 2026),
    ],
)
def test_the_current_school_year_starts_on_1_september(today, year):
    assert current_school_year(today) == year


def test_the_current_school_year_is_that_of_today_in_rome():
    # 22:30 UTC on 31 August is already 1 September in Rome.
    late_august = datetime(2026, 8, 31, 22, 30, tzinfo=UTC)
    assert current_school_year(timezone.localdate(late_august)) == 2026
    assert current_school_year() == current_school_year(timezone.localdate())


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


def _post_offering(client, application, institute, programme, first_year, last_year=""):
    return client.post(
        reverse("offering_add", args=[application.pk, institute.pk]),
        {
            f"o{institute.pk}-programme": programme.pk,
            f"o{institute.pk}-first_year": first_year,
            f"o{institute.pk}-last_year": last_year,
        },
    )


@pytest.mark.django_db
def test_a_refused_offering_comes_back_as_typed_open_and_with_its_error(client, applicant):
    application = draft_application(applicant)
    institute = application.members.get(is_lead=True).organisation
    programme = StudyProgramme.objects.get(code="IT-INF")
    client.force_login(applicant)
    response = _post_offering(client, application, institute, programme, "2015/17", "2019/20")
    assert response.status_code == 400
    assert not Offering.objects.filter(organisation=institute, programme=programme).exists()
    html = response.content.decode()
    form_html = html[html.index(f'id="org-{institute.pk}"') :]
    assert '<details class="mt-2" open>' in form_html[: form_html.index("</details>")]
    assert 'value="2015/17"' in form_html
    assert 'value="2019/20"' in form_html
    assert f'<option value="{programme.pk}" selected>' in form_html
    assert "dopo 2015 viene 2015/16" in form_html
    # The other organisations' offering forms stay closed and blank.
    assert html.count('<details class="mt-2" open>') == 1


@pytest.mark.django_db
def test_an_offering_the_model_refuses_keeps_the_input_and_says_why(client, applicant):
    application = draft_application(applicant)
    institute = application.members.get(is_lead=True).organisation
    programme = StudyProgramme.objects.get(code="IT-INF")
    client.force_login(applicant)
    response = _post_offering(client, application, institute, programme, "2019/20", "2016/17")
    assert response.status_code == 400
    html = response.content.decode()
    assert "L&#x27;ultimo anno scolastico non può precedere il primo." in html
    assert 'value="2019/20"' in html
    assert 'value="2016/17"' in html
    # The same start twice: said under the year, in words.
    assert _post_offering(client, application, institute, programme, "2016/17").status_code == 302
    response = _post_offering(client, application, institute, programme, "2016/17", "2020/21")
    assert response.status_code == 400
    assert "L&#x27;indirizzo IT-INF è già registrato dal 2016/17" in response.content.decode()
    assert Offering.objects.filter(organisation=institute, programme=programme).count() == 1
