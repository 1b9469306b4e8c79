"""Who moderates contributions: the Moderators group (Wagtail's own, given the review task
by migration 0005), and the one e-mail each of them gets when a contribution is sent for
review.

Wagtail connects two notices to a submission: the workflow's "submitted" e-mail to every
superuser (wagtail.admin.mail.WorkflowStateSubmissionEmailNotifier, on workflow_submitted)
and the group approval task's "submitted" e-mail to the task's groups and every superuser
(GroupApprovalTaskStateSubmissionEmailNotifier, on task_submitted). A superuser, in
Moderators or not, got both. `install_notices` (run once Wagtail's admin has connected its
own, commonground.apps.WagtailAdminConfig) puts in their place:

- `SubmissionNotice`, the task's e-mail: the one everybody gets, whether group member,
  superuser or both (the submitter never);
- `WorkflowSubmissionNotice`, the workflow's e-mail, sent only when the workflow's first task
  sends none of its own (it is not a group approval), so superusers still hear once.

These, and Wagtail's approval and rejection notices to staff who sent a page for review,
are written to each recipient in their member language (commonground/languages.py), not in
the language of whoever caused them, and name seeded workflows and tasks in it
(commonground/seeded_text).

What Wagtail's workflow does not cover (a replication recorded, a question or answer held
for review) reaches the same people through `tell_of_waiting`: one e-mail each, in their own
language, with a link to the admin page where it is reviewed.
"""

from copy import copy
from operator import attrgetter

from allauth.account.models import EmailAddress

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import lazy

from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import (
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)
from wagtail.users.models import UserProfile

from cases.models import ModeratorReviewTask
from commonground.base_url import public_url
from commonground.languages import notice_language
from commonground.mail import safe_subject
from commonground.members.addresses import drop_other_claims
from commonground.seeded_text import seeded

GROUP = "Moderators"


def make_moderating_admin(user) -> None:
    """A superuser made on the command line (`make admin`) who can sign in at once and
    moderates: the address typed there counts as verified (allauth asks for a verified one)."""
    email = user.email.strip().lower()
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    address, _created = EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    EmailAddress.objects.filter(user=user).exclude(pk=address.pk).update(primary=False)
    drop_other_claims(address)
    user.groups.add(Group.objects.get_or_create(name=GROUP)[0])


seeded_lazily = lazy(seeded, str)


class InRecipientLanguage:
    """A Wagtail notice written to each recipient in their member language. Wagtail renders
    it in UserProfile.preferred_language, or when that is empty in the language active when
    the notice is sent: the submitter's. Seeded workflow and task names ("Case review") are
    shown in that language too, edited ones as typed."""

    def get_context(self, instance, **kwargs):
        context = super().get_context(instance, **kwargs)
        for key in ("workflow", "task"):
            if key in context:
                named = copy(context[key])  # never saved: only its name is shown differently
                named.name = seeded_lazily(named.name)
                context[key] = named
        return context

    def send_emails(self, template_set, context, recipients, **kwargs):
        sent = True
        for recipient in sorted(recipients, key=attrgetter("pk")):
            code = notice_language(recipient)
            profile = UserProfile.get_for_user(recipient)
            profile.preferred_language = code  # for this notice only, not saved
            recipient.wagtail_userprofile = profile
            with translation.override(code):  # the HTML part is rendered outside Wagtail's
                sent = super().send_emails(template_set, context, [recipient], **kwargs) and sent
        return sent


class SubmissionNotice(InRecipientLanguage, GroupApprovalTaskStateSubmissionEmailNotifier):
    """Wagtail's e-mail to a group approval task's groups and every superuser."""


class WorkflowSubmissionNotice(InRecipientLanguage, WorkflowStateSubmissionEmailNotifier):
    """Wagtail's e-mail to every superuser when a workflow starts, unless its first task
    e-mails them already."""

    def can_handle(self, instance, **kwargs):
        if not super().can_handle(instance, **kwargs):
            return False
        task_state = instance.current_task_state
        return task_state is None or not submission_notice.can_handle(task_state.specific)


class ApprovalNotice(InRecipientLanguage, WorkflowStateApprovalEmailNotifier):
    """Wagtail's e-mail to whoever sent a page for review when it is approved (staff: a
    member's notices are off, cases/contribute/notify.py writes to them)."""


class RejectionNotice(InRecipientLanguage, WorkflowStateRejectionEmailNotifier):
    """Wagtail's e-mail to whoever sent a page for review when changes are requested."""


submission_notice = SubmissionNotice()
# Wagtail's receivers by their dispatch_uids (wagtail/admin/signal_handlers.py), and ours.
NOTICES = (
    (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        submission_notice,
    ),
    (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        WorkflowSubmissionNotice(),
    ),
    (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        ApprovalNotice(),
    ),
    (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        RejectionNotice(),
    ),
)


def install_notices() -> None:
    """Disconnect Wagtail's workflow notices and connect ours. Refuses to start if Wagtail
    no longer connects one under its name (its mail would go out as well as ours)."""
    for signal, sender, uid, notice in NOTICES:
        if not signal.disconnect(sender=sender, dispatch_uid=uid):
            raise RuntimeError(f"Wagtail's {uid} receiver was not found")
        signal.connect(notice, sender=sender, dispatch_uid=uid)


def notified_of_submissions() -> list:
    """The people e-mailed about a new submission, once each (the review task's groups plus
    superusers; active, with an address, notices not turned off), by name."""
    recipients = set()
    for task in ModeratorReviewTask.objects.filter(active=True):
        recipients |= submission_notice.get_valid_recipients(TaskState(task=task))
    return sorted(recipients, key=lambda user: user.get_full_name().casefold())


def tell_of_waiting(
    subject, names: dict, template: str, context: dict, review_url: str, author=None
) -> None:
    """E-mail each person notified_of_submissions() once about something waiting for review,
    never its author: the lazy `subject` formatted with `names` (after the site's name) and
    the body rendered from `template`, both in the recipient's language (notice_language:
    never the author's), queued like every e-mail (commonground/mail.py). Call it after
    the commit."""
    for recipient in notified_of_submissions():
        if author is not None and recipient.pk == author.pk:
            continue
        with translation.override(notice_language(recipient)):
            EmailMessage(
                subject=safe_subject(f"[{settings.WAGTAIL_SITE_NAME}] {subject % names}"),
                body=render_to_string(
                    template,
                    {
                        "site_name": settings.WAGTAIL_SITE_NAME,
                        "review_url": public_url(review_url),
                        **context,
                    },
                ),
                to=[recipient.email],
            ).send()
