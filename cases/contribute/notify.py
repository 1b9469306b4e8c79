"""Moderation decisions: the contributor told by email once a new ModerationRecord of one
commits.

The e-mail is queued (commonground/mail.py), so a mail server that fails never fails the
decision; robust=True keeps any other error in it from stopping other after-commit work.

Moderators hear of each new submission from Wagtail's group-approval e-mail (with a link to
the review in the admin), one per person and in their own language (cases/moderators.py).
"""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_save
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from wagtail.signals import page_published

from cases.models import CaseStudyPage, ModerationRecord
from commonground.base_url import public_url
from commonground.languages import written_for
from commonground.mail import safe_subject

Action = ModerationRecord.Action

EMAILED = {
    Action.APPROVED: _("Your case study is published"),
    Action.CHANGES_REQUESTED: _("Changes requested on your case study"),
    Action.REJECTED: _("Your case study was not accepted"),
}
# Decisions on a correction to a case already published (an earlier approval exists).
CORRECTION_EMAILED = {
    Action.APPROVED: _("Your correction is published"),
    Action.CHANGES_REQUESTED: _("Changes requested on your correction"),
    Action.REJECTED: _("Your correction was not accepted"),
}


def decision_recorded(instance: ModerationRecord, created: bool, raw: bool = False, **kwargs):
    """A new record of a decision the contributor hears of: emailed once it commits."""
    if created and not raw and instance.action in EMAILED and instance.page.contributor_id:
        transaction.on_commit(partial(email_contributor, instance.pk), robust=True)


def email_contributor(record_id: int) -> None:
    record = ModerationRecord.objects.select_related("page", "page__contributor").get(pk=record_id)
    page, contributor = record.page, record.page.contributor
    if contributor is None or not contributor.email:
        return
    base = public_url()
    correction = ModerationRecord.objects.filter(
        page=page, action=Action.APPROVED, pk__lt=record.pk
    ).exists()
    subjects = CORRECTION_EMAILED if correction else EMAILED
    context = {
        "correction": correction,
        "record": record,
        "page": page,
        "title": page.draft_title or page.title,
        "public_url": base + page.url if page.live and page.url else "",
        "edit_url": f"{base}/contribute/{page.pk}/edit/",
        "mine_url": f"{base}/contribute/mine/",
        "site_name": settings.WAGTAIL_SITE_NAME,
        "base_url": base,
    }
    with written_for(user=contributor):  # in the contributor's language, not the moderator's
        subject = f"[{context['site_name']}] {subjects[record.action]}: {context['title']}"
        send_mail(
            subject=safe_subject(subject),
            message=render_to_string("cases/contribute/email/decision.txt", context),
            from_email=None,
            recipient_list=[contributor.email],
        )


def contribution_published(instance, **kwargs):
    """A moderator may also publish a contribution straight from the editor instead of
    approving the review task; the contributor is told all the same."""
    page = instance
    if not getattr(page, "contributed", False):
        return
    last = ModerationRecord.objects.filter(page=page).order_by("-created_at", "-pk").first()
    if last is not None and last.action == Action.APPROVED:
        return
    ModerationRecord.record(page, Action.APPROVED, None)


def connect():
    post_save.connect(decision_recorded, sender=ModerationRecord)
    page_published.connect(contribution_published, sender=CaseStudyPage)
