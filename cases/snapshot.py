"""The published library as columns in memory, for filtering, counting and paging at scale.

Facet counts over 100,000 cases take seven grouped queries with joins, several hundred
milliseconds; over numpy columns they take a few. The snapshot holds each published case's
facet values and sort keys (no text), is built once per library version (cases/cache.py)
in each process, at most every MAX_AGE seconds, and the pages on screen are then fetched
by id. Both the library page and the database search engine use it.
"""

import datetime
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from django.db import connection

from cases.cache import library_version
from cases.listing import BOUNDS, DEFAULT_SORT, FACETS, SORTS
from cases.models import CaseStudyPage

MAX_AGE = 300  # seconds: a bound on staleness should a change ever not move the version
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MILLISECOND = datetime.timedelta(milliseconds=1)  # as Elasticsearch keeps a date
EARLIEST = -(2**62)  # "added" of a case without a first publication date
RELATED_WINDOW = 300  # theme neighbours a related-cases panel compares


@dataclass
class Column:
    """A facet with one value per case (country, organisation, year, language, result,
    tried elsewhere)."""

    codes: np.ndarray  # int32 per case, -1 for none
    values: list[str]

    def matches(self, wanted: list[int]) -> np.ndarray:
        return np.isin(self.codes, wanted)

    def bounded(self, limit: int, admits) -> np.ndarray:
        """Cases whose (numeric) value `admits(value, limit)`, e.g. a year from 2015 on."""
        return self.matches([i for i, v in enumerate(self.values) if admits(int(v), limit)])

    def count(self, mask: np.ndarray) -> np.ndarray:
        codes = self.codes[mask]
        return np.bincount(codes[codes >= 0], minlength=len(self.values))


@dataclass
class MultiColumn:
    """A facet with several values per case (themes, platforms): a case x value matrix."""

    matrix: np.ndarray  # bool [cases, values]
    values: list[str]

    def matches(self, wanted: list[int]) -> np.ndarray:
        return self.matrix[:, wanted].any(axis=1)

    def count(self, mask: np.ndarray) -> np.ndarray:
        return self.matrix[mask].sum(axis=0)


class LibrarySnapshot:
    """Each facet's column (cases/listing.py FACETS) and the orders the sorts read."""

    def __init__(
        self, ids: np.ndarray, title_order: np.ndarray, columns: dict, added_order: np.ndarray
    ):
        self.ids = ids  # page ids, newest first (case_date, then id, descending)
        self.title_order = title_order
        self.columns = columns
        self.position = {int(pk): i for i, pk in enumerate(ids.tolist())}
        # Positions in each sort's order (cases/listing.py Sort.snapshot).
        self.orders = {"date": np.arange(len(ids)), "title": title_order, "added": added_order}

    @classmethod
    def build(cls) -> "LibrarySnapshot":
        single = [facet for facet in FACETS.values() if not facet.many]
        fields = ["pk", "title", "first_published_at", *(facet.column for facet in single)]
        annotations = {f.column: f.annotation() for f in single if f.annotation is not None}
        cases = CaseStudyPage.objects.live().annotate(**annotations)
        rows = _stored_rows(cases.order_by("-case_date", "-pk").values_list(*fields))
        ids = np.array([row[0] for row in rows], dtype=np.int64)
        position = {row[0]: i for i, row in enumerate(rows)}
        titles = [row[1].casefold() for row in rows]
        title_order = np.array(sorted(range(len(rows)), key=lambda i: (titles[i], ids[i])))
        # Most recently first published first, to the millisecond, then the newest id (a
        # live case always has the date; none would count as added before every other).
        added = np.array([_milliseconds(row[2]) for row in rows], dtype=np.int64)
        added_order = np.lexsort((-ids, -added))
        columns = {}
        for offset, facet in enumerate(single, start=3):
            raw = ["" if row[offset] is None else str(row[offset]) for row in rows]
            values = sorted({v for v in raw if v})
            index = {v: i for i, v in enumerate(values)}
            codes = np.array([index.get(v, -1) for v in raw], dtype=np.int32)
            columns[facet.name] = Column(codes, values)
        for facet in FACETS.values():
            if facet.many:
                columns[facet.name] = _many_column(facet.column, position, len(rows))
        return cls(ids, title_order, columns, added_order)

    def __len__(self):
        return len(self.ids)

    def mask(self, selected: Mapping[str, Sequence[str]], skip: str | None = None) -> np.ndarray:
        """Cases matching every selected facet but `skip` (values OR-ed within a facet),
        and every bound (cases/listing.py BOUNDS), which counts apply to every facet."""
        mask = np.ones(len(self.ids), dtype=bool)
        for name, values in selected.items():
            if name in BOUNDS and values:
                bound = BOUNDS[name]
                mask &= self.columns[bound.facet].bounded(int(values[0]), bound.admits)
                continue
            if name == skip or not values or name not in self.columns:
                continue
            column = self.columns[name]
            index = {v: i for i, v in enumerate(column.values)}
            mask &= column.matches([index[v] for v in values if v in index])
        return mask

    def counts(
        self, selected: Mapping[str, Sequence[str]], within: np.ndarray | None = None
    ) -> dict[str, dict[str, int]]:
        """{facet: {value: count}}, each facet counted under the other facets' filters."""
        within = np.ones(len(self.ids), dtype=bool) if within is None else within
        counts = {}
        for name, column in self.columns.items():
            tally = column.count(self.mask(selected, skip=name) & within)
            counts[name] = {column.values[i]: int(n) for i, n in enumerate(tally) if n}
        return counts

    def ordered_ids(self, mask: np.ndarray, sort: str) -> np.ndarray:
        """Ids of the masked cases in the sort's order (newest first for an unknown one)."""
        name, backwards = SORTS[sort].snapshot if sort in SORTS else SORTS[DEFAULT_SORT].snapshot
        order = self.orders[name][::-1] if backwards else self.orders[name]
        return self.ids[order[mask[order]]]

    def theme_neighbours(
        self, page_id: int, themes: Sequence[str] = (), window: int = RELATED_WINDOW
    ) -> list[tuple[int, int]]:
        """[(id, shared themes)] of the `window` newest published cases sharing a theme with
        this one, most shared first, then newest: the candidates for its related cases.
        Bounded, so the comparison that follows costs the same however large the library
        grows. `themes`: the case's theme slugs, read only if it is not published (a
        preview); a published case's come from the snapshot."""
        column = self.columns["theme"]
        at = self.position.get(page_id)
        own = column.matrix[at] if at is not None else np.isin(column.values, list(themes))
        shared = column.matrix[:, own].sum(axis=1)
        if at is not None:
            shared[at] = 0
        newest = np.flatnonzero(shared)[:window]
        nearest = newest[np.argsort(-shared[newest], kind="stable")]
        return list(zip(self.ids[nearest].tolist(), shared[nearest].tolist(), strict=True))

    def theme_windows(self, window: int = RELATED_WINDOW) -> np.ndarray:
        """Ids of the `window` newest cases of each theme: every case theme_neighbours can
        name, whatever the themes asked about (one among the newest sharing any of them is
        among the newest of one of them)."""
        matrix = self.columns["theme"].matrix
        newest = [np.flatnonzero(matrix[:, j])[:window] for j in range(matrix.shape[1])]
        return self.ids[np.unique(np.concatenate(newest))] if newest else self.ids[:0]

    def within(self, page_ids) -> np.ndarray:
        """A mask of the given page ids (e.g. the matches of a text search)."""
        return np.isin(self.ids, np.asarray(page_ids, dtype=np.int64))


