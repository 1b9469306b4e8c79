"""The relevance benchmark's own arithmetic (benchmarks/relevance.py), on hand-made rankings."""

import math

import pytest

from benchmarks.relevance import (
    BM25,
    case_matches,
    load_queries,
    mean_scores,
    ndcg,
    recall,
    reciprocal_rank,
    tokenize,
)

GRADES = {"a": 3, "b": 2, "c": 1}


def test_perfect_ranking_scores_one():
    assert ndcg(["a", "b", "c"], GRADES) == pytest.approx(1.0)
    assert recall(["a", "b", "c"], GRADES) == 1.0
    assert reciprocal_rank(["a", "b", "c"], GRADES) == 1.0


def test_swapping_the_top_two_grades():
    # Gains are 2^grade - 1 (7 for grade 3, 3 for grade 2); rank 2 is discounted by log2(3).
    # Ideal [a, b]: 7 + 3 / 1.58496 = 8.89279. Swapped [b, a]: 3 + 7 / 1.58496 = 7.41650.
    assert ndcg(["b", "a"], {"a": 3, "b": 2}) == pytest.approx(7.41650 / 8.89279, abs=1e-5)
    assert ndcg(["b", "a"], {"a": 3, "b": 2}) == pytest.approx(0.83399, abs=1e-5)


def test_unjudged_case_first_pushes_the_only_relevant_one_down():
    assert ndcg(["x", "a"], {"a": 3}) == pytest.approx(1 / math.log2(3))


def test_missing_judged_cases_lower_ndcg_against_the_full_ideal():
    # Ideal is a, b, c: 7 + 3/log2(3) + 1/2 = 9.39279; only a found: 7.
    assert ndcg(["a"], GRADES) == pytest.approx(7 / 9.39279, abs=1e-5)


def test_only_the_top_ten_count():
    ranking = [f"x{i}" for i in range(10)] + ["a"]
    assert ndcg(ranking, GRADES) == 0.0
    assert recall(ranking, GRADES) == 0.0
    assert reciprocal_rank(ranking, GRADES) == 0.0


def test_nothing_returned_scores_zero():
    assert ndcg([], GRADES) == 0.0
    assert recall([], GRADES) == 0.0
    assert reciprocal_rank([], GRADES) == 0.0


def test_recall_counts_every_grade_above_zero():
    assert recall(["a", "x", "c"], GRADES) == pytest.approx(2 / 3)
    assert recall(["c"], GRADES) == pytest.approx(1 / 3)


def test_reciprocal_rank_waits_for_a_grade_of_two():
    assert reciprocal_rank(["x", "c", "b"], GRADES) == pytest.approx(1 / 3)
    assert reciprocal_rank(["c"], GRADES) == 0.0


def test_mean_scores_average_each_figure():
    mean = mean_scores(
        [{"ndcg": 1.0, "recall": 0.5, "mrr": 1.0}, {"ndcg": 0.5, "recall": 0.0, "mrr": 0.25}]
    )
    assert mean == pytest.approx({"ndcg": 0.75, "recall": 0.25, "mrr": 0.625})


def test_tokenize_keeps_letters_and_accents_only():
    assert tokenize("Policía München, 24-hour TWEETS!") == ["policía", "münchen", "hour", "tweets"]


DOCS = {"d1": ["cat", "dog"], "d2": ["cat", "cat", "mouse", "bird"]}  # lengths 2 and 4


def test_bm25_score_by_hand():
    bm25 = BM25(DOCS)  # k1 1.2, b 0.75, average length 3
    # mouse in d2: idf ln(1 + 1.5/1.5) = ln 2; norm 1.2 * (0.25 + 0.75 * 4/3) = 1.5;
    # score ln 2 * 1 * 2.2 / (1 + 1.5) = 0.60997
    assert bm25.score("d2", ["mouse"]) == pytest.approx(0.60997, abs=1e-5)
    # cat in d1: idf ln(1 + 0.5/2.5) = ln 1.2; norm 1.2 * (0.25 + 0.75 * 2/3) = 0.9;
    # score ln 1.2 * 2.2 / 1.9 = 0.21111
    assert bm25.score("d1", ["cat"]) == pytest.approx(0.21111, abs=1e-5)
    # cat twice in d2: ln 1.2 * 2 * 2.2 / (2 + 1.5) = 0.22920
    assert bm25.score("d2", ["cat"]) == pytest.approx(0.22920, abs=1e-5)
    assert bm25.score("d1", ["unicorn"]) == 0.0


def test_bm25_ranking_and_candidates():
    bm25 = BM25(DOCS)
    assert bm25.rank("cat") == ["d2", "d1"]
    assert bm25.rank("dog") == ["d1"]  # documents without a query word are left out
    assert bm25.rank("cat", candidates={"d1"}) == ["d1"]
    assert bm25.rank("Cat, DOG") == ["d1", "d2"]


def test_filters_or_within_a_facet_and_across_facets():
    case = {"themes": ["recruitment", "engagement-and-content"], "country": "NZ"}
    assert case_matches(case, {"theme": ["recruitment", "crisis-communication"]})
    assert case_matches(case, {"theme": ["recruitment"], "country": ["NZ", "GB"]})
    assert not case_matches(case, {"theme": ["recruitment"], "country": ["GB"]})


def test_the_judgments_are_usable():
    queries = load_queries()  # raises on unknown cases, filters or grades
    assert len(queries) >= 32
    assert sum(1 for q in queries if q.get("filters")) >= 5
    assert len({q["id"] for q in queries}) == len(queries)
    assert all(3 in q["relevant"].values() for q in queries)
