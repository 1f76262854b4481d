"""A form sent after the session ended (expired, or logged out in another tab) is not lost silently."""

import pytest
from django.urls import reverse

from networks.models import Application
from tests.factories import PASSWORD, application_in_review, draft_application

pytestmark = pytest.mark.django_db


def _log_in_again(client, username: str, location: str):
    """Follow the redirect to the login page and log in from it, as the user would."""
    login_page = client.get(location)
    assert login_page.status_code == 200
    assert "La sessione è scaduta" in login_page.content.decode()
    next_url = login_page.context["next"]
    return client.post(
        reverse("login"), {"username": username, "password": PASSWORD, "next": next_url}
    )


def test_details_typed_before_the_session_ended_come_back_after_the_login(client, applicant):
    """Keeps the polo's details as typed, unsaved, and saves them only when the user does."""
    application = draft_application(applicant)
    url = reverse("application_edit", args=[application.pk, "polo"])
    client.force_login(applicant)
    data = {
        "name": application.name,
        "area": application.area_id,
        "description": "Il piano delle attività scritto in un'ora di lavoro.",
        "contact_name": "Mario Rossi",
        "contact_email": "referente@example.org",
        "revision": application.revision,
        "save": "",
    }
    client.post(reverse("logout"))  # another tab

    response = client.post(url, data, HTTP_REFERER=f"http://testserver{url}")

    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).description != data["description"]
    logged_in = _log_in_again(client, "richiedente", response["Location"])
    assert logged_in["Location"] == url
    page = client.get(url)
    html = page.content.decode()
    assert "non ancora salvato: controllalo e salva" in html
    assert "Il piano delle attività scritto in un&#x27;ora di lavoro." in html
    assert Application.objects.get(pk=application.pk).description != data["description"]
    assert page.context["form"].data["revision"] == str(application.revision)
    assert client.post(url, page.context["form"].data).status_code == 302
    assert Application.objects.get(pk=application.pk).description == data["description"]
    # Shown once: the next visit shows what is saved.
    assert "non ancora salvato" not in client.get(url).content.decode()


def test_a_form_sent_to_an_action_address_leads_back_to_its_page_after_the_login(client, applicant):
    """Says the member was not removed and returns to the partner step, not to a 405 page."""
    application = draft_application(applicant)
    member = application.members.exclude(organisation=application.applicant_organisation).first()
    page = reverse("application_edit", args=[application.pk, "partner"])

    response = client.post(
        reverse("member_remove", args=[application.pk, member.pk]),
        HTTP_REFERER=f"http://testserver{page}",
    )

    assert response.status_code == 302
    logged_in = _log_in_again(client, "richiedente", response["Location"])
    assert logged_in["Location"] == page
    assert client.get(page).status_code == 200
    assert application.members.filter(pk=member.pk).exists()


def test_an_officer_whose_session_ended_is_taken_back_to_the_application(
    client, applicant, officer
):
    application = application_in_review(applicant, officer)
    page = reverse("review_detail", args=[application.pk])

    response = client.post(
        reverse("review_action", args=[application.pk, "request_integration"]),
        {"request_integration-text": "Manca l'accordo firmato."},
        HTTP_REFERER=f"http://testserver{page}",
    )

    logged_in = _log_in_again(client, "istruttore", response["Location"])
    assert logged_in["Location"] == page


def test_an_officers_unsent_notice_comes_back_on_the_application_page(client, applicant, officer):
    """A long text typed into an action's form is shown again bound, not sent, after the login."""
    application = application_in_review(applicant, officer)
    page = reverse("review_detail", args=[application.pk])
    text = "Manca l'accordo di rete firmato da tutti i partner: allegalo, con le firme digitali."

    response = client.post(
        reverse("review_action", args=[application.pk, "request_integration"]),
        {"request_integration-text": text},
        HTTP_REFERER=f"http://testserver{page}",
    )

    assert _log_in_again(client, "istruttore", response["Location"])["Location"] == page
    html = client.get(page).content.decode()
    assert "non ancora inviato: controllalo e invialo di nuovo" in html
    assert "Manca l&#x27;accordo di rete firmato da tutti i partner" in html
    assert application.requests.count() == 0  # shown again, never sent by itself
    assert "non ancora inviato" not in client.get(page).content.decode()  # once


def test_an_officers_unsaved_note_comes_back_too(client, applicant, officer):
    application = application_in_review(applicant, officer)
    page = reverse("review_detail", args=[application.pk])

    response = client.post(
        reverse("review_note_add", args=[application.pk]),
        {"note-text": "Sentito il dirigente: attendere la visura camerale."},
        HTTP_REFERER=f"http://testserver{page}",
    )

    _log_in_again(client, "istruttore", response["Location"])
    html = client.get(page).content.decode()
    assert "Sentito il dirigente: attendere la visura camerale." in html
    assert not application.officer_notes.exists()


