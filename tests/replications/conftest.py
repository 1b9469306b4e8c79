"""Members, a moderator and a published case to replicate."""

import pytest

from tests.contribute.conftest import (  # noqa: F401  (fixtures shared with contributions)
    admin_user,
    member,
    member_client,
    moderator,
    other_member,
    unverified_member,
)


@pytest.fixture
def case(make_case):
    return make_case(title="Night-shift live tweets", slug="night-shift-live-tweets")


@pytest.fixture
def replication_data():
    """A complete, valid replication as the form posts it."""
    return {
        "organisation": "Politiezone Gent",
        "country": "BE",
        "tried_day": "",
        "tried_month": "4",
        "tried_year": "2023",
        "changes": "We ran it on Instagram instead of X, with two officers.",
        "result": "worked",
        "evidence": "monitored",
        "source_url": "https://example.org/report",
    }
