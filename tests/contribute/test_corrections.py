"""After publication a contributor proposes a correction: a draft revision that leaves the
live page alone, reviewed in the moderators' queue, published only on approval."""

import pytest

from django.core import mail
from django.urls import reverse

from cases.contribute.submissions import State, submission
from cases.models import CaseStudyPage
from tests.helpers import html, text

from .test_moderation import act

LIVE_TITLE = "Live-tweeting a night shift in Ghent"
CORRECTED = "Live-tweeting two night shifts in Ghent"


@pytest.fixture
def published(client, member, moderator, contribution_data, django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contribute/", {**contribution_data, "action": "submit"})
    page = CaseStudyPage.objects.get(contributor=member)
    act(client, moderator, page, "approve", capture=django_capture_on_commit_callbacks)
    assert page.live and page.title == LIVE_TITLE
    return page


def correct_url(page):
    return reverse("contribute:correct", args=[page.pk])


def propose(client, member, page, data, action, capture):
    client.force_login(member)
    changed = {**data, "title": CORRECTED, "summary": "Two night shifts, every call posted."}
    with capture(execute=True):
        response = client.post(correct_url(page), {**changed, "action": action})
    assert response.status_code == 302, response.content[:500]
    page.refresh_from_db()
    return response


def public_text(client, page):
    client.logout()
    return client.get(page.url).content.decode()


def test_mine_offers_a_correction_and_the_form_opens_with_the_published_text(
    client, published, member
):
    client.force_login(member)
    mine = html(client.get("/contribute/mine/"))
    link = mine.select_one(f'a[href="{correct_url(published)}"]')
    assert link is not None and "Propose a correction" in text(link)
    form = html(client.get(correct_url(published)))
    assert form.select_one("input[name=title]")["value"] == LIVE_TITLE
    assert form.select_one("input[name=organisation]")["value"] == "Politiezone Gent"
    assert "Correct “" in text(form.select_one("h1"))


def test_a_saved_correction_leaves_the_live_page_unchanged(
    client, published, member, contribution_data, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    propose(client, member, published, contribution_data, "save", capture)
    assert submission(published).state == State.CORRECTION
    assert published.live and published.title == LIVE_TITLE
    assert published.has_unpublished_changes
    page = public_text(client, published)
    assert LIVE_TITLE in page and CORRECTED not in page
    # The contributor goes on editing the correction, not the published text.
    client.force_login(member)
    form = html(client.get(reverse("contribute:edit", args=[published.pk])))
    assert form.select_one("input[name=title]")["value"] == CORRECTED


def test_approval_publishes_the_correction(
    client, published, member, moderator, contribution_data, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    propose(client, member, published, contribution_data, "submit", capture)
    state = submission(published)
    assert state.state == State.IN_REVIEW and state.label == "Correction in review"
    assert LIVE_TITLE in public_text(client, published)
    # The moderator's queue names it as a correction to the live case, with a diff.
    client.force_login(moderator)
    dashboard = client.get("/admin/").content.decode()
    assert f"Correction to “{LIVE_TITLE}”" in dashboard
    assert f"/admin/pages/{published.pk}/revisions/compare/live..." in dashboard
    mail.outbox.clear()
    act(client, moderator, published, "approve", capture=capture)
    assert published.title == CORRECTED and not published.has_unpublished_changes
    page = public_text(client, published)
    assert CORRECTED in page and "Two night shifts, every call posted." in page
    assert submission(published).state == State.PUBLISHED
    (message,) = [m for m in mail.outbox if member.email in m.to]
    assert message.subject.startswith("[Common Ground] Your correction is published")


def test_rejection_keeps_the_live_page(
    client, published, member, moderator, contribution_data, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    propose(client, member, published, contribution_data, "submit", capture)
    mail.outbox.clear()
    act(client, moderator, published, "decline", comment="Not what happened.", capture=capture)
    assert published.live and published.title == LIVE_TITLE
    assert not published.has_unpublished_changes
    assert LIVE_TITLE in public_text(client, published)
    current = submission(published)
    assert current.state == State.PUBLISHED and current.comment == "Not what happened."
    (message,) = [m for m in mail.outbox if member.email in m.to]
    assert message.subject.startswith("[Common Ground] Your correction was not accepted")
    # A new correction starts from the published text, not the rejected one.
    client.force_login(member)
    form = html(client.get(correct_url(published)))
    assert form.select_one("input[name=title]")["value"] == LIVE_TITLE


def test_the_contributor_cannot_publish_a_correction_themselves(
    client, published, member, contribution_data, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    propose(client, member, published, contribution_data, "submit", capture)
    client.force_login(member)
    task_state = published.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[published.pk, "approve", task_state.pk]
    )
    client.post(url, {"comment": ""})
    published.refresh_from_db()
    assert published.title == LIVE_TITLE
    assert submission(published).state == State.IN_REVIEW


def test_other_members_see_nothing_of_a_correction(
    client, published, member, other_member, contribution_data, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    propose(client, member, published, contribution_data, "save", capture)
    client.cookies.clear()  # another browser
    client.force_login(other_member)
    for name in ("correct", "edit", "preview", "discard", "submit"):
        url = reverse(f"contribute:{name}", args=[published.pk])
        response = client.post(url) if name in ("discard", "submit") else client.get(url)
        assert response.status_code == 404, name
        assert CORRECTED not in response.content.decode()
    assert CORRECTED not in client.get(published.url).content.decode()
    published.refresh_from_db()
    assert submission(published).state == State.CORRECTION


def test_the_contributor_withdraws_then_discards_a_correction(
    client, published, member, moderator, contribution_data, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    propose(client, member, published, contribution_data, "submit", capture)
    client.force_login(member)
    client.post(reverse("contribute:withdraw", args=[published.pk]))
    assert submission(published).state == State.CORRECTION
    client.force_login(moderator)
    assert f"Correction to “{LIVE_TITLE}”" not in client.get("/admin/").content.decode()
    client.force_login(member)
    mine = html(client.get("/contribute/mine/"))
    assert mine.select_one(f'form[action="{reverse("contribute:discard", args=[published.pk])}"]')
    client.post(reverse("contribute:discard", args=[published.pk]))
    published.refresh_from_db()
    assert submission(published).state == State.PUBLISHED
    assert not published.has_unpublished_changes
    assert LIVE_TITLE in public_text(client, published)
    # Discarding never deletes the published case.
    assert CaseStudyPage.objects.filter(pk=published.pk, live=True).exists()
    client.force_login(member)
    assert client.get(reverse("contribute:delete", args=[published.pk])).status_code == 302
    assert CaseStudyPage.objects.filter(pk=published.pk).exists()


def messages_after(client, response) -> list[str]:
    assert response.status_code == 302
    return [text(li) for li in html(client.get(response["Location"])).select(".messages li")]


def test_why_a_correction_cannot_change_is_said_in_whole_sentences(
    client, published, member, contribution_data, django_capture_on_commit_callbacks
):
    """Not "„…“ ist korrektur in prüfung": each state has a sentence of its own."""
    propose(
        client, member, published, contribution_data, "submit", django_capture_on_commit_callbacks
    )
    client.force_login(member)
    client.get(reverse("contribute:mine"))  # shows the message that the correction was sent
    client.cookies["django_language"] = "de"
    edit = client.get(reverse("contribute:edit", args=[published.pk]))
    assert messages_after(client, edit) == [
        f"Ihre Korrektur von „{CORRECTED}“ wird geprüft und kann daher jetzt nicht bearbeitet "
        "werden."
    ]
    send = client.post(reverse("contribute:submit", args=[published.pk]))
    assert messages_after(client, send) == [
        f"Ihre Korrektur von „{CORRECTED}“ wird bereits geprüft."
    ]


def test_a_draft_cannot_be_corrected_and_says_so_in_a_whole_sentence(member_client, member):
    saved = member_client.post("/contribute/", {"title": "A draft", "action": "save"})
    messages_after(member_client, saved)  # "Draft of “A draft” saved."
    page = CaseStudyPage.objects.get(contributor=member)
    response = member_client.get(correct_url(page))
    assert messages_after(member_client, response) == [
        "“A draft” is still a draft, so no correction can be proposed now."
    ]
