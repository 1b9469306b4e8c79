"""Platforms become a list editors keep: a former name for each (X was Twitter), today's
platforms added, and Twitter merged into X (cases, their revisions and the name); a case
keeps the platform its contributor proposed for the list."""

import secrets

from django.db import migrations, models

import commonground.text
from django.utils.text import slugify

# (name, former names): added when missing; a former name's platform is merged into it.
PLATFORMS = [
    ("Bluesky", []),
    ("Facebook", []),
    ("Flickr", []),
    ("Instagram", []),
    ("LinkedIn", []),
    ("Nextdoor", []),
    ("Snapchat", []),
    ("Telegram", []),
    ("Threads", []),
    ("TikTok", []),
    ("Website", []),
    ("WhatsApp", []),
    ("X", ["Twitter"]),
    ("YouTube", []),
]


def _slug(Platform, name):
    base = slugify(name)[:90] or "platform"
    slug, n = base, 2
    while Platform.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _merge(apps, old, new):
    """Cases filed under `old` are filed under `new`, in their revisions too; `old` goes."""
    CaseStudyPage = apps.get_model("cases", "CaseStudyPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    through = CaseStudyPage.platforms.through
    already = set(through.objects.filter(platform=new).values_list("casestudypage_id", flat=True))
    moving = through.objects.filter(platform=old)
    through.objects.bulk_create(
        through(casestudypage_id=page_id, platform=new)
        for page_id in moving.values_list("casestudypage_id", flat=True)
        if page_id not in already
    )
    moving.delete()
    content_type = ContentType.objects.filter(app_label="cases", model="casestudypage").first()
    if content_type is not None:
        revisions = Revision.objects.filter(content_type=content_type).only("pk", "content")
        for revision in revisions.iterator(chunk_size=500):
            named = revision.content.get("platforms") or []
            if old.pk in named:
                swapped = [new.pk if pk == old.pk else pk for pk in named]
                revision.content["platforms"] = list(dict.fromkeys(swapped))
                revision.save(update_fields=["content"])
    old.delete()


def keep_platforms(apps, schema_editor):
    Platform = apps.get_model("cases", "Platform")
    LibraryVersion = apps.get_model("cases", "LibraryVersion")
    for name, former in PLATFORMS:
        rows = {p.name.casefold(): p for p in Platform.objects.all()}
        platform = rows.get(name.casefold())
        for old_name in former:
            old = rows.get(old_name.casefold())
            if old is None:
                continue
            if platform is None:  # renamed: the old row becomes the new platform
                old.name, old.slug = name, _slug(Platform, name)
                old.save()
                platform = old
            else:
                _merge(apps, old, platform)
        if platform is None:
            platform = Platform.objects.create(name=name, slug=_slug(Platform, name))
        names = [n for n in platform.former_names.splitlines() if n.strip()]
        names += [n for n in former if n.casefold() not in {m.casefold() for m in names}]
        platform.former_names = "\n".join(names)
        platform.save()
    # Cached facet labels and counts name the old platforms: every process recounts.
    LibraryVersion.objects.update(token=secrets.token_hex(16))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_case_date_precision_and_hero_caption"),
    ]

    operations = [
        migrations.AddField(
            model_name="platform",
            name="former_names",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Names it had before or goes by, one a line (X: Twitter). Imports that "
                    "use them file the case under this platform, and search finds it by them."
                ),
            ),
        ),
        migrations.AddField(
            model_name="casestudypage",
            name="proposed_platform",
            field=commonground.text.SingleLineCharField(
                blank=True,
                help_text=(
                    "Proposed by the contributor. Add it under Taxonomy > Platforms (or find it "
                    "there under another name), tick it above, then clear this."
                ),
                max_length=100,
                verbose_name="proposed platform",
            ),
        ),
        migrations.RunPython(keep_platforms, migrations.RunPython.noop),
    ]
