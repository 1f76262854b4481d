"""The health check answers 200 when the database, the media storage and the static files work."""

import json
import shutil

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy_instance_answers_ok(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "media": "ok", "static": "ok"}
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
        "static": "ok",
    }
    settings.PORTAL_HEALTH_MIN_FREE_MB = 1
    assert client.get(reverse("health")).status_code == 200


def test_the_probe_writes_nothing(client, settings, tmp_path):
    (tmp_path / "media").mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.get(reverse("health")).status_code == 200
    assert list((tmp_path / "media").iterdir()) == []


MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def test_static_files_not_collected_make_it_unhealthy(client, settings, tmp_path):
    """Production's manifest storage without ``collectstatic``: every page would be a 500."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = MANIFEST_STORAGE
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "errore",
        "database": "ok",
        "media": "ok",
        "static": "errore",
    }


def test_collected_static_files_keep_it_healthy(client, settings, tmp_path):
    static_root = tmp_path / "static"
    static_root.mkdir()
    manifest = {
        "paths": {"ptp/css/portal.css": "ptp/css/portal.0123456789ab.css"},
        "version": "1.1",
    }
    (static_root / "staticfiles.json").write_text(json.dumps(manifest))
    settings.STATIC_ROOT = static_root
    settings.STORAGES = MANIFEST_STORAGE
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["static"] == "ok"
