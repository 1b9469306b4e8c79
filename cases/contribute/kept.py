"""What a member typed into a contribution form that could not be saved as a draft, kept
for them in the database (KeptContribution) until they save or discard it.

Two things keep a form: the daily limit of new contributions stopping a new one from being
saved, and switching the interface language in the middle of a form (views.switch_language).
The row is the member's own (one for the new-contribution form, one per contribution they
edit), so signing out or moving to another device loses nothing, and only that member's
form ever restores it. Images are kept by reference to the uploads already stored, never as
files or as tokens that expire; the clean-up (cases/contribute/cleanup.py) spares those
images while the row lives and removes rows not touched for KEPT_LIFETIME.
"""

from datetime import timedelta

from django.http import QueryDict
from django.utils import timezone

from wagtail.images import get_image_model

from cases.models import KeptContribution

KEPT_LIFETIME = timedelta(days=7)
# At most this many characters of text are kept: more than a contribution within every
# limit of cases/limits.py can hold (the story, 3 x 30 lessons, outcomes, names), far less
# than a request may carry.
MOST_CHARACTERS = 400_000
Reason = KeptContribution.Reason


def _kept_names(form) -> set[str]:
    """The posted names of the form's fields and their parts (the date's three boxes), but
    not images' tokens, files or removal boxes (images are kept by reference)."""
    names = set()
    for name, field in form.fields.items():
        widgets = getattr(field.widget, "widgets_names", None)
        names.update(f"{name}{suffix}" for suffix in widgets or [""])
    for slot in form.image_slots():
        names -= {slot["kept"].html_name, slot["file"].html_name, slot["remove"].html_name}
    return names


def keep(form, member, page=None, reason=Reason.LIMIT) -> bool:
    """Keeps what the bound, cleaned `form` holds for `member` (replacing what was kept for
    the same form before). False, keeping nothing, when it is longer than MOST_CHARACTERS."""
    names = _kept_names(form)
    data = {key: form.data.getlist(key) for key in form.data if key in names}
    size = sum(len(str(value)) for values in data.values() for value in values)
    if size > MOST_CHARACTERS:
        return False
    images = {slot: image.pk for slot, image in form.images.items()}
    KeptContribution.objects.update_or_create(
        member=member,
        page=page,
        defaults={
            "data": data,
            "images": images,
            "reason": reason,
            "updated_at": timezone.now(),
        },
    )
    return True


def kept_for(member, page=None) -> KeptContribution | None:
    return KeptContribution.objects.filter(member=member, page=page).first()


def as_form_data(kept: KeptContribution, token) -> QueryDict:
    """The kept form as posted data: its text, and each image that still exists by a fresh
    token, `token(image)` (an image the member has since removed is left out)."""
    data = QueryDict(mutable=True)
    for key, values in kept.data.items():
        if isinstance(values, list):
            data.setlist(key, [str(value) for value in values])
    ids = {slot: pk for slot, pk in kept.images.items() if isinstance(pk, int)}
    found = get_image_model().objects.in_bulk(ids.values())
    for slot, pk in ids.items():
        if pk in found:
            data[f"{slot}_kept"] = token(found[pk])
    return data


def forget(member, page=None) -> None:
    KeptContribution.objects.filter(member=member, page=page).delete()


def kept_image_ids() -> set[int]:
    """The images that kept forms name, which the clean-up leaves in place."""
    ids = set()
    for images in KeptContribution.objects.values_list("images", flat=True):
        ids |= {pk for pk in (images or {}).values() if isinstance(pk, int)}
    return ids


def remove_old(now=None) -> int:
    """Deletes kept forms nobody has touched for KEPT_LIFETIME; returns how many."""
    cutoff = (now or timezone.now()) - KEPT_LIFETIME
    removed, _ = KeptContribution.objects.filter(updated_at__lt=cutoff).delete()
    return removed
