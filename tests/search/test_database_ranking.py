"""The database engine's bounded ranking: only the newest RANK_LIMIT matches are ranked per
query (once per library version), and filters that leave too few of them reach older
matches, ranked after them. RANK_LIMIT is made tiny here so a handful of cases shows it."""

import pytest

from search.engines import database
from search.engines.database import DatabaseEngine
from search.query import SearchQuery
from tests.search.conftest import case


@pytest.fixture
def flood_cases(add_cases, monkeypatch):
    monkeypatch.setattr(database, "RANK_LIMIT", 3)
    database._ranking_cached.cache_clear()
    database._match_ids_cached.cache_clear()
    # Imported in this order, so ids grow with the number: f1 is the oldest row.
    add_cases(
        *[
            case(
                f"f{n}",
                title=f"Flood warning {n}" if n % 2 else f"River levels {n}",
                summary="Flood updates for residents." if n % 2 else "Mention of a flood.",
                country="NL" if n <= 2 else "GB",
            )
            for n in range(1, 9)
        ]
    )


def ids(results):
    return [hit.external_id for hit in results.hits]


def test_unfiltered_results_rank_the_newest_matches_best_first(flood_cases):
    results = DatabaseEngine().search(SearchQuery(text="flood"))
    assert results.total == 8
    # The three newest (f6, f7, f8) are ranked by score, the title match first (ties by
    # id); the older ones follow, best first among themselves.
    assert ids(results) == ["f7", "f6", "f8", "f1", "f3", "f5", "f2", "f4"]


def test_a_filter_that_leaves_none_of_the_newest_reaches_older_matches(flood_cases):
    results = DatabaseEngine().search(SearchQuery(text="flood", filters={"country": ["NL"]}))
    assert results.total == 2
    assert ids(results) == ["f1", "f2"]  # f1 has "flood" in its title


def test_the_ranking_is_computed_once_per_library_version(flood_cases):
    engine = DatabaseEngine()
    engine.search(SearchQuery(text="flood"))
    calls = database._ranking_cached.cache_info()
    engine.search(SearchQuery(text="flood", filters={"country": ["GB"]}))
    engine.search(SearchQuery(text="flood", page=2, page_size=5))
    after = database._ranking_cached.cache_info()
    assert after.misses == calls.misses  # answered from the ranked window
    assert after.hits == calls.hits + 2


def test_filters_keep_rank_order_within_the_ranked_window(add_cases):
    database._ranking_cached.cache_clear()
    database._match_ids_cached.cache_clear()
    add_cases(
        *[
            case(
                f"g{n}",
                title=f"Flood warning {n}" if n > 2 else f"River levels {n}",
                summary="Mention of a flood.",
                country="NL" if n <= 2 else "GB",
            )
            for n in range(1, 9)
        ]
    )
    engine = DatabaseEngine()
    # The GB title matches rank first; a filter keeps the NL cases in their own order.
    assert len(engine.search(SearchQuery(text="flood")).hits) == 8
    results = engine.search(SearchQuery(text="flood", filters={"country": ["NL"]}))
    assert (results.total, ids(results)) == (2, ["g1", "g2"])
    results = engine.search(SearchQuery(text="flood", filters={"country": ["GB"]}, page_size=4))
    assert ids(results) == ["g3", "g4", "g5", "g6"]
