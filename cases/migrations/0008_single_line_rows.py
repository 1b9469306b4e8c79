"""Existing rows on one line, as every save now stores them: page titles, summaries, alt text,
sources, event places and sessions, taxonomy names. Only rows that change are written; a
taxonomy name that would then equal another one gets a number, "(2)", to stay unique.
Running it again changes nothing.
"""

from django.db import migrations

SINGLE_LINE_COLUMNS = {
    ("wagtailcore", "Page"): ("title", "draft_title", "seo_title"),
    ("cases", "CaseStudyPage"): ("summary", "hero_alt", "source_event"),
    ("cases", "EventPage"): ("city",),
    ("cases", "EventSession"): ("title", "speakers", "organisation"),
    ("cases", "Theme"): ("name", "description"),
    ("cases", "Organisation"): ("name",),
    ("cases", "Platform"): ("name",),
}
UNIQUE_NAMES = {"Theme", "Organisation", "Platform"}


def _unique(model, name, pk, taken):
    candidate, n = name, 2
    while candidate in taken or model._base_manager.filter(name=candidate).exclude(pk=pk).exists():
        candidate, n = f"{name} ({n})", n + 1
    taken.add(candidate)
    return candidate


def put_on_one_line(apps, schema_editor):
    from commonground.text import single_line

    for (app, model_name), fields in SINGLE_LINE_COLUMNS.items():
        model = apps.get_model(app, model_name)
        # Text columns only: run against later models (tests do), a column a later
        # migration removed or turned into blocks (a session's speakers) is left alone.
        text = {
            f.name
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField")
        }
        fields = tuple(name for name in fields if name in text)
        changed, taken = [], set()
        for row in model._base_manager.only("pk", *fields).iterator(chunk_size=2000):
            before = [getattr(row, name) for name in fields]
            for name in fields:
                value = getattr(row, name)
                if isinstance(value, str):
                    setattr(row, name, single_line(value))
            if model_name in UNIQUE_NAMES and row.name != before[0]:
                row.name = _unique(model, row.name, row.pk, taken)
            if [getattr(row, name) for name in fields] != before:
                changed.append(row)
        if changed:
            model._base_manager.bulk_update(changed, fields, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_single_line_fields"),
    ]

    operations = [migrations.RunPython(put_on_one_line, migrations.RunPython.noop)]
