"""Organisations and offerings: each kind requires its own fields, identifiers are unique."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from networks.constants import OrganisationKind
from networks.models import Offering, Organisation, StudyProgramme
from tests.factories import CallFactory, OrganisationFactory, fictitious_vat

pytestmark = pytest.mark.django_db


def test_institute_needs_code_and_status():
    organisation = Organisation(kind=OrganisationKind.INSTITUTE, name="Istituto senza codice")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "Indica il codice meccanografico" in error.value.message_dict["school_code"][0]
    assert "statale, paritario" in error.value.message_dict["school_status"][0]


def test_company_identifiers_are_normalised_and_validated():
    organisation = Organisation(
        kind=OrganisationKind.COMPANY,
        name="Officina",
        vat_number=f"IT {fictitious_vat(7)}",
        ateco_codes=["281300", "99.99"],
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert organisation.vat_number == fictitious_vat(7)
    assert organisation.ateco_codes[0] == "28.13.00"
    assert error.value.message_dict["ateco_codes"] == [
        "Il codice ATECO 99.99 non esiste nell'edizione 2025 della classificazione ISTAT."
    ]


def test_company_without_ateco_is_told_to_add_one():
    organisation = Organisation(
        kind=OrganisationKind.COMPANY, name="Officina", vat_number=fictitious_vat(8)
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "almeno un codice ATECO" in error.value.message_dict["ateco_codes"][0]


def test_accredited_body_needs_a_section_and_its_regional_id():
    organisation = Organisation(kind=OrganisationKind.ACCREDITED_BODY, name="Ente")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert set(error.value.message_dict) == {"section_a", "accreditation_id"}


def test_school_code_is_unique():
    first = OrganisationFactory()
    with pytest.raises(IntegrityError):
        OrganisationFactory(school_code=first.school_code)


def test_vat_number_is_unique_but_blank_is_allowed_many_times():
    company = OrganisationFactory(company=True)
    OrganisationFactory(university=True)
    OrganisationFactory(university=True)
    with pytest.raises(IntegrityError):
        OrganisationFactory(company=True, vat_number=company.vat_number)


def test_a_site_points_to_its_main_institution():
    main = OrganisationFactory(school_code="MIIS00900T")
    site = OrganisationFactory(school_code="MITF00901X", main_institution=main)
    site.full_clean()
    assert site.main_school_code == "MIIS00900T"
    assert main.main_school_code == "MIIS00900T"


def test_a_site_of_a_site_is_refused():
    main = OrganisationFactory()
    site = OrganisationFactory(main_institution=main)
    nested = OrganisationFactory(main_institution=site)
    with pytest.raises(ValidationError, match="a sua volta un plesso"):
        nested.full_clean()


@pytest.mark.parametrize(
    ("code", "first", "last", "field", "fragment"),
    [
        ("IT-MME", 2009, None, "first_year", "valido solo dal 2010/11"),
        ("IPO-MAT", 2012, None, "last_year", "valido fino al 2017/18"),
        ("IPO-MAT", 2018, 2019, "first_year", "non ammette nuove classi dopo il 2017/18"),
        ("IT-MME", 2015, 2014, "last_year", "non può precedere il primo"),
        ("ITS-06", 2024, None, "programme", "non può offrire"),
    ],
)
def test_offerings_respect_the_programme_validity_and_kind(code, first, last, field, fragment):
    offering = Offering(
        organisation=OrganisationFactory(),
        programme=StudyProgramme.objects.get(code=code),
        first_year=first,
        last_year=last,
    )
    with pytest.raises(ValidationError) as error:
        offering.full_clean()
    assert any(fragment in message for message in error.value.message_dict[field])


def test_valid_offering_passes():
    Offering(
        organisation=OrganisationFactory(),
        programme=StudyProgramme.objects.get(code="IPO-MAT"),
        first_year=2012,
        last_year=2017,
    ).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("term_days", 0, "almeno 1 giorno"),
        ("term_days", 181, "non può superare 180 giorni"),
        ("recognition_school_years", 0, "almeno 1 anno scolastico"),
        ("recognition_school_years", 11, "più di 10 anni scolastici"),
    ],
)
def test_a_call_refuses_a_term_or_a_recognition_length_out_of_range(field, value, message):
    call = CallFactory.build(**{field: value})
    with pytest.raises(ValidationError) as raised:
        call.full_clean()
    assert message in " ".join(raised.value.message_dict[field])
