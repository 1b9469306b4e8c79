"""The interface every search engine implements; only search/service.py calls engines."""

from collections.abc import Iterable, Sequence
from typing import Protocol

from search.query import SearchQuery
from search.results import Results, Suggestion


class EngineUnavailable(RuntimeError):
    """The engine cannot answer now (cluster down, timeout); the service falls back."""


class SearchEngine(Protocol):
    name: str
    # Names the engine's PendingChange rows and lease (one per index, e.g. per alias).
    key: str
    # Whether its index lives in the site's database, so it can be written in the same
    # transaction as the change to the cases (search/service.py SearchService.record).
    transactional: bool

    def search(self, query: SearchQuery) -> Results: ...

    def matching_ids(self, query: SearchQuery, limit: int) -> list[int]:
        """Ids of every match in the query's order, at most `limit` (for exports)."""
        ...

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]: ...

    def related(self, page_id: int, limit: int = 4) -> list[int]:
        """Ids of published cases most like this one, best first."""
        ...

    def index(self, page_ids: Iterable[int], new_cases: Sequence = ()) -> None:
        """Add or refresh these cases (unpublished or missing ones are removed). `new_cases`:
        the same cases just created, as their writer holds them (an import's batch), which
        an engine may index without reading them back."""
        ...

    def remove(self, page_ids: Iterable[int]) -> None: ...

    def indexed_ids(self) -> set[int]:
        """Ids of every case the engine's index holds (for search_index update)."""
        ...

    def rebuild(self, progress=None) -> int:
        """Index every published case from scratch; returns the number indexed. `progress()`,
        if given, is called between batches (the caller renews its lease)."""
        ...

    def status(self) -> dict:
        """{"engine", "documents", "index", "alias", ...} for search_index status."""
        ...
