"""Wall time of every path that can wait on Elasticsearch, against a node that accepts
connections but never answers, and against one that answers "busy" (503) after 3 s.

    python benchmarks/es_hang.py            # ES_HANG_CASES=200, ES_HANG_CAP=60 (seconds)

A fresh SQLite database in a temporary folder gets ES_HANG_CASES generated cases (indexed
in the database engine), then ELASTICSEARCH_URL points at the stand-in
(tests/search/silent_cluster.py). Each path starts cold: a new search service and an empty
cache, so no breaker is open, except the rows marked "again", which follow the row above.
A path still waiting after ES_HANG_CAP seconds is reported as such and left behind. The
process is warmed with one search first, as a running server is.
Figures are printed, not asserted; tests/search/test_elasticsearch_hang.py asserts bounds.
"""

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("ES_HANG_CASES", "200"))
CAP = float(os.environ.get("ES_HANG_CAP", "60"))
LATE = 3.0  # seconds before the "busy" node answers


def setup(folder: str):
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="commonground.settings.dev",
        DATABASE_URL=f"sqlite:///{folder}/es-hang.sqlite3",
        MEDIA_ROOT=folder,
        ELASTICSEARCH_URL="",
        DEBUG="false",
        LOG_LEVEL="CRITICAL",  # the engine's and the service's warnings, one per path
    )
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.generate import generate
    from cases.interchange.importer import CaseImporter

    call_command("migrate", verbosity=0)
    report = CaseImporter().run(list(generate(CASES)))
    assert report.created == CASES, report.summary()
    # Warm the process (the facet snapshot, the full-text module, the Elasticsearch client
    # library) as a running server is: the figures are what waiting on the cluster adds to
    # an ordinary request.
    from django.test import Client

    import search.engines.elasticsearch  # noqa: F401

    Client(HTTP_HOST="localhost").get("/search/?q=warm+up")


def paths():
    """(name, target, call, cold): every way a request or a command reaches the engine."""
    import io

    from django.core.management import CommandError, call_command
    from django.test import Client

    from cases.models import CaseStudyPage
    from search.query import SearchQuery
    from search.service import get_search_service

    client = Client(HTTP_HOST="localhost")
    case = CaseStudyPage.objects.live().first()

    def command(action):
        def run():
            try:
                call_command("search_index", action, stdout=io.StringIO())
            except CommandError as exc:
                return f"CommandError: {str(exc)[:60]}"
            return "done"

        return run

    def get(url):
        return lambda: client.get(url).status_code

    def service():
        return get_search_service()

    flood = SearchQuery("flood")
    return [
        ("service.search", "2 s", lambda: service().search(flood), True),
        ("service.search again", "0", lambda: service().search(flood), False),
        ("service.matching_ids", "2 s", lambda: service().matching_ids(flood, 50), True),
        ("service.suggest", "2 s", lambda: service().suggest("flo"), True),
        ("service.related", "2 s", lambda: service().related(case), True),
        ("GET /search/?q=flood", "2 s", get("/search/?q=flood"), True),
        ("GET /api/search/?q=flood", "2 s", get("/api/search/?q=flood"), True),
        ("GET /api/search/suggest/?q=flo", "2 s", get("/api/search/suggest/?q=flo"), True),
        ("GET case page (related cases)", "2 s", get(case.url), True),
        ("GET /health/", "1 s", get("/health/"), True),
        ("GET /health/ again", "0", get("/health/"), False),
        ("search_index status", "1 s", command("status"), True),
        ("search_index check", "1 s", command("check"), True),
        ("search_index update", "10 s", command("update"), True),
        ("search_index rebuild", "10 s", command("rebuild"), True),
    ]


def timed(call) -> str:
    """Wall time of call() in a thread, or how long it was left waiting."""
    outcome = {}

    def run():
        start = time.perf_counter()
        try:
            outcome["result"] = call()
        except Exception as exc:  # a figure, whatever the path raised
            outcome["result"] = f"{type(exc).__name__}"
        outcome["seconds"] = time.perf_counter() - start

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(CAP)
    if thread.is_alive():
        return f"> {CAP:.0f} s (still waiting)"
    return f"{outcome['seconds']:.2f} s"


def measure(url: str) -> list[str]:
    from django.core.cache import cache
    from django.test import override_settings

    from search.service import _service_for

    figures = []
    with override_settings(ELASTICSEARCH_URL=url):
        for _, _, call, cold in paths():
            if cold:
                _service_for.cache_clear()
                cache.clear()
            figures.append(timed(call))
    return figures


def main():
    with tempfile.TemporaryDirectory(prefix="cg-es-hang-") as folder:
        setup(folder)
        from tests.search.silent_cluster import SilentCluster

        with SilentCluster() as silent:
            never = measure(silent.url)
        with SilentCluster(delay=LATE) as late:
            busy = measure(late.url)
        rows = [(name, target) for name, target, _, _ in paths()]  # needs the database

    print(f"Elasticsearch that never answers / answers 503 after {LATE:.0f} s ({CASES} cases)")
    print(f"{'path':<34} {'target':>7} {'never answers':>24} {'503 after 3 s':>24}")
    for (name, target), a, b in zip(rows, never, busy, strict=True):
        print(f"{name:<34} {target:>7} {a:>24} {b:>24}")


if __name__ == "__main__":
    main()
