"""New published pages written in bulk: the one place the importer uses Wagtail's and
treebeard's internals.

publish_new_pages(parent, pages) leaves in the database what `parent.add_child(instance=page)`
then `page.save_revision().publish()` leave for each page (tree path and url_path, the page's
rows, one revision that is both its latest and its live revision, its parental many-to-many
rows, the create and publish log entries, the parent's numchild, Wagtail's reference index),
in a fixed number of bulk statements per batch instead of some twenty queries a page. No
page signal is sent: the caller announces the pages (cases.signals.cases_changed).
tests/cases/test_interchange_page_rows.py compares its rows with that public path field by
field, so a Wagtail upgrade that changes what publishing writes fails there first.
"""

from collections.abc import Sequence
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Field
from django.utils import timezone

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import (
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_field_value,
    get_serializable_data_for_fields,
)
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from commonground.bulk import draw_ids, ids_before_rows, insert_rows, unsaved

# What a page's revision holds of the fields publishing sets: Wagtail serialises the page
# after add_child and before publish(), so none of them is set yet in the content.
UNPUBLISHED_CONTENT = {
    "live_revision": None,
    "latest_revision": None,
    "first_published_at": None,
    "last_published_at": None,
    "latest_revision_created_at": None,
    "has_unpublished_changes": False,
}


def publish_new_pages(parent: Page, pages: Sequence[Page]) -> None:
    """Create these unsaved pages, all of one type, as the parent's last children, published.

    Each page has its fields, slug and parental many-to-many values set in memory, and a
    `derive_fields()` method doing what its save() fills in from the other fields. Run it in
    a transaction: a failure leaves nothing half written. The pages come back saved (pk,
    path, revisions), as add_child and publish leave them.
    """
    if not pages:
        return
    model = type(pages[0])
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(model)
    base_type = ContentType.objects.get_for_model(Page)
    _place(parent, pages, content_type, now)
    revisions = _insert_pages_and_revisions(model, pages, content_type, base_type, now)
    _insert_relations(model, pages)
    _insert_log_entries(pages, revisions, content_type, now)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    _insert_references(pages, content_type, base_type)


def _place(parent: Page, pages: Sequence[Page], content_type, now) -> None:
    """Tree and publishing fields, as add_child, save_revision and publish set them."""
    depth = parent.depth + 1
    # Asked of the database, not treebeard's get_last_child(), which trusts the parent's
    # in-memory numchild that an earlier batch left stale.
    last_path = (
        Page.objects.filter(path__startswith=parent.path, depth=depth)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = Page._str2int(last_path[-Page.steplen :]) if last_path else 0
    for offset, page in enumerate(pages, start=1):
        page.derive_fields()
        page.path = Page._get_path(parent.path, depth, step + offset)
        page.depth = depth
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"  # Page.set_url_path
        page.draft_title = page.draft_title or page.title
        if page.locale_id is None:
            page.locale_id = parent.locale_id  # Page.get_default_locale: the parent's
        page.content_type = content_type
        page.live = True
        page.has_unpublished_changes = False
        page.expired = False
        page.first_published_at = page.last_published_at = now
        page.latest_revision_created_at = now


def _insert_pages_and_revisions(model, pages, content_type, base_type, now) -> list[Revision]:
    """The wagtailcore_page rows and the specific model's (multi-table inheritance, which
    bulk_create refuses), and each page's revision, set as its latest and live one. Where
    the database hands out ids before rows are written (PostgreSQL's sequences), every row
    is written once, complete; otherwise (SQLite) the page rows take their revisions' ids
    in one UPDATE afterwards."""
    page_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
    ahead = ids_before_rows()
    if ahead:
        draw_ids(Page, pages)
    else:
        insert_rows(Page, pages, page_fields, assign_ids=True)
    for page in pages:
        page.page_ptr_id = page.id
        page._state.adding = False
        page._state.db = connection.alias
        # A new page has no child objects (comments, inlines); held in memory so that
        # serialising it and extracting its references ask the database nothing.
        held = getattr(page, "_cluster_related_objects", {})
        for relation in get_all_child_relations(page):
            if relation.get_accessor_name() not in held:
                setattr(page, relation.get_accessor_name(), [])
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=base_type,
            object_id=str(page.pk),
            object_str=str(page),
            created_at=now,
            content={**revision_content(page), **UNPUBLISHED_CONTENT},
        )
        for page in pages
    ]
    insert_rows(Revision, revisions, assign_ids=True)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    if ahead:
        insert_rows(Page, pages, [Page._meta.pk, *page_fields])
    else:
        table, pk = Page._meta.db_table, Page._meta.pk.column
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET latest_revision_id = %s, live_revision_id = %s "
                f"WHERE {pk} = %s",
                [(r.pk, r.pk, p.pk) for p, r in zip(pages, revisions, strict=True)],
            )
    insert_rows(model, pages)
    return revisions


