"""Members with and without a verified address, a moderator, and a filled-in contribution."""

import io

import pytest
from allauth.account.models import EmailAddress
from PIL import Image

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Theme

PASSWORD = "a-long-test-passphrase"


def make_user(email, *, verified=True, **extra):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def member(db):
    return make_user("ana@example.org")


@pytest.fixture
def other_member(db):
    return make_user("ben@example.org")


@pytest.fixture
def unverified_member(db):
    return make_user("cy@example.org", verified=False)


@pytest.fixture
def moderator(db):
    user = make_user("mod@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def admin_user(db):
    return make_user("admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def photo(name="photo.jpg", size=(800, 500), fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 79, 108)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def contribution_data(db):
    """A complete, valid contribution as the form posts it."""
    themes = Theme.objects.order_by("name")[:2]
    return {
        "title": "Live-tweeting a night shift in Ghent",
        "summary": "We posted every call of one night shift, to show what the job is like.",
        "organisation": "Politiezone Gent",
        "country": "BE",
        # The date's three boxes: day and month optional, the year required.
        "case_date_day": "18",
        "case_date_month": "3",
        "case_date_year": "2024",
        "themes": [str(t.pk) for t in themes],
        "language": "en",
        "body": "First paragraph.\r\n\r\nSecond paragraph with <b>markup</b>.",
        "lessons_worked": "People loved the honesty.\n\nShort posts worked best.",
        "lessons_challenge": "Keeping up at 3 a.m.",
        "lessons_advice": "Have two people on the account.",
        "outcomes": "Followers gained: 4,200\nReplies: 900",
        "result": "worked",
        "evidence": "monitored",
        "source_event": "",
        "source_url": "",
        "authors": "A. Peeters\nB. Claes",
        "hero_alt": "",
        "homepage": "",
    }
