"""Members: accounts made the way allauth makes them (a verified primary EmailAddress)."""

import re

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model

from commonground.members.profiles import create_profile

PASSWORD = "correct-horse-battery-42"


def make_member(email="jane@example.org", display_name="Jane Doe", verified=True, **extra):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0] + "-user", email=email, password=PASSWORD, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    create_profile(user, display_name)
    return user


@pytest.fixture
def member(db):
    return make_member()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def link_in(message) -> str:
    """The path of the first link to this site in an email."""
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)
