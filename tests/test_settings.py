"""Production settings pass ``check --deploy`` with no warning, given a real secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Set by the test settings and conftest for the test process only.
TEST_ONLY_VARIABLES = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "EMAIL_BACKEND",
    "DJANGO_MEDIA_ROOT",
    "DJANGO_DEBUG",
}


def test_check_deploy_is_clean_with_production_settings():
    inherited = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "ptp_portal.settings.prod",
        "DJANGO_SECRET_KEY": "k3y-" + "x7Q!pZ2m#R9vL$wE5tY8uI0oP@aS4dF6gH1jK3lZ5xC7vB9nM",
        "DJANGO_ALLOWED_HOSTS": "ptp.regione.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "ptp_portal.settings.prod",
        "DJANGO_ALLOWED_HOSTS": "x.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
