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
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from cases.models import ContributionStart, ContributionUpload, ModerationRecord

DAY = timedelta(days=1)
MB = 1024 * 1024


class LimitReached(Exception):
    """The member has used today's allowance of new contributions or submissions; the
    allowance is counted over the last 24 hours, so a place frees at `resets_at`."""

    def __init__(self, message, resets_at=None):
        super().__init__(message)
        self.resets_at = resets_at


def _resets_at(rows):
    """When the oldest of the day's rows leaves the 24 hours, freeing a place."""
    oldest = rows.order_by("created_at").values_list("created_at", flat=True).first()
    return oldest + DAY if oldest else None


def lock_member(user) -> None:
    """Hold the member's row until the transaction ends: their concurrent requests that
    create something wait here for each other (PostgreSQL; SQLite writes one at a time)."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


def _since():
    return timezone.now() - DAY


def check_new_contribution(user) -> None:
    limit = settings.CONTRIBUTIONS_PER_DAY
    started = ContributionStart.objects.filter(member=user, created_at__gte=_since())
    if started.count() >= limit:
        raise LimitReached(
            ngettext(
                "You can start at most %(limit)s new contribution a day.",
                "You can start at most %(limit)s new contributions a day.",
                limit,
            )
            % {"limit": limit},
            resets_at=_resets_at(started),
        )


def record_new_contribution(user, form_key=None) -> ContributionStart:
    return ContributionStart.objects.create(member=user, form_key=form_key)


def check_submission(user) -> None:
    limit = settings.CONTRIBUTIONS_PER_DAY
    submitted = ModerationRecord.objects.filter(
        by=user, action=ModerationRecord.Action.SUBMITTED, created_at__gte=_since()
    )
    if submitted.count() >= limit:
        raise LimitReached(
            ngettext(
                "You can send at most %(limit)s contribution a day for review. Your draft "
                "is saved; send it again once the limit has reset.",
                "You can send at most %(limit)s contributions a day for review. Your draft "
                "is saved; send it again once the limit has reset.",
                limit,
            )
            % {"limit": limit},
            resets_at=_resets_at(submitted),
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
            ngettext(
                "You already have %(most)s image waiting in contributions that are not saved "
                "yet, the most you can keep. Save a draft that uses it, or remove it, then "
                "choose this image again.",
                "You already have %(most)s images waiting in contributions that are not saved "
                "yet, the most you can keep. Save a draft that uses them, or remove some, then "
                "choose this image again.",
                most,
            )
            % {"most": most},
            code="too_many_pending",
        )
    today = ContributionUpload.objects.filter(member=user, created_at__gte=_since())
    uploaded = today.aggregate(total=Sum(Greatest("size", "stored_size")))["total"] or 0
    allowance = settings.CONTRIBUTION_UPLOAD_MB_PER_DAY * MB
    if uploaded + size > allowance:
        raise ValidationError(
            gettext(
                "This image would take you past the %(most)s MB of images you can upload in a "
                "day (you have uploaded %(uploaded)s MB). Everything else you typed is kept; "
                "please add the image tomorrow."
            )
            % {
                "most": settings.CONTRIBUTION_UPLOAD_MB_PER_DAY,
                "uploaded": number_format(uploaded / MB, 1),
            },
            code="upload_allowance",
        )
