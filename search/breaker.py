"""The search service's circuit breaker. After the main engine fails, every server process
answers from the database for RETRY_AFTER seconds without waiting on the engine again. The
state lives in Django's cache (Redis with several processes: see docs/deployment.md), so
one failure spares every process the wait, not only the one that met it.
"""

import datetime

from django.core.cache import cache

RETRY_AFTER = 30  # seconds the fallback answers alone after the main engine failed


class Breaker:
    def __init__(self, engine_name: str):
        self.key = f"cg:search-breaker:{engine_name}"

    def tripped(self) -> dict | None:
        """While open: {"error", "since"} of the failure that opened it."""
        return cache.get(self.key)

    def trip(self, error: Exception) -> None:
        since = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        cache.set(self.key, {"error": str(error), "since": since}, RETRY_AFTER)
