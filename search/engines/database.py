"""The embedded engine: full text in the site's own database, facets through the ORM.

SQLite uses an FTS5 table (porter stemming, accents removed) ranked by bm25 with column
weights; PostgreSQL a weighted tsvector with a GIN index ranked by ts_rank. Both index
the same folded words (search/text.py) and are asked the same parsed query, whose synonym
groups come from search/synonyms.txt. Weights: title 10, themes 6 (plus their 2 in
taxonomy, so a query naming a theme puts the cases filed under it above those that only
use its words in their text), summary 6, lessons 3, taxonomy (themes, organisation,
country, platforms) 2, body 1.
"""

from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from cases.cache import cached, library_version
from cases.choices import Evidence, Result, label_of
from cases.facets import label_facets
from cases.interchange.exporter import body_text
from cases.models import CaseStudyPage, Organisation, Theme
from cases.snapshot import current_snapshot
from search.documents import iter_documents
from search.fusion import FUSION_DEPTH, meaning_for, rrf
from search.highlight import labelled_fragments, named_reasons, reason
from search.models import SearchEntry
from search.query import SearchQuery
from search.results import Hit, Results, Suggestion
from search.text import STOPWORDS, ParsedQuery, parse, words

COLUMNS = ("title", "summary", "lessons", "body", "taxonomy", "themes")
WEIGHTS = {
    "title": 10.0,
    "summary": 6.0,
    "lessons": 3.0,
    "body": 1.0,
    "taxonomy": 2.0,
    "themes": 6.0,
}
CHUNK = 500
RANK_LIMIT = 5_000  # the most matches ranked for one query (see DatabaseEngine._top)
MAX_ID = 2**62
PASSAGES = ("summary", "lessons", "body")  # the reasons that are passages of text
PROXIMITY = 4  # words of a synonym phrase may stand this far apart


def entry_for(document: dict) -> SearchEntry:
    taxonomy = " ".join(
        [t["name"] for t in document["themes"]]
        + [p["name"] for p in document["platforms"]]
        + [document["organisation"]["name"], document["country"]["name"]]
    )
    fields = {
        "title": document["title"],
        "summary": document["summary"],
        "lessons": document["lessons"],
        "body": document["body"],
        "taxonomy": taxonomy,
        "themes": " ".join(t["name"] for t in document["themes"]),
    }
    return SearchEntry(
        page_id=document["page_id"], **{k: " ".join(words(v)) for k, v in fields.items()}
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
    yield from (("platform", p.name) for p in page.platforms.all())


def _reasons(page: CaseStudyPage, terms: set[str]) -> list[dict]:
    """Why the case matched: its title and names holding a searched word, then up to two
    passages of its text."""
    if not terms:
        return []
    passages = labelled_fragments(_texts_of(page), terms)
    return named_reasons(_names_of(page), terms) + [reason(f, html) for f, html in passages]


class SQLiteIndex:
    TABLE = "search_fts"

    def write(self, entries: list[SearchEntry]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {self.TABLE} WHERE rowid = %s", [(e.page_id,) for e in entries]
            )
            placeholders = ", ".join(["%s"] * (len(COLUMNS) + 1))
            cursor.executemany(
                f"INSERT INTO {self.TABLE} (rowid, {', '.join(COLUMNS)}) VALUES ({placeholders})",
                [(e.page_id, *(getattr(e, c) for c in COLUMNS)) for e in entries],
            )

    def delete(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.TABLE} WHERE rowid = %s", [(i,) for i in ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.TABLE}")

    @staticmethod
    def expression(parsed: ParsedQuery) -> str:
        """FTS5 syntax built from plain words only (never from what the user typed):
        groups OR-ed, a group's phrases OR-ed, a phrase's words near each other."""

        def phrase(words):
            quoted = " ".join(f'"{w}"' for w in words)
            return f"NEAR({quoted}, {PROXIMITY})" if len(words) > 1 else quoted

        return " OR ".join(
            "(" + " OR ".join(phrase(p) for p in group) + ")" for group in parsed.groups
        )

    def matches(
        self, parsed: ParsedQuery, ranked: bool = True, min_id: int = 0, below: int = MAX_ID
    ) -> tuple[str, list]:
        """SQL selecting the matching cases' ids (and scores, lower is better) with
        min_id <= id < below (a rowid range the full-text index seeks to)."""
        weights = ", ".join(str(WEIGHTS[c]) for c in COLUMNS)
        score = f", bm25({self.TABLE}, {weights}) AS score" if ranked else ""
        return (
            f"SELECT rowid AS id{score} FROM {self.TABLE} "
            f"WHERE {self.TABLE} MATCH %s AND rowid >= %s AND rowid < %s",
            [self.expression(parsed), min_id, below],
        )

    best_first = "score ASC"

    def title_prefix(self, prefix_words: list[str]) -> tuple[str, list]:
        expr = " ".join(f'"{w}"' for w in prefix_words[:-1])
        expr = f'{{title}} : {expr} "{prefix_words[-1]}"*'.replace(":  ", ": ")
        return f"SELECT rowid AS id FROM {self.TABLE} WHERE {self.TABLE} MATCH %s", [expr]


