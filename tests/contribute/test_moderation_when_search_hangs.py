"""A moderator's decision never waits on Elasticsearch: approving with a cluster that accepts
connections and never answers once took 30.9 s, returned 500 and left the case out of the
database index. Now the database engine indexes it with the decision and Elasticsearch's
share waits for the task worker."""

import time

from cases.models import CaseStudyPage
from search.models import PendingChange, SearchEntry
from search.query import SearchQuery
from search.service import get_search_service
from tests.search.silent_cluster import SilentCluster

from .test_moderation import act

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_approving_with_a_hanging_cluster_is_quick_and_loses_nothing(
    client, settings, member, moderator, contribution_data, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contribute/", {**contribution_data, "action": "submit"})
    client.logout()
    page = CaseStudyPage.objects.get(contributor=member)

    with SilentCluster() as cluster:
        settings.ELASTICSEARCH_URL = cluster.url
        start = time.perf_counter()
        act(client, moderator, page, "approve", capture=django_capture_on_commit_callbacks)
        seconds = time.perf_counter() - start
        assert cluster.requests == []  # the request never spoke to the cluster

        assert seconds < 5
        assert page.live
        assert SearchEntry.objects.filter(page=page).exists()
        assert PendingChange.objects.filter(page_id=page.pk, engine__startswith="elastic").exists()
        results = get_search_service().search(SearchQuery("night shift Ghent"))
        assert results.degraded and [hit.page_id for hit in results.hits] == [page.pk]
