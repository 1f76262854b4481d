"""An applicant changes only the registry records that are theirs to change.

The organisation registry is shared by every application. A network file that
names another applicant's organisation, or a school that is in someone else's
network, joins that record to the network as registered: the file does not
rename it or replace its offerings. The offering forms refuse the same records.
"""

import json

import pytest
from django.urls import reverse

from networks.models import Offering, Organisation, StudyProgramme
from networks.selectors import organisations_editable_by
from tests.factories import OfferingFactory, OrganisationFactory, draft_application, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def others_draft(other_applicant):
    """A draft of another applicant organisation, with its own lead and partners."""
    return draft_application(other_applicant)


def import_file(client, application, data: dict):
    return client.post(
        reverse("network_import", args=[application.pk]),
        {"file": pdf_upload("rete.json", json.dumps(data).encode())},
        follow=True,
    )


def exported(client, application) -> dict:
    return client.get(reverse("network_export", args=[application.pk])).json()


def test_a_network_file_cannot_rename_another_applicants_organisation(
    client, applicant, others_draft
):
    mine = draft_application(applicant)
    theirs = others_draft.applicant_organisation
    partner = others_draft.members.exclude(organisation=theirs).first().organisation
    client.force_login(applicant)
    data = exported(client, mine)
    data["members"] += [
        {
            "key": "intruso",
            "kind": "institute",
            "name": f"{theirs.name} MODIFICATO",
            "school_code": theirs.school_code,
            "status": "non_paritaria",
            "offerings": [],
        },
        {
            "key": "partner",
            "kind": partner.kind,
            "name": "Nome cambiato da un altro richiedente",
            **(
                {"school_code": partner.school_code, "status": "statale", "offerings": []}
                if partner.school_code
                else {"vat_number": partner.vat_number, "ateco": ["01.11"]}
            ),
        },
    ]
    offerings_before = list(theirs.offerings.values_list("pk", flat=True))
    response = import_file(client, mine, data)
    html = response.content.decode()
    assert "Rete importata" in html
    assert "Restano con i dati dell&#x27;anagrafe, che il file non può modificare" in html
    theirs.refresh_from_db()
    partner.refresh_from_db()
    assert not theirs.name.endswith("MODIFICATO")
    assert theirs.school_status != "non_paritaria"
    assert list(theirs.offerings.values_list("pk", flat=True)) == offerings_before
    assert partner.name != "Nome cambiato da un altro richiedente"
    assert mine.members.filter(organisation=theirs).exists()
    assert mine.members.filter(organisation=partner).exists()


def test_a_network_file_still_updates_a_record_nobody_else_uses(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    data = exported(client, application)
    company = next(m for m in data["members"] if m["kind"] == "company")
    company["name"] = "Nuova Denominazione S.r.l."
    response = import_file(client, application, data)
    messages = [str(message) for message in response.context["messages"]]
    assert Organisation.objects.get(vat_number=company["vat_number"]).name == (
        "Nuova Denominazione S.r.l."
    )
    assert [m for m in messages if "hanno ora i dati del file" in m] == [
        "Nell'anagrafe, che vale per ogni domanda in cui l'organizzazione compare, hanno ora "
        "i dati del file (offerta formativa e soci fondatori compresi): Nuova Denominazione "
        "S.r.l."
    ]
    assert not [m for m in messages if "Restano con i dati dell'anagrafe" in m]


def test_an_import_names_the_registry_records_whose_offerings_it_replaced(client, applicant):
    """Offerings are the registry's: a file that drops one says whose it changed."""
    application = draft_application(applicant)
    client.force_login(applicant)
    data = exported(client, application)
    unchanged = [str(m) for m in import_file(client, application, data).context["messages"]]
    assert not [m for m in unchanged if "hanno ora i dati del file" in m]
    school = next(m for m in data["members"] if m["kind"] == "institute" and m["offerings"])
    record = Organisation.objects.get(school_code=school["school_code"])
    school["offerings"] = []
    response = import_file(client, application, data)
    messages = [str(m) for m in response.context["messages"]]
    [updated] = [m for m in messages if "hanno ora i dati del file" in m]
    assert updated.endswith(f"compresi): {school['name']}.")
    assert not record.offerings.exists()


def test_offerings_of_a_school_in_another_applicants_network_cannot_be_removed(
    client, applicant, others_draft
):
    school = OrganisationFactory()
    offering = OfferingFactory(
        organisation=school, programme=StudyProgramme.objects.get(code="IT-MME"), first_year=2015
    )
    others_draft.members.create(organisation=school, key="scuola-condivisa", position=90)
    mine = draft_application(applicant)
    mine.members.create(organisation=school, key="scuola-condivisa", position=90)
    client.force_login(applicant)
    page = client.get(reverse("application_edit", args=[mine.pk, "partner"])).content.decode()
    remove_url = reverse("offering_remove", args=[mine.pk, school.pk, offering.pk])
    assert remove_url not in page
    assert "la si corregge scrivendo alla Regione" in page
    response = client.post(remove_url, follow=True)
    assert "non si possono modificare da questa domanda" in response.content.decode()
    assert Offering.objects.filter(pk=offering.pk).exists()
    response = client.post(
        reverse("offering_add", args=[mine.pk, school.pk]),
        {
            f"o{school.pk}-programme": StudyProgramme.objects.get(code="IT-MME").pk,
            f"o{school.pk}-first_year": "2019/20",
        },
        follow=True,
    )
    assert "non si possono modificare da questa domanda" in response.content.decode()
    assert school.offerings.count() == 1


def test_who_may_change_which_record(applicant, other_applicant, others_draft):
    mine = draft_application(applicant)
    own = mine.applicant_organisation
    only_mine = mine.members.exclude(organisation=own).first().organisation
    theirs = others_draft.applicant_organisation
    shared = OrganisationFactory()
    mine.members.create(organisation=shared, key="condivisa", position=90)
    others_draft.members.create(organisation=shared, key="condivisa", position=90)
    unused = OrganisationFactory()
    candidates = [own, only_mine, theirs, shared, unused]
    assert organisations_editable_by(applicant, candidates) == {own.pk, only_mine.pk, unused.pk}
    assert organisations_editable_by(other_applicant, candidates) == {theirs.pk, unused.pk}


def test_an_import_without_a_lead_partner_says_the_network_has_none(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    data = exported(client, application)
    del data["lead_partner"]
    messages = [str(m) for m in import_file(client, application, data).context["messages"]]
    assert not application.members.filter(is_lead=True).exists()
    assert any(m.startswith("La rete non ha più un capofila") for m in messages)
