"""Search work that must not run inside a request: bringing Elasticsearch (and the database
engine after a very large change) up to date from the PendingChange rows, and embedding
cases for meaning search."""

import logging
from datetime import timedelta

from django_tasks import task

from django.core.cache import cache
from django.utils import timezone

from search.service import get_search_service

logger = logging.getLogger(__name__)
RETRY_DELAYS = (10, 30, 60, 120, 300, 600)  # seconds; the last one repeats
RETRY_MARKER = "cg:search-catch-up-retry"
EMBED_MARKER = "cg:search-embed-queued"
EMBED_MARKER_TIMEOUT = 3600  # seconds: a lost task (worker killed) is enqueued again after


@task()
def catch_up_search(attempt: int = 0) -> dict:
    """Apply every engine's pending changes. An engine that cannot be reached (or is busy)
    is tried again later, with growing delays, by one scheduled retry at a time."""
    service = get_search_service()
    report = service.catch_up()
    if any(service.pending().values()):
        _retry(attempt)
    return report


def _retry(attempt: int) -> None:
    delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
    if not catch_up_search.get_backend().supports_defer:
        logger.warning("Search changes are pending; run manage.py search_index update.")
        return
    # One retry scheduled at a time, however many changes found the engine down.
    if cache.add(RETRY_MARKER, attempt, timeout=delay):
        catch_up_search.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            attempt=attempt + 1
        )


@task()
def embed_cases() -> dict | str:
    """Embed every case that needs a vector (search/embed.py), a committed batch at a time;
    a run killed half-way is resumed by the next one."""
    from search.embed import embed_pending
    from search.embedding import embedder

    cache.delete(EMBED_MARKER)  # changes from now on need another run
    model = embedder()
    if model is None:
        return "meaning search is off"
    return embed_pending(model, wait=5.0)


def enqueue_embedding() -> None:
    """Enqueue embed_cases unless a run is already waiting: an import committing 500
    batches enqueues it once."""
    if cache.add(EMBED_MARKER, 1, timeout=EMBED_MARKER_TIMEOUT):
        embed_cases.enqueue()
