"""The Elasticsearch engine against a real cluster: runs only when ELASTICSEARCH_URL is set
(docs/elasticsearch.md starts one with docker compose).

Each test rebuilds a handful of cases into indexes under a random prefix (cgtest-…) and
deletes them afterwards by name (tests/search/live_indexes.py), so a development cluster's
own indexes are left alone.
"""

import datetime
import os

import pytest

from search.engines.database import DatabaseEngine
from search.engines.elasticsearch import ElasticsearchEngine
from search.query import SearchQuery
from tests.factories import CaseStudyPageFactory, OrganisationFactory
from tests.search.live_indexes import live_engine

LIVE_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.skipif(
        not LIVE_URL, reason="needs a running Elasticsearch: set ELASTICSEARCH_URL to run"
    ),
    pytest.mark.django_db,
]


def case(title, summary, themes, country, year, **fields):
    return CaseStudyPageFactory(
        title=title,
        summary=summary,
        themes=themes,
        country=country,
        organisation=OrganisationFactory(name=fields.pop("organisation", "Test Police")),
        case_date=datetime.date(year, 6, 1),
        **fields,
    )


@pytest.fixture
def cases(settings, library):
    # Publishing indexes through the service; keep that in the database, not the cluster.
    settings.ELASTICSEARCH_URL = ""
    return {
        "manhunt": case(
            "Keeping residents safe during a 30-hour search for the suspect",
            "People were asked not to post police positions while the gunman was at large.",
            ["crisis-communication"],
            "CA",
            2014,
        ),
        "debat": case(
            "Le débat public sur les réseaux",
            "Un débat ouvert avec les habitants du quartier.",
            ["community-relations"],
            "BE",
            2016,
            language="fr",
            organisation="Police de Bruxelles",
        ),
        "video": case(
            "A recruitment video that went viral",
            "Honesty and <b>bold</b> humour about the job brought record applications "
            "from new officers.",
            ["recruitment", "engagement-and-content"],
            "NZ",
            2017,
        ),
        "radio": case(
            "Recruiting officers on local radio",
            "A weekly radio slot about recruitment brought applications from new officers.",
            ["recruitment"],
            "GB",
            2015,
            organisation="Greater Example Police",
        ),
        "floods": case(
            "Myth-busting during the floods",
            "A Facebook page became the main source of flood information.",
            ["crisis-communication", "information-sharing-and-appeals"],
            "AU",
            2011,
        ),
        "draft": case(
            "An unpublished recruitment drive",
            "Recruitment applications from new officers.",
            ["recruitment"],
            "GB",
            2018,
            live=False,
        ),
    }


@pytest.fixture
def engine(cases):
    with live_engine(LIVE_URL) as engine:
        yield engine


def found(engine, text="", **filters) -> list[int]:
    query = SearchQuery(text, {k: tuple(v) for k, v in filters.items()})
    return [hit.page_id for hit in engine.search(query).hits]


def counts(results, facet) -> dict[str, int]:
    options = next(f for f in results.facets if f.name == facet).options
    return {o.value: o.count for o in options if o.count}


def test_rebuild_indexes_published_cases_only(engine, cases):
    status = engine.status()
    assert status["documents"] == 5
    assert status["index"].startswith(engine.alias + "-")
    assert cases["draft"].pk not in found(engine, "recruitment")


def test_text_query_finds_the_right_case(engine, cases):
    assert found(engine, "viral") == [cases["video"].pk]
    assert set(found(engine, "recruitment")) == {cases["video"].pk, cases["radio"].pk}
    assert found(engine, "videos") == [cases["video"].pk]  # English stemming


def test_synonyms_and_accent_folding(engine, cases):
    assert found(engine, "manhunt") == [cases["manhunt"].pk]
    assert found(engine, "debat") == [cases["debat"].pk]
    assert found(engine, "DÉBAT") == [cases["debat"].pk]


def test_highlights_mark_words_and_escape_markup(engine, cases):
    [hit] = engine.search(SearchQuery("honesty")).hits
    assert hit.page_id == cases["video"].pk
    assert "<mark>Honesty</mark>" in hit.highlights[0]
    assert "&lt;b&gt;bold&lt;/b&gt;" in hit.highlights[0]


