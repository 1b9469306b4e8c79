"""Drafts are safe: Enter saves, a title is enough, the address follows the title until
publication, and deleting asks first."""

from django.urls import reverse

from cases.contribute.submissions import State, submission
from cases.models import CaseStudyPage
from tests.contribute.conftest import photo
from tests.helpers import html, text

from .test_moderation import act

NEW = "/contribute/"


def test_enter_in_a_field_saves_a_draft_because_save_is_the_first_submit_button(member_client):
    """Implicit submission (Enter in a single-line field) uses the form's first submit
    button, so that must be "Save draft", and the buttons read in the order they are seen."""
    doc = html(member_client.get(NEW))
    buttons = doc.select("form.form button[type=submit]")
    assert [(b["value"], text(b)) for b in buttons] == [
        ("save", "Save draft"),
        ("preview", "Preview"),
        ("submit", "Send for review"),
    ]
    # No hidden duplicate: every submit button is visible and reachable.
    assert not [b for b in buttons if b.get("hidden") or b.get("tabindex") or b.get("aria-hidden")]


def test_a_draft_needs_only_a_title(member_client, member):
    response = member_client.post(NEW, {"title": "Enter key test draft", "action": "save"})
    page = CaseStudyPage.objects.get(contributor=member)
    assert response.status_code == 302
    assert response["Location"] == reverse("contribute:edit", args=[page.pk])
    assert page.draft_title == "Enter key test draft" and not page.live
    assert submission(page).state == State.DRAFT
    # It can be opened, edited and previewed again.
    doc = html(member_client.get(f"/contribute/{page.pk}/edit/"))
    assert doc.select_one("#id_title")["value"] == "Enter key test draft"
    assert member_client.get(f"/contribute/{page.pk}/preview/").status_code == 200


def test_a_draft_without_a_title_is_refused_and_keeps_what_was_typed(member_client, member):
    data = {"title": "", "summary": "Half a summary", "organisation": "GMP", "action": "save"}
    doc = html(member_client.post(NEW, data))
    assert "There is 1 problem" in text(doc.select_one("#error-summary"))
    assert doc.select_one("#id_title")["aria-describedby"].startswith("id_title_error")
    assert doc.select_one("#id_summary").text.strip() == "Half a summary"
    assert doc.select_one("#id_organisation")["value"] == "GMP"
    assert not CaseStudyPage.objects.filter(contributor=member).exists()


def test_sending_for_review_checks_everything_and_keeps_the_input(member_client, member):
    response = member_client.post(NEW, {"title": "Only a title", "action": "submit"})
    assert response.status_code == 200
    doc = html(response)
    errors = {
        e["id"].removeprefix("id_").removesuffix("_error") for e in doc.select(".field__errors")
    }
    assert {"summary", "organisation", "country", "case_date", "themes", "body"} <= errors
    assert doc.select_one("#id_title")["value"] == "Only a title"
    # Required fields are still marked as such on a re-displayed form.
    assert "(optional)" not in text(doc.select_one("label[for=id_summary]"))
    assert not CaseStudyPage.objects.filter(contributor=member).exists()


def test_an_image_without_alt_text_is_saved_in_a_draft_but_not_sent(
    member_client, member, contribution_data
):
    response = member_client.post(
        NEW, {**contribution_data, "action": "save", "hero_file": photo()}
    )
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(contributor=member)
    assert page.get_latest_revision_as_object().hero_image is not None
    doc = html(member_client.get(f"/contribute/{page.pk}/edit/"))
    kept = doc.select_one("#id_hero_kept")["value"]
    remove = doc.select_one(".kept-image input[type=checkbox][name=hero_remove]")
    assert not remove.has_attr("checked")
    assert text(doc.select_one(f"label[for={remove['id']}]")) == "Remove this image"
    response = member_client.post(
        f"/contribute/{page.pk}/edit/",
        {**contribution_data, "hero_kept": kept, "action": "submit"},
    )
    assert response.status_code == 200
    assert "Describe this image" in text(html(response).select_one(".field--error"))
    assert submission(page).state == State.DRAFT


def test_the_address_follows_the_title_until_first_publication(
    client, member, moderator, contribution_data, django_capture_on_commit_callbacks
):
    client.force_login(member)
    client.post(NEW, {"title": "Enter key test draft", "action": "save"})
    page = CaseStudyPage.objects.get(contributor=member)
    assert page.slug == "enter-key-test-draft"
    client.post(f"/contribute/{page.pk}/edit/", {**contribution_data, "action": "save"})
    page.refresh_from_db()
    assert page.slug == "live-tweeting-a-night-shift-in-ghent"

    # Sent, sent back for changes, renamed: the address follows again.
    client.post(f"/contribute/{page.pk}/edit/", {**contribution_data, "action": "submit"})
    act(client, moderator, page, "reject", capture=django_capture_on_commit_callbacks)
    client.force_login(member)
    renamed = {**contribution_data, "title": "A night shift, live", "action": "submit"}
    client.post(f"/contribute/{page.pk}/edit/", renamed)
    act(client, moderator, page, "approve", capture=django_capture_on_commit_callbacks)
    page = CaseStudyPage.objects.get(pk=page.pk)
    assert page.live and page.slug == "a-night-shift-live"
    assert page.url == "/cases/a-night-shift-live/"


def test_deleting_a_draft_asks_for_confirmation_first(member_client, member):
    member_client.post(NEW, {"title": "A draft to delete", "action": "save"})
    page = CaseStudyPage.objects.get(contributor=member)
    mine = html(member_client.get("/contribute/mine/"))
    link = mine.select_one(f'a[href="/contribute/{page.pk}/delete/"]')
    assert text(link) == "Delete “A draft to delete”"

    response = member_client.get(link["href"])
    assert response.status_code == 200
    assert CaseStudyPage.objects.filter(pk=page.pk).exists()
    doc = html(response)
    assert "A draft to delete" in text(doc.select_one("h1"))
    form = doc.select_one("main form[method=post]")
    assert form["action"] == f"/contribute/{page.pk}/delete/"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert text(doc.select_one('main a[href="/contribute/mine/"]')) == "No, keep it"

    response = member_client.post(form["action"])
    assert response.status_code == 302
    assert not CaseStudyPage.objects.filter(pk=page.pk).exists()


def test_another_members_draft_has_no_delete_page(client, member, other_member):
    client.force_login(member)
    client.post(NEW, {"title": "Mine alone", "action": "save"})
    page = CaseStudyPage.objects.get(contributor=member)
    client.force_login(other_member)
    assert client.get(f"/contribute/{page.pk}/delete/").status_code == 404
    assert client.post(f"/contribute/{page.pk}/delete/").status_code == 404
    assert CaseStudyPage.objects.filter(pk=page.pk).exists()
