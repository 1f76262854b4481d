"""Control characters (a pasted U+0001, an escape, a C1 byte) never reach what the portal keeps.

The network file format refuses them, so a name the forms accepted with one would
come back from the applicant's own export as a file the portal refuses.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from networks.models import OfficerNote, Organisation
from networks.validators import validate_long_text, validate_plain_name, validate_plain_text
from tests.factories import (
    company_registration,
    draft_application,
    post_polo_step,
    submitted_application,
)

CONTROLS = ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"]


@pytest.mark.parametrize("character", CONTROLS)
def test_one_line_texts_refuse_control_characters(character: str) -> None:
    for validate in (validate_plain_name, validate_plain_text):
        with pytest.raises(ValidationError) as refused:
            validate(f"Polo{character}Meccatronica")
        assert refused.value.code == "hidden"
        assert "carattere di controllo" in refused.value.messages[0]


@pytest.mark.parametrize("character", CONTROLS)
def test_texts_of_several_lines_refuse_control_characters_and_say_which(character: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_long_text(f"Prima riga.\r\nSeconda{character} riga.")
    assert refused.value.code == "control"
    assert (
        f"(U+{ord(character):04X}) alla riga 2, subito dopo «Seconda»"
        in (refused.value.messages[0])
    )


def test_the_message_finds_a_control_character_at_the_start_of_a_line() -> None:
    with pytest.raises(ValidationError, match=r"\(U\+0001\) all'inizio della riga 3"):
        validate_long_text("Uno.\nDue.\n\x01Tre.")


def test_texts_of_several_lines_keep_their_line_breaks_and_tabs() -> None:
    assert validate_long_text("Prima riga.\r\nSeconda riga.\n\tRientrata; «àèìòù» €.") is None


@pytest.mark.django_db
def test_the_polo_step_refuses_a_name_with_a_control_character_and_keeps_the_rest(
    client, applicant
) -> None:
    application = draft_application(applicant)
    client.force_login(applicant)
    response = post_polo_step(
        client,
        application,
        name="Polo\x01Meccatronica",
        description="Una descrizione nuova, da non perdere.",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "carattere di controllo" in page
    assert "Una descrizione nuova, da non perdere." in page
    application.refresh_from_db()
    assert application.name == "Polo Meccatronica Lombardo"


@pytest.mark.django_db
def test_a_description_with_a_control_character_is_refused(client, applicant) -> None:
    application = draft_application(applicant)
    client.force_login(applicant)
    response = post_polo_step(
        client, application, name="Polo rinominato", description="Rete\x1b[31m rossa."
    )
    assert response.status_code == 200
    assert "(U+001B)" in response.content.decode()
    application.refresh_from_db()
    assert application.name == "Polo Meccatronica Lombardo"


@pytest.mark.django_db
def test_the_registry_refuses_an_organisation_name_with_a_control_character(
    client, applicant
) -> None:
    application = draft_application(applicant)
    client.force_login(applicant)
    before = Organisation.objects.count()
    response = client.post(
        reverse("organisation_register", args=[application.pk]),
        company_registration(name="Officina\x01Valida S.r.l."),
        follow=True,
    )
    assert "carattere di controllo" in response.content.decode()
    assert "Sesto San Giovanni" in response.content.decode()
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_an_officer_note_refuses_a_control_character_and_keeps_line_breaks(
    client, applicant, officer
) -> None:
    application = submitted_application(applicant)
    client.force_login(officer)
    url = reverse("review_note_add", args=[application.pk])
    response = client.post(url, {"note-text": "Sentito\x0cil referente."})
    assert response.status_code == 200
    assert "(U+000C)" in response.content.decode()
    assert not OfficerNote.objects.exists()
    assert (
        client.post(url, {"note-text": "Sentito il referente.\r\nRichiamare."}).status_code == 302
    )
    assert OfficerNote.objects.get().text.splitlines() == ["Sentito il referente.", "Richiamare."]


@pytest.mark.django_db
def test_a_nul_character_is_told_once_with_where_it_is(client, applicant) -> None:
    """The portal's message says where U+0000 is; Django's own check adds no second one."""
    application = draft_application(applicant)
    client.force_login(applicant)
    response = post_polo_step(
        client, application, name="Polo\x00Uno", description="Riga uno.\nRiga\x00 due."
    )
    form = response.context["form"]
    assert form.errors["name"] == [
        "Il testo contiene un a capo, una tabulazione o un carattere invisibile (uno spazio di "
        "larghezza zero, un carattere di controllo o uno che cambia la direzione del testo): "
        "scrivilo su una riga, senza quei caratteri."
    ]
    assert len(form.errors["description"]) == 1
    assert "(U+0000) alla riga 2, subito dopo «Riga»" in form.errors["description"][0]
    assert "null" not in response.content.decode()


@pytest.mark.django_db
def test_an_officer_note_with_a_nul_character_gets_one_message(client, applicant, officer) -> None:
    application = submitted_application(applicant)
    client.force_login(officer)
    response = client.post(
        reverse("review_note_add", args=[application.pk]), {"note-text": "Sentito\x00 ieri."}
    )
    assert response.status_code == 200
    assert response.context["note_form"].errors["text"] == [
        "Il testo contiene un carattere di controllo invisibile (U+0000) alla riga 1, subito "
        "dopo «Sentito»: di solito arriva incollando da un altro programma. Cancella quel "
        "punto e scrivilo di nuovo."
    ]


@pytest.mark.parametrize("character", ["\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2069"])
def test_texts_of_several_lines_refuse_what_overrides_the_direction(character: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_long_text(f"Il referente scrive:\n{character}atsoprop al")
    assert refused.value.code == "control"
    assert refused.value.messages[0] == (
        f"Il testo contiene un carattere invisibile che cambia la direzione del testo "
        f"(U+{ord(character):04X}) all'inizio della riga 2: di solito arriva incollando da un "
        "altro programma. Cancella quel punto e scrivilo di nuovo."
    )


def test_texts_of_several_lines_keep_the_marks_right_to_left_writing_needs() -> None:
    assert validate_long_text("Sede: \u200fمدرسة\u200e, Milano.") is None


@pytest.mark.parametrize("validate", [validate_plain_name, validate_plain_text, validate_long_text])
def test_a_letter_lost_to_a_wrong_encoding_is_refused(validate) -> None:
    with pytest.raises(ValidationError) as refused:
        validate("Istituto Tecnico \ufffd Volta")
    assert refused.value.code == "replacement"
    assert "scrivi di nuovo la lettera al suo posto" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_paste_of_thousands_of_characters_as_ateco_codes_gets_one_short_message(
    client, applicant
) -> None:
    application = draft_application(applicant)
    client.force_login(applicant)
    before = Organisation.objects.count()
    pasted = "3" * 10_000
    response = client.post(
        reverse("organisation_register", args=[application.pk]),
        company_registration(ateco_codes=pasted),
        follow=True,
    )
    page = response.content.decode()
    assert "Hai scritto 10000 caratteri: scrivi solo i codici ATECO" in page
    assert page.count(pasted) <= 1  # the field, as typed; not the message too
    assert "Sesto San Giovanni" in page
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_an_address_or_a_link_with_a_nul_character_gets_its_own_message_only(
    client, applicant
) -> None:
    from networks.forms import OrganisationAdminForm

    application = draft_application(applicant)
    client.force_login(applicant)
    response = post_polo_step(client, application, contact_email="referente\x00@example.org")
    assert response.context["form"].errors["contact_email"] == [
        "Inserisci un indirizzo email valido."
    ]
    form = OrganisationAdminForm({"website": "https://ex\x00ample.org"})
    form.is_valid()
    assert form.errors["website"] == ["Inserisci un URL valido."]
