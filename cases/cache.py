"""Counts over the whole library, cached until the library changes.

Facet and theme counts scan every published case, so they are computed once per library
version and kept in the cache. The version is a token in the database
(cases.models.LibraryVersion), moved once by search's lifecycle (search/lifecycle.py) after
every change that reaches the search index, so every process sees it move whatever cache is
configured. Each process reads it at most every settings.LIBRARY_VERSION_MAX_AGE seconds (a
change made in the process itself is seen at once), so another process's change is noticed
within that time. The page cache (commonground/page_cache) reads it afresh for every
anonymous page with current_library_version(), which also refreshes what this process
remembers, so a page rendered after another process's change is built from counts of the
new version, never stored under it with counts of the old one.
"""

import hashlib
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

TIMEOUT = 300
# (version, when it was read, the transaction it was read or moved in, or None)
_remembered: tuple[str, float, object] | None = None


def _transaction():
    """The innermost atomic block of the default connection (a savepoint can roll back on
    its own), or None in autocommit."""
    connection = transaction.get_connection()
    return connection.atomic_blocks[-1] if connection.in_atomic_block else None


def library_version() -> str:
    """The current version, a token for cache keys.

    A version read in autocommit is remembered for LIBRARY_VERSION_MAX_AGE seconds; one
    read or moved inside a transaction only for as long as that transaction lasts, so a
    rolled-back change can never leave this process keyed to a version that never was.
    """
    global _remembered
    now = time.monotonic()
    remembered = _remembered
    if (
        remembered is not None
        and now - remembered[1] < settings.LIBRARY_VERSION_MAX_AGE
        and remembered[2] in (None, _transaction())
    ):
        return remembered[0]
    from cases.models import LibraryVersion

    version = LibraryVersion.objects.values_list("token", flat=True).first()
    if version is None:  # the row is made by a migration; be safe if it was removed
        LibraryVersion.objects.bulk_create([LibraryVersion(pk=1)], ignore_conflicts=True)
        version = LibraryVersion._meta.get_field("token").default
    _remembered = (version, now, _transaction())
    return version


def current_library_version() -> str:
    """The version as the database holds it now (one query), remembered for the counts of
    the rest of this request."""
    global _remembered
    _remembered = None
    return library_version()


def bump_library_version() -> None:
    """Move the version (in the current transaction, if any): every cached count, snapshot
    and match set becomes unreachable once the change is visible."""
    global _remembered
    from cases.models import LibraryVersion

    token = secrets.token_hex(8)
    if not LibraryVersion.objects.filter(pk=1).update(token=token):
        LibraryVersion.objects.bulk_create(
            [LibraryVersion(pk=1, token=token)], ignore_conflicts=True
        )
    _remembered = (token, time.monotonic(), _transaction())


def cached(name: str, compute, *parts):
    """compute() for this library version, from the cache when it is there."""
    digest = hashlib.blake2s(repr(parts).encode(), digest_size=12).hexdigest()
    key = f"cg:{name}:{library_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
