"""Edges of the applicant's journey a QA pass found: a withdrawal while integrations are
prepared, a call that closed, the lead's role, stale tabs, second clicks, the import's
count and encodings, the names kept with what was set aside."""

import datetime
import html
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from networks.constants import ApplicationStatus as S
from networks.constants import DocumentKind, OrganisationKind
from networks.models import Application, Call
from networks.services import applications
from networks.services import workflow as services
from networks.views.applicant import member_shown_token
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    draft_application,
    pdf_upload,
    post_polo_step,
)
from tests.procedure import bring_to, edit_plan, expire_open_request

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "liguria-meccanica.json"


def text(response) -> str:
    """Return the page's visible words, one space between them."""
    body = re.sub(
        r"<script.*?</script>|<style.*?</style>", "", response.content.decode(), flags=re.S
    )
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_a_withdrawal_while_integrations_are_prepared_withdraws_what_was_filed(
    client, applicant, officer, manager
):
    """The unsent edits are set back, as when the review goes on without them, and kept."""
    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    edit_plan(application, applicant, name="Nome mai presentato")
    applications.document_upload(
        application=application,
        kind=DocumentKind.NETWORK_AGREEMENT,
        uploaded=pdf_upload("accordo-mai-inviato.pdf"),
        by=applicant,
    )
    client.force_login(applicant)
    page = text(
        client.post(
            reverse("application_withdraw", args=[application.pk]),
            {"text": "Rinunciamo."},
            follow=True,
        )
    )
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert application.name == application.versions.get().network["name"]
    assert "Nome mai presentato" not in page.split("Modifiche preparate e non inviate")[0]
    exported = json.loads(client.get(reverse("network_export", args=[application.pk])).content)
    assert exported["name"] == application.versions.get().network["name"]
    request = application.requests.get()
    assert request.unsent["network"]["name"] == "Nome mai presentato"
    kept = text(client.get(reverse("unsent_edits", args=[application.pk, request.pk])))
    assert "La domanda è stata ritirata il" in kept
    assert "accordo-mai-inviato.pdf" in kept
    note = application.events.get(action="withdraw").note
    assert note.startswith("Rinunciamo.")
    assert "Restano consultabili nella pagina della domanda" in note


