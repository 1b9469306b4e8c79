"""What a member can store through the contribution form is bounded: images kept pending
(uploaded, in no saved contribution yet) and megabytes a day, checked before a file is
decoded, refused with a message on the file field that keeps the rest of the form."""

import io
import os

import PIL.Image
import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.images import get_image_model

from cases.models import CaseStudyPage
from tests.contribute.conftest import photo
from tests.crafted_images import noise_tiles
from tests.helpers import html, text

NEW = "/contribute/"


def noisy_png(name="noise.png", side=450) -> SimpleUploadedFile:
    """A PNG of random pixels: it does not compress, so it is about side² × 3 bytes."""
    buffer = io.BytesIO()
    PIL.Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def images():
    return get_image_model().objects.count()


def post(client, data, url=NEW, **files):
    return client.post(url, {**data, **files, "action": "save"})


@pytest.fixture
def invalid(contribution_data):
    """The contribution with one error (no title), so the form is shown again."""
    return {**contribution_data, "title": "", "hero_alt": "a", "image_1_alt": "b"}


def test_invalid_posts_store_at_most_the_pending_allowance(
    member_client, member, invalid, settings
):
    """The attack that stored 60 images: 20 invalid posts of three new images each."""
    settings.CONTRIBUTION_PENDING_IMAGES = 6
    for _ in range(20):
        response = post(
            member_client,
            {**invalid, "image_2_alt": "c", "summary": "Kept summary"},
            hero_file=photo(),
            image_1_file=photo(),
            image_2_file=photo(),
        )
        assert response.status_code == 200
    assert images() == 6
    from cases.models import ContributionUpload

    assert ContributionUpload.objects.filter(member=member).count() == 6
    doc = html(response)
    for slot in ("hero", "image_1", "image_2"):
        error = text(doc.select_one(f"#id_{slot}_file_error"))
        assert "You already have 6 images waiting" in error
    assert "Kept summary" in doc.select_one("#id_summary").text
    assert not CaseStudyPage.objects.filter(contributor=member).exists()


def test_an_upload_over_the_allowance_is_refused_before_it_is_decoded(
    member_client, invalid, settings, monkeypatch
):
    settings.CONTRIBUTION_PENDING_IMAGES = 1
    post(member_client, invalid, hero_file=photo())
    assert images() == 1
    opened = []
    real_open = PIL.Image.open
    monkeypatch.setattr(PIL.Image, "open", lambda *a, **k: opened.append(1) or real_open(*a, **k))
    response = post(member_client, invalid, hero_file=photo())
    assert "You already have 1 image waiting" in response.content.decode()
    assert opened == []
    assert images() == 1


def test_megabytes_a_day_are_bounded_even_after_deleting_what_was_uploaded(
    member_client, member, contribution_data, settings
):
    settings.CONTRIBUTION_UPLOAD_MB_PER_DAY = 1
    data = {**contribution_data, "hero_alt": "Noise"}
    response = post(member_client, data, hero_file=noisy_png())
    assert response.status_code == 302  # saved: the image is no longer pending
    page = CaseStudyPage.objects.get(contributor=member)
    edit = reverse("contribute:edit", args=[page.pk])

    response = post(
        member_client, {**data, "image_1_alt": "More"}, url=edit, image_1_file=noisy_png()
    )
    assert response.status_code == 200
    error = text(html(response).select_one("#id_image_1_file_error"))
    assert "past the 1 MB of images you can upload in a day" in error
    assert images() == 1

    member_client.post(reverse("contribute:delete", args=[page.pk]))
    assert images() == 0  # the draft's image went with it, but not the day's allowance
    response = post(member_client, data, hero_file=noisy_png())
    assert response.status_code == 200
    assert "past the 1 MB" in response.content.decode()
    assert images() == 0


