"""Search work that must not run inside a request: bringing Elasticsearch (and the database
engine after a very large change) up to date from the PendingChange rows."""

import logging
from datetime import timedelta

from django_tasks import task

from django.core.cache import cache
from django.utils import timezone

from search.service import get_search_service

logger = logging.getLogger(__name__)
RETRY_DELAYS = (10, 30, 60, 120, 300, 600)  # seconds; the last one repeats
RETRY_MARKER = "cg:search-catch-up-retry"


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
