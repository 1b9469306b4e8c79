"""Following and digests: members, a clock the tests move, and digests run as cron would."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.members.conftest import make_member

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # a Monday, 07:00


class Clock:
    """django.utils.timezone.now(), frozen at `now` until the test moves it."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(START)
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


@pytest.fixture
def member(db):
    return make_member()


@pytest.fixture
def other_member(db):
    return make_member(email="omar@example.org", display_name="Omar Haddad")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def run_digests(django_capture_on_commit_callbacks):
    """Send the digests due now, queuing their e-mails after each commit as in production."""
    from commonground.following.digests import send_digests

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send_digests(**kwargs)

    return run


def follow(user, kind, value):
    """What the Follow button does, without the request."""
    from commonground.following.targets import new_follow
    from commonground.following.views import digest_settings

    made = new_follow(user, kind, value)
    made.save()
    digest_settings(user)
    return made
