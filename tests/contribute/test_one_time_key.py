"""The new-contribution form's one-time key: posted again (Back then Enter, a double
click, two requests at once), it saves into the draft it made and never starts another."""

import uuid

from django.urls import reverse

from cases.contribute import submissions
from cases.contribute.submissions import State, submission, submit
from cases.models import CaseStudyPage, ContributionStart
from tests.helpers import html, text

NEW = "/contribute/"


def form_key(client) -> str:
    return html(client.get(NEW)).select_one("input[name=form_key]")["value"]


def post(client, data, key, action="save"):
    return client.post(NEW, {**data, "form_key": key, "action": action}, follow=True)


def test_each_new_form_gets_its_own_key_and_edit_forms_none(member_client, contribution_data):
    first, second = form_key(member_client), form_key(member_client)
    assert uuid.UUID(first) != uuid.UUID(second)
    post(member_client, contribution_data, first)
    page = CaseStudyPage.objects.get()
    edit = html(member_client.get(reverse("contribute:edit", args=[page.pk])))
    assert edit.select_one("input[name=form_key]") is None


def test_the_same_form_posted_again_updates_its_draft_and_says_so(
    member_client, member, contribution_data, settings
):
    settings.CONTRIBUTIONS_PER_DAY = 1
    key = form_key(member_client)
    post(member_client, contribution_data, key)
    page = CaseStudyPage.objects.get(contributor=member)

    # Back, a change, Enter: the same key, now with the day's one new contribution used.
    again = post(member_client, {**contribution_data, "summary": "Changed after Back."}, key)
    assert CaseStudyPage.objects.filter(contributor=member).count() == 1
    assert ContributionStart.objects.filter(member=member).count() == 1
    assert again.redirect_chain[-1][0] == reverse("contribute:edit", args=[page.pk])
    said = text(html(again).select_one("main"))
    assert "This form was already saved as “Live-tweeting a night shift in Ghent”" in said
    assert "today’s limit" not in said
    assert page.get_latest_revision_as_object().summary == "Changed after Back."


def test_a_second_post_that_passes_the_look_up_is_stopped_by_the_constraint(
    member_client, member, contribution_data, monkeypatch
):
    """Two posts at once both find no start with their key; the database refuses the
    second start, and that post saves into the first one's draft."""
    key = form_key(member_client)
    post(member_client, contribution_data, key)
    real = submissions.started_with
    calls = []

    def missed_once(user, form_key):
        calls.append(form_key)
        return None if len(calls) == 1 else real(user, form_key)

    monkeypatch.setattr(submissions, "started_with", missed_once)
    again = post(member_client, {**contribution_data, "title": "Double click"}, key)
    assert len(calls) == 2  # missed, then found after the constraint refused the insert
    page = CaseStudyPage.objects.get(contributor=member)
    assert ContributionStart.objects.filter(member=member).count() == 1
    assert page.get_latest_revision_as_object().title == "Double click"
    assert "This form was already saved as" in text(html(again).select_one("main"))


def test_another_members_key_is_theirs_alone(
    member_client, member, other_member, contribution_data, client
):
    key = form_key(member_client)
    post(member_client, contribution_data, key)
    client.force_login(other_member)
    post(client, {**contribution_data, "title": "Ben's own"}, key)
    assert CaseStudyPage.objects.filter(contributor=other_member).count() == 1
    assert CaseStudyPage.objects.get(contributor=member).draft_title != "Ben's own"


def test_after_the_draft_is_deleted_the_form_says_so_and_starts_afresh_with_a_new_key(
    member_client, member, contribution_data
):
    key = form_key(member_client)
    post(member_client, contribution_data, key)
    page = CaseStudyPage.objects.get(contributor=member)
    member_client.post(reverse("contribute:delete", args=[page.pk]))

    again = post(member_client, contribution_data, key)
    doc = html(again)
    assert "you have deleted that draft since" in text(doc.select_one("main"))
    assert doc.select_one("#id_title")["value"] == contribution_data["title"]
    fresh = doc.select_one("input[name=form_key]")["value"]
    assert fresh != key
    assert not CaseStudyPage.objects.filter(contributor=member).exists()
    post(member_client, contribution_data, fresh)
    assert CaseStudyPage.objects.filter(contributor=member).count() == 1


def test_a_form_already_sent_for_review_is_not_changed_again(
    member_client, member, contribution_data
):
    key = form_key(member_client)
    post(member_client, contribution_data, key, action="submit")
    page = CaseStudyPage.objects.get(contributor=member)
    assert submission(page).state == State.IN_REVIEW

    again = post(member_client, {**contribution_data, "summary": "Sent twice"}, key, "submit")
    assert again.redirect_chain[-1][0] == reverse("contribute:mine")
    assert "which is in review now, so nothing was changed" in again.content.decode()
    assert CaseStudyPage.objects.filter(contributor=member).count() == 1
    assert page.get_latest_revision_as_object().summary != "Sent twice"


def test_an_unreadable_key_is_no_key(member_client, member, contribution_data):
    response = post(member_client, contribution_data, "not-a-uuid")
    assert response.redirect_chain  # saved, no error about a hidden field
    assert ContributionStart.objects.get(member=member).form_key is None


def test_save_draft_refuses_a_used_key_without_counting(member, contribution_data):
    from cases.contribute.forms import ContributionForm

    key = uuid.uuid4()
    form = ContributionForm(contribution_data, user=member)
    assert form.is_valid(), form.errors
    page = submissions.save_draft(form, member, form_key=key)
    submit(page, member)
    try:
        submissions.save_draft(form, member, form_key=key)
    except submissions.AlreadyStarted as started:
        assert started.page.pk == page.pk
    else:
        raise AssertionError("a used key started another contribution")
    assert ContributionStart.objects.filter(member=member).count() == 1
