"""A form sent twice (a double click, the back button) or from a stale tab neither duplicates nor undoes."""

import pytest
from django.urls import reverse

from networks.constants import Role
from networks.models import Application, ApplicationMember
from networks.services.applications import application_member_remove
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    draft_application,
    post_polo_step,
    user_with_role,
)
from tests.helpers import page_without_tokens, submitted_unchanged

pytestmark = pytest.mark.django_db


def test_creating_the_same_draft_twice_opens_the_first_one(client, applicant):
    """The second click of a double click (or the form sent again) creates no second draft."""
    call = CallFactory()
    organisation = OrganisationFactory()
    organisation.representatives.add(applicant)
    client.force_login(applicant)
    data = {"call": call.pk, "organisation": organisation.pk, "name": "Polo della Meccatronica"}

    first = client.post(reverse("application_new"), data)
    second = client.post(reverse("application_new"), data, follow=True)

    application = Application.objects.get()
    assert first["Location"] == reverse("application_edit", args=[application.pk, "polo"])
    assert second.redirect_chain[0][0] == first["Location"]
    assert "La bozza «Polo della Meccatronica» esiste già" in second.content.decode()
    assert "Per un altro polo, crea la bozza con un nome diverso." in second.content.decode()
    again = client.post(
        reverse("application_new"), {**data, "name": "  polo della  MECCATRONICA "}, follow=True
    )
    assert "La bozza «Polo della Meccatronica» esiste già" in again.content.decode()
    assert Application.objects.count() == 1
    other = client.post(reverse("application_new"), {**data, "name": "Un altro polo"})
    assert other.status_code == 302
    assert Application.objects.count() == 2


