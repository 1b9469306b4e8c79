"""The database index holds words stemmed in each case's language (search/text.py), so
SQLite's FTS5 table no longer stems (no porter tokenizer) and gains the organisation's names
and the title as written. The index is emptied: `manage.py search_index update` (run by
`make demo`/`make run`) refills it."""

from django.db import migrations, models

FTS5_TOKENIZER = "unicode61 remove_diacritics 2"


def recreate_fulltext(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.all().delete()
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, summary, lessons, body, taxonomy, themes, organisation, title_words, "
            f"tokenize = '{FTS5_TOKENIZER}', prefix = '2 3')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_searchentry_title_simple")
        schema_editor.execute(
            "CREATE INDEX search_searchentry_title_simple ON search_searchentry "
            "USING GIN (to_tsvector('simple', title_words))"
        )


def restore_fulltext(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.all().delete()
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, summary, lessons, body, taxonomy, themes, "
            "tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_searchentry_title_simple")
        schema_editor.execute(
            "CREATE INDEX search_searchentry_title_simple ON search_searchentry "
            "USING GIN (to_tsvector('simple', title))"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0004_case_vectors"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="organisation",
            field=models.TextField(blank=True, help_text="Its names and aliases as written"),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="title_words",
            field=models.TextField(blank=True, help_text="The title's words as written"),
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="taxonomy",
            field=models.TextField(blank=True, help_text="Themes, platforms, country"),
        ),
        migrations.RunPython(recreate_fulltext, restore_fulltext),
    ]
