"""Moderation of contributed case studies: the review task moderators act on in the Wagtail
admin, and the record of each decision that contributors see and are emailed about."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import AbstractGroupApprovalTask


class ModerationRecord(models.Model):
    """One step in a contribution's review, newest last: what happened, by whom, and the
    moderator's comment. The contributor's view of their submission is built from these."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        RESUBMITTED = "resubmitted", _("Resubmitted after changes")
        APPROVED = "approved", _("Approved and published")
        CHANGES_REQUESTED = "changes-requested", _("Changes requested")
        # Translators: a moderator turned a contribution down for good.
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn by the contributor")

    page = models.ForeignKey(
        "cases.CaseStudyPage", on_delete=models.CASCADE, related_name="moderation_records"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    comment = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["by", "action", "created_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.page_id}"

    @classmethod
    def record(cls, page, action, user, comment: str = "") -> "ModerationRecord":
        """Record one step; the contributor is emailed about decisions once the step
        commits (cases/contribute/notify.py listens for new records)."""
        return cls.objects.create(page=page, action=action, by=user, comment=comment)


class ModeratorReviewTask(AbstractGroupApprovalTask):
    """Wagtail's group approval with a third answer: besides approve and request changes,
    moderators can reject a submission outright (it then stays unpublished for good)."""

    ACTIONS = {
        "approve": ModerationRecord.Action.APPROVED,
        "reject": ModerationRecord.Action.CHANGES_REQUESTED,
        "decline": ModerationRecord.Action.REJECTED,
    }

    class Meta:
        verbose_name = _("moderator review")
        verbose_name_plural = _("moderator reviews")

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions:
            # Translators: a moderator's button: turn a contribution down for good.
            actions.append(("decline", _("Reject"), True))
        return actions

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        page = task_state.workflow_state.content_object.specific
        if action_name in self.ACTIONS:
            # Recorded first: approval publishes, and the publication handler must see that
            # this publication is the moderator's approval (with its comment).
            ModerationRecord.record(
                page, self.ACTIONS[action_name], user, kwargs.get("comment") or ""
            )
        if action_name == "approve":
            mark_reviewed(task_state.workflow_state.content_object)
        if action_name == "decline":
            task_state.reject(user=user, update=False, comment=kwargs.get("comment", ""))
            task_state.workflow_state.cancel(user=user)
            # A rejected correction to a published case: the live version stays, and is
            # again what anyone edits next.
            page.discard_unpublished_changes()
        else:
            super().on_action(task_state, user, action_name, **kwargs)


def mark_reviewed(page) -> None:
    """Dates the revision about to be published as reviewed today. Written into the revision
    (not only the page row) because approval publishes the latest revision, and every later
    edit starts from it, so the date survives until an editor changes it."""
    revision = page.get_latest_revision()
    if revision is None:
        return
    revision.content["last_reviewed"] = timezone.localdate().isoformat()
    revision.save(update_fields=["content"])
