"""New rows written in bulk, faster than bulk_create: for the importer's thousands of rows.

bulk_create compiles every value through the SQL compiler's layers, and on PostgreSQL
sends each column as an array that psycopg escapes element by element in Python; at
10,000 cases that was a sixth of the import. Here values are prepared once per field as
Django prepares them for saving (pre_save, then get_db_prep_save) and sent with COPY on
PostgreSQL and executemany on SQLite. Only for new rows: no conflict handling, no signals,
no save(); an object's primary key is either set already or assigned (`assign_ids`).
"""

import sqlite3
from collections.abc import Iterable, Sequence
from types import SimpleNamespace

from django.db import connection, connections, models
from django.db.models import Model
from django.db.models.fields import AutoFieldMixin


def insert_rows(model, objs: Sequence[Model], fields=None, *, assign_ids: bool = False) -> None:
    """INSERT a row for each object into `model`'s own table: the `fields` named, or its
    local concrete fields but an auto-incremented id, which the database then gives (the
    objects may be of a subclass, as pages are). With `assign_ids`, each object's primary
    key is set to the id the database gave its row."""
    if not objs:
        return
    meta = model._meta
    if fields is None or assign_ids:
        generated = isinstance(meta.pk, AutoFieldMixin)
        fields = [
            f
            for f in (fields if fields is not None else meta.local_concrete_fields)
            if not (f.primary_key and generated)
        ]
    if ids_before_rows():
        if assign_ids:
            draw_ids(model, objs)
            fields = [meta.pk, *fields]
        _copy(meta.db_table, fields, _rows(objs, fields))
    elif assign_ids:
        _insert_returning_ids(objs, meta, fields)
    else:
        _insert_many(meta.db_table, fields, _rows(objs, fields))


def unsaved(model, values: Iterable[dict]) -> list[SimpleNamespace]:
    """Rows for insert_rows() without a model instance each: every field's default, then
    each dict's values by attname ("page_id"). For rows only written, never saved or read
    back: a model's __init__ (descriptors, signals) cost more than writing its row."""
    defaults = {f.attname: f.get_default() for f in model._meta.local_concrete_fields}
    return [SimpleNamespace(**{**defaults, **row}) for row in values]


# Fields whose values of one Python type reach the database unchanged on SQLite and
# PostgreSQL (exact classes: a subclass may prepare its values): such a value skips
# get_db_prep_save, which was half of this module's time.
PLAIN = {
    models.CharField: str,
    models.SlugField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
}


def _plain_type(field) -> type | None:
    if type(field) in (models.ForeignKey, models.OneToOneField):
        return _plain_type(field.target_field)
    return PLAIN.get(type(field))


def _rows(objs, fields) -> list[tuple]:
    db = connections[connection.alias]  # the connection itself, not the proxy, per value
    plain = [_plain_type(field) for field in fields]
    return [
        tuple(
            value if type(value) is kind or value is None else field.get_db_prep_save(value, db)
            for field, kind in zip(fields, plain, strict=True)
            for value in (field.pre_save(obj, True),)
        )
        for obj in objs
    ]


def _columns(fields) -> str:
    return ", ".join(connection.ops.quote_name(f.column) for f in fields)


def _insert_many(table: str, fields, rows: list[tuple]) -> None:
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(table)} ({_columns(fields)}) "
            f"VALUES ({placeholders})",
            rows,
        )


def _copy(table: str, fields, rows: list[tuple]) -> None:
    """PostgreSQL's COPY, through the psycopg cursor under Django's (same transaction)."""
    statement = f"COPY {connection.ops.quote_name(table)} ({_columns(fields)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def ids_before_rows() -> bool:
    """Whether draw_ids() works here: PostgreSQL's sequences give ids before any row is
    written, so rows that name each other can each be written once, complete."""
    return connection.vendor == "postgresql"


def draw_ids(model, objs) -> None:
    """Sets each object's primary key to an id drawn from the model's own sequence, as its
    INSERT would draw it (PostgreSQL only: see ids_before_rows)."""
    meta = model._meta
    table, column = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, len(objs)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    for obj, pk in zip(objs, ids, strict=True):
        setattr(obj, meta.pk.attname, pk)


def _insert_returning_ids(objs, meta, fields) -> None:
    """SQLite: multi-row INSERT … RETURNING, the ids matched to objects by row position
    (SQLite assigns rowids in VALUES order within one statement, the order Django's own
    bulk_create relies on)."""
    table = connection.ops.quote_name(meta.db_table)
    returning = connection.ops.quote_name(meta.pk.column)
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(limit, 30_000) // len(fields))
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({_columns(fields)}) "
                f"VALUES {', '.join([row] * len(chunk))} RETURNING {returning}",
                [value for values in _rows(chunk, fields) for value in values],
            )
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                setattr(obj, meta.pk.attname, pk)
