"""Shared fixtures. The database holds what the migrations create: the home page, the
About page, the library at /cases/ and the twelve themes."""

import os

import pytest

from cases.models import CaseIndexPage


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached library counts never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def site_language_after_each_test():
    """Signing a member in activates their language in this thread, as it does for the rest
    of a request (commonground/languages.py): the next test starts in the site's default."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """What a process keeps in memory for a library version starts empty in every test (a
    test's rolled-back transaction brings the previous version token back)."""
    from cases import cache as library_cache
    from cases import snapshot
    from search.engines import database

    library_cache._remembered = None
    snapshot._current = None
    database._match_ids_cached.cache_clear()
    database._ranking_cached.cache_clear()
    yield


@pytest.fixture(autouse=True)
def queued_email(settings):
    """E-mail takes the production path: queued (commonground/mail.py), delivered by the task
    (run at once in tests) into Django's test outbox. Django's test set-up would otherwise
    replace EMAIL_BACKEND with the outbox itself."""
    settings.EMAIL_BACKEND = "commonground.mail.QueuedEmailBackend"


@pytest.fixture(autouse=True)
def database_search_by_default(settings):
    """Publishing and importing in tests index into the database engine. Tests of the
    Elasticsearch engine build their own engine, on indexes of their own, when
    ELASTICSEARCH_URL is set, so a developer's cluster is never written to otherwise."""
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def views_rendered(settings):
    """Every request runs its view: for tests that count a view's queries, which would
    otherwise count a page served from the page cache (commonground/page_cache)."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def run_worker(monkeypatch):
    """run_worker() does what `manage.py db_worker --batch` does: runs every task ready in
    the database queue, then returns. The worker's close_old_connections() is skipped: it
    would end the test's transaction on PostgreSQL."""
    from django.core.management import call_command

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def library(db):
    return CaseIndexPage.objects.get()


@pytest.fixture
def make_case(db):
    from tests.factories import CaseStudyPageFactory

    return CaseStudyPageFactory


@pytest.fixture(scope="session")
def stack():
    """The running production stack (python -m tests.production.stack -- pytest -m stack):
    its address, environment, mail and log folders; tests that ask for it skip without
    STACK_URL."""
    if not os.environ.get("STACK_URL"):
        pytest.skip("no production stack (STACK_URL unset; see tests/production/stack.py)")
    from tests.production.stack import load_environment

    return load_environment()
