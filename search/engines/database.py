"""The embedded engine: full text in the site's own database, facets through the ORM.

SQLite uses an FTS5 table ranked by bm25 with column weights; PostgreSQL a weighted
tsvector ('simple') with a GIN index ranked by ts_rank. Both index the same words, folded
and stemmed in each case's language in Python (search/text.py; names as written), and are
asked the same parsed query: its groups (words, synonym groups from search/synonyms.txt,
organisations' names, quoted phrases) each count once, for their best alternative, and
cases matching every group come first. Weights: title 10, organisation names 8, themes 6
(plus their 2 in taxonomy, so a query naming a theme puts the cases filed under it above
those that only use its words in their text), summary 6, lessons 3, taxonomy (themes,
platforms, country) 2, body 1.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

from cases.cache import cached, library_version
from cases.facets import label_facets
from cases.interchange.exporter import body_text
from cases.models import CaseStudyPage, Organisation, Theme
from cases.snapshot import current_snapshot
from commonground.bulk import insert_rows
from search.documents import case_document, iter_documents, organisation_names
from search.fusion import ALL_WORDS_FIRST, FUSION_DEPTH, meaning_for, rrf
from search.highlight import labelled_fragments, meaning_reason, named_reasons, reason
from search.models import SearchEntry
from search.promotions import mark, promoted_ids
from search.query import SearchQuery
from search.results import Hit, Results, Suggestion, case_hits
from search.text import (
    STOPWORDS,
    WORD,
    Group,
    ParsedQuery,
    fold,
    parse,
    query_forms,
    stemmed,
    words,
)

COLUMNS = (
    "title",
    "summary",
    "lessons",
    "body",
    "taxonomy",
    "themes",
    "organisation",
    "title_words",
)
WEIGHTS = {
    "title": 10.0,
    "organisation": 8.0,
    "summary": 6.0,
    "lessons": 3.0,
    "body": 1.0,
    "taxonomy": 2.0,
    "themes": 6.0,
    "title_words": 0.0,  # the title as written, for suggestions; the stemmed title ranks
}
CHUNK = 500
RANK_LIMIT = 5_000  # the most matches ranked for one query (see DatabaseEngine._top)
MAX_ID = 2**62
PROXIMITY = 4  # words of a synonym phrase may stand this far apart
REMEMBERED_WORDS = 20_000  # cases whose title and summary words a process keeps (_title_words)
RESPELLING_GAIN = 3  # a respelling is offered when this many times the cases match every word
WORD_ONLY = re.compile(r"[^\W_]+")


def entry_for(document: dict) -> SearchEntry:
    """The case's texts stemmed in its language; theme and platform names (English) stemmed
    in English; organisation, aliases and country as written, so a name neither matches
    nor is matched by a common word's stem."""
    language = document["language"]
    organisation = document["organisation"]
    names = [organisation["name"], *organisation.get("aliases", ())]
    labels = [t["name"] for t in document["themes"]] + [p["name"] for p in document["platforms"]]
    taxonomy = f"{stemmed(' '.join(labels), 'en')} {' '.join(words(document['country']['name']))}"
    return SearchEntry(
        page_id=document["page_id"],
        title=stemmed(document["title"], language),
        summary=stemmed(document["summary"], language),
        lessons=stemmed(document["lessons"], language),
        body=stemmed(document["body"], language),
        taxonomy=taxonomy.strip(),
        themes=stemmed(" ".join(t["name"] for t in document["themes"]), "en"),
        organisation=" ".join(" ".join(words(name)) for name in names),
        title_words=" ".join(words(document["title"])),
    )


def _texts_of(page: CaseStudyPage):
    """The case's (field, text) pairs for highlighting, cheapest first; the body only if
    asked for."""
    yield "summary", page.summary
    yield from (("lessons", block.value) for block in page.lessons)
    yield "body", body_text(page)


def _names_of(page: CaseStudyPage):
    """The case's short named things, as (reason field, name), in the order shown."""
    yield "title", page.title
    yield from (("theme", t.name) for t in page.themes.all())
    yield "organisation", page.organisation.name
    yield "country", page.country.name
    yield from (("platform", name) for p in page.platforms.all() for name in p.names)


