"""Every e-mail leaves the site through the task queue, with headers that cannot break.

settings.EMAIL_BACKEND is QueuedEmailBackend, so it serves every sender alike: allauth's
account e-mails, Wagtail's moderation notices and the site's own decision e-mails. It puts
each header on one line (a title typed with a line break once made Django refuse the
moderators' notice with BadHeaderError, and could otherwise have added a header) and
enqueues one `deliver_email` task per message. The task sends it through the real backend
(settings.EMAIL_DELIVERY_BACKEND, from EMAIL_URL) and, when the mail server fails, tries
again later. Sending never fails the request that caused it: a moderator's decision, a
sign-up or a password reset stands whatever the mail server does.
"""

import base64
import logging
import smtplib
from datetime import timedelta

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from commonground.text import single_line

logger = logging.getLogger(__name__)
SUBJECT_LENGTH = 200
RETRY_DELAYS = (60, 300, 1800, 7200)  # seconds between delivery attempts
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)


def safe_subject(text) -> str:
    """A subject on one line and of a readable length, whatever text it was built from."""
    subject = single_line(text)
    return subject if len(subject) <= SUBJECT_LENGTH else subject[: SUBJECT_LENGTH - 1] + "…"


def _addresses(values) -> list[str]:
    return [single_line(value) for value in values or () if single_line(value)]


def message_to_data(message) -> dict:
    """The message as JSON-safe data for the queue, every header on one line."""
    data = {
        "subject": safe_subject(message.subject),
        "body": message.body,
        "from_email": single_line(message.from_email or settings.DEFAULT_FROM_EMAIL),
        "to": _addresses(message.to),
        "cc": _addresses(message.cc),
        "bcc": _addresses(message.bcc),
        "reply_to": _addresses(message.reply_to),
        "headers": {
            single_line(k): single_line(v) for k, v in (message.extra_headers or {}).items()
        },
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [],
    }
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):  # a MIME part: the site sends none
            raise ValueError("Queued e-mail supports (filename, content, mimetype) attachments.")
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else content
        data["attachments"].append(
            [single_line(filename), base64.b64encode(raw).decode("ascii"), mimetype]
        )
    return data


def data_to_message(data: dict, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        connection=connection,
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


class QueuedEmailBackend(BaseEmailBackend):
    """Queues each message for delivery by the task worker (see the module docstring)."""

    def send_messages(self, email_messages) -> int:
        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            deliver_email.enqueue(message_to_data(message))
            queued += 1
        return queued


@task()
def deliver_email(data: dict, attempt: int = 1) -> None:
    """Send one queued message; when the mail server fails, try again later (up to
    len(RETRY_DELAYS) more times), then give up with an error in the log."""
    try:
        with get_connection(settings.EMAIL_DELIVERY_BACKEND) as connection:
            data_to_message(data, connection).send()
    except DELIVERY_ERRORS as exc:
        backend = deliver_email.get_backend()
        if attempt > len(RETRY_DELAYS) or not backend.supports_defer:
            logger.error("E-mail to %s not delivered: %s", ", ".join(data["to"]), exc)
            raise
        delay = timedelta(seconds=RETRY_DELAYS[attempt - 1])
        logger.warning(
            "E-mail to %s failed (%s); retrying in %s", ", ".join(data["to"]), exc, delay
        )
        deliver_email.using(run_after=timezone.now() + delay).enqueue(data, attempt + 1)