def revision_content(page: Page) -> dict:
    """What `page.serializable_data()` returns (modelcluster's walk of every field, child
    relation and parental many-to-many field), with the walk planned once per model: a
    field holding a plain str, int or None goes in as it is, as modelcluster's
    get_field_value would put it; any other value takes get_field_value itself. An eighth of
    an import went on asking each of a page's 53 fields the same questions."""
    if hasattr(page, "_titles_on_one_line"):
        page._titles_on_one_line()  # commonground.text.SingleLineTitles.serializable_data
    fields, relations, many_to_many = _content_plan(type(page))
    content = {"pk": page.pk}
    for field, attname, plain in fields:
        value = getattr(page, attname)
        if not (plain and (value is None or type(value) in PLAIN_TYPES)):
            value = get_field_value(field, page)
        content[field.name] = value
    for accessor, serialisable in relations:
        children = getattr(page, accessor).all()
        content[accessor] = [
            child.serializable_data() if serialisable else get_serializable_data_for_fields(child)
            for child in children
        ]
    for name in many_to_many:
        content[name] = [child.pk for child in getattr(page, name).all()]
    return content


PLAIN_TYPES = (str, int, bool)


@lru_cache(maxsize=8)
def _content_plan(model):
    """(field, attname, plain) for each serialised field in modelcluster's order, where
    plain means a value of a PLAIN_TYPES type goes in unchanged (a foreign key's id; a field
    whose pre_save and value_to_string are Django's own, which leave such a value as it is);
    the child relations' accessors; the serialised parental many-to-many fields' names."""
    fields = [
        (
            field,
            field.attname,
            field.remote_field is not None
            or (
                type(field).pre_save is Field.pre_save
                and type(field).value_to_string is Field.value_to_string
            ),
        )
        for field in model._meta.fields
        if field.serialize
    ]
    relations = [
        (rel.get_accessor_name(), hasattr(rel.related_model, "serializable_data"))
        for rel in get_all_child_relations(model)
    ]
    many_to_many = [f.name for f in get_all_child_m2m_relations(model) if f.serialize]
    return fields, relations, many_to_many


def _insert_relations(model, pages: Sequence[Page]) -> None:
    """Rows of every parental many-to-many field, from the values held in memory."""
    for field in model._meta.get_fields():
        if not isinstance(field, ParentalManyToManyField):
            continue
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        insert_rows(
            through,
            unsaved(
                through,
                (
                    {source: page.pk, target: related.pk}
                    for page in pages
                    for related in getattr(page, field.name).all()
                ),
            ),
        )


def _insert_log_entries(pages, revisions, content_type, now) -> None:
    """'wagtail.create', as the admin's create view logs it, and publish()'s 'wagtail.publish'."""
    entries = unsaved(
        PageLogEntry,
        (
            {
                "content_type_id": content_type.pk,
                "page_id": page.pk,
                "label": page.get_admin_display_title(),
                "action": action,
                "timestamp": now,
                "revision_id": revision.pk if action == "wagtail.publish" else None,
                "content_changed": True,
                "data": {},
            }
            for page, revision in zip(pages, revisions, strict=True)
            for action in ("wagtail.create", "wagtail.publish")
        ),
    )
    insert_rows(PageLogEntry, entries)


def _insert_references(pages, content_type, base_type) -> None:
    """New pages have no reference rows yet: built with the same extraction
    ReferenceIndex.create_or_update_for_object uses, inserted without reading any (each
    page's references once, as the index's unique key wants them)."""
    insert_rows(
        ReferenceIndex,
        unsaved(
            ReferenceIndex,
            (
                {
                    "content_type_id": content_type.pk,
                    "base_content_type_id": base_type.pk,
                    "object_id": page.pk,
                    "to_content_type_id": to_type,
                    "to_object_id": to_id,
                    "model_path": model_path,
                    "content_path": content_path,
                    "content_path_hash": ReferenceIndex._get_content_path_hash(content_path),
                }
                for page in pages
                for to_type, to_id, model_path, content_path in set(
                    ReferenceIndex._extract_references_from_object(page)
                )
            ),
        ),
    )
