"""The organisation forms, as the applicant and the catalogue administrator read them."""

import pytest
from django.urls import reverse

from networks.forms import OrganisationAdminForm
from networks.forms_applicant import OrganisationRegisterForm
from tests.factories import draft_application

pytestmark = pytest.mark.django_db

IDENTIFIERS = ["school_code", "vat_number", "ateco_codes"]


@pytest.mark.parametrize("form_class", [OrganisationRegisterForm, OrganisationAdminForm])
def test_every_label_of_the_organisation_forms_starts_with_a_capital(form_class):
    """«codice meccanografico» and «partita IVA» stood lowercase among «Tipo» and «Denominazione»."""
    labels = {name: str(field.label) for name, field in form_class().fields.items()}
    assert [labels[name] for name in IDENTIFIERS] == [
        "Codice meccanografico",
        "Partita IVA",
        "Codici ATECO",
    ]
    assert all(label[0].isupper() for label in labels.values()), labels


def test_the_applicants_registration_form_shows_the_capitalised_labels(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    page = client.get(reverse("application_edit", args=[application.pk, "partner"])).content
    page = page.decode()
    assert ">Codice meccanografico<" in page.replace("\n", "").replace("  ", "")
    assert "codice meccanografico</label>" not in page
    assert "partita IVA</label>" not in page


def test_the_admins_organisation_page_shows_the_capitalised_labels(client, catalogue_admin):
    client.force_login(catalogue_admin)
    page = client.get(reverse("admin:networks_organisation_add")).content.decode()
    for label in ("Codice meccanografico", "Partita IVA", "Codici ATECO"):
        assert f">{label}:</label>" in page


@pytest.mark.parametrize("form_class", [OrganisationRegisterForm, OrganisationAdminForm])
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("RSSMRA80A01H501U", "deve contenere solo cifre"),  # a codice fiscale pasted
        ("123456789012345", "11 cifre"),
    ],
)
def test_a_wrong_partita_iva_gets_one_message_saying_what_is_wrong(form_class, typed, message):
    form = form_class(data={"kind": "company", "name": "Impresa Alfa S.r.l.", "vat_number": typed})
    form.is_valid()
    [error] = form.errors["vat_number"]
    assert message in error


@pytest.mark.parametrize("form_class", [OrganisationRegisterForm, OrganisationAdminForm])
def test_a_partita_iva_typed_with_the_prefix_and_spaces_is_stored_as_digits(form_class):
    form = form_class(
        data={"kind": "company", "name": "Impresa Alfa S.r.l.", "vat_number": "IT 0039 7130 584"}
    )
    form.is_valid()
    assert "vat_number" not in form.errors
    assert form.cleaned_data["vat_number"] == "00397130584"
