"""Shared fixtures: CI guarantees, users per role, and a real Chromium for browser tests.

In CI (``CI=true``) the suite refuses to run without PostgreSQL or Chromium,
so nothing that needs them can silently skip there, and Hypothesis runs the
same examples on every run (profile ``ci``, derandomized): a merge is judged
on the change, not on the day's random draw. Local runs (``make test``) draw
new examples every time, which is how the fuzz tests keep finding bugs; a
failure prints the example and the seed to reproduce it.
"""

import os
import shutil
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.db import connection
from hypothesis import settings as hypothesis_settings

from networks.constants import Role
from tests.factories import user_with_role

IN_CI = os.environ.get("CI", "").lower() == "true"
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    hypothesis_settings.load_profile("ci")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by tests around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionstart(session: pytest.Session) -> None:
    if IN_CI and not shutil.which(CHROMIUM):
        raise pytest.UsageError(f"CI: Chromium non trovato in {CHROMIUM}.")
    if IN_CI and "postgres" not in os.environ.get("DATABASE_URL", ""):
        raise pytest.UsageError("CI: DATABASE_URL deve puntare a PostgreSQL.")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Start every test with an empty cache: cached pages must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _italian_in_every_test() -> Iterator[None]:
    """Start every test in Italian, and leave it so.

    A request with a language cookie (or through ``set_language``) activates
    that language in the thread and leaves it active: without this, the tests
    after it on the same worker read English messages.
    """
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _migrated_data_in_transactional_tests(request: pytest.FixtureRequest) -> None:
    """Reload what migrations create (catalogue, role groups) when a flush removed it.

    Transactional tests (live server, real concurrency) end with a flush that
    empties every table, so the next one starts from the migrated state
    whatever ran before: test order never matters.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    from networks.models import EconomicArea
    from networks.roles import sync_roles

    if not EconomicArea.objects.exists():
        import_module("networks.migrations.0002_load_catalogue").load_catalogue(apps, None)
    sync_roles()


@pytest.fixture
def postgres_only() -> None:
    """Skip outside PostgreSQL locally; in CI the session already refused to start without it."""
    if connection.vendor != "postgresql":
        pytest.skip("richiede PostgreSQL (DATABASE_URL)")


@pytest.fixture
def applicant(db: None) -> User:
    return user_with_role(Role.APPLICANT, "richiedente")


@pytest.fixture
def other_applicant(db: None) -> User:
    return user_with_role(Role.APPLICANT, "altro-richiedente")


@pytest.fixture
def officer(db: None) -> User:
    return user_with_role(Role.OFFICER, "istruttore")


@pytest.fixture
def manager(db: None) -> User:
    return user_with_role(Role.MANAGER, "dirigente")


@pytest.fixture
def catalogue_admin(db: None) -> User:
    return user_with_role(Role.CATALOGUE_ADMIN, "catalogo", is_staff=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium non installato (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # Retrying assertions wait as long as actions do: a loaded CI machine can be slow to answer.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[object]:
    context = browser.new_context(locale="it-IT", timezone_id="Europe/Rome")  # type: ignore[attr-defined]
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()
