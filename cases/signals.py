"""Keeps the search index and the cached counts in step with what is published.

Index updates run once the transaction commits, so an index never holds what the database
does not.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from cases.cache import bump_library_version
from cases.models import CaseStudyPage, Organisation, Platform, Theme

# Sent by the importer after it has committed new cases, with page_ids=[...]: bulk
# creation sends no page_published signals, so indexers listen for this instead.
cases_imported = Signal()


def library_changed():
    """Invalidate cached counts now and again once committed: a request that filled the
    cache from the pre-commit state in between cannot keep it."""
    bump_library_version()
    transaction.on_commit(bump_library_version)


def index_case(instance, **kwargs):
    transaction.on_commit(partial(index.insert_or_update_object, instance))
    library_changed()


def unindex_case(instance, **kwargs):
    transaction.on_commit(partial(index.remove_object, instance))
    library_changed()


def taxonomy_changed(**kwargs):
    library_changed()


def connect():
    from cases.contribute.notify import contribution_published

    page_published.connect(index_case, sender=CaseStudyPage)
    page_published.connect(contribution_published, sender=CaseStudyPage)
    page_unpublished.connect(unindex_case, sender=CaseStudyPage)
    post_delete.connect(unindex_case, sender=CaseStudyPage)
    for model in (Theme, Organisation, Platform):
        post_save.connect(taxonomy_changed, sender=model)
        post_delete.connect(taxonomy_changed, sender=model)
