"""Elasticsearch in the lifecycle (search/lifecycle.py): its writes go through the task
queue, never a request, and none is lost to a rebuild, a kill or an outage. The cluster is
the recording stand-in of test_elasticsearch_engine.py."""

from datetime import timedelta

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.utils import timezone

from search.engines.database import DatabaseEngine
from search.engines.elasticsearch import ElasticsearchEngine
from search.models import PendingChange
from search.service import SearchService
from tests.factories import CaseStudyPageFactory

from .test_elasticsearch_engine import URL, Cluster, answer_rebuild, bulk_reply

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def cluster():
    cluster = Cluster()
    cluster.on("HEAD", "/_alias/cg-cases", None)
    cluster.on("PUT", "/_bulk", bulk_reply)
    return cluster


@pytest.fixture
def service(cluster, monkeypatch):
    """The site's search service, with Elasticsearch on the stand-in cluster."""
    engine = ElasticsearchEngine(URL, index_prefix="cg", client=cluster.client())
    service = SearchService(engine, fallback=DatabaseEngine())
    monkeypatch.setattr("search.lifecycle.get_search_service", lambda: service)
    monkeypatch.setattr("search.tasks.get_search_service", lambda: service)
    return service


def written_ids(request) -> set[int]:
    return {int(next(iter(line.values()))["_id"]) for line in request.body[::2]}


def bulks(cluster):
    return [r for r in cluster.requests if (r.method, r.path) == ("PUT", "/_bulk")]


def test_a_publication_reaches_elasticsearch_through_the_queue_not_the_request(
    cluster, service, settings, library, django_capture_on_commit_callbacks, run_worker
):
    settings.TASKS = DATABASE_QUEUE
    with django_capture_on_commit_callbacks(execute=True):
        case = CaseStudyPageFactory(title="Weekly radio recruitment slot")
    assert cluster.requests == []  # the request that published never waited on the cluster
    assert service.pending() == {"elasticsearch": 1, "database": 0}
    assert DBTaskResult.objects.filter(task_path="search.tasks.catch_up_search").count() == 1

    run_worker()

    [bulk] = bulks(cluster)
    assert written_ids(bulk) == {case.pk}
    assert bulk.params["require_alias"] == "true"
    assert service.pending() == {"elasticsearch": 0, "database": 0}


def test_the_version_moves_again_once_elasticsearch_has_the_change(
    cluster, service, settings, library, django_capture_on_commit_callbacks, run_worker
):
    """A search page kept between the publication and the task's write showed the
    cluster's old answers under the new version: the write moves the version once more."""
    from cases.cache import current_library_version

    settings.TASKS = DATABASE_QUEUE
    with django_capture_on_commit_callbacks(execute=True):
        CaseStudyPageFactory(title="Weekly radio recruitment slot")
    published = current_library_version()
    run_worker()
    assert bulks(cluster)
    assert current_library_version() != published


def test_while_the_cluster_is_down_changes_wait_and_one_retry_is_scheduled(
    cluster, service, settings, library, django_capture_on_commit_callbacks, run_worker
):
    settings.TASKS = DATABASE_QUEUE
    cluster.on("PUT", "/_bulk", {"error": "unavailable", "status": 503}, status=503)
    with django_capture_on_commit_callbacks(execute=True):
        CaseStudyPageFactory(title="One")
        CaseStudyPageFactory(title="Two")
    run_worker()

    assert service.pending()["elasticsearch"] == 2
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.count() == 1  # one retry, later, however many changes found it down
    assert waiting.get().run_after > timezone.now() + timedelta(seconds=5)


def test_changes_made_during_a_rebuild_reach_the_new_index(cluster, service, library):
    """A rebuild fills a new index while the alias still names the old one; a write made
    meanwhile through the alias would be lost at the swap. The rebuild holds the engine's
    lease, so the change waits and is written to the new index once the alias moved."""
    before = CaseStudyPageFactory(title="Indexed by the rebuild")
    answer_rebuild(cluster)
    during = []

    def bulk_while_publishing(request):
        if not during:
            during.append(CaseStudyPageFactory(title="Published during the rebuild"))
        return bulk_reply(request)

    cluster.on("PUT", "/_bulk", bulk_while_publishing)
    PendingChange.objects.all().delete()

    assert service.rebuild()["elasticsearch"] == 1

    paths = [(r.method, r.path) for r in cluster.requests]
    swap = paths.index(("POST", "/_aliases"))
    later = [r for r in bulks(cluster) if cluster.requests.index(r) > swap]
    assert [written_ids(r) for r in later] == [{during[0].pk}]
    assert later[0].body[0]["index"]["_index"] == "cg-cases"  # through the alias, now new
    first = bulks(cluster)[0]
    assert written_ids(first) == {before.pk}
    assert service.pending() == {"elasticsearch": 0, "database": 0}
