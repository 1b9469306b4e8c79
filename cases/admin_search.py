"""Wagtail's own search index (the admin's page search) for cases, filled by the task worker.

Cases are not updated in it on every draft save (CaseStudyPage.search_auto_update is off):
a case is added when it is published in the admin (search/lifecycle.py) and when an import
creates it (cases/interchange/importer.py), through a task queued in that transaction, as
Wagtail queues its own updates for the models it updates automatically. The site's own
search indexes published cases inside the change's transaction (search/lifecycle.py).
"""

from django_tasks import task

from wagtail.search.backends import get_search_backends

from cases.models import CaseStudyPage


@task()
def add_to_admin_search(page_ids: list[int]) -> int:
    pages = list(
        CaseStudyPage.objects.filter(pk__in=page_ids)
        .select_related("organisation")
        .prefetch_related("themes")
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(CaseStudyPage, pages)
    return len(pages)
