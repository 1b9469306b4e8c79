"""Asking and answering on a case page: first posts wait for a moderator, later ones appear
at once; one level of replies; reports hide a post; rate limits; editing and deleting."""

import pytest

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.discussion import rules
from commonground.discussion.models import Post
from tests.helpers import html, text
from tests.members.conftest import make_member


def ask(client, case, body, commit):
    return commit(client.post, reverse("discussion:ask", args=[case.pk]), {"body": body})


def page_text(client, case):
    return text(html(client.get(case.url)).select_one("#discussion"))


def test_a_first_question_waits_for_a_moderator_then_shows(
    client, as_member, case, member, moderator, commit
):
    response = ask(as_member, case, "How many people were on shift?", commit)
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.status == "pending"
    # The author sees it marked as waiting; nobody else sees it.
    assert "only you can see this post" in page_text(as_member, case)
    client.logout()
    assert "How many people" not in page_text(client, case)
    # Only the moderator is told of a post that is not shown (test_moderator_notices.py).
    assert [message.to for message in mail.outbox] == [["mod@example.org"]]
    mail.outbox.clear()

    commit(rules.review, post, approve=True)

    assert "How many people were on shift?" in page_text(client, case)
    [notice] = mail.outbox
    assert notice.to == ["cora.contributor@example.org"]


def test_an_approved_members_later_posts_appear_at_once(as_member, case, member, commit):
    Post.objects.create(case=case, author=member, body="Earlier", status="published")
    ask(as_member, case, "A second question", commit)
    assert Post.objects.get(body="A second question").status == "published"


def test_moderators_post_at_once(client, case, moderator, commit):
    client.force_login(moderator)
    ask(client, case, "From a moderator", commit)
    assert Post.objects.get().status == "published"


def test_answers_go_one_level_deep(as_member, case, other, member, commit):
    question = Post.objects.create(case=case, author=other, body="Q?", status="published")
    Post.objects.create(case=case, author=member, body="Earlier", status="published")
    commit(as_member.post, reverse("discussion:answer", args=[question.pk]), {"body": "An answer"})
    answer = Post.objects.get(body="An answer")
    assert answer.question == question and answer.status == "published"
    # The question's author is told, in their language, with a stop link.
    [notice] = mail.outbox
    assert notice.to == ["omar@example.org"]
    assert reverse("discussion:stop", args=["x"]).rsplit("/", 2)[0] in notice.body

    # An answer cannot be answered.
    as_member.post(reverse("discussion:answer", args=[answer.pk]), {"body": "Nested"})
    assert not Post.objects.filter(body="Nested").exists()
    with pytest.raises(rules.Refused):
        rules.add_post(member, case, "Nested", question=answer)


def test_text_is_escaped_with_line_breaks_kept_and_links_not_clickable(
    client, case, member, commit
):
    Post.objects.create(
        case=case,
        author=member,
        status="published",
        body="<script>alert(1)</script> <b>bold</b>\nsee https://evil.example/x",
    )
    section = html(client.get(case.url)).select_one("#discussion")
    body = section.select_one(".post__body")
    assert body.find("script") is None and body.find("b") is None
    assert "<script>alert(1)</script>" in body.get_text()
    assert body.find("br") is not None
    assert body.find("a") is None


def test_reports_from_three_members_hide_a_post_until_reviewed(client, case, member, commit):
    post = Post.objects.create(
        case=case, author=member, body="Buy cheap pills", status="published"
    )
    for n in range(3):
        reporter = make_member(email=f"r{n}@example.org", display_name=f"Reporter {n}")
        client.force_login(reporter)
        client.post(reverse("discussion:report", args=[post.pk]), {"reason": "spam"})
        client.post(reverse("discussion:report", args=[post.pk]), {"reason": "spam"})  # twice
        post.refresh_from_db()
        assert post.reported is (n == 2)
    assert post.reports.count() == 3
    client.logout()
    assert "Buy cheap pills" not in page_text(client, case)
    assert post in rules.awaiting_review()

    rules.review(post, approve=False)
    post.refresh_from_db()
    assert post.status == "rejected"
    assert "Buy cheap pills" not in page_text(client, case)


def test_rate_limits_per_hour_say_why(as_member, case, member, settings, commit):
    settings.DISCUSSION_POSTS_PER_HOUR = 2
    Post.objects.create(case=case, author=member, body="Earlier", status="published")
    ask(as_member, case, "one", commit)
    response = ask(as_member, case, "two", commit)
    assert response.status_code == 200
    assert "You have posted 2 times in the last hour" in text(html(response).select_one("main"))
    assert not Post.objects.filter(body="two").exists()


def test_the_author_edits_within_the_window_and_deletes(as_member, case, member, other, settings):
    mine = Post.objects.create(case=case, author=member, body="Typo", status="published")
    theirs = Post.objects.create(case=case, author=other, body="Theirs", status="published")
    as_member.post(reverse("discussion:edit", args=[mine.pk]), {"body": "Fixed"})
    mine.refresh_from_db()
    assert mine.body == "Fixed" and mine.edited_at is not None
    edit_theirs = as_member.post(reverse("discussion:edit", args=[theirs.pk]), {"body": "x"})
    assert edit_theirs.status_code == 404
    assert as_member.post(reverse("discussion:delete", args=[theirs.pk])).status_code == 404

    settings.DISCUSSION_EDIT_MINUTES = 0
    as_member.post(reverse("discussion:edit", args=[mine.pk]), {"body": "Too late"})
    mine.refresh_from_db()
    assert mine.body == "Fixed"

    as_member.post(reverse("discussion:delete", args=[mine.pk]))
    assert not Post.objects.filter(pk=mine.pk).exists()


def test_visitors_are_asked_to_sign_in(client, case):
    section = html(client.get(case.url)).select_one("#discussion")
    assert section.select_one("form") is None
    assert section.find("a", string="Sign in")["href"].startswith(reverse("account_login"))
    assert client.post(reverse("discussion:ask", args=[case.pk]), {"body": "x"}).status_code == 302
    assert not Post.objects.exists()


def test_no_email_address_on_the_case_page(as_member, case, member, other, contributor):
    q = Post.objects.create(case=case, author=other, body="Q?", status="published")
    Post.objects.create(case=case, author=member, question=q, body="A.", status="published")
    page = as_member.get(case.url).content.decode()
    for address in ("jane@example.org", "omar@example.org", "cora.contributor@example.org"):
        assert address not in page
    assert "Omar Haddad" in page and "Jane Doe" in page


@pytest.mark.usefixtures("views_rendered")
def test_the_case_page_runs_the_same_queries_however_many_posts(client, case, member, other):
    def count():
        client.get(case.url)  # warm the caches
        with CaptureQueriesContext(connection) as queries:
            client.get(case.url)
        return len(queries)

    q = Post.objects.create(case=case, author=other, body="Q?", status="published")
    Post.objects.create(case=case, author=member, question=q, body="A.", status="published")
    few = count()
    for n in range(6):
        author = make_member(email=f"m{n}@example.org", display_name=f"Member {n}")
        q = Post.objects.create(case=case, author=author, body=f"Q{n}", status="published")
        Post.objects.create(case=case, author=member, question=q, body="A", status="published")
    assert count() == few
