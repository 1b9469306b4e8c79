"""Cases the editors promote for a query come first, marked, once, within the filters, on
both engines (search/promotions.py)."""

import pytest

from django.urls import reverse

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from cases.models import CaseStudyPage
from search.engines.database import DatabaseEngine
from search.query import SearchQuery
from search.service import SearchService
from tests.search.test_elasticsearch_engine import (  # noqa: F401 (fixtures)
    Cluster,
    cluster,
    empty_aggregations,
    engine,
    msearch_reply,
    search_reply,
    source_hit,
)

pytestmark = pytest.mark.django_db


def promote(text, *external_ids):
    query = Query.get(text)
    for order, external_id in enumerate(external_ids):
        page = CaseStudyPage.objects.get(external_id=external_id)
        SearchPromotion.objects.create(query=query, page=page, sort_order=order)


def found(query: SearchQuery):
    results = SearchService(DatabaseEngine()).search(query)
    return results, [(h.external_id, h.promoted) for h in results.hits]


def test_promoted_case_first_marked_and_not_repeated(corpus):
    before, _ = found(SearchQuery("twitter"))
    promote("Twitter", "flood-myths", "tweetathon")  # flood-myths does not say "twitter"
    results, hits = found(SearchQuery("  TWITTER "))
    assert hits[:2] == [("flood-myths", True), ("tweetathon", True)]
    # tweetathon says "twitter", flood-myths does not: only one more matches every word
    assert results.total_all_words == before.total_all_words
    assert [external_id for external_id, _ in hits].count("tweetathon") == 1
    assert not any(promoted for _, promoted in hits[2:])
    assert results.total == before.total + 1  # flood-myths joined; tweetathon counted once


def test_only_an_exact_normalised_query_promotes(corpus):
    promote("twitter", "flood-myths")
    _, hits = found(SearchQuery("twitter police"))
    assert ("flood-myths", True) not in hits


def test_filters_still_apply_to_promoted_cases(corpus):
    promote("twitter", "flood-myths", "moncton-manhunt")
    _, hits = found(SearchQuery("twitter", {"country": ("CA",)}))
    assert hits == [("moncton-manhunt", True)]


def test_unpublished_promoted_case_is_not_shown(corpus):
    promote("twitter", "flood-myths")
    CaseStudyPage.objects.get(external_id="flood-myths").unpublish()
    _, hits = found(SearchQuery("twitter"))
    assert "flood-myths" not in [external_id for external_id, _ in hits]


def test_later_pages_continue_after_the_promoted_case(corpus):
    promote("twitter", "flood-myths")
    _, first = found(SearchQuery("twitter", page_size=2))
    _, second = found(SearchQuery("twitter", page=2, page_size=2))
    _, whole = found(SearchQuery("twitter", page_size=20))
    assert first + second == whole[:4]


def test_another_sort_keeps_the_visitors_order(corpus):
    promote("twitter", "flood-myths")
    _, hits = found(SearchQuery("twitter", sort="newest"))
    assert ("flood-myths", True) not in hits


def test_search_page_and_api_show_the_recommendation(client, corpus):
    promote("twitter", "flood-myths")
    page = client.get(reverse("search:page"), {"q": "twitter"})
    assert "Recommended by the editors" in page.content.decode()
    api = client.get(reverse("search:api"), {"q": "twitter"}).json()
    assert api["results"][0]["external_id"] == "flood-myths" and api["results"][0]["promoted"]
    assert not any(r["promoted"] for r in api["results"][1:])


# Elasticsearch: the pinned query carries the promoted ids; the filters stay post filters.


def test_elasticsearch_pins_promoted_ids_in_the_editors_order(cluster, engine, make_case):  # noqa: F811
    first, second, organic = make_case(), make_case(), make_case()
    query = Query.get("radio")
    SearchPromotion.objects.create(query=query, page=second, sort_order=0)
    SearchPromotion.objects.create(query=query, page=first, sort_order=1)
    cluster.on(
        "POST",
        "/cg-cases/_search",
        search_reply(
            hits=[source_hit(second.pk, 3e38), source_hit(organic.pk, 2.0)],
            total=2,
            aggregations=empty_aggregations(),
        ),
    )
    results = engine.search(SearchQuery("Radio", {"country": ("NL",)}))
    body = cluster.only("POST", "/cg-cases/_search").body
    pinned = body["query"]["pinned"]
    assert pinned["ids"] == [str(second.pk), str(first.pk)]
    assert "bool" in pinned["organic"]  # the words' query, unchanged beneath
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"country.code": ["NL"]}}]}}
    assert [(h.page_id, h.promoted) for h in results.hits] == [
        (second.pk, True),
        (organic.pk, False),
    ]


def test_elasticsearch_without_promotion_sends_no_pinned_query(cluster, engine, make_case):  # noqa: F811
    cluster.on("POST", "/cg-cases/_search", search_reply(aggregations=empty_aggregations()))
    engine.search(SearchQuery("radio"))
    assert "pinned" not in str(cluster.only("POST", "/cg-cases/_search").body)


def test_elasticsearch_keeps_pinned_cases_first_when_meaning_is_fused(
    cluster,  # noqa: F811
    engine,  # noqa: F811
    meaning,
    make_case,
):
    promoted, both, by_meaning = make_case(), make_case(), make_case()
    SearchPromotion.objects.create(query=Query.get("officer shot"), page=promoted, sort_order=0)
    words = search_reply(
        # `both` matches every word (the bonus puts it past 1000), as pinned scores do
        hits=[source_hit(promoted.pk, 3e38), source_hit(both.pk, 2000.0)],
        total=2,
        aggregations=empty_aggregations(),
    )
    knn = search_reply(hits=[source_hit(both.pk, 0.93), source_hit(by_meaning.pk, 0.9)])
    cluster.on("POST", "/cg-cases/_msearch", msearch_reply(words, knn))

    results = engine.search(SearchQuery("officer shot"))

    _, words_body, _, knn_body = cluster.only("POST", "/cg-cases/_msearch").body
    assert words_body["query"]["pinned"]["ids"] == [str(promoted.pk)]
    assert "pinned" not in str(knn_body)
    # RRF alone would put `both` (in both lists) first; the promoted case stays first.
    assert [(h.page_id, h.promoted) for h in results.hits] == [
        (promoted.pk, True),
        (both.pk, False),
        (by_meaning.pk, False),
    ]
