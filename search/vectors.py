"""Case vectors: written in the background, searched in memory by brute force.

Each process keeps every vector of the current model in one float32 matrix. The newest
embedding batch number (CaseVector.batch, read through its index) is checked at most every
settings.LIBRARY_VERSION_MAX_AGE seconds, like the library version, so a batch embedded by
the worker reaches every process within that time: the rows of newer batches replace
their cases' rows in the matrix. The vectors of a case no longer published stay in memory
until the matrix is next read whole; searches never reach them, since every search is
limited to the published cases of the library snapshot. A top-k over 100,000 cases is a
matrix-vector product and a partial sort: no vector index to keep in step.
"""

import itertools
import threading
import time

import numpy as np

from django.conf import settings

from search.documents import LESSON_CHUNKS
from search.models import CaseVector

READ_CHUNK = 2000  # rows fetched at a time when the matrix is read
_lock = threading.Lock()
_remembered: tuple[int, float] | None = None


class VectorMatrix:
    """Every stored passage vector of one model, with the case each belongs to."""

    def __init__(self, model: str, dim: int):
        self.model, self.dim = model, dim
        self.page_ids = np.zeros(0, dtype=np.int64)  # per row
        self.lessons = np.zeros(0, dtype=bool)  # per row: a lesson's own passage
        self.rows = np.zeros((0, dim), dtype=np.float32)
        self.token = -1  # the newest batch read; -1 before the first read
        self.rows_per_case = 1
        self._positions: tuple[object, np.ndarray] | None = None

    def load(self, token: int) -> None:
        """Catch up with the table: the rows of batches newer than the matrix replace their
        cases' rows (a case is always embedded whole); the matrix is read whole the first
        time, or when the table went back (emptied)."""
        if self.token < 0 or token < self.token:
            self.page_ids, self.lessons, self.rows = self._read(
                CaseVector.objects.filter(batch__lte=token)
            )
        else:
            page_ids, lessons, rows = self._read(
                CaseVector.objects.filter(batch__gt=self.token, batch__lte=token)
            )
            kept = ~np.isin(self.page_ids, page_ids)
            self.page_ids = np.concatenate([self.page_ids[kept], page_ids])
            self.lessons = np.concatenate([self.lessons[kept], lessons])
            self.rows = np.concatenate([self.rows[kept], rows])
        self.token = token
        counts = np.unique(self.page_ids, return_counts=True)[1]
        self.rows_per_case = int(counts.max()) if len(counts) else 1
        self._positions = None

    def _read(self, rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(page ids, which rows are lessons, vectors) of these rows of this model, read in
        chunks straight into the matrix: the whole table's bytes are never held twice.
        Counted through the batch index alone (rows of another model, rare, are then left
        out after reading), and each chunk's vectors are copied in at once: at 100,000 cases
        a worker's first search read 800,000 rows in 8 s, a row at a time. In id order, the
        primary key's: ordered by batch, PostgreSQL sorted 1.2 GB on disk first (23 s, now
        14 s; a read has one row per case and chunk, so the order changes nothing else)."""
        count = rows.count()
        found = rows.filter(model=self.model).order_by("id")
        page_ids = np.zeros(count, dtype=np.int64)
        chunks = np.zeros(count, dtype=np.int64)
        vectors = np.zeros((count, self.dim), dtype=np.float32)
        at, size = 0, self.dim * 4
        block = []
        listed = found.values_list("page_id", "chunk", "vector").iterator(chunk_size=READ_CHUNK)
        for row in itertools.chain(listed, [None]):
            if row is not None and len(block) < READ_CHUNK:
                block.append(row)
                continue
            # Rows written since the count are left for the next check to read.
            block = block[: count - at]
            if block:
                ids, numbers, blobs = zip(*block, strict=True)
                if any(len(blob) != size for blob in blobs):
                    raise ValueError(f"a vector of {self.model} is not {self.dim} floats")
                end = at + len(block)
                page_ids[at:end], chunks[at:end] = ids, numbers
                vectors[at:end] = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(-1, self.dim)
                at = end
            if row is None or at == count:
                break
            block = [row]
        if at < count:  # another model's rows were counted: keep only what was read
            return page_ids[:at].copy(), chunks[:at] >= LESSON_CHUNKS, vectors[:at].copy()
        return page_ids, chunks >= LESSON_CHUNKS, vectors

    def similarities(self, query: np.ndarray) -> np.ndarray:
        """Each row's similarity to the query (rows and query are unit length)."""
        return self.rows @ query.astype(np.float32, copy=False)

    def vectored(self) -> np.ndarray:
        """Ids of the cases that have vectors."""
        return np.unique(self.page_ids)

    def _row_positions(self, ids: np.ndarray) -> np.ndarray:
        """Each row's position in `ids` (a snapshot's id array), -1 where absent; kept
        while the same array is passed, so filtering a search costs one gather."""
        cached = self._positions
        if cached is not None and cached[0] is ids:
            return cached[1]
        order = np.argsort(ids, kind="stable")
        found = np.searchsorted(ids, self.page_ids, sorter=order)
        found = np.minimum(found, len(ids) - 1) if len(ids) else found
        positions = order[found] if len(ids) else np.zeros(len(self.page_ids), dtype=np.int64)
        present = len(ids) > 0 and ids[positions] == self.page_ids
        positions = np.where(present, positions, -1)
        self._positions = (ids, positions)
        return positions

    def nearest(
        self,
        query: np.ndarray,
        k: int,
        ids: np.ndarray | None = None,
        mask: np.ndarray | None = None,
        threshold: float = -1.0,
        outstanding: float | None = None,
        similarity: np.ndarray | None = None,
        passages: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """The k cases most similar to `query` (a case is as similar as its best passage),
        best first, [(page_id, similarity)], only those at or above `threshold` and, with
        `outstanding`, that many standard deviations above the mean similarity of every
        passage; with `ids` and `mask` (a snapshot's ids and a mask aligned with them)
        only the masked cases; with `passages` (a mask of rows) only those passages.
        `similarity`: `similarities(query)`, when the caller has it."""
        if not len(self.rows) or k <= 0:
            return []
        if similarity is None:
            similarity = self.similarities(query)
        if passages is not None:
            if not passages.any():
                return []
            counted = similarity[passages]
            similarity = np.where(passages, similarity, -np.inf)
        else:
            counted = similarity
        if outstanding is not None:
            spread = float(counted.mean() + outstanding * counted.std())
            threshold = max(threshold, spread)
        if ids is not None and mask is not None:
            positions = self._row_positions(ids)
            allowed = positions >= 0
            allowed[allowed] = mask[positions[allowed]]
            similarity = np.where(allowed, similarity, -np.inf)
        # A case has at most a few rows, so its best row is among the best k x rows-per-case.
        wanted = min(len(similarity), k * self.rows_per_case)
        best = np.argpartition(-similarity, wanted - 1)[:wanted]
        best = best[np.argsort(-similarity[best], kind="stable")]
        top, seen = [], set()
        for row in best.tolist():
            score = float(similarity[row])
            if score < threshold or score == -np.inf:
                break
            page_id = int(self.page_ids[row])
            if page_id not in seen:
                seen.add(page_id)
                top.append((page_id, score))
                if len(top) == k:
                    break
        return top


_matrices: dict[str, VectorMatrix] = {}


def current_matrix(model: str, dim: int) -> VectorMatrix:
    """This process's matrix of `model`'s vectors as they are now (within the max age)."""
    global _remembered
    now = time.monotonic()
    with _lock:
        remembered = _remembered
        if remembered is None or now - remembered[1] >= settings.LIBRARY_VERSION_MAX_AGE:
            remembered = _remembered = (CaseVector.objects.newest_batch(), now)
        matrix = _matrices.get(model)
        if matrix is None or matrix.dim != dim:
            matrix = _matrices[model] = VectorMatrix(model, dim)
        if matrix.token != remembered[0]:
            matrix.load(remembered[0])
        return matrix


def current_batch() -> int:
    """The newest batch as the database holds it now, remembered for the searches of the
    rest of this request (the page cache keys search pages by it)."""
    global _remembered
    batch = CaseVector.objects.newest_batch()
    with _lock:
        _remembered = (batch, time.monotonic())
    return batch


def vectors_changed() -> None:
    """This process changed the vectors: read the token again on the next search."""
    global _remembered
    with _lock:
        _remembered = None


def first_vectors(page_ids, model: str) -> dict[int, list[float]]:
    """{page id: its chunk-0 vector as floats} of these cases that have one of `model`: what
    Elasticsearch keeps in each case's document for its knn search."""
    rows = CaseVector.objects.filter(page_id__in=list(page_ids), chunk=0, model=model)
    return {
        page_id: np.frombuffer(bytes(vector), dtype="<f4").astype(float).tolist()
        for page_id, vector in rows.values_list("page_id", "vector")
    }
