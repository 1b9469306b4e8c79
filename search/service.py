"""The search service: the one door to search. Views, the API and the related-cases panel
call it; it picks the engine from configuration (ELASTICSEARCH_URL set -> Elasticsearch,
otherwise the database) and answers from the database, marked degraded, when Elasticsearch
cannot.
"""

import logging
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cases.cache import bump_library_version
from cases.models import CaseStudyPage
from cases.queries import case_cards
from search.breaker import Breaker
from search.embedding import embedder, unavailable_reason
from search.engines.base import EngineUnavailable, SearchEngine
from search.engines.database import DatabaseEngine
from search.leases import engine_lease
from search.models import CaseVector, PendingChange
from search.query import SearchQuery
from search.results import Results, Suggestion

logger = logging.getLogger(__name__)
INLINE_LIMIT = 500  # cases the database engine indexes inside the changing transaction
CATCH_UP_CHUNK = 500
LEASE_WAIT = 60.0  # seconds update and rebuild wait for a busy engine
HEALTH_TTL = 5  # seconds one answer to /health/ serves every process
BUSY = "busy: another process is updating this index"
# Lazy: a notice is worded in the language of the page that shows it.
DEGRADED_NOTICE = _(
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

    # Keeping the indexes in step (search/lifecycle.py decides when; this says how) -------

    def _engines(self):
        return [e for e in (self.engine, self.fallback) if e is not None]

    def record(self, page_ids: Iterable[int], new_cases: Sequence = ()) -> None:
        """Inside the transaction that changed these cases: the database engine indexes them
        at once (its index commits or rolls back with the change), every other engine gets
        a PendingChange row to catch up from after the commit. A change touching more than
        INLINE_LIMIT cases (a theme renamed) is left to catch_up() for the database too."""
        ids = sorted({int(pk) for pk in page_ids})
        if not ids:
            return
        rows = []
        for engine in self._engines():
            if engine.transactional and len(ids) <= INLINE_LIMIT:
                engine.index(ids, new_cases)
            else:
                rows += [PendingChange(engine=engine.key, page_id=pk) for pk in ids]
        PendingChange.objects.bulk_create(rows, batch_size=CATCH_UP_CHUNK)

    def record_copies(self, page_ids: Iterable[int]) -> None:
        """These cases' vectors changed: engines that keep a copy of them in their documents
        (every non-transactional one) catch up from PendingChange rows, like any change."""
        rows = [
            PendingChange(engine=engine.key, page_id=pk)
            for engine in self._engines()
            if not engine.transactional
            for pk in sorted({int(pk) for pk in page_ids})
        ]
        PendingChange.objects.bulk_create(rows, batch_size=CATCH_UP_CHUNK)

    def pending(self) -> dict[str, int]:
        """{engine name: changes it has not caught up with}."""
        counts = dict(
            PendingChange.objects.filter(engine__in=[e.key for e in self._engines()])
            .values_list("engine")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {e.name: counts.get(e.key, 0) for e in self._engines()}

    def _under_lease(self, engines, work, wait: float) -> dict:
        """{engine name: work(engine, lease)}, one writer per engine at a time
        (search/leases.py); an engine another process holds for longer than `wait` seconds
        is reported busy."""
        report = {}
        for engine in engines:
            with engine_lease(engine.key, wait) as lease:
                report[engine.name] = BUSY if lease is None else work(engine, lease)
        return report

    def catch_up(
        self, *, wait: float = 0.0, transactional_only: bool = False
    ) -> dict[str, int | str]:
        """Apply every engine's PendingChange rows: {engine: cases applied, or why not
        (unavailable, busy)}. An engine the breaker holds for down is not asked. Moves the
        library version once if any engine changed: the change itself moved it already,
        but a search page cached before Elasticsearch caught up showed its old answers."""
        report, engines = {}, []
        for engine in self._engines():
            down = self.breaker.tripped() if engine is self.engine else None
            if transactional_only and not engine.transactional:
                continue
            if down is not None and not engine.transactional:
                report[engine.name] = f"unavailable since {down['since']}: {down['error']}"
            else:
                engines.append(engine)
        report |= self._under_lease(engines, self._apply_pending, wait)
        applied = [report[e.name] for e in engines]
        if any(isinstance(count, int) and count for count in applied):
            bump_library_version()
        return report

    def _apply_pending(self, engine, lease) -> int | str:
        """Apply this engine's rows in chunks until none are left: the number of cases, or
        why it stopped. A transactional engine writes its documents and deletes the rows in
        one transaction; another engine deletes them after writing, so a kill in between
        only means writing them again."""
        applied = 0
        while True:
            rows = list(
                PendingChange.objects.filter(engine=engine.key)
                .order_by("id")
                .values_list("id", "page_id")[:CATCH_UP_CHUNK]
            )
            if not rows:
                return applied
            row_ids, page_ids = [r[0] for r in rows], {r[1] for r in rows}
            try:
                with transaction.atomic() if engine.transactional else nullcontext():
                    engine.index(page_ids)
                    PendingChange.objects.filter(id__in=row_ids).delete()
            except EngineUnavailable as exc:
                logger.warning("Search engine %s could not catch up: %s", engine.name, exc)
                if engine is self.engine:
                    self.breaker.trip(exc)  # searches need not wait on it either
                return str(exc)
            applied += len(page_ids)
            lease.renew()

    def update(self, *, wait: float = LEASE_WAIT) -> dict[str, tuple[int, int] | str]:
        """Bring each engine in step with the published cases: apply what is pending, then
        add what is missing and drop what is no longer published, engine by engine (an
        Elasticsearch index can lag the database one): {engine: (added, removed)}, or why
        an engine could not be updated."""
        report = self._under_lease(self._engines(), self._update_one, wait)
        bump_library_version()
        return report

    def _update_one(self, engine, lease) -> tuple[int, int] | str:
        outcome = self._apply_pending(engine, lease)
        if isinstance(outcome, str):
            return outcome
        published = set(CaseStudyPage.objects.live().values_list("pk", flat=True))
        try:
            indexed = engine.indexed_ids()
            missing, stale = published - indexed, indexed - published
            if missing:
                engine.index(missing)
            if stale:
                engine.remove(stale)
        except EngineUnavailable as exc:
            return str(exc)
        return len(missing), len(stale)

    def rebuild(self, *, wait: float = LEASE_WAIT) -> dict[str, int | str]:
        """Index every published case from scratch, engine by engine. The engine's lease is
        held throughout, so changes made meanwhile wait as PendingChange rows and are applied
        to the new index once it is in place (Elasticsearch writes made during a rebuild would
        otherwise land in the old index and be lost with it)."""
        counts = self._under_lease(self._engines(), self._rebuild_one, wait)
        bump_library_version()
        return counts

    def _rebuild_one(self, engine, lease) -> int | str:
        try:
            count = engine.rebuild(progress=lease.renew)
        except EngineUnavailable as exc:
            return str(exc)
        self._apply_pending(engine, lease)
        return count

    def check(self) -> list[str]:
        """What differs between each engine's index and the published cases (empty when all
        is in step): changes not yet applied, cases missing, documents no longer published."""
        published = set(CaseStudyPage.objects.live().values_list("pk", flat=True))
        pending = self.pending()
        problems = []
        for engine in self._engines():
            try:
                engine.status()  # a quick answer first: a cluster that hangs fails in a second
                indexed = engine.indexed_ids()
            except EngineUnavailable as exc:
                problems.append(f"{engine.name}: cannot be checked ({exc})")
                continue
            missing, stale = len(published - indexed), len(indexed - published)
            details = [
                f"{count} {what}"
                for count, what in (
                    (pending[engine.name], "change(s) not yet applied"),
                    (missing, "published case(s) missing"),
                    (stale, "document(s) no longer published"),
                )
                if count
            ]
            if details:
                problems.append(f"{engine.name}: " + ", ".join(details))
        return problems

    def meaning(self) -> str:
        """One line on meaning search for status and check: the model and how many published
        cases have no vector yet (words alone find those), or why it is off. Missing vectors
        are not a fault: the background task is filling them in."""
        reason = unavailable_reason()
        if reason:
            return reason
        model = embedder().name
        missing = len(CaseVector.objects.missing_ids(model))
        waiting = f"{missing} published case(s) without vectors yet" if missing else "all cases"
        return f"meaning search with {model}: {waiting}"

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
        statuses, pending = [], self.pending()
        for engine in self._engines():
            try:
                status = engine.status()
            except EngineUnavailable as exc:
                status = {"engine": engine.name, "error": str(exc)}
            status["published"] = CaseStudyPage.objects.live().count()
            status["pending"] = pending[engine.name]
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
