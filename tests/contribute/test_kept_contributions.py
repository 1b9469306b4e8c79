"""What the daily limit stops from being saved is kept in the database for its member:
back on another device, after signing out, with its images; nobody else sees it; saving or
discarding it, or a week untouched, removes it."""

import datetime

from django.test import Client
from django.utils import timezone

from wagtail.images import get_image_model

from cases.contribute.cleanup import clean_contributions
from cases.contribute.kept import MOST_CHARACTERS
from cases.models import CaseStudyPage, ContributionUpload, KeptContribution
from tests.contribute.conftest import photo
from tests.helpers import html, text

NEW = "/contribute/"


def post(client, data, **files):
    return client.post(NEW, {**data, **files, "action": "save"})


def limited(settings, member_client, contribution_data, **files):
    """The day's allowance used up, then a new contribution refused and kept."""
    settings.CONTRIBUTIONS_PER_DAY = 0
    response = post(member_client, {**contribution_data, "title": "Kept for later"}, **files)
    assert "today’s limit of new contributions" in text(html(response).select_one("main"))
    return response


def test_what_the_limit_stopped_is_kept_in_the_database_not_the_session(
    member_client, member, contribution_data, settings
):
    limited(settings, member_client, contribution_data)
    kept = KeptContribution.objects.get(member=member)
    assert kept.page is None and kept.reason == "limit"
    assert kept.data["title"] == ["Kept for later"]
    assert "csrfmiddlewaretoken" not in kept.data and "action" not in kept.data
    session = member_client.session
    assert not any(key.startswith("contribute") for key in session.keys())  # noqa: SIM118

    member_client.logout()  # another browser, a day later
    other_device = Client()
    other_device.force_login(member)
    doc = html(other_device.get(NEW))
    assert doc.select_one("#id_title")["value"] == "Kept for later"
    assert doc.select_one("#id_case_date_2")["value"] == "2024"
    assert "back in this form" in text(doc.select_one(".notice"))


def test_nobody_else_gets_it(member_client, other_member, contribution_data, settings, client):
    limited(settings, member_client, contribution_data)
    client.force_login(other_member)
    doc = html(client.get(NEW))
    assert doc.select_one("#id_title").get("value") is None
    assert doc.select_one(".notice") is None


def test_saving_it_as_a_draft_or_discarding_it_removes_it(
    member_client, member, contribution_data, settings
):
    limited(settings, member_client, contribution_data)
    settings.CONTRIBUTIONS_PER_DAY = 5
    assert post(member_client, {**contribution_data, "title": "Kept for later"}).status_code == 302
    assert not KeptContribution.objects.exists()

    limited(settings, member_client, contribution_data)
    assert member_client.get(NEW + "?discard=1").status_code == 302
    assert not KeptContribution.objects.exists()
    assert html(member_client.get(NEW)).select_one("#id_title").get("value") is None


def test_its_image_is_kept_by_reference_and_spared_by_the_clean_up(
    member_client, member, contribution_data, settings
):
    limited(
        settings, member_client, {**contribution_data, "hero_alt": "A poster"}, hero_file=photo()
    )
    image = get_image_model().objects.get()
    kept = KeptContribution.objects.get(member=member)
    assert kept.images == {"hero": image.pk}
    assert not any(key.endswith("_kept") for key in kept.data)

    # Two days on, the pending upload is past its day, but the kept form still names it.
    clean_contributions(now=timezone.now() + datetime.timedelta(days=2))
    assert get_image_model().objects.filter(pk=image.pk).exists()
    doc = html(member_client.get(NEW))
    assert f"Chosen: {image.title}" in text(doc.select_one(".kept-image"))

    # Saved at last: the image belongs to the draft.
    settings.CONTRIBUTIONS_PER_DAY = 5
    data = {
        "title": "Kept for later",
        "hero_kept": doc.select_one("#id_hero_kept")["value"],
        "hero_alt": "A poster",
    }
    assert post(member_client, data).status_code == 302
    page = CaseStudyPage.objects.get(contributor=member)
    assert ContributionUpload.objects.get(image=image).page_id == page.pk


def test_the_clean_up_removes_a_kept_form_untouched_for_a_week_and_then_its_image(
    member_client, member, contribution_data, settings
):
    limited(
        settings, member_client, {**contribution_data, "hero_alt": "A poster"}, hero_file=photo()
    )
    six_days = clean_contributions(now=timezone.now() + datetime.timedelta(days=6))
    assert six_days.kept == 0 and KeptContribution.objects.exists()
    later = clean_contributions(now=timezone.now() + datetime.timedelta(days=8))
    assert later.kept == 1 and later.images == 1
    assert not KeptContribution.objects.exists()
    assert not get_image_model().objects.exists()


def test_a_form_too_long_to_keep_is_not_kept_and_the_page_says_so(
    member_client, member, contribution_data, settings
):
    settings.CONTRIBUTIONS_PER_DAY = 0
    # Valid (blank lines between outcomes count for nothing), and longer than is kept.
    huge = "Followers: 10" + "\n" * MOST_CHARACTERS + "Replies: 4"
    response = post(member_client, {**contribution_data, "outcomes": huge})
    doc = html(response)
    assert "too long to be kept for later" in text(doc.select_one("#error-summary"))
    assert "Nothing you typed is lost" not in text(doc.select_one("#error-summary"))
    assert not KeptContribution.objects.exists()
