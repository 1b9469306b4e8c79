"""Shared fixtures. The database holds what the migrations create: the home page, the
About page, the library at /cases/ and the twelve themes."""

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
def database_search_by_default(settings):
    """Publishing and importing in tests index into the database engine. Tests of the
    Elasticsearch engine build their own engine, on indexes of their own, when
    ELASTICSEARCH_URL is set, so a developer's cluster is never written to otherwise."""
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def library(db):
    return CaseIndexPage.objects.get()


@pytest.fixture
def make_case(db):
    from tests.factories import CaseStudyPageFactory

    return CaseStudyPageFactory
