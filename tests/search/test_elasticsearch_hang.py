"""An Elasticsearch that accepts connections but never answers, or answers late, holds no
visitor, worker or command for long.

The engine is built from ELASTICSEARCH_URL as the site builds it (its real client, timeouts
and retries) and pointed at a real HTTP server in a thread (silent_cluster.py). The cases
are indexed in the database engine first, which answers, marked degraded. Targets: reads
2 s, /health/ 1 s, commands within the write timeout (10 s); the asserted bounds are about
twice that, for a shared and busy test machine.
"""

import io
import time

import pytest

from django.core.management import CommandError, call_command

from cases.models import CaseStudyPage
from search.engines.database import DatabaseEngine
from search.engines.elasticsearch import ElasticsearchEngine
from search.query import SearchQuery
from search.service import DEGRADED_NOTICE, SearchService, get_search_service
from tests.search.silent_cluster import SilentCluster

READ_BOUND = 4.0  # seconds; the target is 2
HEALTH_BOUND = 2.0  # the target is 1
COMMAND_BOUND = 20.0  # the target is 10 (one write or listing request)
STATUS = {  # what a healthy node answers to status()'s three requests
    "GET /_cluster/health": (200, {"cluster_name": "c", "status": "green"}),
    "GET /_alias/commonground-cases": (200, {"commonground-cases-1": {"aliases": {}}}),
    "POST /commonground-cases/_count": (200, {"count": 6}),
}


@pytest.fixture
def silent(settings, corpus):
    """A node that never answers, configured as the site's Elasticsearch."""
    with SilentCluster() as cluster:
        settings.ELASTICSEARCH_URL = cluster.url
        yield cluster


def timed(call):
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def flood_case() -> CaseStudyPage:
    return CaseStudyPage.objects.get(external_id="flood-myths")


# Reads through the service --------------------------------------------------------------


def test_search_answers_from_the_database_in_time(silent):
    results, seconds = timed(lambda: get_search_service().search(SearchQuery("flood")))

    assert seconds < READ_BOUND
    assert (results.engine, results.degraded, results.notice) == (
        "database",
        True,
        DEGRADED_NOTICE,
    )
    assert "flood-myths" in [hit.external_id for hit in results.hits]
    assert silent.requests == ["POST /commonground-cases/_search"]  # asked once, no retry


@pytest.mark.parametrize(
    ("read", "answer"),
    [
        (lambda s: s.matching_ids(SearchQuery("flood"), 10), lambda: flood_case().pk),
        (lambda s: [x.text for x in s.suggest("myth")], lambda: flood_case().title),
        (lambda s: s.related(CaseStudyPage.objects.get(external_id="moncton-manhunt")), None),
    ],
    ids=["matching_ids", "suggest", "related"],
)
def test_other_reads_answer_from_the_database_in_time(silent, read, answer):
    found, seconds = timed(lambda: read(get_search_service()))

    assert seconds < READ_BOUND
    if answer is None:  # related: the other crisis-communication case
        assert [page.external_id for page in found] == ["flood-myths"]
    else:
        assert answer() in found
    assert len(silent.requests) == 1


def test_one_failure_spares_every_process_the_wait(silent):
    """The breaker is shared through the cache: another process (another service on its
    own engine and client) does not ask the cluster again either."""
    get_search_service().search(SearchQuery("flood"))
    other_process = SearchService(ElasticsearchEngine(silent.url), fallback=DatabaseEngine())

    results, seconds = timed(lambda: other_process.search(SearchQuery("flood")))
    assert results.degraded and "flood-myths" in [hit.external_id for hit in results.hits]
    assert other_process.suggest("myth")
    assert len(silent.requests) == 1


def test_a_late_answer_is_not_waited_for(settings, corpus):
    """A node that answers "busy" only after 3 s: the read gives up first, and a 503 is
    not retried."""
    with SilentCluster(delay=3) as late:
        settings.ELASTICSEARCH_URL = late.url
        results, seconds = timed(lambda: get_search_service().search(SearchQuery("flood")))

    assert seconds < READ_BOUND
    assert results.degraded
    assert late.requests == ["POST /commonground-cases/_search"]


# Pages and API ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/search/?q=flood", DEGRADED_NOTICE.split(",")[0]),
        ("/api/search/?q=flood", '"degraded": true'),
        ("/api/search/suggest/?q=myth", "Myth-busting during the floods"),
        ("/cases/flood-myths/", "Myth-busting during the floods"),  # with related cases
    ],
)
def test_pages_answer_in_time(client, silent, url, expected):
    response, seconds = timed(lambda: client.get(url))

    assert seconds < READ_BOUND
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert len(silent.requests) == 1


# /health/ ---------------------------------------------------------------------------------


def test_health_answers_in_time_and_then_from_the_cache(client, silent):
    response, seconds = timed(lambda: client.get("/health/"))

    assert seconds < HEALTH_BOUND
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "search": "unavailable"}
    asked = len(silent.requests)
    assert asked == 1
    for _ in range(3):
        assert client.get("/health/").json()["search"] == "unavailable"
    assert len(silent.requests) == asked  # one probe serves every process for a while


def test_health_bounds_all_of_its_requests_together(client, settings, corpus):
    """Each of status()'s three requests answered after 0.5 s: they share one budget."""
    with SilentCluster(delay=0.5, reply=lambda method, path: STATUS[f"{method} {path}"]) as slow:
        settings.ELASTICSEARCH_URL = slow.url
        response, seconds = timed(lambda: client.get("/health/"))

    assert seconds < HEALTH_BOUND
    assert response.json()["search"] == "unavailable"
    assert len(slow.requests) == 2  # the second ran out of the budget


def test_health_does_not_ask_while_the_breaker_is_open(client, silent):
    get_search_service().search(SearchQuery("flood"))
    response = client.get("/health/")

    assert response.json()["search"] == "unavailable"
    assert len(silent.requests) == 1  # only the search's


# search_index ---------------------------------------------------------------------------


def test_status_command_reports_the_error_in_time(silent):
    out = io.StringIO()
    _, seconds = timed(lambda: call_command("search_index", "status", stdout=out))

    assert seconds < HEALTH_BOUND
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("elasticsearch: error: Elasticsearch could not report its status")
    assert lines[1].startswith("database: backend: ") and "documents: 6," in lines[1]


@pytest.mark.parametrize(
    ("action", "bound", "message"),
    [
        ("check", HEALTH_BOUND, "Search index out of step: elasticsearch"),
        ("update", COMMAND_BOUND, "Not updated: elasticsearch: Elasticsearch could not list"),
        ("rebuild", COMMAND_BOUND, "Not rebuilt: elasticsearch: Elasticsearch could not"),
    ],
)
def test_commands_fail_clearly_in_time(silent, action, bound, message):
    start = time.perf_counter()
    with pytest.raises(CommandError, match=message):
        call_command("search_index", action, stdout=io.StringIO())

    assert time.perf_counter() - start < bound
