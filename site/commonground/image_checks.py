"""How many images a person may have checked in an hour.

Checking an image (commonground.uploads.checked_image) decodes and re-encodes it: up to a
few seconds of a worker and a few hundred megabytes, spent even when the image is refused
after decoding, and spent again each time a contributor replaces the image in the same
form slot. So every signed-in person but a superuser has an hourly number of checks,
counted through Django's cache (shared between processes with Redis): members
(IMAGE_CHECKS_PER_HOUR: the profile photo, the contribution form) and, apart from that,
people uploading in the Wagtail admin (ADMIN_IMAGE_CHECKS_PER_HOUR: images, the account's
profile picture), who may upload many at once. The hour starts with the first check.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HOUR = 3600


def count_member_check(user) -> None:
    """Counts one image check by a member, refusing it (ValidationError, for the file field)
    past IMAGE_CHECKS_PER_HOUR."""
    _count("member", user, settings.IMAGE_CHECKS_PER_HOUR)


def count_admin_check(user) -> None:
    """Counts one image check in the Wagtail admin, refusing it past
    ADMIN_IMAGE_CHECKS_PER_HOUR."""
    _count("admin", user, settings.ADMIN_IMAGE_CHECKS_PER_HOUR)


def _count(where, user, limit) -> None:
    if user is None or not user.is_authenticated or user.is_superuser:
        return
    key = f"image-checks:{where}:{user.pk}"
    cache.add(key, 0, timeout=HOUR)
    try:
        checks = cache.incr(key)
    except ValueError:  # the hour ended between add() and incr()
        checks = 1
        cache.set(key, checks, timeout=HOUR)
    if checks > limit:
        raise ValidationError(
            _(
                "You have uploaded %(limit)s images in the last hour, the most we check in an "
                "hour. Everything else you typed is kept; please choose this image again in an "
                "hour."
            )
            % {"limit": limit},
            code="image_checks_per_hour",
        )
