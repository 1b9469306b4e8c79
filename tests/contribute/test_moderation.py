"""Moderation through the Wagtail admin: approve, request changes, reject, and the emails."""

import pytest

from django.core import mail
from django.urls import reverse

from cases.contribute.submissions import State, submission
from cases.models import CaseStudyPage, ModerationRecord
from search.query import SearchQuery
from search.service import get_search_service
from tests.helpers import html, text


@pytest.fixture
def submitted(client, member, moderator, contribution_data, django_capture_on_commit_callbacks):
    """A member's contribution, sent for review through the form."""
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contribute/", {**contribution_data, "action": "submit"})
    assert response.status_code == 302 and response["Location"] == "/contribute/mine/"
    client.logout()
    return CaseStudyPage.objects.get(contributor=member)


def act(client, moderator, page, action, comment="", capture=None):
    """A moderator takes a workflow action in the Wagtail admin, as its buttons do."""
    client.force_login(moderator)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    with capture(execute=True):
        response = client.post(url, {"comment": comment})
    assert response.status_code == 302, response.content[:500]
    client.logout()
    page.refresh_from_db()
    return response


def test_submitting_puts_the_case_in_review_and_emails_the_moderators(
    submitted, member, moderator
):
    assert submission(submitted).state == State.IN_REVIEW
    assert not submitted.live
    to_moderator = [m for m in mail.outbox if moderator.email in m.to]
    assert to_moderator, [m.to for m in mail.outbox]
    assert submitted.draft_title in to_moderator[0].body or submitted.draft_title in (
        to_moderator[0].subject
    )
    # Wagtail's admin-facing notices are not sent to the contributor.
    assert not [m for m in mail.outbox if member.email in m.to]


def test_mine_shows_the_submission_in_review(client, submitted, member):
    client.force_login(member)
    doc = html(client.get("/contribute/mine/"))
    assert text(doc.select_one(".state")) == "In review"
    assert not doc.select(f'a[href="/contribute/{submitted.pk}/edit/"]')
    # In review, the member cannot edit it.
    response = client.get(f"/contribute/{submitted.pk}/edit/")
    assert response.status_code == 302


