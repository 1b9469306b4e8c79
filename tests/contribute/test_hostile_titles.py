"""A contribution titled with a line break once broke moderation: moderators were never
notified (BadHeaderError), each decision returned 500 after committing, the approved case
never reached the search index and the contributor got no e-mail."""

from django.core import mail

from cases.contribute.submissions import State, submission
from cases.models import CaseStudyPage
from search.query import SearchQuery
from search.service import get_search_service

from .test_moderation import act

HOSTILE = "Newline title\r\nBcc: victim@example.org"


def test_a_line_break_in_a_title_breaks_nothing(
    client, member, moderator, contribution_data, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/contribute/", {**contribution_data, "title": HOSTILE, "action": "submit"}
        )
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(contributor=member)
    to_moderator = [m for m in mail.outbox if moderator.email in m.to]
    assert to_moderator, "the moderators were not told"
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox)
    client.logout()

    mail.outbox.clear()
    act(client, moderator, page, "approve", capture=django_capture_on_commit_callbacks)
    assert submission(page).state == State.PUBLISHED
    (message,) = [m for m in mail.outbox if member.email in m.to]
    assert message.subject.startswith(
        "[Common Ground] Your case study is published: Newline title"
    )
    assert "\n" not in message.subject
    hits = get_search_service().search(SearchQuery("newline title")).hits
    assert [hit.page_id for hit in hits] == [page.pk]


def test_a_failing_mail_server_never_fails_a_decision(
    client, settings, member, moderator, contribution_data, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contribute/", {**contribution_data, "action": "submit"})
    client.logout()
    page = CaseStudyPage.objects.get(contributor=member)

    settings.EMAIL_DELIVERY_BACKEND = "tests.commonground.test_mail.FailingBackend"
    act(client, moderator, page, "approve", capture=django_capture_on_commit_callbacks)
    assert page.live
    hits = get_search_service().search(SearchQuery("night shift Ghent")).hits
    assert [hit.page_id for hit in hits] == [page.pk]