@pytest.mark.parametrize(
    ("url_name", "form_id"), [("member_remove", "togli"), ("member_update", "aggiorna")]
)
def test_a_member_already_removed_leads_to_the_network_as_it_is(
    client, applicant, url_name, form_id
):
    """A second click on «Togli dalla rete», or a stale tab, says so instead of a 404 page."""
    application = draft_application(applicant)
    member = application.members.exclude(is_lead=True).first()
    client.force_login(applicant)
    stale = client.get(reverse("application_edit", args=[application.pk, "partner"]))
    removal, _inputs = submitted_unchanged(stale, f"togli-m{member.pk}")
    removed = client.post(reverse("member_remove", args=[application.pk, member.pk]), removal)
    assert removed.status_code == 302

    data, _inputs = submitted_unchanged(stale, f"{form_id}-m{member.pk}")
    response = client.post(reverse(url_name, args=[application.pk, member.pk]), data, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(
        reverse("application_edit", args=[application.pk, "partner"])
    )
    assert "non fa più parte della rete" in response.content.decode()


def test_a_stale_tab_is_told_of_a_partner_a_colleague_removed(client, applicant):
    """The answer rests on what this application's page showed, not on who removed the partner."""
    application = draft_application(applicant)
    colleague = user_with_role(Role.APPLICANT, "collega")
    application.applicant_organisation.representatives.add(colleague)
    member = application.members.exclude(is_lead=True).first()
    member_pk = member.pk
    client.force_login(applicant)
    stale = client.get(reverse("application_edit", args=[application.pk, "partner"]))
    application_member_remove(member=member, by=colleague)

    data, _inputs = submitted_unchanged(stale, f"aggiorna-m{member_pk}")
    response = client.post(
        reverse("member_update", args=[application.pk, member_pk]), data, follow=True
    )

    assert "non fa più parte della rete" in response.content.decode()


@pytest.mark.parametrize("url_name", ["member_remove", "member_update"])
def test_an_id_of_no_member_of_the_application_is_a_404_whether_or_not_it_exists_elsewhere(
    client, applicant, other_applicant, url_name
):
    """The friendly answer is no oracle: an id of another application's member and an id that
    names no member get the same 404, even sent with a token from the user's own page."""
    application = draft_application(applicant)
    elsewhere = draft_application(other_applicant).members.exclude(is_lead=True).first()
    nowhere = ApplicationMember.objects.order_by("-pk").first().pk + 1000
    own = application.members.exclude(is_lead=True).first()
    client.force_login(applicant)
    page = client.get(reverse("application_edit", args=[application.pk, "partner"]))
    genuine, _inputs = submitted_unchanged(page, f"togli-m{own.pk}")  # another member's token

    answers = {
        (member_pk, bool(sent)): client.post(
            reverse(url_name, args=[application.pk, member_pk]), sent
        )
        for member_pk in (elsewhere.pk, nowhere)
        for sent in ({}, genuine)
    }

    assert {response.status_code for response in answers.values()} == {404}
    assert len({page_without_tokens(response) for response in answers.values()}) == 1
    assert ApplicationMember.objects.filter(pk=elsewhere.pk).exists()
    assert application.members.filter(pk=own.pk).exists()


def test_a_stale_tab_does_not_undo_the_lead_chosen_in_another(client, applicant):
    """Changing a role in a tab opened before the lead moved keeps the new lead."""
    application = draft_application(applicant)
    old_lead = application.members.get(is_lead=True)
    new_lead = application.members.exclude(is_lead=True).first()
    client.force_login(applicant)
    stale = client.get(reverse("application_edit", args=[application.pk, "partner"]))
    rows = {row["member"].pk: row["form"] for row in stale.context["members"]}

    def as_shown(member, **changes):
        form = rows[member.pk]
        data = {form.add_prefix("role"): member.role, **changes}
        for name in ("is_lead", "lead_shown"):
            if form.initial.get(name):
                data[form.add_prefix(name)] = form[name].value()
        return data

    client.post(
        reverse("member_update", args=[application.pk, new_lead.pk]),
        {**as_shown(new_lead), f"m{new_lead.pk}-is_lead": "on"},
    )
    # The first tab, as it was, changes only the old lead's role, then the new lead's.
    client.post(
        reverse("member_update", args=[application.pk, old_lead.pk]),
        {**as_shown(old_lead), f"m{old_lead.pk}-role": "capofila uscente"},
    )
    client.post(
        reverse("member_update", args=[application.pk, new_lead.pk]),
        {**as_shown(new_lead), f"m{new_lead.pk}-role": "nuovo capofila"},
    )

    leads = list(application.members.filter(is_lead=True).values_list("pk", "role"))
    assert leads == [(new_lead.pk, "nuovo capofila")]
    old_lead.refresh_from_db()
    assert old_lead.role == "capofila uscente"


def test_unticking_the_lead_box_still_takes_the_lead_away(client, applicant):
    application = draft_application(applicant)
    lead = application.members.get(is_lead=True)
    client.force_login(applicant)

    client.post(
        reverse("member_update", args=[application.pk, lead.pk]),
        {f"m{lead.pk}-role": "capofila", f"m{lead.pk}-lead_shown": "True"},
    )

    lead.refresh_from_db()
    assert not lead.is_lead


def test_leaving_the_network_without_a_lead_partner_is_said_at_once(client, applicant):
    """Unticking «Capofila», or removing the lead, warns before the submission would refuse."""
    application = draft_application(applicant)
    lead = application.members.get(is_lead=True)
    partner = application.members.exclude(pk=lead.pk).first()
    client.force_login(applicant)
    warning = "La rete non ha più un capofila e la domanda non si può presentare così"

    untick = client.post(
        reverse("member_update", args=[application.pk, lead.pk]),
        {f"m{lead.pk}-role": lead.role, f"m{lead.pk}-lead_shown": "on"},
        follow=True,
    )
    assert not application.members.filter(is_lead=True).exists()
    assert warning in untick.content.decode()

    make_lead = client.post(
        reverse("member_update", args=[application.pk, partner.pk]),
        {f"m{partner.pk}-role": "", f"m{partner.pk}-is_lead": "on"},
        follow=True,
    )
    assert application.members.get(is_lead=True) == partner
    assert warning not in make_lead.content.decode()

    removed = client.post(reverse("member_remove", args=[application.pk, partner.pk]), follow=True)
    assert not application.members.filter(is_lead=True).exists()
    assert warning in removed.content.decode()


def test_an_area_retired_from_the_catalogue_is_named_at_its_field(client, applicant):
    """The list offers active areas only: the step says which one was chosen and why it is gone."""
    from networks.models import EconomicArea

    application = draft_application(applicant)
    EconomicArea.objects.filter(pk=application.area_id).update(active=False)
    client.force_login(applicant)
    page = client.get(reverse("application_edit", args=[application.pk, "polo"]))
    form = page.context["form"]
    assert form.fields["area"].help_text == (
        f"L&#x27;area scelta finora, «{application.area.name}», non è più attiva nel catalogo "
        "della Regione: con essa la domanda non si può presentare, scegline un&#x27;altra."
    )
    assert "non è più attiva nel catalogo" in page.content.decode()


def test_the_polo_step_saved_after_a_submission_in_another_tab_shows_what_it_held(
    client, applicant
):
    """The submission won; the text typed in the stale tab is shown to copy, not dropped."""
    from networks.services.workflow import application_submit

    application = draft_application(applicant)
    client.force_login(applicant)
    url = reverse("application_edit", args=[application.pk, "polo"])
    typed = "Una descrizione lunga,\nscritta nella scheda rimasta aperta."
    application_submit(application_id=application.pk, by=applicant)
    # The tab still holds the application as it was before the submission (its revision).
    response = post_polo_step(client, application, description=typed)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Quanto avevi scritto, non salvato" in page
    assert "Mentre scrivevi, la domanda è passata allo stato «Presentata»" in page
    assert "Una descrizione lunga,<br>scritta nella scheda rimasta aperta." in page
    application.refresh_from_db()
    assert application.description != typed
    # Nothing typed that differs: the usual redirect to the application's page.
    unchanged = client.post(url, {"name": application.name})
    assert unchanged.status_code == 302
