"""What the catalogue admin types keeps the catalogue, the registry and the open data consistent.

A study programme's validity and successor cannot contradict the offerings and
the chain already recorded; an organisation typed in the admin follows the
same input rules as the applicant's form (decisions 0004 and 0005).
"""

import pytest
from django.urls import reverse

from networks.models import Offering, Organisation, StudyProgramme
from tests.factories import OfferingFactory, OrganisationFactory, submitted_application
from tests.helpers import submitted_unchanged

pytestmark = pytest.mark.django_db


def _post_programme(client, programme, **changes):
    url = reverse("admin:networks_studyprogramme_change", args=[programme.pk])
    data, _inputs = submitted_unchanged(client.get(url), "studyprogramme_form")
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def test_a_validity_that_would_leave_offerings_outside_is_refused(client, catalogue_admin):
    client.force_login(catalogue_admin)
    school = OrganisationFactory(name="IIS Prova Validità")
    OfferingFactory(organisation=school, first_year=2015, last_year=None)  # IT-MME
    programme = StudyProgramme.objects.get(code="IT-MME")
    response = _post_programme(client, programme, valid_from="2016/17")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "IIS Prova Validità (2015/16–in corso)" in errors["valid_from"][0]
    response = _post_programme(client, programme, valid_to="2020/21")
    assert "resterebbero fuori" in response.context["adminform"].form.errors["valid_to"][0]
    programme.refresh_from_db()
    assert (programme.valid_from, programme.valid_to) == (2010, None)
    Offering.objects.get(organisation=school).full_clean()


def test_a_validity_that_still_covers_every_offering_is_saved(client, catalogue_admin):
    client.force_login(catalogue_admin)
    OfferingFactory(first_year=2015, last_year=2019)
    programme = StudyProgramme.objects.get(code="IT-MME")
    response = _post_programme(client, programme, valid_from="2012/13", valid_to="2019/20")
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.valid_from, programme.valid_to) == (2012, 2019)


def _submitted_without_registry_offerings(applicant, code: str = "IT-MME"):
    """Submit an application whose institutes offer ``code`` from 2015/16, then drop those offerings.

    What is left of them is in the frozen version only: the registry check cannot see them.
    """
    application = submitted_application(applicant)
    Offering.objects.filter(programme__code=code).delete()
    return application


def test_a_validity_that_would_leave_a_submitted_network_outside_is_refused(
    client, catalogue_admin, applicant
):
    application = _submitted_without_registry_offerings(applicant)
    client.force_login(catalogue_admin)
    programme = StudyProgramme.objects.get(code="IT-MME")
    response = _post_programme(client, programme, valid_from="2016/17")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["valid_from"] == [
        "Con questa validità resterebbero fuori offerte della rete presentata con 1 domanda "
        f"(protocollo {application.protocol_number}): una rete presentata non si può "
        "correggere, e i suoi dati aperti e la sua verifica non sarebbero più validi. Lascia la "
        "validità com'era; per non ammettere nuove offerte, disattiva l'indirizzo."
    ]
    # Closing the programme would leave its open-ended frozen offerings outside too.
    response = _post_programme(client, programme, valid_to="2030/31")
    assert list(response.context["adminform"].form.errors) == ["valid_to"]
    programme.refresh_from_db()
    assert (programme.valid_from, programme.valid_to) == (2010, None)


def test_the_submitted_applications_are_counted_and_named_by_protocol(
    client, catalogue_admin, applicant
):
    first = submitted_application(applicant)
    second = _submitted_without_registry_offerings(applicant)
    client.force_login(catalogue_admin)
    programme = StudyProgramme.objects.get(code="IT-MME")
    response = _post_programme(client, programme, valid_from="2016/17")
    (message,) = response.context["adminform"].form.errors["valid_from"]
    assert message.startswith(
        "Con questa validità resterebbero fuori offerte delle reti presentate con 2 domande "
        f"(protocolli {first.protocol_number}, {second.protocol_number}): "
    )


def test_both_the_registry_and_the_submitted_networks_are_reported(
    client, catalogue_admin, applicant
):
    submitted_application(applicant)
    client.force_login(catalogue_admin)
    programme = StudyProgramme.objects.get(code="IT-MME")
    response = _post_programme(client, programme, valid_from="2016/17")
    registry, versions = response.context["adminform"].form.errors["valid_from"]
    assert "offerte formative già registrate" in registry
    assert "della rete presentata con 1 domanda" in versions


