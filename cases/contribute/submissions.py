"""A member's contributions: saving drafts, sending them for review, and where each stands.

Contributors never publish: a contribution is an unpublished CaseStudyPage whose revisions
the member writes, and only the "Case review" workflow (moderators, in the Wagtail admin)
publishes it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.coreutils import find_available_slug
from wagtail.models import WorkflowState
from wagtail.users.models import UserProfile

from cases.contribute.allowance import (
    check_new_contribution,
    check_submission,
    lock_member,
    record_new_contribution,
)
from cases.contribute.cleanup import delete_unused_images, named_by, remove_unused_organisations
from cases.contribute.uploads import attach_uploads
from cases.models import CaseIndexPage, CaseStudyPage, ContributionStart, ModerationRecord

Action = ModerationRecord.Action
EPOCH = datetime.min.replace(tzinfo=UTC)


class State:
    DRAFT = "draft"
    IN_REVIEW = "in-review"
    CHANGES_REQUESTED = "changes-requested"
    PUBLISHED = "published"
    REJECTED = "rejected"
    # A published contribution whose contributor is writing a correction (not yet sent).
    CORRECTION = "correction"

    LABELS = {
        DRAFT: _("Draft"),
        IN_REVIEW: _("In review"),
        CHANGES_REQUESTED: _("Changes requested"),
        PUBLISHED: _("Published"),
        REJECTED: _("Rejected"),
        CORRECTION: _("Correction draft"),
    }
    # A correction (to a published case) in review or sent back.
    CORRECTION_LABELS = {
        IN_REVIEW: _("Correction in review"),
        CHANGES_REQUESTED: _("Changes requested on correction"),
    }
    EDITABLE = {DRAFT, CHANGES_REQUESTED, CORRECTION}
    SENDABLE = {DRAFT, CORRECTION}


@dataclass
class Submission:
    page: CaseStudyPage
    state: str
    comment: str
    updated_at: object

    @property
    def correction(self) -> bool:
        """Whether what is being worked on is a correction to the published case."""
        return self.page.live and self.state != State.PUBLISHED

    @property
    def correcting(self) -> bool:
        """Whether the state is a correction's own (in review, or sent back), labelled and
        worded as such."""
        return self.correction and self.state in State.CORRECTION_LABELS

    @property
    def label(self) -> str:
        if self.correcting:
            return State.CORRECTION_LABELS[self.state]
        return State.LABELS[self.state]

    @property
    def editable(self) -> bool:
        return self.state in State.EDITABLE

    @property
    def correctable(self) -> bool:
        """Published, with no correction under way: the contributor may propose one."""
        return self.state == State.PUBLISHED


def _state(page, workflow_state, last_record) -> tuple[str, str]:
    comment = last_record.comment if last_record else ""
    if workflow_state is not None:
        if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
            return State.IN_REVIEW, ""
        if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            return State.CHANGES_REQUESTED, comment
    if page.live:
        latest = page.latest_revision
        if (
            page.has_unpublished_changes
            and latest is not None
            and latest.user_id == page.contributor_id
        ):
            return State.CORRECTION, ""
        decided = last_record and last_record.action in (Action.APPROVED, Action.REJECTED)
        return State.PUBLISHED, comment if decided else ""
    if last_record and last_record.action == Action.REJECTED:
        return State.REJECTED, comment
    return State.DRAFT, ""


def submissions_of(user) -> list[Submission]:
    """Every contribution of this member with its state, last changed first, in three
    queries."""
    pages = (
        CaseStudyPage.objects.filter(contributor=user)
        .select_related("latest_revision")
        .order_by("-pk")
    )
    submissions = _with_states(list(pages))
    return sorted(submissions, key=lambda s: s.updated_at or EPOCH, reverse=True)


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
        last_record = last_records.get(page.pk)
        state, comment = _state(page, open_states.get(page.pk), last_record)
        # The last change is the member's last save or the last step of the review,
        # whichever came later: a moderator's decision moves it too.
        changes = [page.latest_revision_created_at, page.last_published_at]
        changes.append(last_record.created_at if last_record else None)
        updated = max((when for when in changes if when), default=None)
        result.append(Submission(page, state, comment, updated))
    return result


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


def _never_submitted(page, user) -> bool:
    """A draft only its member has worked on, never sent for review nor published."""
    latest = page.latest_revision
    return (
        not page.live
        and page.first_published_at is None
        and latest is not None
        and latest.user_id == user.pk
        and not WorkflowState.objects.for_instance(page).exists()
    )


class AlreadyStarted(Exception):
    """The new-contribution form with this key has already started a contribution: `page`
    is the draft it made (None if the member has deleted it since)."""

    def __init__(self, page):
        super().__init__("This form has already started a contribution.")
        self.page = page


def started_with(user, form_key) -> ContributionStart | None:
    return (
        ContributionStart.objects.filter(member=user, form_key=form_key)
        .select_related("page")
        .first()
    )


def _start(user, form_key) -> ContributionStart:
    """Records the new contribution, once per form key: the unique constraint refuses a
    second start with the same key even when two posts get past the look-up together."""
    if form_key is not None and (earlier := started_with(user, form_key)):
        raise AlreadyStarted(earlier.page)
    check_new_contribution(user)
    try:
        with transaction.atomic():
            return record_new_contribution(user, form_key)
    except IntegrityError:
        earlier = started_with(user, form_key) if form_key is not None else None
        if earlier is None:
            raise
        raise AlreadyStarted(earlier.page) from None


@transaction.atomic
def save_draft(form, user, page=None, form_key=None) -> CaseStudyPage:
    """A new contribution (page=None) or the member's next version of their own one.

    A new contribution's `form_key` is the one-time key its form was shown with: when that
    form has started one already (posted again after Back, or twice by a double click),
    AlreadyStarted names the draft it made, and nothing new is created or counted against
    the daily limit.

    A draft never sent for review keeps one revision, overwritten on each save (as Wagtail's
    autosave does), and its page row follows it, so an image or organisation the draft
    drops is named by nothing any more and removed at once. Once submitted, each save is a
    new revision, and what earlier revisions name stays."""
    lock_member(user)
    # A draft is saved as Wagtail's editor saves one, without the checks that publishing
    # (and so sending for review) needs; the form has made them when it is being sent.
    checked = form.sending
    named_before = (set(), set())
    if page is None:
        start = _start(user, form_key)
        library = CaseIndexPage.objects.get()
        page = CaseStudyPage(owner=user, contributor=user, contributed=True, live=False)
        form.apply_to(page)
        page.slug = find_available_slug(library, slugify(page.title)[:80] or "case")
        while CaseStudyPage.objects.filter(external_id=page.slug).exists():
            page.slug = find_available_slug(library, f"{page.slug}-contribution")
        page.external_id = page.slug
        library.add_child(instance=page)
        start.page = page
        start.save(update_fields=["page"])
        _quiet_wagtail_notices(user)
        page.save_revision(user=user, log_action=True, clean=checked)
    elif _never_submitted(page, user):
        named_before = named_by(page)
        form.apply_to(page)
        _follow_title(page)
        page.save_revision(
            user=user, log_action=True, clean=checked, overwrite_revision=page.latest_revision
        )
        page.save(clean=False)
    else:
        form.apply_to(page)
        _follow_title(page)
        page.save_revision(user=user, log_action=True, clean=checked)
        if not page.live:
            # As Wagtail's editor does for an unpublished page, so the row holds its slug.
            page.save(clean=False)
    images, organisations = named_by(page)
    attach_uploads(page, images)
    delete_unused_images(named_before[0] - images)
    remove_unused_organisations(named_before[1] - organisations)
    return page


def _follow_title(page) -> None:
    """Until its first publication a contribution's address follows its title (as the
    slug in Wagtail's editor does); once published, the address stays."""
    if page.first_published_at is None:
        base = slugify(page.title)[:80] or "case"
        page.slug = find_available_slug(page.get_parent(), base, ignore_page_id=page.pk)


