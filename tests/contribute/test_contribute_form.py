"""The contribution form: drafts, validation that keeps everything, images, preview, limits."""

import pytest

from django.urls import reverse

from cases.contribute.submissions import State, submission
from cases.models import CaseStudyPage, Organisation
from tests.contribute.conftest import photo
from tests.crafted_images import FRAME_BOMB_REFUSAL, frame_bomb_upload
from tests.helpers import html, text

NEW = "/contribute/"


def textarea(doc, selector):
    """A textarea's value as a browser reads it (one leading newline is not content)."""
    value = doc.select_one(selector).text
    return value[1:] if value.startswith("\n") else value


def post(client, data, action="save", url=NEW, **files):
    return client.post(url, {**data, **files, "action": action})


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/contribute/")


def test_unverified_members_cannot_contribute(client, unverified_member, contribution_data):
    client.force_login(unverified_member)
    response = post(client, contribution_data)
    assert response.status_code == 200
    assert b"verif" in response.content.lower()
    assert not CaseStudyPage.objects.filter(contributor=unverified_member).exists()


def test_saving_a_draft_creates_an_unpublished_case_owned_by_the_member(
    member_client, member, contribution_data
):
    response = post(member_client, contribution_data)
    page = CaseStudyPage.objects.get(contributor=member)
    assert response.status_code == 302
    assert response["Location"] == reverse("contribute:edit", args=[page.pk])
    assert not page.live
    assert page.contributed and page.owner == member
    draft = page.get_latest_revision_as_object()
    assert draft.title == contribution_data["title"]
    assert [b.value for b in draft.lessons] == [
        "People loved the honesty.",
        "Short posts worked best.",
        "Keeping up at 3 a.m.",
        "Have two people on the account.",
    ]
    assert [b.block_type for b in draft.lessons] == ["worked", "worked", "challenge", "advice"]
    assert [(o.value["label"], o.value["value"]) for o in draft.outcomes] == [
        ("Followers gained", "4,200"),
        ("Replies", "900"),
    ]
    assert draft.author_names == ["A. Peeters", "B. Claes"]
    # Markup typed into the story is kept as text, never as HTML.
    assert "&lt;b&gt;markup&lt;/b&gt;" in draft.body[1].value.source
    assert submission(page).state == State.DRAFT
    # The public cannot see it.
    from django.test import Client

    assert contribution_data["title"] not in Client().get("/cases/").content.decode()


def test_a_draft_is_not_public(client, member_client, member, contribution_data):
    post(member_client, contribution_data)
    page = CaseStudyPage.objects.get(contributor=member)
    client.logout()
    assert client.get(page.url or f"/cases/{page.slug}/").status_code == 404


def test_errors_keep_everything_typed_including_images(member_client, member, contribution_data):
    data = {**contribution_data, "title": "", "themes": [], "hero_alt": "Officers at the desk"}
    response = post(member_client, data, action="submit", hero_file=photo())
    assert response.status_code == 200
    doc = html(response)
    assert "There are 2 problems" in text(doc.select_one("#error-summary"))
    assert "and any image you chose, has been kept" in text(doc.select_one("#error-summary"))
    assert textarea(doc, "#id_summary") == contribution_data["summary"]
    assert textarea(doc, "#id_body").startswith("First paragraph.")
    assert doc.select_one("#id_organisation")["value"] == "Politiezone Gent"
    assert doc.select_one("#id_hero_alt")["value"] == "Officers at the desk"
    assert doc.select_one("#id_title")["aria-describedby"].startswith("id_title_error")
    # The image was stored and is carried by a token, so it need not be chosen again.
    token = doc.select_one("#id_hero_kept")["value"]
    assert token
    assert "Chosen:" in text(doc.select_one(".kept-image"))
    assert not CaseStudyPage.objects.filter(contributor=member).exists()

    fixed = {**contribution_data, "hero_kept": token, "hero_alt": "Officers at the desk"}
    response = post(member_client, fixed)
    assert response.status_code == 302
    draft = CaseStudyPage.objects.get(contributor=member).get_latest_revision_as_object()
    assert draft.hero_image is not None
    assert draft.hero_alt == "Officers at the desk"


def test_an_image_needs_alt_text_to_be_sent(member_client, member, contribution_data):
    response = post(member_client, contribution_data, action="submit", hero_file=photo())
    assert response.status_code == 200
    assert "Describe this image" in text(html(response).select_one(".field--error"))


