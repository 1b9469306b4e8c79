"""Platforms are a list editors keep: X was Twitter (one platform, found by either name),
the migration merged them, and contributors can propose a platform the list lacks."""

import importlib

import pytest

from django.apps import apps
from django.urls import reverse

from cases.models import CaseStudyPage, Platform
from tests.factories import CaseStudyPageFactory
from tests.helpers import html, import_records, text

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("cases.migrations.0020_platforms_kept_by_editors")


def test_the_list_holds_todays_platforms_with_x_formerly_twitter():
    names = set(Platform.objects.values_list("name", flat=True))
    for name in ("Instagram", "TikTok", "LinkedIn", "WhatsApp", "Nextdoor", "Threads"):
        assert name in names
    assert {"Bluesky", "Telegram", "X", "Facebook", "YouTube"} <= names
    assert "Twitter" not in names
    x = Platform.objects.get(name="X")
    assert x.names == ["X", "Twitter"]
    assert x.label == "X (formerly Twitter)"


def test_the_migration_merges_twitter_into_x_in_cases_and_their_revisions():
    twitter = Platform.objects.create(name="Twitter", slug="twitter")
    x = Platform.objects.get(name="X")
    case = CaseStudyPageFactory(platforms=[twitter])
    both = CaseStudyPageFactory(platforms=[twitter, x])
    revision = case.save_revision()
    assert revision.content["platforms"] == [twitter.pk]

    MIGRATION.keep_platforms(apps, None)

    assert not Platform.objects.filter(pk=twitter.pk).exists()
    assert list(CaseStudyPage.objects.get(pk=case.pk).platforms.all()) == [x]
    assert list(CaseStudyPage.objects.get(pk=both.pk).platforms.all()) == [x]
    revision.refresh_from_db()
    assert revision.content["platforms"] == [x.pk]
    assert Platform.objects.get(pk=x.pk).former_names == "Twitter"


def test_the_migration_renames_twitter_when_there_is_no_x():
    Platform.objects.filter(name="X").delete()
    twitter = Platform.objects.create(name="Twitter", slug="twitter")
    case = CaseStudyPageFactory(platforms=[twitter])

    MIGRATION.keep_platforms(apps, None)

    renamed = Platform.objects.get(pk=twitter.pk)
    assert (renamed.name, renamed.slug, renamed.former_names) == ("X", "x", "Twitter")
    assert list(case.platforms.all()) == [renamed]
    assert Platform.objects.filter(name="Instagram").count() == 1  # seeding twice adds none


def test_searching_the_former_name_finds_the_platforms_cases(client):
    plain = {"summary": "Updates every hour.", "body": "Posted updates.", "lessons": []}
    import_records(
        [
            {**plain, "title": "Live updates during the floods", "platforms": ["X"]},
            {**plain, "title": "Live updates during the storm", "platforms": ["Facebook"]},
        ]
    )
    body = client.get("/api/search/", {"q": "twitter"}).json()
    assert [hit["title"] for hit in body["results"]] == ["Live updates during the floods"]


def test_a_contributor_proposes_a_platform_the_moderator_sees(member_client, member, client):
    response = member_client.post(
        "/contribute/",
        {"title": "Appeals on Mastodon", "proposed_platform": "Mastodon", "action": "save"},
    )
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(contributor=member)
    assert page.get_latest_revision_as_object().proposed_platform == "Mastodon"
    # Kept when the member comes back to the draft.
    form = html(member_client.get(f"/contribute/{page.pk}/edit/"))
    assert form.select_one("input[name=proposed_platform]")["value"] == "Mastodon"
    label = form.find("label", attrs={"for": form.select_one("[name=proposed_platform]")["id"]})
    assert text(label).startswith("Other platform")

    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(admin)
    edit = html(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])))
    assert edit.select_one("input[name=proposed_platform]")["value"] == "Mastodon"
