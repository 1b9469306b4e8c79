"""Images members upload with a contribution.

An image that passes the checks is stored at once, even when another field has an error,
and a re-displayed form carries it by a signed token, so a contributor never chooses a file
twice. What a member can store that way is bounded (cases/contribute/allowance.py), checked
before the file is decoded; an image is attached to the contribution that saves it, and
one that nothing uses any more is deleted (cases/contribute/cleanup.py).
"""

from django.core import signing
from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.images import get_image_model
from wagtail.models import Collection

from cases.contribute.allowance import check_upload, lock_member, pending_uploads
from cases.contribute.cleanup import delete_unused_images
from cases.models import ContributionUpload
from commonground.image_checks import count_member_check
from commonground.text import single_line
from commonground.uploads import checked_image

IMAGE_TOKEN_SALT = "cases.contribute.image"
IMAGE_TOKEN_MAX_AGE = 7 * 24 * 3600
COLLECTION_NAME = "Contributions"


def image_token(image, user) -> str:
    return signing.dumps({"image": image.pk, "user": user.pk}, salt=IMAGE_TOKEN_SALT)


def token_image_id(token: str, user) -> int | None:
    """The id of the image a token names, if it was issued to this user and has not expired
    (the image itself may have been deleted since)."""
    try:
        data = signing.loads(token, salt=IMAGE_TOKEN_SALT, max_age=IMAGE_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        return None
    image_id = data.get("image")
    return image_id if isinstance(image_id, int) else None


def contributions_collection() -> Collection:
    existing = Collection.objects.filter(name=COLLECTION_NAME, depth=2).first()
    return existing or Collection.get_first_root_node().add_child(name=COLLECTION_NAME)


def store_upload(upload, member, *, alt: str = "", replacing=None):
    """The uploaded image, checked and stored as one of the member's pending uploads.

    Raises ValidationError, storing nothing, when the member's allowance is used up (checked
    with the bytes received before anything is decoded, and again with the bytes received
    or stored, whichever is more, with the member locked just before storing), when they
    have had their hour's image checks, or when the file is refused by checked_image().
    `replacing`, the image this upload takes the place of in the form, is deleted once the
    new one is stored, if it is still pending.
    """
    check_upload(member, upload.size, replacing)
    count_member_check(member)
    checked = checked_image(upload)
    with transaction.atomic():
        lock_member(member)
        check_upload(member, max(upload.size, checked.size), replacing)
        image = get_image_model()(
            title=(single_line(alt) or checked.name)[:255],
            file=ImageFile(checked, name=checked.name),
            uploaded_by_user=member,
            collection=contributions_collection(),
        )
        image.save()
        ContributionUpload.objects.create(
            member=member, image=image, size=upload.size, stored_size=checked.size
        )
    if replacing is not None:
        discard_pending(replacing, member)
    return image


def discard_pending(image, member) -> None:
    """Deletes an image the member took out of a form before any contribution saved it."""
    if pending_uploads(member).filter(image=image).exists():
        delete_unused_images({image.pk})


def attach_uploads(page, image_ids) -> None:
    """The pending uploads among these images now belong to this saved contribution."""
    ContributionUpload.objects.filter(image__in=image_ids, page=None).update(page=page)
