"""Production settings pass ``check --deploy`` with no warning, given a real secret.

Each check runs ``manage.py`` in a process of its own: importing the production
settings in the test process would change the STORAGES dictionary they share
with the test settings.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from networks.sealing import write_self_signed_seal

ROOT = Path(__file__).resolve().parent.parent
# Set by the test settings and conftest for the test process only.
TEST_ONLY_VARIABLES = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "EMAIL_BACKEND",
    "DJANGO_MEDIA_ROOT",
    "DJANGO_DEBUG",
}
SECRET = "k3y-" + "x7Q!pZ2m#R9vL$wE5tY8uI0oP@aS4dF6gH1jK3lZ5xC7vB9nM"


def manage_in_production(*args: str, **variables: str) -> subprocess.CompletedProcess:
    """Run ``manage.py`` with the production settings and ``variables`` on top of them."""
    inherited = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "ptp_portal.settings.prod",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "ptp.regione.example",
        "PORTAL_BASE_URL": "https://ptp.regione.example",
        "PORTAL_CONTACT_EMAIL": "ptp@regione.example",
        "PORTAL_DPO_EMAIL": "rpd@regione.example",
        **variables,
    }
    env = {name: value for name, value in env.items() if value}  # "" unsets a variable
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def seal(tmp_path: Path) -> dict[str, str]:
    """The variables of a usable decree seal (a PKCS#12 file written for the test)."""
    write_self_signed_seal(tmp_path / "sigillo.p12", "segreta", subject="Sigillo di prova")
    return {"DECREE_SEAL_PKCS12": str(tmp_path / "sigillo.p12"), "DECREE_SEAL_PASSWORD": "segreta"}


def test_check_deploy_is_clean_with_production_settings(seal):
    result = manage_in_production("check", "--deploy", "--fail-level", "WARNING", **seal)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_that_decrees_leave_unsealed():
    result = manage_in_production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "networks.W004" in result.stderr
    assert "I decreti non recano il sigillo elettronico" in result.stderr


def test_check_deploy_refuses_a_seal_it_cannot_open(seal):
    result = manage_in_production("check", "--deploy", **{**seal, "DECREE_SEAL_PASSWORD": "altra"})
    assert result.returncode != 0
    assert "networks.E005" in result.stderr
    assert "password errata o file PKCS#12 non valido" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_refuses_a_seal_file_without_a_certificate(tmp_path):
    """A PKCS#12 holding the key alone is named in ``networks.E005``, not a traceback."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "solo-chiave.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"sigillo", key, None, None, BestAvailableEncryption(b"segreta")
        )
    )

    result = manage_in_production(
        "check", "--deploy", DECREE_SEAL_PKCS12=str(path), DECREE_SEAL_PASSWORD="segreta"
    )

    assert result.returncode != 0
    assert "networks.E005" in result.stderr
    assert "non contiene un certificato" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_refuses_a_base_url_decrees_cannot_print():
    """Unset (the development default), plain HTTP or a local host: an error, not a pass."""
    for base_url in ("", "http://ptp.regione.example", "https://localhost:8000"):
        result = manage_in_production("check", "--deploy", PORTAL_BASE_URL=base_url)
        assert result.returncode != 0, base_url
        assert "networks.E003" in result.stderr, base_url


def test_production_refuses_to_start_without_a_secret():
    result = manage_in_production("check", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_seed_demo_refuses_under_production_settings(tmp_path):
    """Its accounts share the password printed in the README: never in production."""
    result = manage_in_production(
        "seed_demo", DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    )
    assert result.returncode == 1
    assert "non si caricano con le impostazioni di produzione" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_an_empty_secret_in_one_line():
    """``DJANGO_SECRET_KEY=`` (an unexpanded variable) is missing, not a key; no traceback."""
    result = manage_in_production("check", "--deploy", DJANGO_SECRET_KEY=" ")
    assert result.returncode == 1
    assert "Set the environment variable DJANGO_SECRET_KEY." in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_number_names_its_variable_without_a_traceback():
    result = manage_in_production("check", DJANGO_HSTS_SECONDS="1y")
    assert result.returncode == 1
    assert "DJANGO_HSTS_SECONDS must be int, not '1y'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_database_url_is_one_line():
    result = manage_in_production("check", DATABASE_URL="localhost/ptp")
    assert result.returncode == 1
    assert "DATABASE_URL is not a valid database URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_health_check_answers_a_plain_http_probe_without_redirecting(tmp_path):
    """The balancer probes ``/salute/`` over HTTP; every other address goes to HTTPS."""
    script = (
        "from django.test import Client; c = Client(); "
        "print(c.get('/salute/', HTTP_HOST='ptp.regione.example').status_code, "
        "c.get('/privacy/', HTTP_HOST='ptp.regione.example').status_code)"
    )
    static_root = tmp_path / "static"  # as collectstatic leaves it, for the probe's look-up
    static_root.mkdir()
    (static_root / "staticfiles.json").write_text(
        '{"paths": {"ptp/css/portal.css": "ptp/css/portal.0123456789ab.css"}, "version": "1.1"}'
    )
    result = manage_in_production(
        "shell",
        "--no-imports",
        "-c",
        script,
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_STATIC_ROOT=str(static_root),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]


def test_the_language_cookie_is_secure_like_the_others(tmp_path):
    script = (
        "from django.test import Client; c = Client(); "
        "r = c.post('/i18n/setlang/', {'language': 'en'}, secure=True, "
        "HTTP_HOST='ptp.regione.example'); "
        "m = r.cookies['django_language']; print(r.status_code, bool(m['secure']), m['samesite'])"
    )
    result = manage_in_production(
        "shell", "--no-imports", "-c", script, DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["302", "True", "Lax"]


def test_a_misspelt_boolean_stops_instead_of_meaning_false():
    """``EMAIL_USE_TLS=ture`` would otherwise send the SMTP password in clear text."""
    result = manage_in_production("check", EMAIL_USE_TLS="ture")
    assert result.returncode == 1
    assert "EMAIL_USE_TLS must be true or false, not 'ture'" in result.stderr
    assert "Traceback" not in result.stderr
    assert manage_in_production("check", EMAIL_USE_TLS="Off").returncode == 0


def test_the_log_level_is_read_in_any_case_and_a_wrong_one_is_named():
    assert manage_in_production("check", DJANGO_LOG_LEVEL="warning").returncode == 0
    result = manage_in_production("check", DJANGO_LOG_LEVEL="LOUD")
    assert result.returncode == 1
    assert "DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_warns_about_example_contact_addresses(seal):
    result = manage_in_production(
        "check", "--deploy", "--fail-level", "WARNING", PORTAL_DPO_EMAIL="", **seal
    )
    assert result.returncode != 0
    assert "networks.W007" in result.stderr
    assert "PORTAL_DPO_EMAIL è 'rpd@example.org'" in result.stderr
    # The accessibility address follows the office's, which is a real one here.
    assert "PORTAL_ACCESSIBILITY_EMAIL" not in result.stderr
