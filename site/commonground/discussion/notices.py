"""E-mails about the discussion, each in its recipient's language, queued like every
e-mail (commonground/mail.py), with a link that stops notices for that thread (a signed
token: commonground/tokens.py).

- A published question: the case's contributor is told (unless they asked not to be).
- A published answer: the question's author is told.
- Members following the case's themes get no e-mail per post: their digests list the posts
  published since the last one (commonground/following/digests.py reads them from the
  database). Nothing listens to post_published (the signal below) yet.
- A post held for review (a member's first, or one hidden by reports): each moderator is
  told once, in their own language, with a link to the admin's "Questions and answers"
  (cases.moderators.tell_of_waiting).
- Contact: a member's message to the contributor, and the contributor's reply to the member.
  Neither e-mail carries the other person's address (no Reply-To): replies go through the site.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground import tokens
from commonground.base_url import public_url
from commonground.languages import written_for
from commonground.mail import safe_subject

STOP_THREAD = "commonground.discussion.stop-thread"
CONTACT_REPLY = "commonground.discussion.contact-reply"

# Sent once per post when it is first published (at once, or on a moderator's approval),
# after the commit; the hook for digests of questions and answers on followed themes.
post_published = Signal()


def display_name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else _("a member")


def stop_url(user, thread: str) -> str:
    token = tokens.make(STOP_THREAD, u=user.pk, t=thread)
    return public_url(reverse("discussion:stop", args=[token]))


def _send(user, subject: str, template: str, context: dict) -> None:
    EmailMessage(
        subject=safe_subject(subject),
        body=render_to_string(template, {"site_name": settings.WAGTAIL_SITE_NAME, **context}),
        to=[user.email],
    ).send()


def tell_of_post(post) -> None:
    from commonground.discussion.models import StoppedNotice

    case = post.case
    if post.question_id is None:
        recipient_id, thread = case.contributor_id, f"case:{case.pk}"
    else:
        recipient_id, thread = post.question.author_id, f"question:{post.question_id}"
    # Read afresh, with the profile that holds their language.
    recipient = get_user_model().objects.select_related("profile").filter(pk=recipient_id).first()
    if (
        recipient is not None
        and recipient.pk != post.author_id
        and recipient.is_active
        and recipient.email
        and not StoppedNotice.objects.filter(user=recipient, thread=thread).exists()
    ):
        with written_for(user=recipient):
            context = {
                "post": post,
                "case": case,
                "author": display_name(post.author),
                "url": public_url(case.url + "#" + post.anchor),
                "stop_url": stop_url(recipient, thread),
            }
            if post.question_id is None:
                subject = _("A question on your case “%(title)s”") % {"title": case.title}
                template = "discussion/email/new_question.txt"
            else:
                subject = _("An answer to your question on “%(title)s”") % {"title": case.title}
                template = "discussion/email/new_answer.txt"
            _send(recipient, subject, template, context)
    post_published.send(sender=type(post), post=post)


HELD_SUBJECTS = {
    # Translators: a member's first question or answer waits for a moderator.
    False: gettext_lazy("A post by %(name)s on “%(title)s” awaits review"),
    True: gettext_lazy(
        # Translators: members' reports hid a question or answer until a moderator reviews it.
        "A post by %(name)s on “%(title)s” was hidden by reports and awaits review"
    ),
}


def tell_moderators(post_id: int) -> None:
    """Each moderator e-mailed once about a post held for review, if it still is."""
    from cases.moderators import tell_of_waiting
    from commonground.discussion.rules import awaiting_review

    post = awaiting_review().filter(pk=post_id).first()
    if post is None:
        return
    names = {"name": display_name(post.author), "title": post.case.title}
    tell_of_waiting(
        HELD_SUBJECTS[post.reported],
        names,
        "discussion/email/held.txt",
        {"post": post, **names},
        reverse("post_review:index"),
        author=post.author,
    )


def contact_message(message) -> None:
    """The member's message to the contributor, with a link to reply on the site."""
    token = tokens.make(CONTACT_REPLY, m=message.pk)
    with written_for(user=message.recipient):
        subject = _("A message about your case “%(title)s” from %(name)s") % {
            "title": message.case.title,
            "name": display_name(message.sender),
        }
        _send(
            message.recipient,
            subject,
            "discussion/email/contact.txt",
            {
                "message": message,
                "sender": display_name(message.sender),
                "case_url": public_url(message.case.url),
                "reply_url": public_url(reverse("discussion:reply", args=[token])),
            },
        )


def contact_reply(message, body: str) -> None:
    """The contributor's reply, to the member who wrote."""
    with written_for(user=message.sender):
        subject = _("%(name)s replied to your message about “%(title)s”") % {
            "title": message.case.title,
            "name": display_name(message.recipient),
        }
        _send(
            message.sender,
            subject,
            "discussion/email/contact_reply.txt",
            {
                "message": message,
                "body": body,
                "contributor": display_name(message.recipient),
                "case_url": public_url(message.case.url),
            },
        )
