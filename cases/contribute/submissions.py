"""A member's contributions: saving drafts, sending them for review, and where each stands.

Contributors never publish: a contribution is an unpublished CaseStudyPage whose revisions
the member writes, and only the "Case review" workflow (moderators, in the Wagtail admin)
publishes it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.text import slugify

from wagtail.coreutils import find_available_slug
from wagtail.models import Revision, WorkflowState
from wagtail.users.models import UserProfile

from cases.contribute.notify import record_decision
from cases.models import CaseIndexPage, CaseStudyPage, ModerationRecord

Action = ModerationRecord.Action


class State:
    DRAFT = "draft"
    IN_REVIEW = "in-review"
    CHANGES_REQUESTED = "changes-requested"
    PUBLISHED = "published"
    REJECTED = "rejected"

    LABELS = {
        DRAFT: "Draft",
        IN_REVIEW: "In review",
        CHANGES_REQUESTED: "Changes requested",
        PUBLISHED: "Published",
        REJECTED: "Rejected",
    }
    EDITABLE = {DRAFT, CHANGES_REQUESTED}


class LimitReached(Exception):
    """The member has used today's allowance of new contributions or submissions."""


@dataclass
class Submission:
    page: CaseStudyPage
    state: str
    comment: str
    updated_at: object

    @property
    def label(self) -> str:
        return State.LABELS[self.state]

    @property
    def editable(self) -> bool:
        return self.state in State.EDITABLE


def _state(page, workflow_state, last_record) -> tuple[str, str]:
    comment = last_record.comment if last_record else ""
    if workflow_state is not None:
        if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
            return State.IN_REVIEW, ""
        if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            return State.CHANGES_REQUESTED, comment
    if page.live:
        return (
            State.PUBLISHED,
            comment if last_record and last_record.action == Action.APPROVED else "",
        )
    if last_record and last_record.action == Action.REJECTED:
        return State.REJECTED, comment
    return State.DRAFT, ""


def submissions_of(user) -> list[Submission]:
    """Every contribution of this member with its state, newest first, in three queries."""
    pages = list(
        CaseStudyPage.objects.filter(contributor=user).order_by(
            "-latest_revision_created_at", "-pk"
        )
    )
    return _with_states(pages)


def submission(page) -> Submission:
    return _with_states([page])[0]


def _with_states(pages) -> list[Submission]:
    ids = [p.pk for p in pages]
    open_states = {
        int(ws.object_id): ws
        for ws in WorkflowState.objects.filter(
            base_content_type__model="page",
            object_id__in=[str(i) for i in ids],
            status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
        )
    }
    last_records = {}
    for record in ModerationRecord.objects.filter(page_id__in=ids).order_by("created_at", "pk"):
        last_records[record.page_id] = record
    result = []
    for page in pages:
        state, comment = _state(page, open_states.get(page.pk), last_records.get(page.pk))
        updated = page.latest_revision_created_at or page.last_published_at
        result.append(Submission(page, state, comment, updated))
    return result


def _today_count(user, action) -> int:
    since = timezone.now() - timedelta(days=1)
    return ModerationRecord.objects.filter(by=user, action=action, created_at__gte=since).count()


def _new_today(user) -> int:
    """Contributions of this member whose first revision is less than a day old."""
    since = timezone.now() - timedelta(days=1)
    own = [
        str(pk)
        for pk in CaseStudyPage.objects.filter(contributor=user).values_list("pk", flat=True)
    ]
    return (
        Revision.page_revisions.filter(object_id__in=own)
        .values("object_id")
        .annotate(first=Min("created_at"))
        .filter(first__gte=since)
        .count()
    )


def _quiet_wagtail_notices(user) -> None:
    """Contributors get the site's own emails (cases/contribute/notify.py); Wagtail's notices
    point at the admin, which they cannot use, so they are turned off for them."""
    if user.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(user)
    profile.submitted_notifications = False
    profile.approved_notifications = False
    profile.rejected_notifications = False
    profile.updated_comments_notifications = False
    profile.save()


@transaction.atomic
def save_draft(form, user, page=None) -> CaseStudyPage:
    """A new contribution (page=None) or a new revision of the member's own one."""
    if page is None:
        if _new_today(user) >= settings.CONTRIBUTIONS_PER_DAY:
            raise LimitReached(
                f"You can start at most {settings.CONTRIBUTIONS_PER_DAY} new contributions "
                "a day. Your text is still in the form; please try again tomorrow."
            )
        library = CaseIndexPage.objects.get()
        page = CaseStudyPage(owner=user, contributor=user, contributed=True, live=False)
        form.apply_to(page)
        page.slug = find_available_slug(library, slugify(page.title)[:80] or "case")
        while CaseStudyPage.objects.filter(external_id=page.slug).exists():
            page.slug = find_available_slug(library, f"{page.slug}-contribution")
        page.external_id = page.slug
        library.add_child(instance=page)
        _quiet_wagtail_notices(user)
    else:
        form.apply_to(page)
    page.save_revision(user=user, log_action=True)
    return page


@transaction.atomic
def submit(page, user) -> None:
    """Send a draft for review, or resubmit one that was sent back for changes."""
    current = submission(page)
    if current.state == State.CHANGES_REQUESTED:
        page.current_workflow_state.resume(user=user)
        record_decision(page, Action.RESUBMITTED, user, "")
        return
    if current.state != State.DRAFT:
        raise ValueError(f"A contribution that is {current.label.lower()} cannot be submitted.")
    if _today_count(user, Action.SUBMITTED) >= settings.CONTRIBUTIONS_PER_DAY:
        raise LimitReached(
            f"You can submit at most {settings.CONTRIBUTIONS_PER_DAY} contributions a day. "
            "Your draft is saved; please submit it tomorrow."
        )
    workflow = page.get_workflow()
    workflow.start(page, user)
    record_decision(page, Action.SUBMITTED, user, "")