class PostgresIndex:
    VECTOR = (
        "setweight(to_tsvector('english', title), 'A') || "
        "setweight(to_tsvector('english', summary || ' ' || themes), 'B') || "
        "setweight(to_tsvector('english', lessons || ' ' || taxonomy), 'C') || "
        "setweight(to_tsvector('english', body), 'D')"
    )

    def write(self, entries: list[SearchEntry]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE search_searchentry SET document = {self.VECTOR} WHERE page_id = ANY(%s)",
                [[e.page_id for e in entries]],
            )

    def delete(self, ids: list[int]) -> None:
        """Rows go with their SearchEntry."""

    def clear(self) -> None:
        """Rows go with their SearchEntry."""

    @staticmethod
    def expression(parsed: ParsedQuery) -> str:
        return " | ".join(
            "(" + " | ".join("(" + " & ".join(p) + ")" for p in group) + ")"
            for group in parsed.groups
        )

    def matches(
        self, parsed: ParsedQuery, ranked: bool = True, min_id: int = 0, below: int = MAX_ID
    ) -> tuple[str, list]:
        score = ", ts_rank('{0.1, 0.3, 0.6, 1.0}', document, q) AS score" if ranked else ""
        return (
            f"SELECT page_id AS id{score} FROM search_searchentry, "
            "to_tsquery('english', %s) q WHERE document @@ q AND page_id >= %s AND page_id < %s",
            [self.expression(parsed), min_id, below],
        )

    best_first = "score DESC"

    def title_prefix(self, prefix_words: list[str]) -> tuple[str, list]:
        expr = " & ".join(prefix_words[:-1] + [prefix_words[-1] + ":*"])
        return (
            "SELECT page_id AS id FROM search_searchentry "
            "WHERE to_tsvector('simple', title) @@ to_tsquery('simple', %s)",
            [expr],
        )


@lru_cache(maxsize=64)
def _match_ids_cached(version, vendor, backend, parsed: ParsedQuery) -> np.ndarray:
    sql, params = backend.matches(parsed, ranked=False)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)


def _ranked_rows(backend, parsed: ParsedQuery, limit=None, min_id=0, below=MAX_ID) -> list:
    """[(id, score)] best first of the matches with min_id <= id < below."""
    sql, params = backend.matches(parsed, min_id=min_id, below=below)
    order = f"SELECT id, score FROM ({sql}) m ORDER BY {backend.best_first}, id"
    if limit is not None:
        order, params = f"{order} LIMIT %s", [*params, limit]
    with connection.cursor() as cursor:
        cursor.execute(order, params)
        return [(row[0], abs(row[1])) for row in cursor.fetchall()]


