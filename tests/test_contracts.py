"""The domain and the formats the portal implements, kept in ``docs/contracts``.

A clone away from ``shared/`` still carries the texts it was built against;
beside ``shared/`` each copy must be the same file as the shared one, so that a
change of a contract reaches the project (and its tests) on purpose.
"""

from pathlib import Path

import pytest
from django.conf import settings

CONTRACTS = Path(settings.BASE_DIR) / "docs" / "contracts"
SHARED = Path(settings.BASE_DIR).parent / "shared" / "domain"


@pytest.mark.parametrize("name", ["DOMAIN.md", "network-format.md"])
def test_the_recorded_contract_is_the_shared_one(name):
    if not (SHARED / name).exists():
        pytest.skip(f"{SHARED / name} non è accanto a questa copia del progetto")
    assert (CONTRACTS / name).read_bytes() == (SHARED / name).read_bytes()


def test_every_recorded_contract_is_checked():
    """catalogue.md has its own test beside the migration it is loaded by."""
    assert sorted(path.name for path in CONTRACTS.glob("*.md")) == [
        "DOMAIN.md",
        "catalogue.md",
        "network-format.md",
    ]
