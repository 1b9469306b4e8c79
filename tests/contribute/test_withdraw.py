"""A member withdraws a submission until a moderator acts; "Last change" follows the review."""

import pytest

from django.urls import reverse

from wagtail.models import TaskState, WorkflowState

from cases.contribute.submissions import State, submission
from cases.models import CaseStudyPage, ModerationRecord
from tests.helpers import html, text

from .test_moderation import act


@pytest.fixture
def sent(client, member, moderator, contribution_data, django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contribute/", {**contribution_data, "action": "submit"})
    page = CaseStudyPage.objects.get(contributor=member)
    assert submission(page).state == State.IN_REVIEW
    return page


def withdraw_url(page):
    return reverse("contribute:withdraw", args=[page.pk])


def awaiting_review(client, moderator):
    """The titles in the moderator's "Awaiting your review" panel of the Wagtail dashboard."""
    client.force_login(moderator)
    return client.get("/admin/").content.decode()


def test_a_member_withdraws_a_submission_back_to_a_draft(client, sent, member, moderator):
    assert sent.draft_title in awaiting_review(client, moderator)
    client.force_login(member)
    mine = html(client.get("/contribute/mine/"))
    form = mine.select_one(f'form[action="{withdraw_url(sent)}"]')
    assert form["method"] == "post" and form.select_one("input[name=csrfmiddlewaretoken]")
    assert text(form.select_one("button")).startswith("Withdraw")

    response = client.post(withdraw_url(sent), follow=True)
    assert "back to a draft" in response.content.decode()
    assert submission(sent).state == State.DRAFT
    # Cancelled as Wagtail's own "Cancel workflow" does: the moderators are no longer asked.
    workflow_state = WorkflowState.objects.for_instance(sent).get()
    assert workflow_state.status == WorkflowState.STATUS_CANCELLED
    assert not TaskState.objects.filter(
        workflow_state=workflow_state, status=TaskState.STATUS_IN_PROGRESS
    ).exists()
    assert sent.draft_title not in awaiting_review(client, moderator)
    assert ModerationRecord.objects.filter(page=sent, action="withdrawn", by=member).exists()

    # Editable again, and it can be sent once more.
    client.force_login(member)
    assert client.get(f"/contribute/{sent.pk}/edit/").status_code == 200
    client.post(reverse("contribute:submit", args=[sent.pk]))
    assert submission(sent).state == State.IN_REVIEW


def test_withdrawing_is_post_only(client, sent, member):
    client.force_login(member)
    assert client.get(withdraw_url(sent)).status_code == 405
    assert submission(sent).state == State.IN_REVIEW


def test_withdrawing_needs_the_csrf_token(sent, member):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    assert browser.post(withdraw_url(sent)).status_code == 403
    assert submission(sent).state == State.IN_REVIEW


def test_only_the_owner_can_withdraw(client, sent, other_member):
    client.force_login(other_member)
    assert client.post(withdraw_url(sent)).status_code == 404
    assert submission(sent).state == State.IN_REVIEW


def test_no_withdrawing_once_a_moderator_has_acted(
    client, sent, member, moderator, django_capture_on_commit_callbacks
):
    act(client, moderator, sent, "reject", capture=django_capture_on_commit_callbacks)
    client.force_login(member)
    response = client.post(withdraw_url(sent), follow=True)
    assert "cannot be withdrawn" in response.content.decode()
    assert submission(sent).state == State.CHANGES_REQUESTED


def test_last_change_moves_when_the_moderator_decides(
    client, sent, member, moderator, contribution_data, django_capture_on_commit_callbacks
):
    client.force_login(member)
    client.post("/contribute/", {**contribution_data, "title": "A later draft", "action": "save"})
    before = submission(sent).updated_at
    act(client, moderator, sent, "reject", capture=django_capture_on_commit_callbacks)
    decided = ModerationRecord.objects.filter(page=sent).latest("created_at").created_at
    assert submission(sent).updated_at == decided > before

    client.force_login(member)
    rows = html(client.get("/contribute/mine/")).select("table.submissions tbody tr")
    # Last changed first: the decision puts the sent case above the later draft.
    assert contribution_data["title"] in text(rows[0])
    assert rows[0].select_one("time")["datetime"] == decided.isoformat()
