"""The contribution ledgers filled from what is there.

1. One ContributionStart per existing contribution, at its first revision, so the daily
   limit counts drafts started before the upgrade.
2. One ContributionUpload per image in the Contributions collection, attached to the
   contribution that names it; the others are pending, so the clean-up removes them (with
   what invalid forms stored before the upgrade).

Running it again adds nothing.
"""

from django.db import migrations
from django.db.models import Min


def fill_contribution_starts(apps, schema_editor):
    CaseStudyPage = apps.get_model("cases", "CaseStudyPage")
    ContributionStart = apps.get_model("cases", "ContributionStart")
    Revision = apps.get_model("wagtailcore", "Revision")
    if ContributionStart.objects.exists():
        return
    contributors = dict(
        CaseStudyPage.objects.filter(contributed=True, contributor__isnull=False).values_list(
            "pk", "contributor_id"
        )
    )
    firsts = (
        Revision.objects.filter(
            content_type__app_label="cases",
            content_type__model="casestudypage",
            object_id__in=[str(pk) for pk in contributors],
        )
        .values("object_id")
        .annotate(first=Min("created_at"))
    )
    ContributionStart.objects.bulk_create(
        ContributionStart(member_id=contributors[int(row["object_id"])], created_at=row["first"])
        for row in firsts
    )


def fill_contribution_uploads(apps, schema_editor):
    from cases.contribute.cleanup import image_ids_in

    Collection = apps.get_model("wagtailcore", "Collection")
    Image = apps.get_model("wagtailimages", "Image")
    CaseStudyPage = apps.get_model("cases", "CaseStudyPage")
    ContributionUpload = apps.get_model("cases", "ContributionUpload")
    Revision = apps.get_model("wagtailcore", "Revision")
    collection = Collection.objects.filter(name="Contributions", depth=2).first()
    if collection is None:
        return
    images = Image.objects.filter(collection=collection).exclude(
        pk__in=ContributionUpload.objects.values("image_id")
    )
    if not images.exists():
        return
    contributed = CaseStudyPage.objects.filter(contributed=True)
    page_of = {image: pk for pk, image in contributed.values_list("pk", "hero_image_id") if image}
    revisions = Revision.objects.filter(
        content_type__app_label="cases",
        content_type__model="casestudypage",
        object_id__in=[str(pk) for pk in contributed.values_list("pk", flat=True)],
    )
    for object_id, content in revisions.values_list("object_id", "content").iterator():
        for image in image_ids_in(content):
            page_of.setdefault(image, int(object_id))
    ContributionUpload.objects.bulk_create(
        ContributionUpload(
            member_id=image.uploaded_by_user_id,
            image_id=image.pk,
            page_id=page_of.get(image.pk),
            size=image.file_size or 0,
            created_at=image.created_at,
        )
        for image in images
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_contribution_ledgers"),
    ]

    operations = [
        migrations.RunPython(fill_contribution_starts, migrations.RunPython.noop),
        migrations.RunPython(fill_contribution_uploads, migrations.RunPython.noop),
    ]