def _reasons(page: CaseStudyPage, terms: set[str]) -> list[dict]:
    """Why the case matched: its title and names holding a searched word, then up to two
    passages of its text."""
    if not terms:
        return []
    passages = labelled_fragments(_texts_of(page), terms)
    return named_reasons(_names_of(page), terms) + [reason(f, html) for f, html in passages]


def _forms(group: Group) -> list[list[tuple[str, ...]]]:
    """The group's alternatives, each the forms the index may hold of one of its phrases
    (as written and stemmed in each query language: search/text.py query_forms). Phrases
    sharing a form are one alternative: "flood", "floods" and "flooding" are all "flood"
    to the index, so one query scores them."""
    alternatives: list[list[tuple[str, ...]]] = []
    for phrase in group.phrases:
        forms = list(query_forms(phrase))
        shared = [a for a in alternatives if set(a) & set(forms)]
        for alternative in shared:
            alternatives.remove(alternative)
            forms = alternative + [f for f in forms if f not in alternative]
        alternatives.append(forms)
    return alternatives


class SQLiteIndex:
    TABLE = "search_fts"
    scores_add_up = True  # bm25 of an OR adds its phrases' scores up

    def write(self, entries: list[SearchEntry], new: bool = False) -> None:
        """The entries' FTS5 rows (replacing any they had unless they are `new`)."""
        with connection.cursor() as cursor:
            if not new:
                cursor.executemany(
                    f"DELETE FROM {self.TABLE} WHERE rowid = %s", [(e.page_id,) for e in entries]
                )
            cursor.executemany(
                f"INSERT INTO {self.TABLE} (rowid, {', '.join(COLUMNS)}) "
                f"VALUES (%s{', %s' * len(COLUMNS)})",
                [(e.page_id, *(getattr(e, c) for c in COLUMNS)) for e in entries],
            )

    def delete(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.TABLE} WHERE rowid = %s", [(i,) for i in ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.TABLE}")

    @staticmethod
    def phrase(words: tuple[str, ...], exact: bool = False) -> str:
        """FTS5 syntax built from plain words only (never from what the user typed): a
        quoted phrase's words in order, a synonym phrase's words near each other."""
        quoted = " ".join(f'"{w}"' for w in words)
        if len(words) > 1:
            return f'"{" ".join(words)}"' if exact else f"NEAR({quoted}, {PROXIMITY})"
        return quoted

    def alternatives(self, group: Group) -> list[str]:
        """Each of the group's phrases in any of its forms, and its organisation names among
        organisation names."""
        alternatives = [
            "(" + " OR ".join(self.phrase(f, group.exact) for f in forms) + ")"
            for forms in _forms(group)
        ]
        if group.names:
            names = " OR ".join(self.phrase(name, exact=True) for name in group.names)
            alternatives.append(f"organisation : ({names})")
        return alternatives

    @staticmethod
    def any_of(expressions: list[str]) -> str:
        return "(" + " OR ".join(expressions) + ")"

    def group(self, group: Group) -> str:
        """Any form of any of the group's phrases."""
        return self.any_of(self.alternatives(group))

    def expression(self, parsed: ParsedQuery, every: bool = False) -> str:
        """Cases with every required phrase and any (every=True: every) other group, and
        none of the excluded phrases."""
        required = [self.group(g) for g in parsed.required]
        others = [self.group(g) for g in parsed.groups if not g.exact]
        if every:
            parts = required + others
        else:
            parts = required + (["(" + " OR ".join(others) + ")"] if others else [])
        expression = " AND ".join(parts)
        if parsed.excluded:
            excluded = [self.group(Group((p,), exact=True)) for p in parsed.excluded]
            expression = f"({expression}) NOT ({' OR '.join(excluded)})"
        return expression

    def matches(self, parsed: ParsedQuery, every: bool = False) -> tuple[str, list]:
        """SQL selecting the matching cases' ids, unranked."""
        return (
            f"SELECT rowid AS id FROM {self.TABLE} WHERE {self.TABLE} MATCH %s",
            [self.expression(parsed, every)],
        )

    def alternative_scores(self, alternative: str, min_id: int, below: int):
        """SQL giving (id, score) for the cases holding one alternative, higher better.
        LIMIT -1 (none) keeps SQLite from flattening it into the aggregate around it, where
        bm25() cannot be used."""
        weights = ", ".join(str(WEIGHTS[c]) for c in COLUMNS)
        return (
            f"SELECT rowid AS id, -bm25({self.TABLE}, {weights}) AS s FROM {self.TABLE} "
            f"WHERE {self.TABLE} MATCH %s AND rowid >= %s AND rowid < %s LIMIT -1",
            [alternative, min_id, below],
        )

    def title_prefix(self, prefix_words: list[str]) -> tuple[str, list]:
        expr = " ".join(f'"{w}"' for w in prefix_words[:-1])
        expr = f'{{title_words}} : {expr} "{prefix_words[-1]}"*'.replace(":  ", ": ")
        return f"SELECT rowid AS id FROM {self.TABLE} WHERE {self.TABLE} MATCH %s", [expr]


