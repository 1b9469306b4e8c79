"""PostgreSQL computes each entry's tsvector as the row is written: `document` becomes a
stored generated column (same expression as the UPDATE that used to follow every write),
so an import's COPY of new entries writes each row once and no second statement rewrites
it. SQLite (FTS5) is unchanged."""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('simple', title || ' ' || organisation), 'A') || "
    "setweight(to_tsvector('simple', summary || ' ' || themes), 'B') || "
    "setweight(to_tsvector('simple', lessons || ' ' || taxonomy), 'C') || "
    "setweight(to_tsvector('simple', body), 'D')"
)
INDEX = "CREATE INDEX search_searchentry_document ON search_searchentry USING GIN (document)"


def generated(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN document")
    schema_editor.execute(
        "ALTER TABLE search_searchentry ADD COLUMN document tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute(INDEX)


def written(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN document")
    schema_editor.execute("ALTER TABLE search_searchentry ADD COLUMN document tsvector")
    schema_editor.execute(f"UPDATE search_searchentry SET document = {VECTOR}")
    schema_editor.execute(INDEX)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_case_vector_batches")]
    operations = [migrations.RunPython(generated, written)]
