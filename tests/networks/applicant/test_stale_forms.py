"""A form sent twice (a double click, the back button) or from a stale tab neither duplicates nor undoes."""

import pytest
from django.urls import reverse

from networks.models import Application
from tests.factories import CallFactory, OrganisationFactory, draft_application

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
    other = client.post(reverse("application_new"), {**data, "name": "Un altro polo"})
    assert other.status_code == 302
    assert Application.objects.count() == 2


@pytest.mark.parametrize("url_name", ["member_remove", "member_update"])
def test_a_member_already_removed_leads_to_the_network_as_it_is(client, applicant, url_name):
    """A second click on «Togli dalla rete», or a stale tab, says so instead of a 404 page."""
    application = draft_application(applicant)
    member = application.members.exclude(is_lead=True).first()
    client.force_login(applicant)
    client.post(reverse("member_remove", args=[application.pk, member.pk]))

    response = client.post(
        reverse(url_name, args=[application.pk, member.pk]),
        {f"m{member.pk}-role": "sede dei laboratori"},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(
        reverse("application_edit", args=[application.pk, "partner"])
    )
    assert "non fa più parte della rete" in response.content.decode()


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