class PostgresIndex:
    """Pre-stemmed words (search/text.py) in a tsvector built with the 'simple'
    configuration, which only lower-cases: the stemming is the case's language's."""

    scores_add_up = False  # each alternative scores its best form (alternative_scores)

    def write(self, entries: list[SearchEntry], new: bool = False) -> None:
        """Nothing to do: PostgreSQL computes each entry's tsvector as its row is written
        (`document`, a generated column: search/migrations/0007_generated_document.py)."""

    def delete(self, ids: list[int]) -> None:
        """Rows go with their SearchEntry."""

    def clear(self) -> None:
        """Rows go with their SearchEntry."""

    @staticmethod
    def phrase(words: tuple[str, ...], exact: bool = False) -> str:
        """tsquery syntax from plain words: a quoted phrase's words adjacent (<->); a
        synonym phrase's words near each other, as SQLite's NEAR: each word followed by
        the next within PROXIMITY words ("join the police" is not "join" in the text and
        "police" in the organisation's name)."""
        if exact or len(words) == 1:
            return "(" + " <-> ".join(words) + ")"
        pairs = [
            "(" + " | ".join(f"{a} <{d}> {b}" for d in range(1, PROXIMITY + 2)) + ")"
            for a, b in zip(words, words[1:], strict=False)
        ]
        return "(" + " & ".join(pairs) + ")"

    def alternatives(self, group: Group) -> list[str]:
        """Organisation names are weight A (with the title): tsvector has four weights."""
        alternatives = [
            "(" + " | ".join(self.phrase(f, group.exact) for f in forms) + ")"
            for forms in _forms(group)
        ]
        if group.names:
            names = [" <-> ".join(f"{w}:A" for w in name) for name in group.names]
            alternatives.append("(" + " | ".join(f"({n})" for n in names) + ")")
        return alternatives

    @staticmethod
    def any_of(expressions: list[str]) -> str:
        return "(" + " | ".join(expressions) + ")"

    def group(self, group: Group) -> str:
        return self.any_of(self.alternatives(group))

    def expression(self, parsed: ParsedQuery, every: bool = False) -> str:
        required = [self.group(g) for g in parsed.required]
        others = [self.group(g) for g in parsed.groups if not g.exact]
        if every:
            parts = required + others
        else:
            parts = required + (["(" + " | ".join(others) + ")"] if others else [])
        expression = " & ".join(parts)
        if parsed.excluded:
            excluded = [self.group(Group((p,), exact=True)) for p in parsed.excluded]
            expression = f"({expression}) & !({' | '.join(excluded)})"
        return expression

    def matches(self, parsed: ParsedQuery, every: bool = False) -> tuple[str, list]:
        return (
            "SELECT page_id AS id FROM search_searchentry, to_tsquery('simple', %s) q "
            "WHERE document @@ q",
            [self.expression(parsed, every)],
        )

    def alternative_scores(self, alternative: str, min_id: int, below: int):
        """The best of the alternative's forms: ts_rank divides an OR's score by the number
        of its terms, so a word with five stems would weigh less than one with two."""
        forms = _top_level_or(alternative)
        ranks = ", ".join(
            "ts_rank('{0.1, 0.3, 0.6, 1.0}', document, to_tsquery('simple', %s))" for _ in forms
        )
        return (
            f"SELECT page_id AS id, GREATEST({ranks}) AS s "
            "FROM search_searchentry, to_tsquery('simple', %s) q "
            "WHERE document @@ q AND page_id >= %s AND page_id < %s",
            [*forms, alternative, min_id, below],
        )

    def title_prefix(self, prefix_words: list[str]) -> tuple[str, list]:
        expr = " & ".join(prefix_words[:-1] + [prefix_words[-1] + ":*"])
        return (
            "SELECT page_id AS id FROM search_searchentry "
            "WHERE to_tsvector('simple', title_words) @@ to_tsquery('simple', %s)",
            [expr],
        )


