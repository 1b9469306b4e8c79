"""The one lifecycle of search: which changes to the library reach the indexes, and when.

This is the one place connected to Wagtail's page signals and the taxonomy models for
search. Inside the transaction that changes cases it hands their ids to the search service
(SearchService.record): the database engine indexes them in that same transaction, so its
index commits or rolls back with the change whatever crashes, and every other engine gets a
durable PendingChange row. It moves the library version in the same transaction, so other
processes see the new version exactly when they can see the change, and recompute their
cached counts and match sets then. Once the transaction commits, one step enqueues the task
that brings the other engines up to date (search/tasks.py). A crash, a kill or an Elasticsearch
outage loses nothing: the rows wait for the task's next run, a re-run import, or
`manage.py search_index update`; `search_index check` fails while any engine lags.

Meaning search's vectors follow the same way, never inside the change: a PendingChange row
under search.embed.EMBED_KEY per changed case, and after the commit one embedding task
(search/tasks.py embed_cases), however many batches an import commits. Until it has run,
words alone find the changed cases.

Pages show more than the search documents hold (a theme's description, the home page, an
event, a question and its answers): commonground/page_cache/invalidation.py moves the same
version for every such change, in its transaction, so the page cache keyed by it is never
stale.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from cases.cache import bump_library_version
from cases.models import CaseStudyPage, Organisation, Platform, Theme
from cases.signals import cases_changed, import_finished
from search.embed import EMBED_KEY
from search.embedding import enabled as embedding_enabled
from search.models import PendingChange
from search.service import get_search_service

# Which of a taxonomy entry's fields appear in the search documents of its cases.
INDEXED_FIELDS = {
    Theme: ("name", "slug"),
    Organisation: ("name", "slug", "aliases"),
    Platform: ("name", "slug", "former_names"),
}
RELATION = {Theme: "themes", Organisation: "organisation", Platform: "platforms"}


def changed(page_ids, new_cases=()) -> None:
    """These cases changed (published, unpublished, moved, deleted, renamed taxonomy...);
    `new_cases`: the same cases, just created and held in memory by their writer."""
    ids = sorted({int(pk) for pk in page_ids})
    if not ids:
        return
    get_search_service().record(ids, new_cases)
    if embedding_enabled():
        PendingChange.objects.bulk_create(
            [PendingChange(engine=EMBED_KEY, page_id=pk) for pk in ids]
        )
    bump_library_version()
    transaction.on_commit(after_commit, robust=True)


def after_commit() -> None:
    """Have the task queue apply whatever other engines have pending, and embed what
    changed."""
    from search.tasks import catch_up_search, enqueue_embedding

    if PendingChange.objects.exclude(engine=EMBED_KEY).exists():
        catch_up_search.enqueue()
    if PendingChange.objects.filter(engine=EMBED_KEY).exists():
        enqueue_embedding()


def catch_up_now() -> None:
    """Apply what is pending at once, in this process (the importer's last step). Inside a
    transaction only the database engine can (its index commits with it); the others wait
    for the commit."""
    service = get_search_service()
    if transaction.get_connection().in_atomic_block:
        service.catch_up(transactional_only=True)
        transaction.on_commit(service.catch_up, robust=True)
    else:
        service.catch_up()


# Receivers ------------------------------------------------------------------------------


def _page_changed(instance, **kwargs):
    changed([instance.pk])


def _case_published(instance, **kwargs):
    """Wagtail's own index (the admin's page search) gets the case too, once it commits."""
    from cases.admin_search import add_to_admin_search

    pk = instance.pk
    transaction.on_commit(lambda: add_to_admin_search.enqueue([pk]), robust=True)


def _page_moved(instance, **kwargs):
    if issubclass(instance.specific_class or object, CaseStudyPage):
        changed([instance.pk])


def _cases_changed(page_ids, new_cases=(), **kwargs):
    changed(page_ids, new_cases)


def _import_finished(**kwargs):
    catch_up_now()
    if embedding_enabled():
        from search.tasks import enqueue_embedding

        transaction.on_commit(enqueue_embedding, robust=True)


def _cases_using(instance) -> list[int]:
    relation = RELATION[type(instance)]
    return list(
        CaseStudyPage.objects.live().filter(**{relation: instance}).values_list("pk", flat=True)
    )


def _remember_indexed_fields(sender, instance, raw=False, **kwargs):
    """Before a taxonomy entry is saved: what its cases' documents show of it now."""
    if raw or instance.pk is None:
        return
    fields = INDEXED_FIELDS[sender]
    instance._indexed_before = sender.objects.filter(pk=instance.pk).values_list(*fields).first()


def _taxonomy_saved(sender, instance, created=False, raw=False, **kwargs):
    """A new entry is in no case yet, and an edit that leaves its name, slug (and an
    organisation's aliases) alone changes no document: neither moves the library version."""
    if created or raw:
        return
    now = tuple(getattr(instance, field) for field in INDEXED_FIELDS[sender])
    if getattr(instance, "_indexed_before", None) != now:
        changed(_cases_using(instance))


def _taxonomy_deleting(sender, instance, **kwargs):
    changed(_cases_using(instance))


def connect() -> None:
    page_published.connect(_page_changed, sender=CaseStudyPage)
    page_published.connect(_case_published, sender=CaseStudyPage)
    page_unpublished.connect(_page_changed, sender=CaseStudyPage)
    post_delete.connect(_page_changed, sender=CaseStudyPage)
    post_page_move.connect(_page_moved)
    cases_changed.connect(_cases_changed)
    import_finished.connect(_import_finished)
    for model in INDEXED_FIELDS:
        pre_save.connect(_remember_indexed_fields, sender=model)
        post_save.connect(_taxonomy_saved, sender=model)
        pre_delete.connect(_taxonomy_deleting, sender=model)
