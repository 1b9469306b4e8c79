"""Keeps the search index in step with what is published, once the transaction commits."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete

from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from cases.models import CaseStudyPage


def index_case(instance, **kwargs):
    transaction.on_commit(partial(index.insert_or_update_object, instance))


def unindex_case(instance, **kwargs):
    transaction.on_commit(partial(index.remove_object, instance))


def connect():
    page_published.connect(index_case, sender=CaseStudyPage)
    page_unpublished.connect(unindex_case, sender=CaseStudyPage)
    post_delete.connect(unindex_case, sender=CaseStudyPage)
