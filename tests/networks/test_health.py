"""The health check answers 200 when the database and the media storage work, 503 otherwise."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy_instance_answers_ok(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "media": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_unwritable_media_makes_it_unhealthy(client, settings, tmp_path):
    not_a_directory = tmp_path / "media"
    not_a_directory.write_text("un file, non una cartella")
    settings.MEDIA_ROOT = not_a_directory
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["media"] == "errore"