def test_a_draft_on_a_closed_call_is_told_so_and_offered_no_button(client, applicant):
    application = draft_application(applicant)
    Call.objects.filter(pk=application.call_id).update(
        closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(applicant)
    step = client.get(reverse("application_edit", args=[application.pk, "invio"]))
    page = text(step)
    assert "si è chiuso il" in page
    assert "può essere presentata." not in page
    assert reverse("application_submit", args=[application.pk]) not in step.content.decode()
    detail = text(client.get(reverse("application_detail", args=[application.pk])))
    assert "domande fino al" in detail
    refused = text(client.post(reverse("application_submit", args=[application.pk]), follow=True))
    assert "si è chiuso il" in refused
    assert Application.objects.get(pk=application.pk).status == S.DRAFT


def test_integrations_are_sent_whatever_the_call_since(applicant, officer, manager):
    """The call's window is for filing: an answer to an integration request is not a filing."""
    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    Call.objects.filter(pk=application.call_id).update(
        closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    services.application_resubmit(application_id=application.pk, by=applicant, note="Fatto.")
    assert Application.objects.get(pk=application.pk).status == S.IN_REVIEW


def test_the_role_the_portal_wrote_for_the_lead_moves_with_the_lead(client, applicant):
    application = draft_application(applicant)
    first = application.members.get(is_lead=True)
    assert first.role == "capofila"
    other = (
        application.members.exclude(pk=first.pk)
        .filter(organisation__kind=OrganisationKind.INSTITUTE)
        .first()
    )
    prefix = f"m{other.pk}"
    client.force_login(applicant)
    client.post(
        reverse("member_update", args=[application.pk, other.pk]),
        {
            f"{prefix}-role": "",
            f"{prefix}-is_lead": "on",
            f"{prefix}-lead_shown": "",
            "member_shown": member_shown_token(application.pk, other.pk),
        },
    )
    first.refresh_from_db()
    other.refresh_from_db()
    assert (other.is_lead, other.role) == (True, "capofila")
    assert (first.is_lead, first.role) == (False, "")


def test_a_role_the_applicant_wrote_stays_when_the_lead_moves(applicant):
    application = draft_application(applicant)
    first = application.members.get(is_lead=True)
    applications.application_member_update(
        member=first, by=applicant, role="coordinamento dei laboratori", is_lead=True
    )
    other = application.members.exclude(pk=first.pk).first()
    applications.application_member_update(member=other, by=applicant, role="", is_lead=True)
    first.refresh_from_db()
    assert (first.is_lead, first.role) == (False, "coordinamento dei laboratori")


def test_a_declaration_for_a_company_removed_in_another_tab_is_told_so(client, applicant):
    application = draft_application(applicant, documents=False)
    company = application.members.filter(organisation__kind=OrganisationKind.COMPANY).first()
    client.force_login(applicant)
    page = client.get(reverse("application_edit", args=[application.pk, "documenti"]))
    token = member_shown_token(application.pk, company.pk)
    assert f'name="member_shown" value="{token}"' in page.content.decode()
    company_pk = company.pk
    applications.application_member_remove(member=company, by=applicant)
    response = client.post(
        reverse("document_upload", args=[application.pk]),
        {
            "kind": "commitment",
            "member": company_pk,
            "member_shown": token,
            "file": pdf_upload("impegno.pdf"),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "application_edit", args=[application.pk, "documenti"]
    )
    assert "Questo partner non fa più parte della rete" in text(response)
    assert not application.documents.filter(kind=DocumentKind.COMMITMENT).exists()


def test_a_second_click_on_save_says_it_was_saved(client, applicant):
    application = draft_application(applicant)
    client.force_login(applicant)
    post_polo_step(client, application, description="Nuova descrizione")
    second = text(post_polo_step(client, application, description="Nuova descrizione"))
    assert "non sono state salvate" not in second
    assert Application.objects.get(pk=application.pk).description == "Nuova descrizione"
    # Different words on a stale revision are still refused, and kept in the form.
    third = post_polo_step(client, application, description="Un'altra descrizione")
    assert "non sono state salvate" in text(third)
    assert "Un&#x27;altra descrizione" in third.content.decode()


def test_observations_sent_twice_are_said_to_have_gone_the_first_time(
    client, applicant, officer, manager
):
    application = bring_to(
        S.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    client.force_login(applicant)
    address = reverse("application_observations", args=[application.pk])
    client.post(address, {"text": "Le imprese ci sono."})
    again = text(client.post(address, {"text": "Le imprese ci sono."}, follow=True))
    assert "l'hai già eseguita il" in again
    assert "non è possibile per una domanda" not in again
    assert application.requests.get().answer == "Le imprese ci sono."


def test_the_import_counts_the_network_as_it_is_and_names_the_applicant_kept(client, applicant):
    application = draft_application(applicant)
    data = json.loads(DEMO.read_text())
    client.force_login(applicant)
    upload = SimpleUploadedFile("rete.json", json.dumps(data).encode(), "application/json")
    page = text(
        client.post(reverse("network_import", args=[application.pk]), {"file": upload}, follow=True)
    )
    count = application.members.count()
    assert count == len(data["members"]) + 1
    assert f"Rete importata: {count} membri." in page
    assert (
        f"{application.applicant_organisation.name} presenta la domanda e resta nella rete" in page
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_network_file_is_asked_again_in_utf8(client, applicant, encoding):
    application = draft_application(applicant)
    client.force_login(applicant)
    content = DEMO.read_text().encode(encoding)
    upload = SimpleUploadedFile("rete.json", content, "application/json")
    page = text(client.post(reverse("network_import", args=[application.pk]), {"file": upload}))
    assert "Il file non è in UTF-8" in page
    assert "binario" not in page


def test_what_was_set_aside_keeps_the_company_a_declaration_was_for(
    client, applicant, officer, manager
):
    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    company = OrganisationFactory(company=True, name="Nuova Impresa Meccanica S.r.l.")
    member = applications.application_member_add(
        application=application, organisation=company, by=applicant
    )
    applications.document_upload(
        application=application,
        kind=DocumentKind.COMMITMENT,
        uploaded=pdf_upload("impegno-nuova.pdf"),
        by=applicant,
        member=member,
    )
    expire_open_request(application)
    services.application_resume_review(application_id=application.pk, by=officer)
    client.force_login(applicant)
    page = text(
        client.get(reverse("unsent_edits", args=[application.pk, application.requests.get().pk]))
    )
    documents = page[page.index("Documenti caricati e non inviati") :]
    assert "Nuova Impresa Meccanica S.r.l.: impegno-nuova.pdf" in documents


def test_a_call_closed_since_the_form_was_shown_is_named(client, applicant):
    organisation = OrganisationFactory()
    organisation.representatives.add(applicant)
    closed = CallFactory(closed=True)
    CallFactory()
    client.force_login(applicant)
    response = client.post(
        reverse("application_new"),
        {"call": closed.pk, "organisation": organisation.pk, "name": "Polo A"},
    )
    page = text(response)
    assert f"L'avviso «{closed.title}» non accetta più domande: si è chiuso il" in page
    assert "Polo A" in response.content.decode()  # the name typed is kept


def test_a_withdrawal_says_nothing_of_a_review_that_does_not_follow(applicant, officer, manager):
    """A registry record corrected since the filing makes the portal's network differ from
    the version: the note of a resumed review says the review reads the version; a
    withdrawal's does not, as nothing follows it."""
    from networks.models import Organisation

    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    member = application.members.exclude(is_lead=True).first()
    Organisation.objects.filter(pk=member.organisation_id).update(name="Nome corretto")
    edit_plan(application, applicant, description="Testo preparato.")
    services.application_withdraw(application_id=application.pk, by=applicant, reason="Basta.")
    note = application.events.get(action="withdraw").note
    assert "tornano quelli della versione 1" in note
    assert "l'istruttoria prosegue" not in note


def test_without_the_versions_filed_state_only_the_texts_are_set_aside(
    client, applicant, officer, manager
):
    """A version filed before its composition was kept sets back the texts only: the members
    added stay in the application, and the page does not list them as set aside."""
    from networks.models import ApplicationVersion

    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    ApplicationVersion.objects.filter(application=application).update(filed_state={})
    edit_plan(application, applicant, description="Testo preparato mai inviato.")
    added = applications.application_member_add(
        application=application, organisation=OrganisationFactory(university=True), by=applicant
    )
    expire_open_request(application)
    services.application_resume_review(application_id=application.pk, by=officer)
    assert application.members.filter(pk=added.pk).exists()
    lapsed = application.requests.get()
    assert "network" not in lapsed.unsent
    client.force_login(applicant)
    page = text(client.get(reverse("unsent_edits", args=[application.pk, lapsed.pk])))
    assert "Entra nella rete" not in page
    assert "Nessuna modifica alla rete o ai dati del polo." in page
    assert "Testo preparato mai inviato." in page


def test_a_closed_call_is_said_even_before_an_area_is_chosen(client, applicant):
    application = draft_application(applicant)
    Application.objects.filter(pk=application.pk).update(area=None)
    Call.objects.filter(pk=application.call_id).update(
        closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(applicant)
    page = client.get(reverse("application_edit", args=[application.pk, "invio"])).content.decode()
    start = page.index('id="avviso-chiuso"')
    assert "si è chiuso il" in page[start : page.index("</div>", start)]


def test_a_call_whose_opening_was_moved_later_says_when_it_opens(client, applicant):
    application = draft_application(applicant)
    Call.objects.filter(pk=application.call_id).update(
        opens_at=timezone.now() + datetime.timedelta(days=2),
        closes_at=timezone.now() + datetime.timedelta(days=30),
    )
    client.force_login(applicant)
    step = text(client.get(reverse("application_edit", args=[application.pk, "invio"])))
    assert "non è ancora aperto: la domanda si potrà presentare dal" in step
    refused = text(client.post(reverse("application_submit", args=[application.pk]), follow=True))
    assert "non è ancora aperto" in refused
    assert "si è chiuso" not in refused
    assert Application.objects.get(pk=application.pk).status == S.DRAFT


def test_a_withdrawal_sent_twice_says_it_went_the_first_time(client, applicant, officer, manager):
    application = bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)
    client.force_login(applicant)
    address = reverse("application_withdraw", args=[application.pk])
    client.post(address, {"text": "Rinunciamo."})
    again = text(client.post(address, {"text": "Rinunciamo."}, follow=True))
    assert "l'hai già eseguita il" in again
    assert application.events.filter(action="withdraw").count() == 1


def test_texts_a_set_back_did_not_touch_are_not_listed_as_set_aside(
    client, applicant, officer, manager
):
    """A version filed before the plan was kept restores no text: the applicant's texts are
    still theirs, and the page lists only the member the set-back took away."""
    from networks.models import ApplicationVersion

    application = bring_to(
        S.INTEGRATION_REQUESTED, applicant=applicant, officer=officer, manager=manager
    )
    ApplicationVersion.objects.filter(application=application).update(details={})
    added = applications.application_member_add(
        application=application, organisation=OrganisationFactory(university=True), by=applicant
    )
    expire_open_request(application)
    services.application_resume_review(application_id=application.pk, by=officer)
    lapsed = application.requests.get()
    assert lapsed.unsent["details"] == {}
    client.force_login(applicant)
    page = text(client.get(reverse("unsent_edits", args=[application.pk, lapsed.pk])))
    assert f"Entra nella rete: {added.organisation.name}" in page
    assert "Nessun testo diverso da quelli della versione presentata." in page