def test_image_tokens_of_another_member_are_ignored(
    client, member, other_member, contribution_data
):
    client.force_login(other_member)
    response = post(client, {**contribution_data, "title": ""}, hero_file=photo())
    token = html(response).select_one("#id_hero_kept")["value"]
    client.force_login(member)
    post(client, {**contribution_data, "hero_kept": token, "hero_alt": "x"})
    draft = CaseStudyPage.objects.get(contributor=member).get_latest_revision_as_object()
    assert draft.hero_image is None


def test_a_bad_upload_is_refused_with_its_message_and_nothing_stored(
    member_client, member, contribution_data
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wagtail.images import get_image_model

    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = post(member_client, {**contribution_data, "hero_alt": "x"}, hero_file=fake)
    assert response.status_code == 200
    assert "is not a JPEG, PNG, WebP or GIF image" in response.content.decode()
    assert get_image_model().objects.count() == 0
    assert not CaseStudyPage.objects.filter(contributor=member).exists()
    # The summary must not say the refused image was kept.
    summary = text(html(response).select_one("#error-summary"))
    assert "but not the image marked below: choose it again" in summary
    assert "any image you chose, has been kept" not in summary


def test_with_one_image_refused_and_one_stored_the_summary_names_only_what_was_kept(
    member_client, member, contribution_data, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    data = {**contribution_data, "hero_alt": "x", "image_1_alt": "y"}
    response = post(member_client, data, hero_file=photo(), image_1_file=fake)
    doc = html(response)
    summary = text(doc.select_one("#error-summary"))
    assert "but not the image marked below" in summary
    assert doc.select_one("#id_hero_kept")["value"]  # the good one is kept all the same
    second = SimpleUploadedFile("two.jpg", b"nor this", content_type="image/jpeg")
    response = post(member_client, data, hero_file=fake, image_1_file=second)
    assert "but not the images marked below: choose them again" in text(
        html(response).select_one("#error-summary")
    )
    settings.LANGUAGE_CODE = "fr"
    member_client.cookies["django_language"] = "fr"
    response = post(member_client, data, hero_file=photo(), image_1_file=fake)
    assert "mais pas l’image signalée ci-dessous" in text(
        html(response).select_one("#error-summary")
    )


def test_a_gif_frame_bomb_is_refused_with_its_message_and_nothing_stored(
    member_client, member, contribution_data
):
    from wagtail.images import get_image_model

    data = {**contribution_data, "hero_alt": "x"}
    response = post(member_client, data, hero_file=frame_bomb_upload())
    assert response.status_code == 200
    assert FRAME_BOMB_REFUSAL in text(html(response))
    assert get_image_model().objects.count() == 0
    assert not CaseStudyPage.objects.filter(contributor=member).exists()


def test_body_images_become_figures_with_alt_and_caption(member_client, member, contribution_data):
    data = {**contribution_data, "image_1_alt": "A chart", "image_1_caption": "Replies by hour"}
    post(member_client, data, image_1_file=photo("chart.png", fmt="PNG"))
    draft = CaseStudyPage.objects.get(contributor=member).get_latest_revision_as_object()
    figure = draft.body[-1]
    assert figure.block_type == "image"
    assert figure.value["alt_text"] == "A chart"
    assert figure.value["caption"] == "Replies by hour"


def test_outcomes_must_be_label_and_value(member_client, contribution_data):
    response = post(member_client, {**contribution_data, "outcomes": "Followers: 10\njust text"})
    assert "check line 2" in response.content.decode()


@pytest.mark.parametrize("year", ["0001", "1899", "2101"])
def test_a_date_outside_the_library_years_is_refused_and_kept(
    member_client, member, contribution_data, year
):
    response = post(member_client, {**contribution_data, "case_date_year": year})
    doc = html(response)
    assert doc.select_one("#id_case_date_2")["value"] == year
    assert "from 1900 to 2100" in text(doc.select_one(".field--error"))
    assert not CaseStudyPage.objects.filter(contributor=member).exists()


def test_summary_over_600_characters_is_refused_and_kept(member_client, contribution_data):
    long = "x" * 601
    response = post(member_client, {**contribution_data, "summary": long})
    doc = html(response)
    assert textarea(doc, "#id_summary") == long
    assert "at most 600 characters" in text(doc.select_one(".field--error"))


def test_honeypot_filled_in_is_refused(member_client, member, contribution_data):
    response = post(member_client, {**contribution_data, "homepage": "http://spam.example"})
    assert response.status_code == 200
    assert not CaseStudyPage.objects.filter(contributor=member).exists()


def test_existing_organisation_is_reused_case_insensitively(
    member_client, member, contribution_data
):
    existing = Organisation.objects.create(name="Politiezone Gent", country="BE")
    post(member_client, {**contribution_data, "organisation": "politiezone  gent"})
    draft = CaseStudyPage.objects.get(contributor=member).get_latest_revision_as_object()
    assert draft.organisation == existing


def test_editing_a_draft_keeps_its_values_in_its_one_revision(
    member_client, member, contribution_data
):
    """A draft never sent for review is one revision, overwritten on each save, and its
    page row follows it (so what it drops is named by nothing any more)."""
    post(member_client, contribution_data)
    page = CaseStudyPage.objects.get(contributor=member)
    edit = reverse("contribute:edit", args=[page.pk])
    doc = html(member_client.get(edit))
    assert doc.select_one("#id_title")["value"] == contribution_data["title"]
    assert doc.select_one("#id_case_date_0")["value"] == "18"
    assert doc.select_one("#id_case_date_1 option[selected]")["value"] == "3"
    assert doc.select_one("#id_case_date_2")["value"] == "2024"
    assert textarea(doc, "#id_outcomes") == "Followers gained: 4,200\nReplies: 900"
    assert textarea(doc, "#id_lessons_worked") == (
        "People loved the honesty.\n\nShort posts worked best."
    )
    post(member_client, {**contribution_data, "title": "A better title"}, url=edit)
    page.refresh_from_db()
    assert page.draft_title == "A better title"
    assert page.title == "A better title"
    assert page.revisions.count() == 1
    assert CaseStudyPage.objects.filter(contributor=member).count() == 1


def test_preview_shows_the_draft_to_its_author_only(
    client, member, other_member, contribution_data
):
    client.force_login(member)
    response = post(client, contribution_data, action="preview")
    page = CaseStudyPage.objects.get(contributor=member)
    assert response["Location"] == reverse("contribute:preview", args=[page.pk])
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "Preview." in text(html(preview).select_one(".preview-banner"))
    assert contribution_data["title"] in preview.content.decode()
    client.force_login(other_member)
    assert client.get(response["Location"]).status_code == 404


def test_new_contributions_per_day_are_limited(member_client, member, contribution_data, settings):
    settings.CONTRIBUTIONS_PER_DAY = 2
    for n in range(2):
        post(member_client, {**contribution_data, "title": f"Case {n}"})
    response = post(member_client, {**contribution_data, "title": "One too many"})
    assert response.status_code == 200
    assert "at most 2 new contributions a day" in response.content.decode()
    assert html(response).select_one("#id_title")["value"] == "One too many"
    assert CaseStudyPage.objects.filter(contributor=member).count() == 2


def test_the_form_offers_conference_sessions(member_client, member, contribution_data):
    from cases.models import EventSession
    from tests.factories import EventPageFactory

    event = EventPageFactory()
    session = EventSession.objects.create(event=event, title="Humour that works")
    doc = html(member_client.get(NEW))
    options = [text(o) for o in doc.select("#id_event_session option")]
    assert any("Humour that works" in o for o in options)
    post(member_client, {**contribution_data, "event_session": str(session.pk)})
    draft = CaseStudyPage.objects.get(contributor=member).get_latest_revision_as_object()
    assert draft.event_session == session
    assert draft.source_event == event.title


def test_every_field_names_hints_and_errors_that_are_on_the_page(member_client, contribution_data):
    """The one field component gives its hint and error list the ids the widgets point at."""
    data = {**contribution_data, "title": "", "themes": []}
    doc = html(post(member_client, data, action="submit"))
    described = [el for el in doc.select("[aria-describedby]") if el.name != "a"]
    assert any("_error" in el["aria-describedby"] for el in described)
    for element in described:
        for target in element["aria-describedby"].split():
            assert doc.find(id=target) is not None, f"{element.get('id')} names missing {target}"