def _top_level_or(expression: str) -> list[str]:
    """The operands of a tsquery's outermost OR: "((a) | (b <-> c))" -> ["(a)", "(b <-> c)"]."""
    inner = expression
    while inner.startswith("(") and _closing(inner, 0) == len(inner) - 1:
        inner = inner[1:-1]
    parts, depth, start = [], 0, 0
    for at, char in enumerate(inner):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(inner[start:at].strip())
            start = at + 1
    parts.append(inner[start:].strip())
    return parts


def _closing(text: str, opening: int) -> int:
    """Where the bracket opened at `opening` closes."""
    depth = 0
    for at in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[at], 0)
        if depth == 0:
            return at
    return -1


def _group_scores(backend, parsed: ParsedQuery, min_id: int, below: int):
    """(ids ascending, scores) of the cases holding any group: each group adds the score
    of its best alternative only, so a case naming three synonyms of one thing is not
    ranked above a case naming it once. bm25 adds up over the phrases of an OR,
    so the groups of one alternative are scored together in one query; a group of several
    alternatives needs one query for each (the best is taken here, with numpy)."""
    alternatives = [backend.alternatives(group) for group in parsed.groups]
    singles = [a[0] for a in alternatives if len(a) == 1]
    if backend.scores_add_up:
        queries = [[backend.any_of(singles)]] if singles else []
    else:  # each group its own query, added up here
        queries = [[single] for single in singles]
    queries += [a for a in alternatives if len(a) > 1]
    ids, scores, numbers = [], [], []
    with connection.cursor() as cursor:
        for number, group in enumerate(queries):
            for alternative in group:
                cursor.execute(*backend.alternative_scores(alternative, min_id, below))
                rows = cursor.fetchall()
                ids.append(np.fromiter((r[0] for r in rows), np.int64, len(rows)))
                scores.append(np.fromiter((r[1] for r in rows), np.float64, len(rows)))
                numbers.append(np.full(len(rows), number, np.int64))
    if not ids:
        return np.empty(0, np.int64), np.empty(0)
    ids, scores, numbers = np.concatenate(ids), np.concatenate(scores), np.concatenate(numbers)
    order = np.lexsort((-scores, numbers, ids))  # by case, group, best score first
    ids, scores, numbers = ids[order], scores[order], numbers[order]
    best = np.ones(len(ids), bool)
    best[1:] = (ids[1:] != ids[:-1]) | (numbers[1:] != numbers[:-1])
    ids, scores = ids[best], scores[best]
    cases, starts = np.unique(ids, return_index=True)
    return cases, (np.add.reduceat(scores, starts) if len(cases) else scores)


def _several(parsed: ParsedQuery) -> bool:
    """Whether the query has several word groups (else every match has every word)."""
    return sum(not g.exact for g in parsed.groups) > 1


@lru_cache(maxsize=64)
def _match_ids_cached(version, vendor, backend, parsed: ParsedQuery, every=False) -> np.ndarray:
    if not parsed.groups:  # exclusions alone: every indexed case but the excluded ones
        excluded = _match_ids_cached(version, vendor, backend, _only_excluded(parsed))
        ids = np.fromiter(SearchEntry.objects.values_list("page_id", flat=True), dtype=np.int64)
        return np.setdiff1d(ids, excluded)
    sql, params = backend.matches(parsed, every)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)