def test_approval_publishes_credits_indexes_and_emails(
    client, submitted, member, moderator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    act(client, moderator, submitted, "approve", capture=django_capture_on_commit_callbacks)
    assert submitted.live
    assert submission(submitted).state == State.PUBLISHED
    assert submitted.contributor == member
    # Public, and found by the search service.
    assert client.get(submitted.url).status_code == 200
    results = get_search_service().search(SearchQuery(text="night shift Ghent"))
    assert submitted.external_id in [hit.external_id for hit in results.hits]
    # The contributor is told, with the public address.
    (message,) = [m for m in mail.outbox if member.email in m.to]
    assert message.subject.startswith("[Common Ground] Your case study is published")
    assert submitted.url in message.body
    assert ModerationRecord.objects.filter(
        page=submitted, action="approved", by=moderator
    ).exists()


def test_request_changes_then_edit_and_resubmit(
    client, submitted, member, moderator, contribution_data, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    act(
        client,
        moderator,
        submitted,
        "reject",
        comment="Please add the follower figures <b>before</b> and after.",
        capture=django_capture_on_commit_callbacks,
    )
    assert not submitted.live
    state = submission(submitted)
    assert state.state == State.CHANGES_REQUESTED
    (message,) = [m for m in mail.outbox if member.email in m.to]
    assert "Changes requested" in message.subject
    assert "Please add the follower figures <b>before</b> and after." in message.body
    assert f"/contribute/{submitted.pk}/edit/" in message.body

    client.force_login(member)
    mine = client.get("/contribute/mine/").content.decode()
    assert "Changes requested" in mine
    # The comment is shown as text, never as markup.
    assert "&lt;b&gt;before&lt;/b&gt;" in mine and "<b>before</b>" not in mine
    edit_page = client.get(f"/contribute/{submitted.pk}/edit/")
    assert "A moderator asked for changes." in edit_page.content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/contribute/{submitted.pk}/edit/",
            {
                **contribution_data,
                "outcomes": "Followers before: 1,000\nFollowers after: 5,200",
                "action": "submit",
            },
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submission(submitted).state == State.IN_REVIEW
    assert [m for m in mail.outbox if "mod@example.org" in m.to]
    # The moderator now reviews the new revision, and approval publishes it.
    act(client, moderator, submitted, "approve", capture=django_capture_on_commit_callbacks)
    live = CaseStudyPage.objects.get(pk=submitted.pk)
    assert [o.value["label"] for o in live.outcomes] == ["Followers before", "Followers after"]


def test_reject_ends_the_submission_for_good(
    client, submitted, member, moderator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    act(
        client,
        moderator,
        submitted,
        "decline",
        comment="This is an advert, not a case study.",
        capture=django_capture_on_commit_callbacks,
    )
    assert not submitted.live
    current = submission(submitted)
    assert current.state == State.REJECTED
    assert current.comment == "This is an advert, not a case study."
    (message,) = [m for m in mail.outbox if member.email in m.to]
    assert message.subject.startswith("[Common Ground] Your case study was not accepted")
    client.force_login(member)
    assert client.get(f"/contribute/{submitted.pk}/edit/").status_code == 302
    response = client.post(f"/contribute/{submitted.pk}/submit/")
    assert response.status_code == 302
    assert submission(submitted).state == State.REJECTED


def test_the_review_task_offers_the_three_decisions(submitted, moderator, member):
    task = submitted.current_workflow_task
    names = [name for name, _label, _modal in task.specific.get_actions(submitted, moderator)]
    assert names == ["reject", "approve", "approve", "decline"]
    assert task.specific.get_actions(submitted, member) == []


def test_submissions_per_day_are_limited(client, member, contribution_data, settings):
    client.force_login(member)
    client.post("/contribute/", {**contribution_data, "action": "submit"})
    client.post("/contribute/", {**contribution_data, "title": "Second", "action": "save"})
    second = CaseStudyPage.objects.get(contributor=member, title="Second")
    settings.CONTRIBUTIONS_PER_DAY = 1
    response = client.post(f"/contribute/{second.pk}/submit/", follow=True)
    assert "You can send at most 1 contribution a day for review" in response.content.decode()
    assert submission(second).state == State.DRAFT


def test_a_member_can_delete_a_draft_but_not_a_submission(client, member, contribution_data):
    client.force_login(member)
    client.post("/contribute/", {**contribution_data, "action": "save"})
    draft = CaseStudyPage.objects.get(contributor=member)
    client.post(f"/contribute/{draft.pk}/delete/")
    assert not CaseStudyPage.objects.filter(pk=draft.pk).exists()
    client.post("/contribute/", {**contribution_data, "action": "submit"})
    sent = CaseStudyPage.objects.get(contributor=member)
    client.post(f"/contribute/{sent.pk}/delete/")
    assert CaseStudyPage.objects.filter(pk=sent.pk).exists()


def test_publishing_from_the_editor_also_tells_the_contributor(
    submitted, member, moderator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submitted.get_latest_revision().publish(user=moderator)
    submitted.refresh_from_db()
    assert submission(submitted).state == State.PUBLISHED
    (message,) = [m for m in mail.outbox if member.email in m.to]
    assert message.subject.startswith("[Common Ground] Your case study is published")
    assert ModerationRecord.objects.filter(page=submitted, action="approved").count() == 1


def test_approving_records_one_decision_with_its_comment(
    client, submitted, moderator, django_capture_on_commit_callbacks
):
    act(
        client,
        moderator,
        submitted,
        "approve",
        comment="Great write-up.",
        capture=django_capture_on_commit_callbacks,
    )
    (record,) = ModerationRecord.objects.filter(page=submitted, action="approved")
    assert record.comment == "Great write-up." and record.by == moderator


def test_approval_dates_the_case_reviewed_and_later_edits_keep_the_date(
    client, submitted, moderator, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    assert submitted.last_reviewed is None
    act(client, moderator, submitted, "approve", capture=django_capture_on_commit_callbacks)
    assert submitted.last_reviewed == timezone.localdate()
    assert "Last reviewed" in text(html(client.get(submitted.url)).select_one(".case__credits"))
    # An editor's next revision starts from the approved one, so the date stays.
    later = submitted.get_latest_revision_as_object()
    later.summary = "Corrected."
    later.save_revision().publish()
    submitted.refresh_from_db()
    assert submitted.last_reviewed == timezone.localdate()


def test_changes_requested_does_not_date_the_case_reviewed(
    client, submitted, moderator, django_capture_on_commit_callbacks
):
    act(client, moderator, submitted, "reject", "More detail", django_capture_on_commit_callbacks)
    assert submitted.last_reviewed is None
    assert submitted.get_latest_revision_as_object().last_reviewed is None
