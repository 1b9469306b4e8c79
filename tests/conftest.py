"""Shared fixtures. The database holds what the migrations create: the home page, the
About page, the library at /cases/ and the twelve themes."""

import pytest

from cases.models import CaseIndexPage


@pytest.fixture
def library(db):
    return CaseIndexPage.objects.get()


@pytest.fixture
def make_case(db):
    from tests.factories import CaseStudyPageFactory

    return CaseStudyPageFactory