def _stored_rows(queryset) -> list[tuple]:
    """The rows as the database driver returns them, without Django's converters (a sixth of
    the build at 100,000 cases, most of it making SQLite's datetimes aware): the build reads
    strings and numbers, and `first_published_at` through _milliseconds()."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _milliseconds(stored) -> int:
    """Milliseconds since 1970 of a stored UTC time, with its time zone (PostgreSQL) or
    without (SQLite's driver); EARLIEST for none (a live case always has one)."""
    if not stored:
        return EARLIEST
    if stored.tzinfo is None:
        stored = stored.replace(tzinfo=datetime.UTC)
    return (stored - EPOCH) // MILLISECOND


def _many_column(relation: str, position: dict[int, int], rows: int) -> MultiColumn:
    """A many-to-many facet (themes, platforms) as a case x slug matrix of the live cases.
    The link table is read alone, without joins: the snapshot's positions already say which
    cases are live, and the slugs are a few rows (a third of the build went on the joins)."""
    field = CaseStudyPage._meta.get_field(relation)
    slugs = dict(field.related_model.objects.values_list("pk", "slug"))
    links = field.remote_field.through.objects.values_list(
        f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    )
    cases, targets = [], []
    for pk, target in links:
        at = position.get(pk)
        if at is not None:
            cases.append(at)
            targets.append(target)
    values = sorted({slugs[target] for target in set(targets)})
    index = {target: values.index(slug) for target, slug in slugs.items() if slug in values}
    matrix = np.zeros((rows, len(values)), dtype=bool)
    matrix[
        np.array(cases, dtype=np.int64), np.array([index[t] for t in targets], dtype=np.int64)
    ] = True
    return MultiColumn(matrix, values)


_lock = threading.Lock()
_current: tuple[str, float, LibrarySnapshot] | None = None


def current_snapshot() -> LibrarySnapshot:
    """This process's snapshot of the library as it is now."""
    global _current
    version = library_version()
    with _lock:
        if _current is None or _current[0] != version or time.monotonic() - _current[1] > MAX_AGE:
            _current = (version, time.monotonic(), LibrarySnapshot.build())
        return _current[2]
