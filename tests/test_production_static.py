"""Pages render with the production static storage (hashed manifest), including error pages."""

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import override_settings

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.mark.django_db
def test_pages_and_error_pages_render_with_the_manifest(client, collected, applicant):
    with override_settings(STATIC_ROOT=collected, STORAGES=MANIFEST, DEBUG=False):
        home = client.get("/")
        assert home.status_code == 200
        assert "bootstrap-italia.min." in home.content.decode()
        missing = client.get("/pagina-che-non-esiste/")
        assert missing.status_code == 404
        assert "Pagina non trovata" in missing.content.decode()
        client.force_login(applicant)
        assert client.get("/domande/").status_code == 200
        html = render_to_string("500.html")
        assert "non è riuscito a completare la richiesta" in html
