"""Moderators hear of each replication recorded: one e-mail each, in their own language, with
a link to the admin's replications awaiting review, never to the author. The member's data
download holds their replications."""

import email
import json
from collections import Counter

import pytest

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from cases.models import Replication
from commonground.base_url import public_url
from commonground.members.models import MemberProfile
from commonground.members.profiles import create_profile

from .test_replications import make_replication, record


@pytest.fixture
def staff(moderator, admin_user):
    """A moderator, a superuser, and a superuser who also moderates: all told, once each."""
    from tests.contribute.conftest import make_user

    both = make_user("both@example.org", is_staff=True, is_superuser=True)
    both.groups.add(Group.objects.get(name="Moderators"))
    return moderator, admin_user, both


STAFF = {"mod@example.org": 1, "admin@example.org": 1, "both@example.org": 1}


def recipients():
    return Counter(address for message in mail.outbox for address in message.to)


def speaks(user, code, name=None):
    create_profile(user, name or user.username.title())
    MemberProfile.objects.filter(user=user).update(language=code)


def record_committed(client, case, data, capture):
    with capture(execute=True):
        response = record(client, case, data)
    assert response.status_code == 302
    return response


def test_a_replication_is_one_email_to_each_moderator_with_the_review_link(
    member_client, member, case, staff, replication_data, django_capture_on_commit_callbacks
):
    create_profile(member, "Ana Agent")
    record_committed(member_client, case, replication_data, django_capture_on_commit_callbacks)

    assert recipients() == STAFF
    message = mail.outbox[0]
    assert "Ana Agent" in message.subject and "Night-shift live tweets" in message.subject
    assert "Politiezone Gent" in message.body
    assert "We ran it on Instagram" in message.body
    assert public_url(reverse("replication_review:index")) + "\n" in message.body


def test_each_moderator_is_written_to_in_their_own_language_never_the_authors(
    member_client, member, case, staff, replication_data, django_capture_on_commit_callbacks
):
    moderator, admin_user, both = staff
    speaks(moderator, "nl")
    speaks(admin_user, "es")
    speaks(member, "de")  # the author's German reaches nobody
    member_client.cookies.load({"django_language": "de"})

    record_committed(member_client, case, replication_data, django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    dutch = by_address["mod@example.org"]
    assert "Een replicatie van" in dutch.subject, dutch.subject
    assert "Goedkeuren of afwijzen in het beheer" in dutch.body
    spanish = by_address["admin@example.org"]
    assert "Una réplica de" in spanish.subject, spanish.subject
    assert "La réplica espera a un moderador" in spanish.body
    english = by_address["both@example.org"]  # chose no language: the site's
    assert "awaits review" in english.subject, english.subject
    assert not any("Erfahrungsbericht" in m.subject for m in mail.outbox)


def test_a_moderator_who_records_one_is_not_told_of_it(
    client, case, staff, replication_data, django_capture_on_commit_callbacks
):
    moderator = staff[0]
    client.force_login(moderator)

    record_committed(client, case, replication_data, django_capture_on_commit_callbacks)

    assert recipients() == {"admin@example.org": 1, "both@example.org": 1}


def test_a_replication_withdrawn_before_the_commit_tells_nobody(member, case, staff):
    from cases.replications import rules

    replication = make_replication(case, member, status=Replication.Status.WITHDRAWN)
    rules.tell_moderators(replication.pk)

    assert mail.outbox == []


def test_hostile_names_stay_on_one_subject_line(
    member_client, member, case, staff, replication_data, django_capture_on_commit_callbacks
):
    create_profile(member, "Ana\r\nBcc: victim@example.org")

    record_committed(member_client, case, replication_data, django_capture_on_commit_callbacks)

    assert recipients() == STAFF
    for message in mail.outbox:
        parsed = email.message_from_string(message.message().as_string())
        assert parsed["Bcc"] is None
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "Ana Bcc: victim@example.org" in message.subject
        assert len(message.recipients()) == 1


def test_the_data_download_holds_the_members_replications_and_nobody_elses(
    member_client, member, other_member, case
):
    make_replication(case, member, changes="Our version", status=Replication.Status.APPROVED)
    make_replication(case, other_member, changes="Their version")

    data = json.loads(member_client.get(reverse("account_data")).content)

    [mine] = data["replications"]
    assert mine["case"] == "Night-shift live tweets"
    assert mine["case_url"].endswith(case.url)
    assert (mine["changes"], mine["state"]) == ("Our version", "approved")
    assert mine["tried"] == "2023-04"
    assert mine["created_at"] and "decided_at" in mine
    assert "Their version" not in json.dumps(data)


def test_the_dashboard_names_exactly_who_hears_of_a_replication(
    client, member, case, staff, django_capture_on_commit_callbacks
):
    """The administrators' panel names the people a replication is e-mailed to (and links
    to where each kind is decided): the panel and the notices read one list."""
    from cases.replications import rules
    from tests.helpers import html, text

    moderator, admin_user, both = staff
    for user, name in ((moderator, "Mo Derator"), (admin_user, "Ada Admin"), (both, "Bo Th")):
        create_profile(user, name)
    replication = make_replication(case, member)
    with django_capture_on_commit_callbacks(execute=True):
        rules.tell_moderators(replication.pk)
    client.force_login(admin_user)

    panel = html(client.get(reverse("wagtailadmin_home"))).select_one("#moderation-notices")

    named = {
        item.get_text(strip=True).removesuffix(" (administrator)") for item in panel.select("li")
    }
    told = {
        user.profile.display_name
        for user in (moderator, admin_user, both)
        if user.email in recipients()
    }
    assert named == told == {"Mo Derator", "Ada Admin", "Bo Th"}
    assert "replication" in text(panel) and "question or answer" in text(panel)
    links = {a["href"] for a in panel.select("a")}
    assert {reverse("replication_review:index"), reverse("post_review:index")} <= links