def test_a_validity_that_still_covers_the_submitted_networks_is_saved(
    client, catalogue_admin, applicant
):
    _submitted_without_registry_offerings(applicant)
    client.force_login(catalogue_admin)
    programme = StudyProgramme.objects.get(code="IT-MME")
    response = _post_programme(client, programme, valid_from="2015/16")
    assert response.status_code == 302
    response = _post_programme(client, programme, valid_from="2010/11")
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.valid_from == 2010


def test_a_submitted_network_already_outside_the_validity_does_not_stop_other_changes(
    client, catalogue_admin, applicant
):
    """It was frozen before the check existed and nobody can correct it: only new damage counts."""
    _submitted_without_registry_offerings(applicant)
    StudyProgramme.objects.filter(code="IT-MME").update(valid_from=2016)
    client.force_login(catalogue_admin)
    programme = StudyProgramme.objects.get(code="IT-MME")
    response = _post_programme(
        client, programme, name="Meccanica, meccatronica ed energia (DPR 88)"
    )
    assert response.status_code == 302
    response = _post_programme(client, programme, valid_from="2017/18")
    assert response.status_code == 302  # the network was already outside it from 2016/17


def test_a_successor_that_would_close_a_loop_is_refused(client, catalogue_admin):
    client.force_login(catalogue_admin)
    new = StudyProgramme.objects.get(code="IP-MAT")
    old = StudyProgramme.objects.get(code="IPO-MAT")
    assert old.successor == new
    response = _post_programme(client, new, successor=str(old.pk))
    assert response.status_code == 200
    assert "tornerebbe indietro" in response.context["adminform"].form.errors["successor"][0]
    new.refresh_from_db()
    assert new.successor is None


def _company(**changes):
    data = {
        "kind": "company",
        "name": "Officina Meccanica Prova",
        "vat_number": "00397130584",
        "ateco_codes": "28.13",
        "ateco_edition": "2025",
        "chamber_registered": "on",
        "offerings-TOTAL_FORMS": "0",
        "offerings-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_admin_accepts_a_vat_number_as_people_type_it_and_stores_the_digits(
    client, catalogue_admin
):
    client.force_login(catalogue_admin)
    response = client.post(
        reverse("admin:networks_organisation_add"), _company(vat_number="IT 00397130584")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Organisation.objects.get(name="Officina Meccanica Prova").vat_number == "00397130584"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+39 Officina", "@Officina"])
def test_the_admin_refuses_a_name_a_spreadsheet_would_run(client, catalogue_admin, name):
    client.force_login(catalogue_admin)
    response = client.post(reverse("admin:networks_organisation_add"), _company(name=name))
    assert response.status_code == 200
    assert "aprono una formula" in response.content.decode()
    assert not Organisation.objects.filter(vat_number="00397130584").exists()


def test_the_kind_of_a_programme_in_use_is_not_changed(client, catalogue_admin, applicant):
    """An institute's tecnico programme made an ITS course would make the open data invalid
    and the rules count the members otherwise: refused, naming the uses."""
    application = submitted_application(applicant)
    client.force_login(catalogue_admin)
    programme = StudyProgramme.objects.get(code="IT-MME")
    response = _post_programme(client, programme, kind="its")
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["kind"]
    assert message.startswith("Il tipo di un indirizzo già in uso non si cambia: lo offr")
    assert f"lo cita la rete presentata con la domanda {application.protocol_number}" in message
    programme.refresh_from_db()
    assert programme.kind == "tecnico"


def test_the_kind_of_a_programme_named_only_by_a_submitted_network_is_not_changed(
    client, catalogue_admin, applicant
):
    _submitted_without_registry_offerings(applicant)
    client.force_login(catalogue_admin)
    programme = StudyProgramme.objects.get(code="IT-MME")
    (message,) = (
        _post_programme(client, programme, kind="its").context["adminform"].form.errors["kind"]
    )
    assert "lo offr" not in message
    assert "lo cita la rete presentata con la domanda" in message


def test_the_kind_of_a_programme_nobody_uses_may_be_corrected(client, catalogue_admin):
    client.force_login(catalogue_admin)
    programme = StudyProgramme.objects.get(code="IT-MME")
    programme.offerings.all().delete()
    assert _post_programme(client, programme, kind="professionale").status_code == 302
    programme.refresh_from_db()
    assert programme.kind == "professionale"
