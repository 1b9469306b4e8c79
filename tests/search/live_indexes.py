"""Indexes of the live Elasticsearch tests: rebuilt under a random prefix (cgtest-…), so a
development cluster's own indexes are left alone, and deleted afterwards by their concrete
names, because Elasticsearch 8 refuses to delete by wildcard by default
(action.destructive_requires_name).
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from search.engines.elasticsearch import ElasticsearchEngine


@contextmanager
def live_engine(url: str, rebuild: bool = True) -> Iterator[ElasticsearchEngine]:
    """An engine on indexes of its own (rebuilt unless asked not to), deleted on the way out
    even when the rebuild failed half-way."""
    engine = ElasticsearchEngine(url, index_prefix=f"cgtest-{secrets.token_hex(4)}")
    try:
        if rebuild:
            engine.rebuild()
        yield engine
    finally:
        drop_indexes(engine)


def drop_indexes(engine: ElasticsearchEngine) -> None:
    """Delete every versioned index of the engine (open, closed or hidden), named one by one."""
    resolved = engine.client.indices.resolve_index(
        name=f"{engine.alias}-*", expand_wildcards="all"
    )
    names = sorted(index["name"] for index in resolved["indices"])
    if names:
        engine.client.indices.delete(index=",".join(names))
