"""The backup round trip: pg_dump -Fc of the demo data restores with the same rows and decree hashes."""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
def test_backup_restore_round_trip(postgres_only):
    """Run bench/backup_restore.sh on the test server (it uses databases of its own)."""
    params = connection.settings_dict
    url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ptp_portal.settings.dev"}
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "bench" / "backup_restore.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Backup e ripristino: OK" in result.stdout
