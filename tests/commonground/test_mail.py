"""Every e-mail goes through the queue (commonground/mail.py): headers on one line, delivery
by a task that retries, and a mail server that fails never fails the request."""

import smtplib
from datetime import timedelta

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from commonground.mail import safe_subject

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("the mail server went away")


def test_a_subject_with_line_breaks_is_sent_on_one_line():
    send_mail("Newline title\r\nBcc: victim@example.org", "Body", None, ["mod@example.org"])
    (message,) = mail.outbox
    assert message.subject == "Newline title Bcc: victim@example.org"
    assert message.recipients() == ["mod@example.org"]
    rendered = message.message().as_string()
    assert "\nBcc:" not in rendered


def test_html_alternatives_headers_and_attachments_survive_the_queue():
    message = EmailMultiAlternatives(
        "Digest", "Plain", "Common Ground <noreply@example.org>", ["a@example.org"],
        headers={"List-Unsubscribe": "<https://example.org/u/1>\r\nX-Evil: 1"},
    )  # fmt: skip
    message.attach_alternative("<p>Rich</p>", "text/html")
    message.attach("cases.csv", "title\r\nA case\r\n", "text/csv")
    message.send()
    (sent,) = mail.outbox
    assert sent.alternatives[0][0] == "<p>Rich</p>"
    assert sent.extra_headers == {"List-Unsubscribe": "<https://example.org/u/1> X-Evil: 1"}
    assert sent.attachments[0][:2] == ("cases.csv", "title\r\nA case\r\n")


def test_long_subjects_are_cut_to_a_readable_length():
    assert len(safe_subject("word " * 100)) == 200
    assert safe_subject("word " * 100).endswith("…")


def test_a_failing_mail_server_never_reaches_the_sender(settings, caplog):
    """With tasks run at once (TASKS_IMMEDIATE), the failure is logged, not raised."""
    settings.EMAIL_DELIVERY_BACKEND = "tests.commonground.test_mail.FailingBackend"
    assert send_mail("Hello", "Body", None, ["a@example.org"]) == 1
    assert "not delivered" in caplog.text


@pytest.mark.django_db
def test_the_worker_delivers_queued_mail_and_retries_a_failure_later(settings, run_worker):
    settings.TASKS = DATABASE_QUEUE
    send_mail("Your case study is published", "Body", None, ["ana@example.org"])
    assert mail.outbox == []  # queued, not sent by the request
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Your case study is published"]

    settings.EMAIL_DELIVERY_BACKEND = "tests.commonground.test_mail.FailingBackend"
    send_mail("Changes requested on your case study", "Body", None, ["ana@example.org"])
    run_worker()
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["args"][1] == 2  # the second attempt
    assert retry.run_after > timezone.now() + timedelta(seconds=30)
