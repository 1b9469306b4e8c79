"""Indexing follows the page lifecycle, once the transaction commits, so an index never
holds what the database does not: publish, unpublish, move, delete, import, and renames
of the themes, organisations and platforms that appear in documents."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from cases.models import CaseStudyPage, Organisation, Platform, Theme
from cases.signals import cases_imported
from search.service import get_search_service


def _index(ids):
    transaction.on_commit(lambda: get_search_service().index(ids))


def _remove(ids):
    transaction.on_commit(lambda: get_search_service().remove(ids))


def published(instance, **kwargs):
    _index([instance.pk])


def unpublished(instance, **kwargs):
    _remove([instance.pk])


def moved(instance, **kwargs):
    if isinstance(instance.specific, CaseStudyPage):
        _index([instance.pk])


def imported(page_ids, **kwargs):
    get_search_service().index(page_ids)  # the importer has already committed


def taxonomy_saved(sender, instance, created=False, **kwargs):
    if created:
        return
    relation = "organisation" if sender is Organisation else f"{sender._meta.model_name}s"
    ids = list(
        CaseStudyPage.objects.live().filter(**{relation: instance}).values_list("pk", flat=True)
    )
    if ids:
        _index(ids)


def connect():
    page_published.connect(published, sender=CaseStudyPage)
    page_unpublished.connect(unpublished, sender=CaseStudyPage)
    post_delete.connect(unpublished, sender=CaseStudyPage)
    post_page_move.connect(moved)
    cases_imported.connect(imported)
    for model in (Theme, Organisation, Platform):
        post_save.connect(taxonomy_saved, sender=model)
