"""Browser tests run against a live server whose database keeps the migrated catalogue."""

import pytest


@pytest.fixture(autouse=True)
def _browser_db(transactional_db: None) -> None:
    """Live-server tests need committed data; the catalogue is restored after each test."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
