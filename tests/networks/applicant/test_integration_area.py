"""While an application answers an integration request its area stays the one submitted."""

import json

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from eligibility.adapters import (
    NetworkInputError,
    application_queryset_for_evaluation,
    network_from_application,
)
from networks.constants import ApplicationStatus as S
from networks.models import Application, EconomicArea
from networks.services import applications as services
from tests.factories import draft_application, post_polo_step
from tests.procedure import bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(applicant: User, officer: User, manager: User) -> Application:
    """An application in area «meccanica» whose officer awaits integrations."""
    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    assert application.area.code == "meccanica"
    return application


def _network(application: Application) -> dict:
    fresh = application_queryset_for_evaluation(Application.objects.all()).get(pk=application.pk)
    return json.loads(json.dumps(network_from_application(fresh)))


def test_the_service_refuses_another_area_and_keeps_everything(awaiting, applicant):
    with pytest.raises(ValidationError, match="resta quella della domanda presentata"):
        services.application_update_details(
            application=awaiting,
            by=applicant,
            revision=awaiting.revision,
            data={"name": "Polo rinominato", "area": EconomicArea.objects.get(code="turismo")},
        )
    awaiting.refresh_from_db()
    assert (awaiting.name, awaiting.area.code) == ("Polo Meccatronica Lombardo", "meccanica")


def test_the_service_saves_the_other_details_with_the_same_area(awaiting, applicant):
    services.application_update_details(
        application=awaiting,
        by=applicant,
        revision=awaiting.revision,
        data={"name": "Polo rinominato", "area": awaiting.area},
    )
    awaiting.refresh_from_db()
    assert (awaiting.name, awaiting.area.code) == ("Polo rinominato", "meccanica")


def test_a_draft_may_still_change_its_area(applicant):
    application = draft_application(applicant)
    services.application_update_details(
        application=application,
        by=applicant,
        revision=application.revision,
        data={"area": EconomicArea.objects.get(code="turismo")},
    )
    application.refresh_from_db()
    assert application.area.code == "turismo"


def test_the_form_shows_the_area_fixed_and_a_posted_area_changes_nothing(
    client, awaiting, applicant
):
    client.force_login(applicant)
    url = reverse("application_edit", args=[awaiting.pk, "polo"])
    page = client.get(url).content.decode()
    select = page.split('<select name="area"')[1].split(">")[0]
    assert " disabled" in select
    assert "un polo di un&#x27;altra area è una domanda nuova" in page
    assert "Scegli l&#x27;area" not in page
    turismo = EconomicArea.objects.get(code="turismo")
    response = post_polo_step(client, awaiting, name="Polo rinominato", area=turismo.pk)
    assert "Dati del polo salvati." in response.content.decode()
    awaiting.refresh_from_db()
    assert (awaiting.name, awaiting.area.code) == ("Polo rinominato", "meccanica")


def test_an_area_retired_since_the_submission_does_not_block_the_answer(
    client, awaiting, applicant
):
    EconomicArea.objects.filter(pk=awaiting.area_id).update(active=False)
    client.force_login(applicant)
    response = post_polo_step(client, awaiting, name="Polo rinominato")
    assert "Dati del polo salvati." in response.content.decode()
    awaiting.refresh_from_db()
    assert (awaiting.name, awaiting.area.code) == ("Polo rinominato", "meccanica")


def test_an_imported_network_of_another_area_is_refused_with_the_reason(awaiting, applicant):
    document = _network(awaiting) | {"area": "turismo"}
    members_before = list(awaiting.members.values_list("pk", flat=True))
    with pytest.raises(NetworkInputError) as refused:
        services.application_import_network(application=awaiting, data=document, by=applicant)
    assert [error.path for error in refused.value.errors] == ["area"]
    assert "resta quella della domanda presentata («Meccanica»)" in str(refused.value)
    assert list(awaiting.members.values_list("pk", flat=True)) == members_before


def test_an_imported_network_of_the_same_area_is_taken(awaiting, applicant):
    document = _network(awaiting) | {"name": "Polo reimportato"}
    services.application_import_network(application=awaiting, data=document, by=applicant)
    awaiting.refresh_from_db()
    assert (awaiting.name, awaiting.area.code) == ("Polo reimportato", "meccanica")
