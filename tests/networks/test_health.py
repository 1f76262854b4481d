"""The health check answers 200 when the database and the media storage work, 503 otherwise."""

import shutil

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


def test_a_media_disk_short_of_space_makes_it_unhealthy(client, settings):
    """Below the free-space threshold uploads and decrees would fail: the probe says so first."""
    free_mb = shutil.disk_usage(settings.MEDIA_ROOT).free // (1024 * 1024)
    settings.PORTAL_HEALTH_MIN_FREE_MB = free_mb + 1024
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "errore",
        "database": "ok",
        "media": "spazio insufficiente",
    }
    settings.PORTAL_HEALTH_MIN_FREE_MB = 1
    assert client.get(reverse("health")).status_code == 200


def test_the_probe_writes_nothing(client, settings, tmp_path):
    (tmp_path / "media").mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.get(reverse("health")).status_code == 200
    assert list((tmp_path / "media").iterdir()) == []
