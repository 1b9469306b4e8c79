"""The search service: the one door to search. Views, the API and the related-cases panel
call it; it picks the engine from configuration (ELASTICSEARCH_URL set -> Elasticsearch,
otherwise the database) and answers from the database, marked degraded, when Elasticsearch
cannot.
"""

import logging
import time
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings

from cases.cache import bump_library_version
from cases.models import CaseStudyPage
from cases.queries import case_cards
from search.engines.base import EngineUnavailable, SearchEngine
from search.engines.database import DatabaseEngine
from search.query import SearchQuery
from search.results import Results, Suggestion

logger = logging.getLogger(__name__)
RETRY_AFTER = 30  # seconds the fallback answers alone after the main engine failed
DEGRADED_NOTICE = (
    "The main search service is not responding, so these results come from the simpler "
    "built-in search. They may be less complete; please try again later."
)


class SearchService:
    def __init__(self, engine: SearchEngine, fallback: SearchEngine | None = None):
        self.engine = engine
        self.fallback = fallback
        self._down_until = 0.0  # after a failure the fallback answers at once for a while

    def _ask(self, method: str, *args, **kwargs):
        """(answer, degraded): the fallback answers when the main engine cannot, and keeps
        answering for RETRY_AFTER seconds so visitors do not each wait for a timeout."""
        if self.fallback is not None and time.monotonic() < self._down_until:
            return getattr(self.fallback, method)(*args, **kwargs), True
        try:
            return getattr(self.engine, method)(*args, **kwargs), False
        except EngineUnavailable as exc:
            if self.fallback is None:
                raise
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning(
                "Search engine %s unavailable (%s); using the database", self.engine.name, exc
            )
            return getattr(self.fallback, method)(*args, **kwargs), True

    def search(self, query: SearchQuery) -> Results:
        results, degraded = self._ask("search", query)
        if degraded:
            results.degraded, results.notice = True, DEGRADED_NOTICE
        return results

    def matching_ids(self, query: SearchQuery, limit: int) -> list[int]:
        return self._ask("matching_ids", query, limit)[0]

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        return self._ask("suggest", prefix, limit)[0]

    def related(self, page: CaseStudyPage, limit: int = 4) -> list[CaseStudyPage]:
        ids = self._ask("related", page.pk, limit)[0]
        pages = case_cards(CaseStudyPage.objects.live().filter(pk__in=ids)).in_bulk()
        return [pages[pk] for pk in ids if pk in pages]

    # Indexing goes to every engine that keeps an index, so the fallback stays current.

    def _engines(self):
        return [e for e in (self.engine, self.fallback) if e is not None]

    # Each change moves the library version, which drops match sets held in memory.

    def _write(self, method: str, ids: list[int]) -> None:
        """Each engine on its own: one that is down must not keep the others stale. It is
        brought back in step with `manage.py search_index rebuild`."""
        for engine in self._engines():
            try:
                getattr(engine, method)(ids)
            except EngineUnavailable as exc:
                logger.error("Search engine %s missed %s of %s: %s", engine.name, method, ids, exc)
        bump_library_version()

    def index(self, page_ids: Iterable[int]) -> None:
        self._write("index", list(page_ids))

    def remove(self, page_ids: Iterable[int]) -> None:
        self._write("remove", list(page_ids))

    def update(self) -> dict[str, tuple[int, int] | str]:
        """Bring each engine's index in step with the published cases, engine by engine (an
        Elasticsearch index can lag the database one): {engine: (added, removed)}, or the
        error for an engine that cannot be reached."""
        published = set(CaseStudyPage.objects.live().values_list("pk", flat=True))
        report = {}
        for engine in self._engines():
            try:
                indexed = engine.indexed_ids()
                missing, stale = published - indexed, indexed - published
                if missing:
                    engine.index(missing)
                if stale:
                    engine.remove(stale)
            except EngineUnavailable as exc:
                report[engine.name] = str(exc)
            else:
                report[engine.name] = (len(missing), len(stale))
        bump_library_version()
        return report

    def rebuild(self) -> dict[str, int]:
        counts = {engine.name: engine.rebuild() for engine in self._engines()}
        bump_library_version()
        return counts

    def status(self) -> list[dict]:
        statuses = []
        for engine in self._engines():
            try:
                status = engine.status()
            except EngineUnavailable as exc:
                status = {"engine": engine.name, "error": str(exc)}
            status["published"] = CaseStudyPage.objects.live().count()
            statuses.append(status)
        return statuses


@lru_cache(maxsize=4)
def _service_for(elasticsearch_url: str) -> SearchService:
    database = DatabaseEngine()
    if not elasticsearch_url:
        return SearchService(database)
    from search.engines.elasticsearch import ElasticsearchEngine

    return SearchService(ElasticsearchEngine(elasticsearch_url), fallback=database)


def get_search_service() -> SearchService:
    return _service_for(settings.ELASTICSEARCH_URL)
