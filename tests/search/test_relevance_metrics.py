"""The relevance benchmark (benchmarks/relevance.py): its arithmetic on hand-made rankings, and
the graded query set and its split."""

import json
import math
from collections import Counter

import pytest

from benchmarks.relevance import (
    BM25,
    FLOOR,
    TUNED_ON_FILE,
    case_matches,
    evaluate,
    load_cases,
    load_queries,
    mean_scores,
    ndcg,
    recall,
    reciprocal_rank,
    split_halves,
    stratum,
    tokenize,
    verdict,
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


def test_the_tuned_on_set_still_loads():
    queries = load_queries(TUNED_ON_FILE)  # raises on unknown cases, filters or grades
    assert len(queries) == 58
    assert all(3 in q["grades"].values() for q in queries)


# The graded set written before tuning (benchmarks/relevance/queries.json) ---------------------

QUERIES = load_queries()  # raises on unknown cases, filter names or values, grades
HALVES = {half: [q for q in QUERIES if q["half"] == half] for half in ("tuning", "held_out")}


def test_the_set_is_large_and_mixed_enough():
    tags = Counter(tag for q in QUERIES for tag in q["tags"])
    assert len(QUERIES) >= 130
    assert tags["hard"] >= 25
    assert tags["cross_language"] >= 15
    assert tags["syntax"] >= 5
    assert sum(1 for q in QUERIES if q["filters"]) >= 10


def test_every_graded_case_exists_and_every_filter_value_is_real():
    cases = load_cases()
    ids = {c["external_id"] for c in cases}
    values = {
        "theme": {t for c in cases for t in c["themes"]},
        "country": {c["country"] for c in cases},
        "language": {c["language"] for c in cases},
        "result": {c["result"] for c in cases},
    }
    for q in QUERIES:
        assert set(q["grades"]) <= ids, q["id"]
        for name, chosen in q["filters"].items():
            assert set(chosen) <= values[name], q["id"]


def test_an_unknown_filter_value_is_refused(tmp_path):
    bad = tmp_path / "queries.json"
    bad.write_text(
        json.dumps(
            [
                {
                    "id": "x1",
                    "query": "riots",
                    "filters": {"country": ["XX"]},
                    "grades": {"met-police-operation-withern-flickr-2011": 3},
                }
            ]
        )
    )
    with pytest.raises(ValueError, match="unknown country XX"):
        load_queries(bad)


def test_no_query_is_asked_twice():
    asked = [(q["query"].casefold(), json.dumps(q["filters"], sort_keys=True)) for q in QUERIES]
    assert len(set(asked)) == len(asked)
    assert len({q["id"] for q in QUERIES}) == len(QUERIES)


def test_both_halves_are_large_and_hold_hard_and_cross_language_queries():
    for half, members in HALVES.items():
        assert len(members) >= 60, half
        for tag in ("hard", "cross_language"):
            assert sum(1 for q in members if tag in q["tags"]) >= 7, (half, tag)
    for tag in ("hard", "cross_language"):
        counts = [sum(1 for q in HALVES[h] if tag in q["tags"]) for h in HALVES]
        assert abs(counts[0] - counts[1]) <= 1, tag


def test_the_stored_halves_are_the_seeded_split():
    # A query moved by hand to the other half (e.g. after seeing its score) fails here.
    assert {q["id"]: q["half"] for q in QUERIES} == split_halves(QUERIES)


def test_split_deals_each_stratum_evenly_and_is_repeatable():
    queries = [{"id": f"h{i}", "tags": ["hard"]} for i in range(5)] + [
        {"id": f"c{i}", "tags": ["cross_language"]} for i in range(4)
    ]
    halves = split_halves(queries, seed=1)
    assert halves == split_halves(queries, seed=1)
    for prefix in "hc":
        dealt = Counter(half for qid, half in halves.items() if qid.startswith(prefix))
        assert abs(dealt["tuning"] - dealt["held_out"]) <= 1
    assert abs(Counter(halves.values())["tuning"] - len(queries) / 2) <= 0.5
    assert stratum({"tags": ["hard", "cross_language"]}) == "hard+cross_language"
    assert stratum({"tags": ["jargon"], "filters": {"country": ["GB"]}}) == "filtered"


def test_no_answer_queries_stay_out_of_the_means():
    queries = [
        {"id": "a", "grades": {"x": 3}},
        {"id": "b", "grades": {}, "no_answer": True},
    ]
    result = evaluate(queries, {"a": ["x"], "b": ["y", "z"]})
    assert set(result["per_query"]) == {"a"}
    assert result["mean"]["ndcg"] == 1.0


def _row(ndcg):
    return {"ndcg": ndcg, "recall": 0.0, "mrr": 0.0}


def test_floors_follow_the_modes_that_ran():
    graded = {
        "held_out": {"words": _row(0.7), "hybrid": _row(0.86)},
        "held_out/hard": {"words": _row(0.5), "hybrid": _row(0.74)},
    }
    tuned_on = {"words": _row(FLOOR - 0.01)}
    assert verdict(graded, tuned_on, ["words", "meaning", "hybrid"]) == [
        "held-out hard fused nDCG@10 0.740 is under 0.75"
    ]
    assert verdict(graded, tuned_on, ["words"]) == [
        f"tuned-on set, words nDCG@10 {FLOOR - 0.01:.3f} is under {FLOOR}"
    ]
