"""Contacting a case's contributor through the site, the contributor's reply by a signed
link, and the notices' stop links. Nobody's address reaches the other side."""

import email
import re

from bs4 import BeautifulSoup

from django.core import mail
from django.urls import reverse

from commonground import tokens
from commonground.discussion import notices, rules
from commonground.discussion.models import ContactMessage, Post, StoppedNotice
from commonground.members.models import MemberProfile
from tests.helpers import html, text


def path_of(body: str, pattern: str) -> str:
    url = re.search(r"https?://\S*" + pattern + r"\S*", body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_message_reaches_the_contributor_without_the_senders_address(
    client, as_member, case, member, contributor, commit
):
    response = commit(
        as_member.post,
        reverse("discussion:contact", args=[case.pk]),
        {"body": "Could you share your rota?\nThanks"},
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["cora.contributor@example.org"]
    assert message.reply_to == []
    assert "jane@example.org" not in message.message().as_string()
    assert "Jane Doe" in message.subject and "Could you share your rota?" in message.body

    # The contributor replies through the link, without signing in.
    client.logout()
    reply = path_of(message.body, "/discussion/messages/reply/")
    form_page = client.get(reply)
    assert "Could you share your rota?" in text(html(form_page).select_one("main"))
    assert "jane@example.org" not in form_page.content.decode()
    commit(client.post, reply, {"body": "Of course, here it is."})
    answer = mail.outbox[1]
    assert answer.to == ["jane@example.org"]
    assert answer.reply_to == []
    assert "cora.contributor@example.org" not in answer.message().as_string()
    assert "Of course, here it is." in answer.body


def test_names_cannot_inject_headers(as_member, case, contributor, member, commit):
    MemberProfile.objects.filter(user=member).update(
        display_name="Jane\r\nBcc: victim@example.org"
    )
    commit(as_member.post, reverse("discussion:contact", args=[case.pk]), {"body": "Hello"})
    [message] = mail.outbox
    parsed = email.message_from_string(message.message().as_string())
    assert parsed["Bcc"] is None and message.recipients() == ["cora.contributor@example.org"]
    assert "\n" not in message.subject and "\r" not in parsed["Subject"]


def test_contact_is_rate_limited(as_member, case, settings, commit):
    settings.DISCUSSION_CONTACTS_PER_DAY = 1
    url = reverse("discussion:contact", args=[case.pk])
    commit(as_member.post, url, {"body": "One"})
    response = commit(as_member.post, url, {"body": "Two"})
    assert response.status_code == 200
    assert "You have sent 1 messages today" in text(html(response).select_one("main"))
    assert ContactMessage.objects.count() == 1 and len(mail.outbox) == 1


def test_a_forged_reply_link_is_refused(client, case):
    forged = client.get(reverse("discussion:reply", args=["forged"]))
    assert forged.status_code == 400
    # The site's one page for a bad link (commonground.tokens.bad_token_page): it says what
    # is wrong, and offers no following page where the link was not about following.
    page = BeautifulSoup(forged.content, "html.parser").select_one("main")
    assert "not complete or has been changed" in text(page)
    assert not page.select(f"a[href='{reverse('following:mine')}']")
    other_kind = tokens.make(notices.STOP_THREAD, m=1)  # a stop token is no reply token
    assert client.get(reverse("discussion:reply", args=[other_kind])).status_code == 400


def test_the_stop_link_stops_that_threads_notices(client, case, other, contributor, commit):
    Post.objects.create(case=case, author=other, body="Earlier", status="published")
    commit(rules.add_post, other, case, "First question")
    [notice] = mail.outbox
    assert "First question" in notice.body
    assert "omar@example.org" not in notice.body
    stop = path_of(notice.body, "/discussion/notices/stop/")
    client.get(stop)
    assert not StoppedNotice.objects.exists()  # asks first
    client.post(stop)
    assert StoppedNotice.objects.filter(user=contributor, thread=f"case:{case.pk}").exists()

    commit(rules.add_post, other, case, "Second question")
    assert len(mail.outbox) == 1


def test_notices_are_in_the_recipients_language(case, contributor, other, commit):
    MemberProfile.objects.filter(user=contributor).update(language="nl")
    Post.objects.create(case=case, author=other, body="Earlier", status="published")
    commit(rules.add_post, other, case, "A question")
    [notice] = mail.outbox
    assert notice.subject.startswith("Een vraag over uw casus")


def test_an_answer_notice_shows_no_address_and_stops_only_that_question(
    client, case, member, other, commit
):
    question = Post.objects.create(case=case, author=other, body="Q?", status="published")
    Post.objects.create(case=case, author=member, body="Earlier", status="published")
    commit(rules.add_post, member, case, "An answer", question=question)
    [notice] = mail.outbox
    assert notice.to == ["omar@example.org"]
    assert "jane@example.org" not in notice.message().as_string()
    client.post(path_of(notice.body, "/discussion/notices/stop/"))
    assert StoppedNotice.objects.get(user=other).thread == f"question:{question.pk}"


def test_the_contact_link_shows_on_contributed_cases_to_others_only(
    client, as_member, case, contributor, make_case
):
    link = reverse("discussion:contact", args=[case.pk])
    assert html(as_member.get(case.url)).find("a", href=link)
    assert not html(as_member.get(make_case().url)).find("a", string="Contact the contributor")
    client.force_login(contributor)
    assert not html(client.get(case.url)).find("a", href=link)