def _only_excluded(parsed: ParsedQuery) -> ParsedQuery:
    """A query finding the cases an exclusions-only query leaves out."""
    return ParsedQuery((Group(parsed.excluded, exact=True),))


def _ranked_rows(backend, parsed, allowed, every, limit=None, min_id=0, below=MAX_ID):
    """(ids, scores) best first of the matches with min_id <= id < below: cases matching
    every group first, each part by score, then id. `allowed`: ids (ascending) matching
    the query as a whole (required phrases present, no excluded phrase); `every`: ids
    (ascending) matching every group."""
    ids, scores = _group_scores(backend, parsed, min_id, below)
    keep = np.isin(ids, allowed, assume_unique=True)
    ids, scores = ids[keep], scores[keep]
    some = ~np.isin(ids, every, assume_unique=True)
    order = np.lexsort((ids, -scores, some))[:limit]
    return ids[order], scores[order]


@lru_cache(maxsize=64)
def _ranking_cached(version, vendor, backend, parsed: ParsedQuery, floor: int):
    """(ids best first, their scores) of the matches with id >= floor, ranked in one query."""
    allowed = np.sort(_match_ids_cached(version, vendor, backend, parsed))
    every = np.sort(_match_ids_cached(version, vendor, backend, parsed, _several(parsed)))
    return _ranked_rows(backend, parsed, allowed, every, min_id=floor)


# ((library version, database), {case id: its title and summary words, or None unindexed})
_remembered_words: tuple[tuple, dict] = ((), {})


def _title_words(snapshot, page_ids: list[int]) -> dict[int, frozenset]:
    """{case id: the words of its indexed title and summary} of the indexed ones.

    Read once per library version for every case that can be a related-cases neighbour
    (LibrarySnapshot.theme_windows: a few thousand), so that a case page reads none of them
    however cold the database's pages are; any other case asked about is read and kept
    too, up to REMEMBERED_WORDS."""
    global _remembered_words
    key = (library_version(), connection.vendor)
    if _remembered_words[0] != key or len(_remembered_words[1]) > REMEMBERED_WORDS:
        _remembered_words = (key, {})
        candidates = snapshot.theme_windows().tolist()
        if len(candidates) <= REMEMBERED_WORDS:
            _read_words(candidates)
    words = _remembered_words[1]
    _read_words([pk for pk in page_ids if pk not in words])
    return {pk: words[pk] for pk in page_ids if words[pk] is not None}


def _read_words(page_ids: list[int]) -> None:
    words = _remembered_words[1]
    words.update(dict.fromkeys(page_ids))
    for start in range(0, len(page_ids), CHUNK):
        rows = SearchEntry.objects.filter(page_id__in=page_ids[start : start + CHUNK])
        for pk, title, summary in rows.values_list("page_id", "title", "summary"):
            words[pk] = frozenset(f"{title} {summary}".split())


