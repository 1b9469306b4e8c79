"""What contributions leave behind, removed once nothing uses it: images uploaded but never
saved in a contribution, dropped from a draft or left by a deleted one, and organisations
that only such drafts named.

Saving and deleting a draft remove what it dropped at once (cases/contribute/submissions.py);
clean_contributions(), run daily by `manage.py clean_contributions` (or a periodic task),
removes pending uploads older than a day (but not those a kept form names,
cases/contribute/kept.py), kept forms untouched for a week, anything else left over, and the
search and case-view counters older than SEARCH_ANALYTICS_DAYS (commonground/analytics). Both
are safe to run again and again: nothing a page, a revision or an editor uses is ever removed.
"""

import contextlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Exists, Min, OuterRef, ProtectedError, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, ReferenceIndex, Revision

from cases.contribute.kept import kept_image_ids, remove_old
from cases.models import CaseStudyPage, ContributionUpload, Organisation
from commonground.analytics.recording import delete_expired

PENDING_LIFETIME = timedelta(days=1)
BATCH = 200


@dataclass
class Cleanup:
    images: int = 0
    bytes: int = 0
    organisations: int = 0
    records: int = 0
    kept: int = 0
    counters: int = 0

    def __str__(self):
        return (
            f"{self.images} unused images deleted ({self.bytes / 1024 / 1024:.1f} MB), "
            f"{self.organisations} unused organisations removed, "
            f"{self.records} expired upload records purged, "
            f"{self.kept} old kept forms removed, "
            f"{self.counters} search and view counters past SEARCH_ANALYTICS_DAYS deleted"
        )


def image_ids_in(content) -> set[int]:
    """Ids of the images a page's serialised content names: `hero_image`, and `image` in
    stream blocks (stored as JSON text inside the content)."""
    found, stack = set(), [content]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and item.startswith("["):
            with contextlib.suppress(ValueError):
                stack.append(json.loads(item))
        elif isinstance(item, dict):
            for key, value in item.items():
                is_id = isinstance(value, int) and not isinstance(value, bool)
                if is_id and (key == "image" or key.endswith("_image")):
                    found.add(value)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found


def named_by(page) -> tuple[set[int], set[int]]:
    """(image ids, organisation ids) that the page's row and every revision of it name."""
    row = CaseStudyPage.objects.get(pk=page.pk)
    contents = [row.serializable_data()]
    contents += Revision.page_revisions.filter(object_id=str(page.pk)).values_list(
        "content", flat=True
    )
    images, organisations = set(), set()
    for content in contents:
        images |= image_ids_in(content)
        if isinstance(content.get("organisation"), int):
            organisations.add(content["organisation"])
    return images, organisations


def images_in_use(ids) -> set[int]:
    """The images among `ids` that a case names (as its hero image), that Wagtail's
    reference index lists as used by anything, or that any revision names. Revisions are
    read only from the first image's upload on (none can name an image before it exists),
    narrowed in the database by the ids' text."""
    ids = set(ids)
    images = get_image_model().objects.filter(pk__in=ids)
    used = set(
        CaseStudyPage.objects.filter(hero_image__in=ids).values_list("hero_image_id", flat=True)
    )
    references = ReferenceIndex.get_references_to_in_bulk(images)
    used |= {int(pk) for pk in references.values_list("to_object_id", flat=True)}
    rest = ids - used
    since = images.filter(pk__in=rest).aggregate(first=Min("created_at"))["first"]
    if not rest or since is None:
        return used
    mentions = Q()
    for pk in rest:
        mentions |= Q(text__contains=f'image": {pk}') | Q(text__contains=f'image\\": {pk}')
    revisions = (
        Revision.objects.filter(created_at__gte=since)
        .annotate(text=Cast("content", TextField()))
        .filter(mentions)
    )
    for content in revisions.values_list("content", flat=True).iterator():
        used |= image_ids_in(content) & rest
    return used


def _file_size(image) -> int:
    if image.file_size is not None:
        return image.file_size
    try:
        return image.file.storage.size(image.file.name)
    except OSError:  # the file is already gone
        return 0


def _delete_images(ids, report: Cleanup) -> None:
    """Deletes the images (Wagtail removes their files and renditions after commit)."""
    for image in get_image_model().objects.filter(pk__in=ids):
        report.bytes += _file_size(image)
        image.delete()
        report.images += 1


def delete_unused_images(ids) -> Cleanup:
    report = Cleanup()
    with transaction.atomic():
        _delete_images(set(ids) - images_in_use(ids), report)
    return report


def remove_unused_organisations(ids=None) -> int:
    """Deletes the organisations among `ids` (every one when None) that no case, live or
    draft, and no revision names, unless an editor created or edited them in the admin
    (those are the library's own entries, kept for cases still to come)."""
    unused = Organisation.objects.exclude(
        Exists(CaseStudyPage.objects.filter(organisation=OuterRef("pk")))
    )
    if ids is not None:
        unused = unused.filter(pk__in=ids)
    candidates = set(unused.values_list("pk", flat=True))
    if not candidates:
        return 0
    named = set(
        Revision.page_revisions.filter(content__organisation__in=candidates).values_list(
            "content__organisation", flat=True
        )
    )
    edited = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id__in=[str(pk) for pk in candidates],
    )
    curated = {int(pk) for pk in edited.values_list("object_id", flat=True)}
    removed = 0
    for organisation in Organisation.objects.filter(pk__in=candidates - named - curated):
        try:
            with transaction.atomic():
                organisation.delete()
        except (ProtectedError, IntegrityError):
            continue  # a draft named it in the meantime
        removed += 1
    return removed


def clean_contributions(now=None) -> Cleanup:
    """Deletes kept forms untouched for a week, then pending uploads older than a day (with
    their files and renditions) that nothing uses and no kept form names, forgets upload
    records older than a day whose image is gone, and removes unused organisations. Returns
    what it removed; running it again removes nothing more."""
    cutoff = (now or timezone.now()) - PENDING_LIFETIME
    report = Cleanup()
    report.kept = remove_old(now)
    expired = ContributionUpload.objects.filter(
        page=None, image__isnull=False, created_at__lt=cutoff
    ).exclude(image__in=kept_image_ids())
    ids = sorted(set(expired.values_list("image_id", flat=True)))
    for start in range(0, len(ids), BATCH):
        batch = set(ids[start : start + BATCH])
        with transaction.atomic():
            used = images_in_use(batch)
            # An editor chose it for a page: it is the library's now, no longer pending.
            ContributionUpload.objects.filter(image__in=used, page=None).update(image=None)
            _delete_images(batch - used, report)
    report.records, _ = ContributionUpload.objects.filter(
        image=None, created_at__lt=cutoff
    ).delete()
    report.organisations = remove_unused_organisations()
    report.counters = delete_expired(timezone.localdate(now))
    return report
