"""Words and meaning together: which cases a question finds, and in what order.

A case is found by its words or by its meaning: the "meaning matches" are the cases whose
similarity to the question reaches MEANING_THRESHOLD (at most MEANING_MATCHES of them).
The two rankings are fused by reciprocal rank fusion, score = sum of 1 / (RRF_K + rank):
it needs no weights, so it cannot be tuned to a handful of queries, and a case near the
top of both lists beats one at the top of only one. The meaning list holds the meaning
matches only (see Meaning). Both engines use it.
"""

from collections.abc import Iterable, Sequence

import numpy as np

from search.embedding import embedder
from search.text import STOPWORDS, meaning_text, words
from search.vectors import current_matrix

RRF_K = 60
# multilingual-e5 similarities crowd into ~0.75-0.90, and where a question's unrelated
# cases lie depends on the question: short ones sit higher ("officer shot": mean 0.79, a
# case about it 0.85; "owning up to a mistake": mean 0.78, the apology 0.82). So a case is
# about the question when it stands out from the library: MEANING_SPREAD standard
# deviations above the mean similarity, and at least MEANING_FLOOR. The spread was chosen
# on the tuning half of benchmarks/relevance, never on the held-out half: 2.0 gave fused
# nDCG@10 0.780, 1.5 0.788 (a difference of noise over 90 queries, and 1.5 lets the
# lip-sync video, "shot in one take", lead "officer shot" again), 1.0 0.760. Always letting
# in the nearest three that reach the floor gave 0.780 at 1.5: left out.
MEANING_SPREAD = 2.0
MEANING_FLOOR = 0.80  # tuning half: 0.78 gave 0.780, 0.82 0.784 (noise); kept
MEANING_MATCHES = 100
# Whether the meaning list fused with the words also ranks the cases below the meaning
# matches (see Meaning). On the tuning half of benchmarks/relevance: matches only, fused
# nDCG@10 0.766; every case, 0.743. Every case lifts some hard questions ("owning up to a
# mistake" puts an apology third, not eighth) and sinks others ("officer shot" puts the
# lip-sync video first).
RANK_BEYOND_MATCHES = False
# Whether cases matching every word of the question come before the rest, the fused order
# kept within each tier. On the tuning half it neither helps nor hurts (0.789 against
# 0.788), and it would put the lip-sync video ("shot in one take", both words) above the
# shootings for "officer shot": off. The words' own ranking still puts them first.
ALL_WORDS_FIRST = False
FUSION_DEPTH = 100  # each ranking is read this far beyond the page asked for
# A lesson's own passage is one short sentence; a question of one or two words is close to
# some sentence of nearly every case by chance ("officer shot" to "shot in one take").
# Questions of fewer than QUESTION_WORDS meaningful words are matched against the other
# passages only. Tuning half, fused nDCG@10 (search/documents.py case_passages): lessons
# for every question 0.802; from two words 0.802, three 0.809, four 0.808.
QUESTION_WORDS = 3


def rrf(rankings: Iterable[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """[(id, fused score)] best first; ties keep the earlier ranking's order."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, pk in enumerate(ranking, start=1):
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (k + rank)
    order = {pk: i for i, pk in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


class Meaning:
    """One question's similarities to the library, for one search. Fused with the words,
    only the meaning matches are ranked by meaning: below them the similarities barely
    differ, and ranking every word match by that noise would shuffle the words' order (it
    sank the Dutch case for "community officer in your pocket" from first to ninth). With
    meaning alone (the relevance harness's dense retriever), every case with a vector is
    ranked."""

    def __init__(self, text: str, retrieval: str):
        model = embedder()
        self.vector = model.query(text)
        self.matrix = current_matrix(model.name, model.dim)
        self.alone = retrieval == "meaning"
        # One matrix product per search: the matches and the ranking both read it.
        self.similarity = self.matrix.similarities(self.vector)
        meaningful = [w for w in words(text) if w not in STOPWORDS]
        self.passages = None if len(meaningful) >= QUESTION_WORDS else ~self.matrix.lessons

    def matches(self, ids: np.ndarray) -> np.ndarray:
        """Ids (of `ids`, a snapshot's) of the cases about the question."""
        if self.alone:
            return self.matrix.vectored()
        everything = np.ones(len(ids), bool)
        found = self._about(ids, everything, MEANING_MATCHES)
        return np.array([pk for pk, _ in found], dtype=np.int64)

    def ranking(self, ids: np.ndarray, mask: np.ndarray, count: int) -> list[tuple[int, float]]:
        """The masked meaning matches (or, alone, masked cases) most like the question, best
        first, with their similarity."""
        if self.alone or RANK_BEYOND_MATCHES:
            return self.matrix.nearest(
                self.vector, count, ids, mask, similarity=self.similarity, passages=self.passages
            )
        return self._about(ids, mask, min(count, MEANING_MATCHES))

    def _about(self, ids, mask, count):
        return self.matrix.nearest(
            self.vector,
            count,
            ids,
            mask,
            threshold=MEANING_FLOOR,
            outstanding=MEANING_SPREAD,
            similarity=self.similarity,
            passages=self.passages,
        )


def meaning_for(text: str, retrieval: str) -> Meaning | None:
    """The question's meaning, or None when words alone answer (off, unavailable, asked)."""
    text = meaning_text(text)
    if retrieval == "words" or not text or embedder() is None:
        return None
    return Meaning(text, retrieval)