def lossless_tiles(name="tiles.webp", side=900) -> SimpleUploadedFile:
    """A few kilobytes uploaded, stored (re-encoded lossy) as hundreds of kilobytes."""
    buffer = io.BytesIO()
    noise_tiles((side, side)).save(buffer, "WEBP", lossless=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/webp")


def test_the_days_megabytes_count_what_is_stored_not_only_what_is_received(
    member_client, member, contribution_data, settings
):
    from cases.models import ContributionUpload

    settings.CONTRIBUTION_UPLOAD_MB_PER_DAY = 1
    data = {**contribution_data, "hero_alt": "Tiles"}
    upload = lossless_tiles()
    assert upload.size < 100 * 1024
    assert post(member_client, data, hero_file=upload).status_code == 302
    first = ContributionUpload.objects.get(member=member)
    assert first.size == upload.size
    assert first.stored_size == get_image_model().objects.get().file.size
    assert 0.5 < first.stored_size / 1024 / 1024 < 1

    page = CaseStudyPage.objects.get(contributor=member)
    edit = reverse("contribute:edit", args=[page.pk])
    response = post(
        member_client, {**data, "image_1_alt": "More"}, url=edit, image_1_file=lossless_tiles()
    )
    assert response.status_code == 200
    error = text(html(response).select_one("#id_image_1_file_error"))
    assert "past the 1 MB of images you can upload in a day" in error
    assert images() == 1


def test_replacing_an_image_again_and_again_is_bounded_by_the_hourly_checks(
    member_client, invalid, settings
):
    """The review replaced the same slot's image over and over: each one is decoded."""
    settings.IMAGE_CHECKS_PER_HOUR = 2
    token = ""
    for name in ("first.jpg", "second.jpg"):
        doc = html(post(member_client, {**invalid, "hero_kept": token}, hero_file=photo(name)))
        token = doc.select_one("#id_hero_kept")["value"]
    kept = get_image_model().objects.get()

    response = post(
        member_client,
        {**invalid, "hero_kept": token, "summary": "Kept summary"},
        hero_file=photo("third.jpg"),
    )

    doc = html(response)
    assert text(doc.select_one("#id_hero_file_error")) == (
        "You have uploaded 2 images in the last hour, the most we check in an hour. Everything "
        "else you typed is kept; please choose this image again in an hour."
    )
    assert "Kept summary" in doc.select_one("#id_summary").text
    assert get_image_model().objects.get() == kept  # the second image stays in the form
    assert doc.select_one("#id_hero_kept")["value"]


def test_images_in_a_saved_draft_are_no_longer_pending(
    member_client, member, contribution_data, settings
):
    settings.CONTRIBUTION_PENDING_IMAGES = 1
    data = {**contribution_data, "hero_alt": "First"}
    assert post(member_client, data, hero_file=photo()).status_code == 302
    assert post(member_client, {**data, "title": "Second"}, hero_file=photo()).status_code == 302
    assert images() == 2
    from cases.models import ContributionUpload

    assert not ContributionUpload.objects.filter(member=member, page=None).exists()


def test_replacing_or_removing_a_pending_image_deletes_it(member_client, invalid, settings):
    settings.CONTRIBUTION_PENDING_IMAGES = 1
    doc = html(post(member_client, invalid, hero_file=photo("first.jpg")))
    first = get_image_model().objects.get()
    token = doc.select_one("#id_hero_kept")["value"]

    # The allowance is used, but a new file for the same slot takes the old one's place.
    doc = html(post(member_client, {**invalid, "hero_kept": token}, hero_file=photo("second.jpg")))
    second = get_image_model().objects.get()
    assert second.pk != first.pk
    token = doc.select_one("#id_hero_kept")["value"]

    post(member_client, {**invalid, "hero_kept": token, "hero_remove": "on"})
    assert images() == 0


def test_a_kept_image_that_no_longer_exists_is_asked_for_again(member_client, member, invalid):
    doc = html(post(member_client, invalid, hero_file=photo()))
    token = doc.select_one("#id_hero_kept")["value"]
    get_image_model().objects.all().delete()  # as the clean-up does after a day
    response = post(member_client, {**invalid, "title": "Now complete", "hero_kept": token})
    assert response.status_code == 200
    error = text(html(response).select_one("#id_hero_file_error"))
    assert "no longer kept" in error
    assert not CaseStudyPage.objects.filter(contributor=member).exists()


def test_a_honeypot_post_stores_no_image(member_client, contribution_data):
    data = {**contribution_data, "hero_alt": "x", "homepage": "http://spam.example"}
    assert post(member_client, data, hero_file=photo()).status_code == 200
    assert images() == 0
