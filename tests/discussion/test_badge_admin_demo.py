"""The verified practitioner badge, the admin's review listing, and the demo threads."""

import pytest
from allauth.account.models import EmailAddress

from django.urls import reverse

from commonground.discussion import rules
from commonground.discussion.demo import THREADS, load_threads
from commonground.discussion.models import Post, PractitionerDomain
from tests.helpers import html
from tests.members.conftest import make_member


@pytest.fixture
def police_uk(db):
    return PractitionerDomain.objects.create(domain="Police.UK.")  # stored as police.uk


@pytest.mark.parametrize(
    ("address", "verified", "badge"),
    [
        ("a@police.uk", True, True),
        ("a@met.police.uk", True, True),  # a subdomain
        ("a@police.uk.evil.com", True, False),  # a lookalike
        ("a@evilpolice.uk", True, False),
        ("a@met.police.uk", False, False),  # not verified
    ],
)
def test_the_badge_needs_a_verified_address_at_a_listed_domain(
    police_uk, address, verified, badge
):
    user = make_member(email=address, verified=verified)
    assert rules.is_verified_practitioner(user) is badge


def test_only_the_primary_address_counts(police_uk):
    user = make_member(email="a@example.org")
    EmailAddress.objects.create(user=user, email="a@police.uk", verified=True, primary=False)
    assert not rules.is_verified_practitioner(user)


def test_the_badge_shows_on_posts_and_the_profile(client, police_uk, case):
    officer = make_member(email="sam@met.police.uk", display_name="Sam Officer")
    civilian = make_member(email="ann@example.org", display_name="Ann Civilian")
    Post.objects.create(case=case, author=officer, body="From Sam", status="published")
    Post.objects.create(case=case, author=civilian, body="From Ann", status="published")
    posts = html(client.get(case.url)).select(".post")
    assert [bool(p.select_one(".badge--verified")) for p in posts] == [True, False]
    assert html(client.get(officer.profile.get_absolute_url())).select_one(".badge--verified")
    assert not html(client.get(civilian.profile.get_absolute_url())).select_one(".badge--verified")


def test_moderators_approve_in_the_admin(client, case, member, moderator):
    post = Post.objects.create(case=case, author=member, body="Waiting post")
    client.force_login(member)
    assert client.get(reverse("post_review:index")).status_code in (302, 403)
    client.force_login(moderator)
    listing = client.get(reverse("post_review:index"))
    assert "Waiting post" in listing.content.decode()
    client.post(reverse("post_review:decide", args=[post.pk]), {"decision": "approve"})
    post.refresh_from_db()
    assert post.status == "published"


def test_the_demo_threads_load_once(make_case):
    for external_id, *_rest in THREADS:
        make_case(external_id=external_id, slug=external_id)
    assert load_threads() == "Demo questions and answers: 6 post(s) added."
    assert load_threads() == "Demo questions and answers: 0 post(s) added."
    assert Post.objects.filter(status="published").count() == 6
    names = set(Post.objects.values_list("author__profile__display_name", flat=True))
    assert names == {"Sam Okafor", "Inés Vidal", "Pieter Dekker"}
    # One demo member is at the demo practitioner domain.
    assert len(rules.verified_practitioners(Post.objects.values_list("author", flat=True))) == 1
