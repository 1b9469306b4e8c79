"""Theme names get a column of their own in the database engine's index, weighted above the
taxonomy they are also part of, so a query naming a theme ranks the cases filed under it
first. Existing entries are filled from their cases' themes and the full-text structure is
rebuilt from the stored rows in the same migration: search keeps working without a
`search_index rebuild`.

SQLite cannot add a column to an FTS5 table, so the table is made again with the tokenizer
options it has now (read back from sqlite_master, whichever migration set them).
"""

import re

from django.db import migrations, models

OLD_COLUMNS = ("title", "summary", "lessons", "body", "taxonomy")
NEW_COLUMNS = (*OLD_COLUMNS, "themes")
OLD_VECTOR = (
    "setweight(to_tsvector('english', title), 'A') || "
    "setweight(to_tsvector('english', summary), 'B') || "
    "setweight(to_tsvector('english', lessons || ' ' || taxonomy), 'C') || "
    "setweight(to_tsvector('english', body), 'D')"
)
NEW_VECTOR = OLD_VECTOR.replace("summary), 'B')", "summary || ' ' || themes), 'B')")
FTS5_OPTIONS = re.compile(r"(tokenize\s*=.*)\)\s*$", re.DOTALL)


def _fill_themes(apps, schema_editor):
    from search.text import words  # how every indexed text is folded

    through = apps.get_model("cases", "CaseStudyPage").themes.through
    names: dict[int, list[str]] = {}
    for page_id, name in through.objects.values_list("casestudypage_id", "theme__name"):
        names.setdefault(page_id, []).append(name)
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE search_searchentry SET themes = %s WHERE page_id = %s",
            [(" ".join(words(" ".join(n))), pk) for pk, n in names.items()],
        )


def _refill_fulltext(schema_editor, columns, vector):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            options = FTS5_OPTIONS.search(cursor.fetchone()[0]).group(1)
        listed = ", ".join(columns)
        schema_editor.execute("DROP TABLE search_fts")
        schema_editor.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5({listed}, {options})")
        schema_editor.execute(
            f"INSERT INTO search_fts (rowid, {listed}) SELECT page_id, {listed} "
            "FROM search_searchentry"
        )
    elif vendor == "postgresql":
        schema_editor.execute(f"UPDATE search_searchentry SET document = {vector}")


def forwards(apps, schema_editor):
    _fill_themes(apps, schema_editor)
    _refill_fulltext(schema_editor, NEW_COLUMNS, NEW_VECTOR)


def backwards(apps, schema_editor):
    _refill_fulltext(schema_editor, OLD_COLUMNS, OLD_VECTOR)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_pending_changes"),
        ("cases", "0002_themes_and_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="themes",
            field=models.TextField(blank=True, help_text="Theme names again, weighted on their own"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