def test_a_form_of_another_application_is_not_shown_on_this_one(client, applicant, officer):
    """The kept form names its own application: on another's page it is not bound."""
    first = application_in_review(applicant, officer)
    second = application_in_review(applicant, officer)
    page = reverse("review_detail", args=[second.pk])

    client.post(
        reverse("review_action", args=[first.pk, "request_integration"]),
        {"request_integration-text": "Testo per la prima domanda."},
        HTTP_REFERER=f"http://testserver{page}",
    )
    client.force_login(officer)

    assert "Testo per la prima domanda." not in client.get(page).content.decode()


def test_an_applicants_unsent_observations_come_back(client, applicant, officer, manager):
    """The text of the observations on a 10-bis notice is shown again, not sent; files are not."""
    from networks.constants import ApplicationStatus
    from tests.procedure import bring_to

    application = bring_to(
        ApplicationStatus.REJECTION_NOTICE, applicant=applicant, officer=officer, manager=manager
    )
    page = reverse("application_detail", args=[application.pk])

    response = client.post(
        reverse("application_observations", args=[application.pk]),
        {"text": "L'impresa Rossi è iscritta alla CCIAA dal 2019: allego la visura."},
        HTTP_REFERER=f"http://testserver{page}",
    )

    assert _log_in_again(client, "richiedente", response["Location"])["Location"] == page
    html = client.get(page).content.decode()
    assert "Il testo è conservato: scegli di nuovo i file da allegare." in html
    assert "L&#x27;impresa Rossi è iscritta alla CCIAA dal 2019" in html
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTION_NOTICE
    assert application.requests.get().closed_at is None  # the notice is still unanswered


def test_a_referer_from_another_site_is_not_followed(client, applicant):
    application = draft_application(applicant)
    member = application.members.exclude(organisation=application.applicant_organisation).first()

    response = client.post(
        reverse("member_remove", args=[application.pk, member.pk]),
        HTTP_REFERER="https://example.com/domande/",
    )

    logged_in = _log_in_again(client, "richiedente", response["Location"])
    assert logged_in["Location"] == reverse("home")


def test_an_oversized_form_is_not_kept_in_an_anonymous_session(client, applicant):
    """The message still says nothing was saved; the session holds none of the input."""
    from networks.views.sessions import UNSAVED_KEY, UNSAVED_MAX_CHARS

    application = draft_application(applicant)
    url = reverse("application_edit", args=[application.pk, "polo"])
    data = {"name": application.name, "description": "x" * (UNSAVED_MAX_CHARS + 1)}

    response = client.post(url, data, HTTP_REFERER=f"http://testserver{url}")

    assert response.status_code == 302
    assert UNSAVED_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "La sessione è scaduta" in page
    assert "troppo lungo per tenerlo fino al nuovo accesso" in page
    assert "copia il testo che hai scritto" in page


def test_the_polo_step_at_its_longest_in_accented_italian_is_kept(client, applicant):
    """Six texts at their 10,000-character limit, many letters accented: all come back."""
    from networks.services.applications import DETAIL_TEXT_FIELDS, DETAIL_TEXT_MAX
    from networks.views.sessions import UNSAVED_KEY

    application = draft_application(applicant)
    url = reverse("application_edit", args=[application.pk, "polo"])
    texts = {
        name: (f"{index}: attività già svolte, perché è così " * 300)[:DETAIL_TEXT_MAX]
        for index, name in enumerate(DETAIL_TEXT_FIELDS)
    }
    data = {"name": application.name, "area": application.area.code, **texts}

    response = client.post(url, data, HTTP_REFERER=f"http://testserver{url}")

    assert response.status_code == 302
    kept = client.session[UNSAVED_KEY]["data"]
    assert all(kept[name] == [text] for name, text in texts.items())
    page = client.get(response["Location"]).content.decode()
    assert "troppo lungo" not in page


def test_a_form_of_characters_beyond_ascii_is_measured_as_the_session_stores_it(client, applicant):
    """Under the limit in characters, but several times it as stored: not kept either."""
    from django.contrib.sessions.models import Session

    from networks.views.sessions import UNSAVED_KEY, UNSAVED_MAX_CHARS

    application = draft_application(applicant)
    url = reverse("application_edit", args=[application.pk, "polo"])
    # Characters that neither JSON (12 characters each) nor zlib make small.
    description = "".join(chr(0x10000 + (index * 7919) % 0xFFFFF) for index in range(60_000))
    assert len(description) < UNSAVED_MAX_CHARS

    response = client.post(
        url, {"description": description}, HTTP_REFERER=f"http://testserver{url}"
    )

    assert response.status_code == 302
    assert UNSAVED_KEY not in client.session
    assert all(len(row.session_data) < 4 * UNSAVED_MAX_CHARS for row in Session.objects.all())


