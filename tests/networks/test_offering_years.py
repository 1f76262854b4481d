"""An organisation's offerings of one programme never overlap, and none starts in a later school year.

Both rules hold wherever an offering is typed: the applicant's offering form
(``services.organisations.offering_add``), the admin's inline and offering
page (``Offering.clean``). Imports are in ``applicant/test_import_robustness.py``,
the checker in ``test_commands.py``. Adjacent ranges (one ends the year before
the next starts) are one continuous offer, not an overlap.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from networks.models import Offering, Organisation, StudyProgramme
from networks.schoolyears import current_school_year, format_school_year
from tests.factories import OfferingFactory, OrganisationFactory, draft_application
from tests.helpers import submitted_unchanged

pytestmark = pytest.mark.django_db

OVERLAP_2021 = (
    "L'offerta di IP-MAT dal 2021/22 si sovrappone a quella già registrata dal 2019/20 "
    "(in corso): togli quella e registra l'offerta con tutti gli anni, o indica anni che non si "
    "sovrappongono."
)


def programme(code: str) -> StudyProgramme:
    return StudyProgramme.objects.get(code=code)


def ip_mat(organisation: Organisation, first: int, last: int | None = None) -> Offering:
    return OfferingFactory(
        organisation=organisation, programme=programme("IP-MAT"), first_year=first, last_year=last
    )


def future_message() -> str:
    return (
        "Il primo anno non può essere successivo all'anno scolastico in corso, il "
        f"{format_school_year(current_school_year())}: un'offerta si registra quando le sue "
        "classi sono avviate, non quando sono previste."
    )


# --- the model -----------------------------------------------------------------------------------


def test_an_offering_overlapping_a_stored_one_is_refused_naming_it():
    school = OrganisationFactory()
    ip_mat(school, 2019)
    offering = Offering(
        organisation=school, programme=programme("IP-MAT"), first_year=2021, last_year=2023
    )
    with pytest.raises(ValidationError) as raised:
        offering.full_clean()
    assert raised.value.message_dict == {"first_year": [OVERLAP_2021]}


@pytest.mark.parametrize(
    ("stored", "new", "field"),
    [
        ((2019, None), (2021, 2023), "first_year"),
        ((2019, 2023), (2023, None), "first_year"),  # one year in common is an overlap
        ((2020, None), (2018, 2020), "last_year"),  # it starts earlier and runs into it
        ((2019, 2020), (2018, None), "last_year"),
        ((2019, 2023), (2020, 2021), "first_year"),  # inside it
    ],
)
def test_every_kind_of_overlap_is_refused_under_the_year_that_makes_it(stored, new, field):
    school = OrganisationFactory()
    ip_mat(school, *stored)
    offering = Offering(
        organisation=school, programme=programme("IP-MAT"), first_year=new[0], last_year=new[1]
    )
    with pytest.raises(ValidationError) as raised:
        offering.full_clean()
    assert list(raised.value.message_dict) == [field]
    assert "si sovrappone a quella già registrata" in raised.value.message_dict[field][0]


@pytest.mark.parametrize(
    ("stored", "new"),
    [
        ((2019, 2020), (2021, None)),  # adjacent: one continuous offer
        ((2021, None), (2018, 2020)),
        ((2018, 2019), (2021, 2022)),  # a gap
    ],
)
def test_adjacent_or_separate_ranges_are_accepted(stored, new):
    school = OrganisationFactory()
    ip_mat(school, *stored)
    Offering(
        organisation=school, programme=programme("IP-MAT"), first_year=new[0], last_year=new[1]
    ).full_clean()


def test_the_same_years_of_another_programme_or_organisation_are_accepted():
    school = OrganisationFactory()
    ip_mat(school, 2019)
    Offering(organisation=school, programme=programme("IT-MME"), first_year=2021).full_clean()
    Offering(
        organisation=OrganisationFactory(), programme=programme("IP-MAT"), first_year=2021
    ).full_clean()


def test_a_stored_offering_is_not_its_own_overlap_and_rows_stored_before_the_rule_still_validate():
    school = OrganisationFactory()
    first = ip_mat(school, 2019)
    first.full_clean()
    # Recorded before the rule existed (bulk writes skip the model): left as they are, they
    # do not stop a save; changed, they are judged.
    Offering.objects.bulk_create(
        [Offering(organisation=school, programme=programme("IP-MAT"), first_year=2021)]
    )
    later = Offering.objects.get(organisation=school, first_year=2021)
    later.full_clean()
    later.last_year = 2023
    with pytest.raises(ValidationError, match="si sovrappone"):
        later.full_clean()


def test_an_offering_may_start_in_the_current_school_year_but_not_later():
    school = OrganisationFactory()
    current = current_school_year()
    Offering(organisation=school, programme=programme("IT-MME"), first_year=current).full_clean()
    offering = Offering(organisation=school, programme=programme("IT-MME"), first_year=current + 1)
    with pytest.raises(ValidationError) as raised:
        offering.full_clean()
    assert raised.value.message_dict == {"first_year": [future_message()]}


# --- the applicant's offering form ---------------------------------------------------------------


def _post_offering(client, application, organisation, code, first_year, last_year=""):
    return client.post(
        reverse("offering_add", args=[application.pk, organisation.pk]),
        {
            f"o{organisation.pk}-programme": programme(code).pk,
            f"o{organisation.pk}-first_year": first_year,
            f"o{organisation.pk}-last_year": last_year,
        },
    )


def test_the_applicant_form_refuses_an_overlap_and_keeps_what_was_typed(client, applicant):
    application = draft_application(applicant)
    institute = application.members.get(is_lead=True).organisation  # IT-MME from 2015/16
    client.force_login(applicant)
    response = _post_offering(client, application, institute, "IT-MME", "2021/22", "2023/24")
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "L&#x27;offerta di IT-MME dal 2021/22 si sovrappone a quella già registrata dal 2015/16 "
        "(in corso): togli quella e registra l&#x27;offerta con tutti gli anni, o indica anni che "
        "non si sovrappongono."
    ) in html
    form_html = html[html.index(f'id="org-{institute.pk}"') :]
    assert 'value="2021/22"' in form_html
    assert 'value="2023/24"' in form_html
    assert institute.offerings.filter(programme__code="IT-MME").count() == 1


def test_the_applicant_form_accepts_an_offering_adjacent_to_a_stored_one(client, applicant):
    application = draft_application(applicant)
    institute = application.members.get(is_lead=True).organisation
    client.force_login(applicant)
    assert (
        _post_offering(client, application, institute, "IT-INF", "2016/17", "2018/19").status_code
        == 302
    )
    assert _post_offering(client, application, institute, "IT-INF", "2019/20").status_code == 302
    assert institute.offerings.filter(programme__code="IT-INF").count() == 2


def test_the_applicant_form_refuses_a_first_year_after_the_current_one(client, applicant):
    application = draft_application(applicant)
    institute = application.members.get(is_lead=True).organisation
    client.force_login(applicant)
    next_year = format_school_year(current_school_year() + 1)
    response = _post_offering(client, application, institute, "IT-INF", next_year)
    assert response.status_code == 400
    html = response.content.decode()
    assert future_message().replace("'", "&#x27;") in html
    assert f'value="{next_year}"' in html
    assert not institute.offerings.filter(programme__code="IT-INF").exists()
    current = format_school_year(current_school_year())
    assert _post_offering(client, application, institute, "IT-INF", current).status_code == 302


# --- the admin -----------------------------------------------------------------------------------


def _change_data(client, organisation: Organisation) -> tuple[str, dict[str, list[str]]]:
    url = reverse("admin:networks_organisation_change", args=[organisation.pk])
    data, _inputs = submitted_unchanged(client.get(url), "organisation_form")
    return url, data


def _add_row(data: dict, code: str, first_year: str, last_year: str = "") -> None:
    index = int(data["offerings-TOTAL_FORMS"][0])
    data["offerings-TOTAL_FORMS"] = [str(index + 1)]
    data[f"offerings-{index}-programme"] = [str(programme(code).pk)]
    data[f"offerings-{index}-first_year"] = [first_year]
    data[f"offerings-{index}-last_year"] = [last_year]


def _inline_errors(response) -> list[dict[str, list[str]]]:
    formset = response.context["inline_admin_formsets"][0].formset
    return [{name: list(messages) for name, messages in form.items()} for form in formset.errors]


def test_the_admin_inline_refuses_a_row_overlapping_a_stored_offering(client, catalogue_admin):
    school = OrganisationFactory(name="IIS Prova Sovrapposizioni")
    ip_mat(school, 2019)
    client.force_login(catalogue_admin)
    url, data = _change_data(client, school)
    data["name"] = ["IIS Prova Sovrapposizioni (rinominato)"]
    _add_row(data, "IP-MAT", "2021/22", "2023/24")
    response = client.post(url, data)
    assert response.status_code == 200
    assert _inline_errors(response) == [{}, {"first_year": [OVERLAP_2021]}]
    # Nothing saved, and the page shows what was typed.
    assert school.offerings.count() == 1
    school.refresh_from_db()
    assert school.name == "IIS Prova Sovrapposizioni"
    html = response.content.decode()
    assert 'value="2021/22"' in html
    assert 'value="IIS Prova Sovrapposizioni (rinominato)"' in html


def test_the_admin_inline_closes_an_offering_and_adds_the_next_in_one_save(client, catalogue_admin):
    school = OrganisationFactory()
    ip_mat(school, 2019)
    client.force_login(catalogue_admin)
    url, data = _change_data(client, school)
    data["offerings-0-last_year"] = ["2020/21"]
    _add_row(data, "IP-MAT", "2021/22")
    response = client.post(url, data)
    assert response.status_code == 302, _inline_errors(response)
    assert list(school.offerings.values_list("first_year", "last_year")) == [
        (2019, 2020),
        (2021, None),
    ]


def test_the_admin_inline_replaces_a_removed_offering_in_one_save(client, catalogue_admin):
    school = OrganisationFactory()
    ip_mat(school, 2019)
    client.force_login(catalogue_admin)
    url, data = _change_data(client, school)
    data["offerings-0-DELETE"] = ["on"]
    _add_row(data, "IP-MAT", "2020/21")
    response = client.post(url, data)
    assert response.status_code == 302, _inline_errors(response)
    assert list(school.offerings.values_list("first_year", "last_year")) == [(2020, None)]


def test_the_admin_inline_refuses_two_new_rows_that_overlap(client, catalogue_admin):
    client.force_login(catalogue_admin)
    data = {
        "kind": "institute",
        "name": "Istituto Prova Righe",
        "school_code": "MIIS04242X",
        "school_status": "statale",
        "ateco_edition": "2025",
        "offerings-TOTAL_FORMS": "0",
        "offerings-INITIAL_FORMS": "0",
    }
    data = {name: [value] for name, value in data.items()}
    _add_row(data, "IP-MAT", "2019/20")
    _add_row(data, "IP-MAT", "2021/22", "2023/24")
    response = client.post(reverse("admin:networks_organisation_add"), data)
    assert response.status_code == 200
    assert _inline_errors(response) == [
        {},
        {
            "first_year": [
                "L'offerta di IP-MAT dal 2021/22 si sovrappone a quella dal 2019/20 (in corso) "
                "di un'altra riga: correggi una delle due, o indica anni che non si sovrappongono."
            ]
        },
    ]
    assert not Organisation.objects.filter(name="Istituto Prova Righe").exists()


def test_rows_stored_before_the_rule_do_not_stop_another_change(client, catalogue_admin):
    school = OrganisationFactory()
    Offering.objects.bulk_create(
        [
            Offering(organisation=school, programme=programme("IP-MAT"), first_year=2019),
            Offering(organisation=school, programme=programme("IP-MAT"), first_year=2021),
            Offering(
                organisation=school,
                programme=programme("IT-MME"),
                first_year=current_school_year() + 1,
            ),
        ]
    )
    client.force_login(catalogue_admin)
    url, data = _change_data(client, school)
    data["city"] = ["Lodi"]
    response = client.post(url, data)
    assert response.status_code == 302, _inline_errors(response)
    school.refresh_from_db()
    assert school.city == "Lodi"


def test_the_admin_inline_refuses_a_first_year_after_the_current_one(client, catalogue_admin):
    school = OrganisationFactory()
    client.force_login(catalogue_admin)
    url, data = _change_data(client, school)
    _add_row(data, "IT-MME", format_school_year(current_school_year() + 1))
    response = client.post(url, data)
    assert response.status_code == 200
    assert _inline_errors(response) == [{"first_year": [future_message()]}]
    assert not school.offerings.exists()


def test_the_admin_offering_page_refuses_an_overlap(client, catalogue_admin):
    school = OrganisationFactory()
    ip_mat(school, 2019)
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_offering_add"),
        {
            "organisation": str(school.pk),
            "programme": str(programme("IP-MAT").pk),
            "first_year": "2021/22",
            "last_year": "2023/24",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"first_year": [OVERLAP_2021]}
    assert school.offerings.count() == 1
