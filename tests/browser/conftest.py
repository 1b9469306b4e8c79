"""Playwright driving Debian's chromium (never a downloaded browser).

Without /usr/bin/chromium the browser tests skip with the reason; with CI=true they fail
instead, so CI cannot pass without them. Journeys that take the `site` fixture run twice:
against Django's live server and against the production stack (`-m stack`, skipped without
STACK_URL; tests/browser/sites.py).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(request):
    if not CHROMIUM.exists():
        reason = (
            "Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the ORM calls that the tests
    # make between page actions are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    # Only a run of nothing but production-stack tests needs no test database.
    if not all(item.get_closest_marker("stack") for item in request.session.items):
        request.getfixturevalue("django_db_setup")

    from django.db import connections

    # Django keeps connections per context, and the sync API switches context: the
    # connection the tests see from here on is a new object that lacks the snapshot of the
    # migrated database taken at set-up, which serialized rollback restores after each
    # flush. Hand it over.
    snapshot = getattr(connections["default"], "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        if snapshot is not None:
            connections["default"]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_library(transactional_db):
    from cases.demo.loader import load_demo

    return load_demo()


@pytest.fixture(
    params=[
        pytest.param(
            "live", marks=pytest.mark.django_db(transaction=True, serialized_rollback=True)
        ),
        pytest.param("stack", marks=pytest.mark.stack),
    ]
)
def site(request):
    """Where the journey runs: Django's live server on the test database, or the running
    production stack (STACK_URL)."""
    from tests.browser.sites import LiveSite, StackSite

    if request.param == "stack":
        return StackSite(request.getfixturevalue("stack"))
    return LiveSite(request.getfixturevalue("live_server").url)


@pytest.fixture
def demo_site(request, site):
    """The site with the demo library: the stack loads it when it starts."""
    from tests.browser.sites import LiveSite

    if isinstance(site, LiveSite):
        request.getfixturevalue("demo_library")
    return site
