"""One writer per search engine at a time, across every process (search.models.EngineLease).

A lease is a row taken with one conditional UPDATE, so it works the same on SQLite and
PostgreSQL and holds no database lock while the holder talks to Elasticsearch. It runs out
on its own (LEASE_SECONDS after it was last renewed) if the holder is killed.
"""

import secrets
import time
from contextlib import contextmanager
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from search.models import EngineLease

LEASE_SECONDS = 120
POLL = 0.2


class Lease:
    def __init__(self, engine_key: str, holder: str):
        self.engine_key, self.holder = engine_key, holder

    def renew(self) -> None:
        """Keep the lease for another LEASE_SECONDS (call between batches of work)."""
        EngineLease.objects.filter(engine=self.engine_key, holder=self.holder).update(
            expires_at=timezone.now() + timedelta(seconds=LEASE_SECONDS)
        )


def _take(engine_key: str, holder: str) -> bool:
    now = timezone.now()
    return bool(
        EngineLease.objects.filter(engine=engine_key)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lte=now))
        .update(holder=holder, expires_at=now + timedelta(seconds=LEASE_SECONDS))
    )


@contextmanager
def engine_lease(engine_key: str, wait: float = 0.0):
    """Yields a Lease, or None if another process holds it for longer than `wait` seconds."""
    EngineLease.objects.bulk_create([EngineLease(engine=engine_key)], ignore_conflicts=True)
    holder = secrets.token_hex(8)
    deadline = time.monotonic() + wait
    while not _take(engine_key, holder):
        if time.monotonic() >= deadline:
            yield None
            return
        time.sleep(POLL)
    try:
        yield Lease(engine_key, holder)
    finally:
        EngineLease.objects.filter(engine=engine_key, holder=holder).update(
            holder="", expires_at=None
        )