@transaction.atomic
def delete_draft(page) -> None:
    """Deletes a draft, and the images and organisations that only it named."""
    images, organisations = named_by(page)
    page.delete()
    delete_unused_images(images)
    remove_unused_organisations(organisations)


def correction_base(page) -> CaseStudyPage:
    """What a correction starts from: the published version, whatever drafts exist."""
    return page.live_revision.as_object() if page.live_revision_id else page.specific


@transaction.atomic
def discard_correction(page, user) -> None:
    """The contributor abandons a correction they have not sent (or have withdrawn): the
    published version is again the latest."""
    lock_member(user)
    if submission(page).state != State.CORRECTION:
        raise ValueError("Only a correction that is not with the moderators can be discarded.")
    page.discard_unpublished_changes()


@transaction.atomic
def submit(page, user) -> None:
    """Send a draft for review, or resubmit one that was sent back for changes."""
    lock_member(user)
    current = submission(page)
    if current.state == State.CHANGES_REQUESTED:
        page.current_workflow_state.resume(user=user)
        ModerationRecord.record(page, Action.RESUBMITTED, user)
        return
    if current.state not in State.SENDABLE:
        raise ValueError(f"A contribution that is {current.label.lower()} cannot be submitted.")
    check_submission(user)
    workflow = page.get_workflow()
    workflow.start(page, user)
    ModerationRecord.record(page, Action.SUBMITTED, user)


@transaction.atomic
def withdraw_from_review(page, user) -> None:
    """Take a submission back to draft before a moderator has acted on it.

    The review is cancelled through Wagtail's own WorkflowState.cancel, as the editor's
    "Cancel workflow" does, so its task leaves the moderators' queue."""
    lock_member(user)
    workflow_state = (
        WorkflowState.objects.for_instance(page)
        .select_for_update()
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .first()
    )
    if workflow_state is None:
        raise ValueError("Only a contribution in review can be withdrawn.")
    workflow_state.cancel(user=user)
    ModerationRecord.record(page, Action.WITHDRAWN, user)
