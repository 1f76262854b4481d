"""Every password validator speaks Italian, on the page and in Django's auth catalogue.

Django 6.1 changed the msgid of MinimumLengthValidator ("%d character"), which
its Italian catalogue lacks: locale/it supplies it. A later upgrade that adds
another untranslated message of the auth app fails the catalogue test.
"""

from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.networks.test_admin import _po_messages

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("abc", "Questa password è troppo corta. Deve contenere almeno 8 caratteri."),
        ("password", "Questa password è troppo comune."),
        ("73920481", "Questa password è interamente numerica."),
        ("richiedente", "La password è troppo simile a nome utente."),
    ],
)
def test_a_refused_new_password_is_explained_in_italian(client, applicant, new_password, message):
    client.force_login(applicant)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["new_password2"]
    assert message in unescape(response.content.decode())
    assert "password is" not in response.content.decode()


def test_the_password_rules_are_listed_in_italian(client, applicant):
    client.force_login(applicant)
    content = unescape(client.get(reverse("password_change")).content.decode())
    assert "La tua password deve contenere almeno 8 caratteri." in content
    assert "Your password" not in content


def test_every_message_of_django_s_auth_app_has_an_italian_translation():
    import django
    from django.utils.translation.trans_real import DjangoTranslation

    localedir = Path(django.__file__).parent / "contrib" / "auth" / "locale"
    catalog = DjangoTranslation("it", domain="django")._catalog
    source = (localedir / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [
        msgid
        for msgid, plural in _po_messages(source)
        if not catalog.get((msgid, 0) if plural else msgid)
    ]
    assert missing == []


def test_the_superusers_admin_names_the_third_party_models_in_italian(client, admin_user):
    """django-axes and the tasks backend ship no Italian: locale/it and an AppConfig do."""
    client.force_login(admin_user)
    index = client.get(reverse("admin:index")).content.decode()
    for italian in (
        "Tentativi di accesso",
        "Registri di accesso",
        "Attività in background",
        "Esiti delle attività",
    ):
        assert italian in index
    for english in ("Access attempts", "Access logs", "Tasks Database Backend", "Task Results"):
        assert english not in index
