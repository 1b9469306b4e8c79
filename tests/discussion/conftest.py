"""Questions and answers: a contributed case, members, a moderator; e-mails delivered
after each commit as in production."""

import pytest

from django.contrib.auth.models import Group

from tests.members.conftest import make_member


@pytest.fixture
def contributor(db):
    return make_member(email="cora.contributor@example.org", display_name="Cora Contributor")


@pytest.fixture
def case(make_case, contributor):
    return make_case(title="Tweeting every call", contributed=True, contributor=contributor)


@pytest.fixture
def member(db):
    return make_member(email="jane@example.org", display_name="Jane Doe")


@pytest.fixture
def other(db):
    return make_member(email="omar@example.org", display_name="Omar Haddad")


@pytest.fixture
def moderator(db):
    user = make_member(email="mod@example.org", display_name="Mo Derator")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def as_member(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (notices) like a real request would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
