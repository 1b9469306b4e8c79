"""Counts over the whole library, cached until the library changes.

Facet and theme counts scan every published case, so they are computed once per library
version and kept in the cache. The version moves on every publish, unpublish, delete,
import and taxonomy edit (cases/signals.py), which makes every earlier entry unreachable at
once. With several server processes, point CACHE_URL at Redis so they share the version; a
short timeout bounds staleness with a per-process cache.
"""

import hashlib
import time

from django.core.cache import cache

VERSION_KEY = "cg:library-version"
TIMEOUT = 300


def library_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = bump_library_version()
    return version


def bump_library_version(**kwargs) -> str:
    version = f"{time.time_ns():x}"
    cache.set(VERSION_KEY, version, None)
    return version


def cached(name: str, compute, *parts):
    """compute() for this library version, from the cache when it is there."""
    digest = hashlib.blake2s(repr(parts).encode(), digest_size=12).hexdigest()
    key = f"cg:{name}:{library_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
