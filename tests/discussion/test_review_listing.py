"""The moderators' listing of questions and answers (commonground/discussion/wagtail_hooks.py
on cases/review_listing.py): held posts by default, newest first, paged, the other states
by filter, reported posts decidable, decisions CSRF-protected, moderators only."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.discussion.models import Post, Report
from tests.helpers import html, text

INDEX = "post_review:index"


def bodies(response) -> list[str]:
    return [text(cell) for cell in html(response).select("table.listing .review-item__text")]


def post(case, author, body, **extra):
    return Post.objects.create(case=case, author=author, body=body, **extra)


def test_held_posts_are_listed_newest_first_and_paged(client, case, member, moderator):
    start = timezone.now() - timedelta(hours=1)
    for i in range(22):
        held = post(case, member, f"Held {i}")
        Post.objects.filter(pk=held.pk).update(created_at=start + timedelta(minutes=i))
    post(case, member, "Shown", status="published")
    client.force_login(moderator)

    first, second = client.get(reverse(INDEX)), client.get(reverse(INDEX), {"p": 2})

    assert bodies(first) == [f"Held {i}" for i in range(21, 1, -1)]
    assert bodies(second) == ["Held 1", "Held 0"]


def test_each_status_lists_its_own_posts(client, case, member, other, moderator):
    post(case, member, "Waiting")
    post(case, member, "Hidden by reports", status="published", reported=True)
    reported = post(case, member, "Reported once", status="published")
    Report.objects.create(post=reported, reporter=other, reason="spam")
    post(case, member, "Fine", status="published")
    post(case, member, "Turned down", status="rejected")
    client.force_login(moderator)

    def listed(status=None):
        return set(bodies(client.get(reverse(INDEX), {"status": status} if status else {})))

    assert listed() == {"Waiting", "Hidden by reports"}
    assert listed("reported") == {"Reported once"}
    assert listed("published") == {"Reported once", "Fine"}
    assert listed("rejected") == {"Turned down"}
    # A reported post still shown can be decided; a plain published one cannot.
    page = html(client.get(reverse(INDEX), {"status": "published"}))
    actions = {form["action"] for form in page.select("form.review-decision")}
    assert actions == {reverse("post_review:decide", args=[reported.pk])}


def test_a_decision_needs_the_csrf_token(case, member, moderator):
    held = post(case, member, "Waiting post")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    url = reverse("post_review:decide", args=[held.pk])

    assert browser.post(url, {"decision": "approve"}).status_code == 403
    held.refresh_from_db()
    assert held.status == "pending"

    form = html(browser.get(reverse(INDEX))).select_one(f'form[action="{url}"]')
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    response = browser.post(url, {**fields, "decision": "approve"})

    assert response.status_code == 302 and response["Location"] == reverse(INDEX)
    held.refresh_from_db()
    assert held.status == "published"


def test_members_cannot_list_or_decide(client, case, member):
    held = post(case, member, "Waiting post")
    member.is_staff = True
    member.save()
    client.force_login(member)
    assert client.get(reverse(INDEX)).status_code in (302, 403)
    client.post(reverse("post_review:decide", args=[held.pk]), {"decision": "approve"})
    held.refresh_from_db()
    assert held.status == "pending"
