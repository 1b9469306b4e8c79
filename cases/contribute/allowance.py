"""What a member may create through /contribute/: new contributions and submissions a day,
images kept pending, and megabytes uploaded a day.

Each check counts rows that deleting a draft leaves in place (ContributionStart,
ModerationRecord, ContributionUpload), and runs after lock_member() in the transaction
that creates, so two requests at once cannot both take the last place.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.db.models.functions import Greatest
from django.utils import timezone

from cases.models import ContributionStart, ContributionUpload, ModerationRecord

DAY = timedelta(days=1)
MB = 1024 * 1024


class LimitReached(Exception):
    """The member has used today's allowance of new contributions or submissions."""


def lock_member(user) -> None:
    """Hold the member's row until the transaction ends: their concurrent requests that
    create something wait here for each other (PostgreSQL; SQLite writes one at a time)."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


def _since():
    return timezone.now() - DAY


def check_new_contribution(user) -> None:
    limit = settings.CONTRIBUTIONS_PER_DAY
    if ContributionStart.objects.filter(member=user, created_at__gte=_since()).count() >= limit:
        raise LimitReached(
            f"You can start at most {limit} new contributions a day. Your text is still in "
            "the form; please try again tomorrow."
        )


def record_new_contribution(user) -> None:
    ContributionStart.objects.create(member=user)


def check_submission(user) -> None:
    limit = settings.CONTRIBUTIONS_PER_DAY
    submitted = ModerationRecord.objects.filter(
        by=user, action=ModerationRecord.Action.SUBMITTED, created_at__gte=_since()
    )
    if submitted.count() >= limit:
        raise LimitReached(
            f"You can submit at most {limit} contributions a day. Your draft is saved; "
            "please submit it tomorrow."
        )


def pending_uploads(user):
    """The member's images that no saved contribution uses yet."""
    return ContributionUpload.objects.filter(member=user, page=None, image__isnull=False)


def check_upload(user, size: int, replacing=None) -> None:
    """Refuses (ValidationError, for the file field) an upload of `size` bytes that would
    take the member past their pending images or today's megabytes. Each earlier upload
    counts its bytes received or stored, whichever is more (a small file can be stored many
    times larger). An image the upload replaces in the form, if pending, does not count: it
    is deleted once the new one is in."""
    pending = pending_uploads(user)
    if replacing is not None:
        pending = pending.exclude(image=replacing)
    most = settings.CONTRIBUTION_PENDING_IMAGES
    if pending.count() >= most:
        raise ValidationError(
            f"You already have {most} images waiting in contributions that are not saved "
            "yet, the most you can keep. Save a draft that uses them, or remove some, then "
            "choose this image again.",
            code="too_many_pending",
        )
    today = ContributionUpload.objects.filter(member=user, created_at__gte=_since())
    uploaded = today.aggregate(total=Sum(Greatest("size", "stored_size")))["total"] or 0
    allowance = settings.CONTRIBUTION_UPLOAD_MB_PER_DAY * MB
    if uploaded + size > allowance:
        raise ValidationError(
            f"This image would take you past the {settings.CONTRIBUTION_UPLOAD_MB_PER_DAY} MB "
            f"of images you can upload in a day (you have uploaded {uploaded / MB:.1f} MB). "
            "Everything else you typed is kept; please add the image tomorrow.",
            code="upload_allowance",
        )
