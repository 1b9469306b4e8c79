"""Moderators hear of a question or answer held for review (a member's first post, or one
hidden by reports): one e-mail each, in their own language, with a link to the admin page
where it is reviewed, never to the author. The member's data download holds their posts."""

import email
import json
from collections import Counter

import pytest

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from commonground.base_url import public_url
from commonground.discussion import rules
from commonground.discussion.models import Post
from commonground.members.models import MemberProfile
from tests.members.conftest import make_member


@pytest.fixture
def staff(moderator):
    """A moderator, a superuser who also moderates, and a superuser: all told, once each."""
    both = make_member("both@example.org", "Bo Th", is_staff=True, is_superuser=True)
    both.groups.add(Group.objects.get(name="Moderators"))
    root = make_member("root@example.org", "Root Admin", is_staff=True, is_superuser=True)
    return moderator, both, root


def recipients():
    return Counter(address for message in mail.outbox for address in message.to)


def speaks(user, code):
    MemberProfile.objects.filter(user=user).update(language=code)


def ask(client, case, body, commit):
    return commit(client.post, reverse("discussion:ask", args=[case.pk]), {"body": body})


def test_a_first_post_is_one_email_to_each_moderator_with_the_review_link(
    as_member, case, staff, commit
):
    ask(as_member, case, "How many people were on shift?", commit)

    assert recipients() == {"mod@example.org": 1, "both@example.org": 1, "root@example.org": 1}
    message = mail.outbox[0]
    assert "Jane Doe" in message.subject and "Tweeting every call" in message.subject
    assert "How many people were on shift?" in message.body
    assert public_url(reverse("post_review:index")) + "\n" in message.body


def test_an_answer_held_for_review_is_told_too_and_a_trusted_post_is_not(
    as_member, case, member, other, staff, commit
):
    question = Post.objects.create(case=case, author=other, body="Q?", status="published")
    commit(
        as_member.post,
        reverse("discussion:answer", args=[question.pk]),
        {"body": "Four officers."},
    )
    assert recipients() == {"mod@example.org": 1, "both@example.org": 1, "root@example.org": 1}
    mail.outbox.clear()

    # Once a post of theirs is approved, the member posts at once: moderators hear nothing.
    Post.objects.filter(author=member).update(status="published")
    ask(as_member, case, "A later question", commit)
    assert not {"mod@example.org", "both@example.org", "root@example.org"} & set(recipients())


def test_each_moderator_is_written_to_in_their_own_language_never_the_authors(
    as_member, case, member, staff, commit
):
    moderator, both, root = staff
    speaks(moderator, "fr")
    speaks(both, "de")
    speaks(root, "")  # chose none: the site's language, not the author's Spanish
    speaks(member, "es")
    as_member.cookies.load({"django_language": "es"})

    ask(as_member, case, "¿Cuántos agentes?", commit)

    by_address = {message.to[0]: message for message in mail.outbox}
    french = by_address["mod@example.org"]
    assert "attend une relecture" in french.subject, french.subject
    assert "Approbation ou refus dans l’administration" in french.body
    german = by_address["both@example.org"]
    assert "wartet auf Prüfung" in german.subject, german.subject
    assert "noch kein Beitrag dieses Mitglieds" in german.body
    english = by_address["root@example.org"]
    assert "awaits review" in english.subject, english.subject
    assert "who has no approved post yet" in english.body
    assert not any("pendiente" in m.subject for m in mail.outbox)


def test_a_post_hidden_by_reports_tells_moderators_once_but_not_its_moderator_author(
    settings, client, case, member, other, staff, commit
):
    settings.DISCUSSION_REPORTS_TO_HIDE = 2
    moderator, both, root = staff
    post = Post.objects.create(case=case, author=moderator, body="Call 0800", status="published")

    commit(rules.report, member, post, "spam")
    assert mail.outbox == []  # one report does not hide it
    commit(rules.report, other, post, "spam")

    assert recipients() == {"both@example.org": 1, "root@example.org": 1}
    assert "hidden by reports" in mail.outbox[0].subject
    assert "Call 0800" in mail.outbox[0].body

    # A further report of a post already hidden tells nobody again.
    third = make_member("third@example.org", "Third Member")
    commit(rules.report, third, post, "abuse")
    assert len(mail.outbox) == 2


def test_hostile_names_and_titles_stay_on_one_subject_line(as_member, case, member, staff, commit):
    MemberProfile.objects.filter(user=member).update(
        display_name="Jane\r\nBcc: victim@example.org"
    )
    case.title = "Tweets\nCc: other@example.org"
    case.save()

    ask(as_member, case, "Hello", commit)

    assert recipients() == {"mod@example.org": 1, "both@example.org": 1, "root@example.org": 1}
    for message in mail.outbox:
        parsed = email.message_from_string(message.message().as_string())
        assert parsed["Bcc"] is None and parsed["Cc"] is None
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "Jane Bcc: victim@example.org" in message.subject
        assert len(message.recipients()) == 1


def test_the_data_download_holds_the_members_posts_and_nobody_elses(
    as_member, case, member, other
):
    question = Post.objects.create(
        case=case, author=member, body="My question", status="published"
    )
    Post.objects.create(case=case, question=question, author=other, body="Their answer")
    Post.objects.create(case=case, question=question, author=member, body="My waiting answer")

    data = json.loads(as_member.get(reverse("account_data")).content)

    posts = data["questions_and_answers"]
    assert [(p["kind"], p["text"], p["state"]) for p in posts] == [
        ("question", "My question", "published"),
        ("answer", "My waiting answer", "pending"),
    ]
    assert posts[0]["case"] == "Tweeting every call"
    assert posts[0]["created_at"] and "reviewed_at" in posts[0]
    assert "Their answer" not in json.dumps(data)