@lru_cache(maxsize=64)
def _ranking_cached(version, vendor, backend, parsed: ParsedQuery, floor: int):
    """(ids best first, their scores) of the matches with id >= floor, ranked in one query."""
    rows = _ranked_rows(backend, parsed, min_id=floor)
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
    return ids, scores


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
        return fused[:count]

    def search(self, query: SearchQuery) -> Results:
        parsed = parse(query.text)
        snapshot = current_snapshot()
        meaning, words, within = self._found(query, parsed, snapshot)
        mask = snapshot.mask(query.filters)
        if within is not None:
            mask &= within
        total = int(mask.sum())
        if query.effective_sort == "relevance" and (parsed or meaning is not None):
            count = query.offset + query.page_size
            ranked = self._ranked(parsed, meaning, snapshot, mask, words, count)
            ranked = ranked[query.offset :]
        else:
            ids = snapshot.ordered_ids(mask, query.effective_sort)
            ranked = [(int(pk), None) for pk in ids[query.offset : query.offset + query.page_size]]
        return Results(
            total=total,
            page=query.page,
            page_size=query.page_size,
            hits=self._hits(ranked, parsed),
            facets=label_facets(snapshot.counts(query.filters, within=within), query.filters),
            engine=self.name,
            suggestion=self._respelling(query.text) if not total and parsed else "",
        )

    def matching_ids(self, query: SearchQuery, limit: int) -> list[int]:
        parsed = parse(query.text)
        snapshot = current_snapshot()
        meaning, words, within = self._found(query, parsed, snapshot)
        mask = snapshot.mask(query.filters)
        if within is not None:
            mask &= within
        if query.effective_sort == "relevance" and (parsed or meaning is not None):
            return [pk for pk, _ in self._ranked(parsed, meaning, snapshot, mask, words, limit)]
        return [int(pk) for pk in snapshot.ordered_ids(mask, query.effective_sort)[:limit]]

    def _match_ids(self, parsed: ParsedQuery) -> np.ndarray:
        """Every matching case, unranked (ranking all of them is the expensive part). Kept
        in memory for this library version, so paging and facet clicks reuse it."""
        return _match_ids_cached(library_version(), connection.vendor, self.backend, parsed)

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
            top += self._older(parsed, set(allowed_ids.tolist()), count - len(top), floor)
        return top

    def _older(self, parsed, allowed: set[int], count: int, below: int):
        """The best `count` allowed matches with id < below; the window of rows asked for
        widens while filters reject too many."""
        window = max(100, 4 * count)
        while True:
            ranked = _ranked_rows(self.backend, parsed, window, below=below)
            kept = [(pk, score) for pk, score in ranked if pk in allowed]
            if len(kept) >= count or len(ranked) < window:
                return kept[:count]
            window *= 4

    def _hits(self, ranked, parsed) -> list[Hit]:
        pages = (
            CaseStudyPage.objects.filter(pk__in=[pk for pk, _ in ranked])
            .select_related("organisation")
            .prefetch_related("themes", "platforms")
            .in_bulk()
        )
        terms = parsed.all_words
        hits = []
        for pk, score in ranked:
            page = pages.get(pk)
            if page is None:
                continue
            reasons = _reasons(page, terms)
            hits.append(
                Hit(
                    page_id=page.pk,
                    external_id=page.external_id,
                    title=page.title,
                    url=page.url,
                    summary=page.summary,
                    published=page.case_date,
                    country={"code": page.country.code, "name": page.country.name},
                    organisation={"slug": page.organisation.slug, "name": page.organisation.name},
                    themes=[{"slug": t.slug, "name": t.name} for t in page.themes.all()],
                    language=page.language,
                    result=page.result,
                    highlights=[r["html"] for r in reasons if r["field"] in PASSAGES],
                    score=score,
                    result_label=label_of(Result, page.result),
                    evidence=page.evidence,
                    evidence_label=label_of(Evidence, page.evidence),
                    reasons=reasons,
                )
            )
        return hits

    def _respelling(self, text: str) -> str:
        """The query with each unknown word replaced by the closest known title word."""
        import difflib

        vocabulary = cached("search-vocabulary", self._vocabulary)
        changed, respelled = False, []
        for word in words(text):
            if word in vocabulary or len(word) < 4:
                respelled.append(word)
                continue
            close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
            respelled.append(close[0] if close else word)
            changed |= bool(close)
        return " ".join(respelled) if changed else ""

    @staticmethod
    def _vocabulary() -> list[str]:
        names = list(Theme.objects.values_list("name", flat=True))
        titles = SearchEntry.objects.values_list("title", flat=True)[:20000]
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
        orgs = Organisation.objects.public().filter(name__icontains=needle)[:limit]
        suggestions = [Suggestion(t.name, "theme", t.get_absolute_url()) for t in themes]
        suggestions += [Suggestion(o.name, "organisation", o.get_absolute_url()) for o in orgs]
        suggestions += [Suggestion(c.title, "case", c.url) for c in cases]
        return suggestions[:limit]

    def related(self, page_id: int, limit: int = 4) -> list[int]:
        """Cases sharing the most themes with this one; among those, the ones whose title
        and summary share the most distinctive words with it; then the newest. Only the
        bounded set of theme neighbours is compared, so the cost does not grow with the
        library."""
        page = CaseStudyPage.objects.filter(pk=page_id).prefetch_related("themes").first()
        if page is None:
            return []
        neighbours = page.theme_neighbours()
        rows = SearchEntry.objects.filter(page_id__in=[pk for pk, _ in neighbours])
        own = set(words(f"{page.title} {page.summary}")) - STOPWORDS
        bags = {
            pk: set(f"{title} {summary}".split())
            for pk, title, summary in rows.values_list("page_id", "title", "summary")
        }
        common = {w for w in own if sum(w in bag for bag in bags.values()) > len(bags) / 2}
        distinctive = own - common
        overlap = {pk: len(distinctive & bag) for pk, bag in bags.items()}
        order = {pk: position for position, (pk, _) in enumerate(neighbours)}
        best = sorted(
            neighbours,
            key=lambda item: (-item[1], -overlap.get(item[0], 0), order[item[0]]),
        )
        return [pk for pk, _ in best[:limit]]

    # Indexing ----------------------------------------------------------------------------

    def index(self, page_ids: Iterable[int]) -> None:
        page_ids = set(page_ids)
        entries = [entry_for(document) for document in iter_documents(page_ids)]
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
            for document in iter_documents():
                batch.append(entry_for(document))
                if len(batch) == CHUNK:
                    count += self._write(batch)
                    batch = []
            count += self._write(batch)
        return count

    def _write(self, entries: list[SearchEntry]) -> int:
        if entries:
            SearchEntry.objects.bulk_create(entries)
            self.backend.write(entries)
        return len(entries)

    def status(self) -> dict:
        return {
            "engine": self.name,
            "backend": connection.vendor,
            "documents": SearchEntry.objects.count(),
            "index": "search_fts" if connection.vendor == "sqlite" else "search_searchentry",
            "alias": "",
        }
