"""Work an import leaves to the task worker: Wagtail's own search index (the admin's page
search) for the cases a batch created. Wagtail fills that index the same way for the models
it updates automatically, through a task queued on save (modelsearch's post_save handler);
the site's own search indexes the cases inside the batch's transaction (search/lifecycle.py).
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