def _sent_after_logout(client, application, step: str, action: str, data: dict):
    """Send ``data`` to ``action`` from ``step`` with no session, log in again, open the step."""
    page = reverse("application_edit", args=[application.pk, step])
    response = client.post(action, data, HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 302
    assert _log_in_again(client, "richiedente", response["Location"])["Location"] == page
    return client.get(page)


def test_a_new_organisation_typed_before_the_session_ended_comes_back_open_and_unsaved(
    client, applicant
):
    """The registration form is shown again, open, as typed; it registers only when sent."""
    from networks.models import Organisation

    application = draft_application(applicant)
    data = {
        "kind": "company",
        "name": "Officina Nuova di Precisione",
        "province": "MI",
        "city": "Milano",
        "vat_number": "01114601006",
        "ateco_codes": "28.13",
        "ateco_edition": "2025",
        "chamber_registered": "on",
    }
    action = reverse("organisation_register", args=[application.pk])

    page = _sent_after_logout(client, application, "partner", action, data)

    html = page.content.decode()
    assert not Organisation.objects.filter(name=data["name"]).exists()
    assert "non ancora salvato: controllalo e salva" in html
    assert 'id="nuova-organizzazione" open' in html
    assert 'value="Officina Nuova di Precisione"' in html
    form = page.context["register_form"]
    assert form.is_valid(), form.errors
    assert client.post(action, form.data).status_code == 302
    assert application.members.filter(organisation__name=data["name"]).exists()
    assert (
        'id="nuova-organizzazione" open'
        not in client.get(page.request["PATH_INFO"]).content.decode()
    )


def test_a_members_role_and_an_offering_typed_before_the_session_ended_come_back(client, applicant):
    """Each form comes back under its own member, bound; nothing is saved by itself."""
    from networks.constants import OrganisationKind
    from networks.models import StudyProgramme

    application = draft_application(applicant)
    member = application.members.exclude(organisation=application.applicant_organisation).first()
    school = application.members.filter(organisation__kind=OrganisationKind.INSTITUTE).first()
    programme = StudyProgramme.objects.filter(active=True).first()
    role_action = reverse("member_update", args=[application.pk, member.pk])

    page = _sent_after_logout(
        client, application, "partner", role_action, {f"m{member.pk}-role": "Sede dei laboratori"}
    )

    rows = {row["member"].pk: row for row in page.context["members"]}
    assert rows[member.pk]["form"].data[f"m{member.pk}-role"] == "Sede dei laboratori"
    assert not any(row["form"].is_bound for pk, row in rows.items() if pk != member.pk)
    assert 'value="Sede dei laboratori"' in page.content.decode()
    member.refresh_from_db()
    assert member.role != "Sede dei laboratori"

    prefix = f"o{school.organisation_id}"
    offerings_before = school.organisation.offerings.count()
    offering_action = reverse("offering_add", args=[application.pk, school.organisation_id])
    client.post(reverse("logout"))
    page = _sent_after_logout(
        client,
        application,
        "partner",
        offering_action,
        {f"{prefix}-programme": programme.pk, f"{prefix}-first_year": "2019/20"},
    )

    row = {row["member"].pk: row for row in page.context["members"]}[school.pk]
    assert row["offering_form"].is_valid(), row["offering_form"].errors
    assert "non ancora salvato: controllalo e salva" in page.content.decode()
    assert '<details class="mt-2" open>' in page.content.decode()
    assert school.organisation.offerings.count() == offerings_before


def test_a_form_of_a_member_that_left_the_network_is_not_bound_to_another(client, applicant):
    application = draft_application(applicant)
    member = application.members.exclude(organisation=application.applicant_organisation).first()
    role_action = reverse("member_update", args=[application.pk, member.pk])
    from networks.services.applications import application_member_remove

    application_member_remove(member=member, by=applicant)

    page = _sent_after_logout(
        client, application, "partner", role_action, {f"m{member.pk}-role": "Sede dei laboratori"}
    )

    assert not any(row["form"].is_bound for row in page.context["members"])
    assert "Sede dei laboratori" not in page.content.decode()


def test_a_file_sent_after_the_session_ended_is_asked_for_again(client, applicant):
    """Documents and the network file: the step says the file was not uploaded, choose it again."""
    application = draft_application(applicant, documents=False)
    before = application.documents.count()

    page = _sent_after_logout(
        client,
        application,
        "documenti",
        reverse("document_upload", args=[application.pk]),
        {"kind": "network_agreement"},
    )

    assert "non è stato caricato: sceglilo di nuovo" in page.content.decode()
    assert application.documents.count() == before
    client.post(reverse("logout"))
    page = _sent_after_logout(
        client, application, "partner", reverse("network_import", args=[application.pk]), {}
    )
    assert "non è stato caricato: sceglilo di nuovo" in page.content.decode()


def test_the_note_sent_with_the_integrations_comes_back_unsent(client, applicant, officer, manager):
    from networks.constants import ApplicationStatus
    from tests.procedure import bring_to

    application = bring_to(
        ApplicationStatus.INTEGRATION_REQUESTED,
        applicant=applicant,
        officer=officer,
        manager=manager,
    )
    note = "Ho aggiunto l'accordo di rete firmato da tutti i partner e la visura dell'impresa."

    page = _sent_after_logout(
        client,
        application,
        "invio",
        reverse("application_submit", args=[application.pk]),
        {"text": note},
    )

    html = page.content.decode()
    assert "non ancora inviato: controllalo e invialo di nuovo" in html
    assert "Ho aggiunto l&#x27;accordo di rete firmato da tutti i partner" in html
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTEGRATION_REQUESTED