def test_facet_counts_ignore_their_own_filter(engine, cases):
    results = engine.search(SearchQuery("", {"theme": ("recruitment",)}))
    assert results.total == 2
    assert counts(results, "theme") == {
        "recruitment": 2,
        "crisis-communication": 2,
        "community-relations": 1,
        "engagement-and-content": 1,
        "information-sharing-and-appeals": 1,
    }
    assert counts(results, "country") == {"NZ": 1, "GB": 1}

    either = engine.search(SearchQuery("", {"theme": ("recruitment", "community-relations")}))
    assert either.total == 3  # values of one facet are OR-ed

    both = engine.search(SearchQuery("", {"theme": ("recruitment",), "country": ("GB",)}))
    assert [h.page_id for h in both.hits] == [cases["radio"].pk]  # facets are AND-ed
    assert counts(both, "country") == {"NZ": 1, "GB": 1}
    assert counts(both, "theme") == {"recruitment": 1}
    assert counts(both, "year") == {"2015": 1}


def test_sorting(engine, cases):
    newest = found(engine, "")
    assert newest[0] == cases["video"].pk and newest[-1] == cases["floods"].pk
    oldest = [h.page_id for h in engine.search(SearchQuery("", sort="oldest")).hits]
    assert oldest == newest[::-1]


def test_recently_added_first_as_the_database_engine_orders(engine, cases):
    query = SearchQuery("", sort="added")
    added = [h.page_id for h in engine.search(query).hits]
    assert added == DatabaseEngine().matching_ids(query, 10)
    # Each case was published after the one before: the last one first, whenever it happened.
    assert added == sorted(added, reverse=True) and added[0] == cases["floods"].pk


def test_suggest(engine, cases):
    suggestions = engine.suggest("recr")
    assert (suggestions[0].text, suggestions[0].kind, suggestions[0].url) == (
        "Recruitment",
        "theme",
        "/themes/recruitment/",
    )
    assert ("Recruiting officers on local radio", "case", cases["radio"].url) in [
        (s.text, s.kind, s.url) for s in suggestions
    ]
    assert [s.kind for s in engine.suggest("greater ex")] == ["organisation"]
    assert [s.text for s in engine.suggest("le deb")] == ["Le débat public sur les réseaux"]


def test_related(engine, cases):
    related = engine.related(cases["video"].pk)
    assert related[0] == cases["radio"].pk
    assert cases["video"].pk not in related


def test_index_and_remove_follow_publishing(engine, cases):
    extra = case("Tweeting every call for a day", "A tweetathon.", ["recruitment"], "GB", 2019)
    engine.index([extra.pk, cases["draft"].pk])
    engine.remove([cases["floods"].pk])
    engine.client.indices.refresh(index=engine.alias)

    assert found(engine, "tweetathon") == [extra.pk]
    assert found(engine, "floods") == []
    assert engine.status()["documents"] == 5


def test_rebuild_swaps_the_alias_and_drops_the_old_index(engine):
    before = engine.status()["index"]
    assert engine.rebuild() == 5
    after = engine.status()["index"]
    assert after != before
    assert list(engine.client.indices.get_alias(index=f"{engine.alias}-*")) == [after]


def test_first_writers_before_any_rebuild_share_one_write_index(cases):
    """Two processes both found no alias: the second creation is told the index exists,
    and the alias keeps one write index until the first rebuild replaces it."""
    with live_engine(LIVE_URL, rebuild=False) as first:
        second = ElasticsearchEngine(LIVE_URL, index_prefix=first.alias.removesuffix("-cases"))
        first.index([cases["radio"].pk])
        second._create_first()  # what the second writer of the race does
        second.index([cases["video"].pk])
        first.client.indices.refresh(index=first.alias)

        assert first.client.indices.get_alias(name=first.alias) == {
            first.first_index: {"aliases": {first.alias: {"is_write_index": True}}}
        }
        assert sorted(found(first, "recruitment")) == sorted(
            [cases["radio"].pk, cases["video"].pk]
        )
        first.rebuild()
        [current] = first.client.indices.get_alias(name=first.alias)
        assert current > first.first_index
        assert list(first.client.indices.get_alias(index=f"{first.alias}-*")) == [current]
