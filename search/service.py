"""The search service: the one door to search. Views, the API and the related-cases panel
call it; it picks the engine from configuration (ELASTICSEARCH_URL set -> Elasticsearch,
otherwise the database) and answers from the database, marked degraded, when Elasticsearch
cannot.
"""

import logging
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache

from cases.cache import bump_library_version
from cases.models import CaseStudyPage
from cases.queries import case_cards
from search.breaker import Breaker
from search.engines.base import EngineUnavailable, SearchEngine
from search.engines.database import DatabaseEngine
from search.query import SearchQuery
from search.results import Results, Suggestion

logger = logging.getLogger(__name__)
HEALTH_TTL = 5  # seconds one answer to /health/ serves every process
DEGRADED_NOTICE = (
    "The main search service is not responding, so these results come from the simpler "
    "built-in search. They may be less complete; please try again later."
)


class SearchService:
    def __init__(self, engine: SearchEngine, fallback: SearchEngine | None = None):
        self.engine = engine
        self.fallback = fallback
        self.breaker = Breaker(engine.name)

    def _ask(self, method: str, *args, **kwargs):
        """(answer, degraded): the fallback answers when the main engine cannot, and keeps
        answering while the breaker is open (search/breaker.py), so that visitors, in every
        process, do not each wait for a timeout."""
        if self.fallback is not None and self.breaker.tripped() is not None:
            return getattr(self.fallback, method)(*args, **kwargs), True
        try:
            return getattr(self.engine, method)(*args, **kwargs), False
        except EngineUnavailable as exc:
            if self.fallback is None:
                raise
            self.breaker.trip(exc)
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

    def health(self) -> dict:
        """The main engine's state for /health/: {"status": "ok" | "unavailable", "engine",
        and its status() or the "error"}. One answer serves every process for HEALTH_TTL
        seconds, and while the breaker is open the engine is not asked at all, so probes
        never pile up on a cluster that does not answer."""
        key = f"cg:search-health:{self.engine.name}"
        health = cache.get(key)
        if health is None:
            health = self._probe()
            cache.set(key, health, HEALTH_TTL)
        return health

    def _probe(self) -> dict:
        down = self.breaker.tripped()
        if down is not None:
            error = f"not asked since it failed at {down['since']}: {down['error']}"
            return {"status": "unavailable", "engine": self.engine.name, "error": error}
        try:
            status = self.engine.status()
        except EngineUnavailable as exc:
            self.breaker.trip(exc)
            return {"status": "unavailable", "engine": self.engine.name, "error": str(exc)}
        return {"status": "ok", **status}

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