class DatabaseEngine:
    name = key = "database"
    transactional = True

    def __init__(self):
        self.backend = PostgresIndex() if connection.vendor == "postgresql" else SQLiteIndex()

    # Searching ---------------------------------------------------------------------------

    def _found(self, query: SearchQuery, parsed: ParsedQuery, snapshot):
        """(meaning or None, the word matches' mask or None, the mask of every case the
        text finds or None when there is no text): the word matches, the meaning matches
        or both, as query.retrieval asks."""
        meaning = meaning_for(query.text, query.retrieval)
        words = snapshot.within(self._match_ids(parsed)) if parsed else None
        if query.retrieval == "meaning" and meaning is not None:
            words = np.zeros(len(snapshot), dtype=bool)
        if meaning is None:
            return None, words, words
        about = snapshot.within(meaning.matches(snapshot.ids))
        if parsed.required or parsed.excluded:
            # Quoted phrases and exclusions bind what meaning finds too.
            bounds = ParsedQuery(groups=parsed.required, excluded=parsed.excluded)
            about &= snapshot.within(self._match_ids(bounds, every=True))
        return meaning, words, about if words is None else words | about

    def _ranked(self, parsed, meaning, snapshot, mask, words, count):
        """The best `count` cases of the mask: by words alone, or the word and the meaning
        rankings fused (search/fusion.py)."""
        if meaning is None:
            return self._top(parsed, snapshot, mask, count)
        depth = count + FUSION_DEPTH
        by_words = self._top(parsed, snapshot, mask & words, depth) if parsed else []
        by_meaning = meaning.ranking(snapshot.ids, mask, depth)
        fused = rrf([[pk for pk, _ in by_words], [pk for pk, _ in by_meaning]])
        if ALL_WORDS_FIRST and parsed.groups and not meaning.alone:
            every = set(self._match_ids(parsed, every=True).tolist())
            fused.sort(key=lambda item: item[0] not in every)  # stable: RRF order within
        return fused[:count]

    def search(self, query: SearchQuery) -> Results:
        parsed = parse(query.text, organisation_names())
        snapshot = current_snapshot()
        meaning, words, within = self._found(query, parsed, snapshot)
        mask = snapshot.mask(query.filters)
        first, mask = self._promoted(query, snapshot, mask)
        if within is not None:
            mask &= within
        total = int(mask.sum()) + len(first)
        total_all = total
        if parsed.groups:
            total_all = self._count_every(parsed, snapshot, mask)
            if first:  # the promoted cases that match every word too
                total_all += int(
                    snapshot.within(self._match_ids(parsed, every=True))[
                        snapshot.within(first)
                    ].sum()
                )
        count = query.offset + query.page_size
        if query.effective_sort == "relevance" and (parsed.groups or meaning is not None):
            ranked = self._ranked(parsed, meaning, snapshot, mask, words, count)
        else:
            ids = snapshot.ordered_ids(mask, query.effective_sort)
            ranked = [(int(pk), None) for pk in ids[:count]]
        ranked = ([(pk, None) for pk in first] + ranked)[query.offset : count]
        hits = self._hits(ranked, parsed, self._meaning_only(ranked, meaning, words, snapshot))
        return Results(
            total=total,
            total_all_words=total_all,
            page=query.page,
            page_size=query.page_size,
            hits=mark(hits, first),
            facets=label_facets(snapshot.counts(query.filters, within=within), query.filters),
            engine=self.name,
            suggestion=self._respelling(query.text) if parsed.groups else "",
        )

    @staticmethod
    def _promoted(query: SearchQuery, snapshot, mask):
        """(the promoted cases the filters allow, in the editors' order; the mask without
        any promoted case): those come first whether or not the words match them, and
        only once (search/promotions.py)."""
        promoted = promoted_ids(query)
        if not promoted:
            return [], mask
        chosen = snapshot.within(np.array(promoted, dtype=np.int64))
        allowed = set(snapshot.ids[mask & chosen].tolist())
        return [pk for pk in promoted if pk in allowed], mask & ~chosen

    def matching_ids(self, query: SearchQuery, limit: int) -> list[int]:
        parsed = parse(query.text, organisation_names())
        snapshot = current_snapshot()
        meaning, words, within = self._found(query, parsed, snapshot)
        mask = snapshot.mask(query.filters)
        if within is not None:
            mask &= within
        if query.effective_sort == "relevance" and (parsed.groups or meaning is not None):
            return [pk for pk, _ in self._ranked(parsed, meaning, snapshot, mask, words, limit)]
        return [int(pk) for pk in snapshot.ordered_ids(mask, query.effective_sort)[:limit]]

    def _match_ids(self, parsed: ParsedQuery, every: bool = False) -> np.ndarray:
        """Every matching case (every=True: matching every group), unranked (ranking all of
        them is the expensive part). Kept in memory for this library version, so paging
        and facet clicks reuse it."""
        return _match_ids_cached(library_version(), connection.vendor, self.backend, parsed, every)

    def _count_every(self, parsed, snapshot, mask) -> int:
        """How many of the masked cases match every group of the query."""
        return int((mask & snapshot.within(self._match_ids(parsed, every=True))).sum())

    def _top(self, parsed, snapshot, mask, count) -> list[tuple[int, float]]:
        """The best `count` matches among the masked cases. The newest RANK_LIMIT matches
        are ranked once per library version and query and kept in memory, so other
        filters, later pages and sorts back to relevance are answered from them. Filters
        that leave too few there reach older allowed matches, ranked after them. Ranking
        cost is bounded however common the words are and however large the library
        grows."""
        matches = self._match_ids(parsed)
        floor = 0
        if len(matches) > RANK_LIMIT:
            floor = int(np.partition(matches, -RANK_LIMIT)[-RANK_LIMIT])
        ids, scores = _ranking_cached(
            library_version(), connection.vendor, self.backend, parsed, floor
        )
        allowed_ids = snapshot.ids[mask]
        keep = np.isin(ids, allowed_ids, assume_unique=True)
        top = [
            (int(pk), float(score))
            for pk, score in zip(ids[keep][:count], scores[keep][:count], strict=True)
        ]
        if len(top) >= count:
            return top
        if floor and (allowed_ids < floor).any():
            top += self._older(parsed, np.sort(allowed_ids), count - len(top), floor)
        return top

    def _older(self, parsed, allowed: np.ndarray, count: int, below: int):
        """The best `count` allowed matches with id < below."""
        every = np.sort(self._match_ids(parsed, every=True))
        ids, scores = _ranked_rows(self.backend, parsed, allowed, every, count, below=below)
        return [(int(pk), float(score)) for pk, score in zip(ids, scores, strict=True)]

    @staticmethod
    def _meaning_only(ranked, meaning, words, snapshot) -> set[int]:
        """Which of these hits meaning found and the words did not."""
        if meaning is None or not ranked:
            return set()
        ids = np.array([pk for pk, _ in ranked], dtype=np.int64)
        if words is None:
            return set(ids.tolist())
        return set(ids[~np.isin(ids, snapshot.ids[words])].tolist())

    @staticmethod
    def _hits(ranked, parsed, meaning_only=frozenset()) -> list[Hit]:
        terms = parsed.all_words

        def reasons(page):
            found = _reasons(page, terms)
            return found or ([meaning_reason()] if page.pk in meaning_only else [])

        return case_hits(ranked, reasons)

    def _respelling(self, text: str) -> str:
        """The query with each word no case holds replaced by the closest known title or
        theme word, when that makes RESPELLING_GAIN times as many cases match every word
        (or some where none did): "recrutment video" finds videos, "recruitment video"
        recruitment videos. Quotes and minus signs are kept."""
        import difflib

        vocabulary = cached("search-vocabulary", self._vocabulary)
        changed = False

        def respell(match):
            nonlocal changed
            word = match.group()
            folded = fold(word)
            if folded in vocabulary or len(folded) < 4 or not WORD_ONLY.fullmatch(folded):
                return word
            if len(self._match_ids(ParsedQuery((Group(((folded,),)),)))):
                return word  # some case holds it: not a misspelling
            close = difflib.get_close_matches(folded, vocabulary, n=1, cutoff=0.75)
            changed |= bool(close)
            return close[0] if close else word

        respelled = WORD.sub(respell, text)
        if not changed:
            return ""
        names = organisation_names()
        found = len(self._match_ids(parse(respelled, names), every=True))
        before = len(self._match_ids(parse(text, names), every=True))
        return respelled if found and found >= RESPELLING_GAIN * before else ""

    @staticmethod
    def _vocabulary() -> list[str]:
        names = list(Theme.objects.values_list("name", flat=True))
        titles = CaseStudyPage.objects.live().values_list("title", flat=True)[:20000]
        return sorted({w for text in [*names, *titles] for w in words(text) if len(w) > 3})

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        prefix_words = words(prefix)
        if not prefix_words:
            return []
        sql, params = self.backend.title_prefix(prefix_words)
        cases = (
            CaseStudyPage.objects.live()
            .filter(pk__in=RawSQL(sql, params))
            .order_by("-case_date")[:limit]
        )
        needle = " ".join(prefix.split())
        themes = Theme.objects.filter(name__icontains=needle)[:limit]
        # A contribution still in review must not put its organisation's name in public.
        orgs = Organisation.objects.public().filter(
            Q(name__icontains=needle) | Q(aliases__icontains=needle)
        )[:limit]
        suggestions = [Suggestion(t.name, "theme", t.get_absolute_url()) for t in themes]
        suggestions += [Suggestion(o.name, "organisation", o.get_absolute_url()) for o in orgs]
        suggestions += [Suggestion(c.title, "case", c.url) for c in cases]
        return suggestions[:limit]

    def related(self, page_id: int, limit: int = 4) -> list[int]:
        """Cases sharing the most themes with this one; among those, the ones whose title
        and summary share the most distinctive words with it; then the newest. Only the
        bounded set of theme neighbours (cases/snapshot.py) is compared, so the cost does
        not grow with the library."""
        own = (
            CaseStudyPage.objects.filter(pk=page_id)
            .values_list("title", "summary", "language")
            .first()
        )
        if own is None:
            return []
        title, summary, language = own
        snapshot = current_snapshot()
        themes = ()
        if page_id not in snapshot.position:  # not in the published library: a preview
            themes = Theme.objects.filter(case_pages=page_id).values_list("slug", flat=True)
        neighbours = snapshot.theme_neighbours(page_id, themes)
        own_words = frozenset(stemmed(f"{title} {summary}", language).split()) - STOPWORDS
        # Each indexed neighbour's words in common with this case.
        their_words = _title_words(snapshot, [pk for pk, _ in neighbours])
        held_by = {pk: own_words & words for pk, words in their_words.items()}
        held = Counter()
        for hits in held_by.values():
            held.update(hits)
        common = {word for word, n in held.items() if n > len(held_by) / 2}
        overlap = {pk: len(hits - common) for pk, hits in held_by.items()}
        best = sorted(  # stable: in a tie, the neighbours' order (newest first)
            neighbours, key=lambda row: (-row[1], -overlap.get(row[0], 0))
        )
        return [pk for pk, _ in best[:limit]]

    # Indexing ----------------------------------------------------------------------------

    def index(self, page_ids: Iterable[int], new_cases: Sequence = ()) -> None:
        page_ids = set(page_ids)
        if new_cases and {page.pk for page in new_cases} == page_ids:
            # Just created, so no entry exists to replace: written as new rows.
            entries = [
                entry_for(case_document(page, with_url=False)) for page in new_cases if page.live
            ]
            with transaction.atomic():
                self._write(entries)
            return
        entries = [entry_for(document) for document in iter_documents(page_ids, with_url=False)]
        self.remove(page_ids - {e.page_id for e in entries})
        with transaction.atomic():
            SearchEntry.objects.bulk_create(
                entries,
                update_conflicts=True,
                unique_fields=["page"],
                update_fields=list(COLUMNS),
            )
            self.backend.write(entries)

    def remove(self, page_ids: Iterable[int]) -> None:
        ids = list(page_ids)
        if ids:
            with transaction.atomic():
                SearchEntry.objects.filter(page_id__in=ids).delete()
                self.backend.delete(ids)

    def indexed_ids(self) -> set[int]:
        return set(SearchEntry.objects.values_list("page_id", flat=True))

    def rebuild(self, progress=None) -> int:
        """In one transaction: searches meanwhile see the old index until it commits."""
        count = 0
        with transaction.atomic():
            SearchEntry.objects.all().delete()
            self.backend.clear()
            batch = []
            for document in iter_documents(with_url=False):
                batch.append(entry_for(document))
                if len(batch) == CHUNK:
                    count += self._write(batch)
                    batch = []
            count += self._write(batch)
        return count

    def _write(self, entries: list[SearchEntry]) -> int:
        if entries:
            insert_rows(SearchEntry, entries)
            self.backend.write(entries, new=True)
        return len(entries)

    def status(self) -> dict:
        return {
            "engine": self.name,
            "backend": connection.vendor,
            "documents": SearchEntry.objects.count(),
            "index": "search_fts" if connection.vendor == "sqlite" else "search_searchentry",
            "alias": "",
        }
