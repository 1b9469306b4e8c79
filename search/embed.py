"""Keeping case vectors in step with the published cases, in batches, in the background.

Search's lifecycle (search/lifecycle.py) writes a PendingChange row under EMBED_KEY for
every changed case, in the change's transaction; embed_pending() works through those rows
and through published cases with no vector of the current model (first run, or a model
switched), a batch at a time. Each batch commits its vectors, its rows' removal and the
Elasticsearch copies' PendingChange rows together, so a killed run loses at most the batch
it was on and the next run resumes there. A case whose passages and model are unchanged
(same digest) is not embedded again; a case no longer published loses its vectors.
Only one process embeds at a time (search/leases.py).
"""

import hashlib
import time
from collections.abc import Callable

import numpy as np

from django.db import transaction

from cases.models import CaseStudyPage
from search.documents import case_passages, iter_documents
from search.embedding import Embedder
from search.leases import engine_lease
from search.models import CaseVector, PendingChange
from search.service import get_search_service
from search.vectors import vectors_changed

EMBED_KEY = "embedder"  # PendingChange rows and lease of the embedding work
BATCH = 16  # cases per committed batch (a few seconds of embedding)
BUSY = "busy: another process is embedding"


def digest(model: str, passages: list[tuple[int, str]]) -> str:
    text = "\x1f".join([model, *(f"{chunk}\x1e{passage}" for chunk, passage in passages)])
    return hashlib.blake2s(text.encode(), digest_size=16).hexdigest()


def embed_batch(embedder: Embedder, page_ids, row_ids=()) -> tuple[int, int]:
    """Embed these cases where their text or the model changed, drop the vectors of those
    no longer published, and delete the PendingChange rows `row_ids`, in one transaction:
    (cases embedded, cases whose vectors were removed)."""
    ids = {int(pk) for pk in page_ids}
    stored = dict(
        CaseVector.objects.filter(page_id__in=ids, chunk=0).values_list("page_id", "text_digest")
    )
    todo = []
    for document in iter_documents(ids):
        passages = case_passages(document)
        text_digest = digest(embedder.name, passages)
        if stored.get(document["page_id"]) != text_digest:
            todo.append((document["page_id"], text_digest, passages))
    published = set(CaseStudyPage.objects.live().filter(pk__in=ids).values_list("pk", flat=True))
    gone = set(stored) - published
    flat = [text for _, _, passages in todo for _, text in passages]
    matrix = embedder.passages(flat) if flat else np.zeros((0, embedder.dim), np.float32)
    rows, at = [], 0
    for page_id, text_digest, passages in todo:
        for chunk, _ in passages:
            vector = matrix[at].astype("<f4").tobytes()
            rows.append(CaseVector(page_id=page_id, chunk=chunk, model=embedder.name,
                                   text_digest=text_digest, vector=vector))  # fmt: skip
            at += 1
    changed = {pk for pk, _, _ in todo} | gone
    with transaction.atomic():
        CaseVector.objects.filter(page_id__in=changed).delete()
        batch = CaseVector.objects.next_batch()  # one process embeds at a time (the lease)
        for row in rows:
            row.batch = batch
        CaseVector.objects.bulk_create(rows)
        PendingChange.objects.filter(id__in=list(row_ids)).delete()
        # Elasticsearch keeps each case's first vector in its document.
        get_search_service().record_copies(changed)
        transaction.on_commit(vectors_changed)
    return len(todo), len(gone)


def embed_pending(
    embedder: Embedder,
    *,
    wait: float = 0.0,
    progress: Callable[[int, int, int], None] | None = None,
) -> dict | str:
    """Embed every case that needs it; {"embedded", "removed", "seconds"}, or why not.
    progress(done, total, embedded), if given, is called after each batch."""
    started = time.monotonic()
    embedded = removed = 0
    seen: set[int] = set()  # a case changed twice has two pending rows: count it once
    with engine_lease(EMBED_KEY, wait) as lease:
        if lease is None:
            return BUSY
        missing = CaseVector.objects.missing_ids(embedder.name)
        pending = PendingChange.objects.filter(engine=EMBED_KEY)
        total = len(set(pending.values_list("page_id", flat=True)) | set(missing))
        while True:
            rows = list(pending.order_by("id").values_list("id", "page_id")[:BATCH])
            if rows:
                row_ids, page_ids = [r[0] for r in rows], {r[1] for r in rows}
            elif missing:
                row_ids, page_ids, missing = [], set(missing[:BATCH]), missing[BATCH:]
            else:
                break
            added, dropped = embed_batch(embedder, page_ids, row_ids)
            embedded, removed = embedded + added, removed + dropped
            seen |= page_ids
            missing = [pk for pk in missing if pk not in page_ids]
            lease.renew()
            if progress is not None:
                progress(len(seen), max(total, len(seen)), embedded)
    seconds = round(time.monotonic() - started, 2)
    return {"embedded": embedded, "removed": removed, "seconds": seconds}
