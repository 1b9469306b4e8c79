"""Downloading one's data, and deleting the account either way."""

import json

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.urls import reverse

from cases.models import CaseStudyPage
from commonground.members.models import MemberProfile
from tests.factories import ImageFactory
from tests.members.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def contributions(member, make_case):
    published = make_case(title="Published one", contributor=member, contributed=True)
    draft = make_case(title="Draft one", contributor=member, contributed=True, live=False)
    draft.save_revision(user=member)
    in_review = make_case(title="In review", contributor=member, contributed=True, live=False)
    in_review.save_revision(user=member)
    in_review.get_workflow().start(in_review, member)
    other = make_case(title="Not hers")
    return {"published": published, "draft": draft, "in_review": in_review, "other": other}


def test_the_data_download_needs_a_signed_in_member(client):
    response = client.get(reverse("account_data"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_data_download_holds_account_profile_and_contributions(
    member_client, member, contributions
):
    EmailAddress.objects.create(user=member, email="jane.alt@example.org", verified=False)
    member.profile.organisation = "West Midlands Police"
    member.profile.save()

    response = member_client.get(reverse("account_data"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="commonground-jane-doe.json"'
    data = json.loads(response.content)
    assert data["account"]["email_addresses"] == [
        {"email": "jane@example.org", "verified": True, "primary": True},
        {"email": "jane.alt@example.org", "verified": False, "primary": False},
    ]
    assert data["account"]["date_joined"].startswith(str(member.date_joined.year))
    assert "last_login" in data["account"]
    assert data["profile"]["display_name"] == "Jane Doe"
    assert data["profile"]["handle"] == "jane-doe"
    assert data["profile"]["organisation"] == "West Midlands Police"
    states = {c["title"]: c for c in data["contributions"]}
    assert set(states) == {"Published one", "Draft one", "In review"}
    assert states["Published one"]["state"] == "published"
    assert states["Published one"]["url"].endswith(contributions["published"].url)
    assert states["Draft one"]["state"] == "draft"
    assert states["Draft one"]["url"] is None
    assert states["In review"]["state"] == "in review"


def test_the_data_download_holds_the_text_the_member_wrote_drafts_included(
    member_client, member, make_case
):
    from wagtail.rich_text import RichText

    image = ImageFactory()
    published = make_case(
        title="Published one",
        summary="What happened, in short.",
        contributor=member,
        contributed=True,
        body=[
            ("paragraph", RichText("<p>The story <b>as told</b>.</p>")),
            ("image", {"image": image, "alt_text": "A poster on a wall", "caption": "The poster"}),
        ],
        lessons=[("worked", "Short posts worked."), ("advice", "Ask the community first.")],
        outcomes=[("outcome", {"label": "Shares", "value": "1,200"})],
        source_event="A talk",
        authors=[("author", "Jane Doe")],
        hero_image=image,
        hero_alt="Officers at a stall",
        hero_caption="Our stall at the fair",
    )
    # A draft of changes to the published case, and a draft never sent: the latest text counts.
    changed = published.get_latest_revision_as_object()
    changed.summary = "What happened, corrected."
    changed.save_revision(user=member)
    draft = make_case(title="Draft one", contributor=member, contributed=True, live=False)
    draft.summary = "Half-written summary."
    draft.lessons = [("challenge", "Still thinking about this one.")]
    draft.save_revision(user=member)

    data = json.loads(member_client.get(reverse("account_data")).content)
    texts = {c["title"]: c["text"] for c in data["contributions"]}

    text = texts["Published one"]
    assert text["title"] == "Published one"
    assert text["summary"] == "What happened, corrected."
    assert text["body"] == "The story as told."
    assert text["lessons"] == [
        {"kind": "worked", "text": "Short posts worked."},
        {"kind": "advice", "text": "Ask the community first."},
    ]
    assert text["outcomes"] == [{"label": "Shares", "value": "1,200"}]
    assert text["source_event"] == "A talk"
    assert text["authors"] == ["Jane Doe"]
    assert text["images"] == [
        {"alt_text": "Officers at a stall", "caption": "Our stall at the fair"},
        {"alt_text": "A poster on a wall", "caption": "The poster"},
    ]
    assert texts["Draft one"]["summary"] == "Half-written summary."
    assert texts["Draft one"]["lessons"] == [
        {"kind": "challenge", "text": "Still thinking about this one."}
    ]


def test_the_download_of_one_member_holds_nothing_of_another(member_client, member):
    make_member("other@example.org", "Other Person")

    body = member_client.get(reverse("account_data")).content.decode()

    assert "other@example.org" not in body
    assert "Other Person" not in body


def delete(client, choice="keep", password=PASSWORD):
    return client.post(reverse("account_delete"), {"contributions": choice, "password": password})


def test_deleting_needs_the_password(member_client, member):
    response = delete(member_client, password="wrong")

    assert response.status_code == 200
    assert b"That is not your password." in response.content
    assert get_user_model().objects.filter(pk=member.pk).exists()


def test_deleting_needs_a_post_with_a_csrf_token(member, client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    response = delete(csrf_client)

    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=member.pk).exists()


def test_deleting_and_keeping_contributions(member_client, member, contributions):
    response = delete(member_client, "keep")

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=member.pk).exists()
    assert not MemberProfile.objects.filter(handle="jane-doe").exists()
    assert not EmailAddress.objects.filter(email="jane@example.org").exists()
    published = CaseStudyPage.objects.get(pk=contributions["published"].pk)
    assert published.live
    assert published.contributor is None and published.contributed
    assert not CaseStudyPage.objects.filter(
        pk__in=[contributions["draft"].pk, contributions["in_review"].pk]
    ).exists()
    assert CaseStudyPage.objects.filter(pk=contributions["other"].pk, live=True).exists()
    # Signed out, with a confirmation shown once.
    confirmation = member_client.get(response["Location"])
    assert b"Your account has been deleted" in confirmation.content
    assert "_auth_user_id" not in member_client.session
    assert member_client.get(response["Location"]).status_code == 302


def test_deleting_and_withdrawing_contributions(member_client, member, contributions):
    delete(member_client, "withdraw")

    published = CaseStudyPage.objects.get(pk=contributions["published"].pk)
    assert not published.live
    assert not get_user_model().objects.filter(pk=member.pk).exists()
    assert CaseStudyPage.objects.filter(pk=contributions["other"].pk, live=True).exists()
    assert not CaseStudyPage.objects.filter(pk=contributions["draft"].pk).exists()


def test_the_last_superuser_cannot_delete_their_account(client):
    admin = make_member("admin@example.org", "Site Admin", is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = delete(client)

    assert response.status_code == 200
    assert b"only administrator" in response.content
    assert get_user_model().objects.filter(pk=admin.pk).exists()

    make_member("admin2@example.org", "Second Admin", is_superuser=True, is_staff=True)
    assert delete(client).status_code == 302
    assert not get_user_model().objects.filter(pk=admin.pk).exists()


def test_deleting_the_account_removes_what_only_its_drafts_named(member_client, member, make_case):
    """Images and an organisation named only by a deleted member's draft go with it, not a
    day later with the clean-up."""
    from cases.models import Organisation
    from tests.factories import ImageFactory, OrganisationFactory

    image = ImageFactory()
    organisation = OrganisationFactory(name="Only in a draft")
    draft = make_case(
        title="Draft one", contributor=member, contributed=True, live=False,
        organisation=organisation, hero_image=image, hero_alt="A poster",
    )  # fmt: skip
    draft.save_revision(user=member)

    delete(member_client, "keep")

    assert not CaseStudyPage.objects.filter(pk=draft.pk).exists()
    assert not type(image).objects.filter(pk=image.pk).exists()
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
