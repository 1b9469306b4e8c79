"""The Elasticsearch engine against a recording stand-in for the cluster.

No Elasticsearch runs here, so the client is given a node class that stands in for one at
the HTTP boundary: it records every request (method, path, query parameters, parsed body)
and answers with responses written by hand in the shape Elasticsearch 8 returns. The tests
pin the exact requests the engine sends and how it reads real-shaped answers; the
behaviour of a real cluster is checked by test_elasticsearch_live.py.
"""

import datetime
import json
import re
from dataclasses import dataclass
from typing import Any, NamedTuple
from unittest.mock import ANY
from urllib.parse import parse_qsl, unquote, urlsplit

import elastic_transport
import pytest
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elasticsearch import BadRequestError, Elasticsearch

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.rich_text import RichText

from cases.models import CaseStudyPage
from search.engines.base import EngineUnavailable
from search.engines.database import DatabaseEngine
from search.engines.elasticsearch import CLIENT_OPTIONS, ElasticsearchEngine, matching_query
from search.feeds import FEED_LIMIT
from search.query import SearchQuery
from search.service import DEGRADED_NOTICE, SearchService
from search.synonyms import SYNONYMS_FILE, solr_rules
from search.text import Names, parse
from tests.factories import CaseStudyPageFactory, OrganisationFactory
from tests.search.live_indexes import drop_indexes

pytestmark = pytest.mark.django_db

URL = "http://es.test:9200"
ALIAS = "cg-cases"
OLD = "cg-cases-20240101120000000000"
FIRST = "cg-cases-00000000000000000000"  # created by the first write before any rebuild
VERSIONED = re.compile(r"cg-cases-\d{20}")
RESPONSE_HEADERS = {
    "content-type": "application/vnd.elasticsearch+json;compatible-with=8",
    "x-elastic-product": "Elasticsearch",
}
SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


# The stand-in cluster --------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]
    body: Any
    timeout: Any = None  # the request_timeout the client gave this request, if any


class Response(NamedTuple):
    """What a node returns to the transport: (meta, raw body bytes)."""

    meta: ApiResponseMeta
    body: bytes


class Cluster:
    """Records requests and answers each from the latest route whose method and path (a
    regex matched in full) fit; a request no route expects fails the test."""

    def __init__(self):
        self.requests: list[Request] = []
        self.routes: list[tuple[str, re.Pattern, int, Any]] = []

    def on(self, method: str, path: str, reply: Any = None, status: int = 200) -> None:
        """`reply` is the JSON body, or a function of the Request returning it."""
        self.routes.insert(0, (method, re.compile(path), status, reply))

    def answer(
        self, method: str, target: str, body: bytes | None, headers, timeout=None
    ) -> tuple[int, Any]:
        url = urlsplit(target)
        parsed = None
        if body:
            text = body.decode()
            if "ndjson" in (headers or {}).get("content-type", ""):
                parsed = [json.loads(line) for line in text.splitlines() if line]
            else:
                parsed = json.loads(text)
        request = Request(method, unquote(url.path), dict(parse_qsl(url.query)), parsed, timeout)
        self.requests.append(request)
        for route_method, pattern, status, reply in self.routes:
            if route_method == method and pattern.fullmatch(request.path):
                return status, reply(request) if callable(reply) else reply
        raise AssertionError(f"unexpected request: {method} {target}")

    def client(self, **options) -> Elasticsearch:
        cluster = self

        class RecordingNode(BaseNode):
            def perform_request(self, method, target, body=None, headers=None, **kwargs):
                timeout = kwargs.get("request_timeout")
                status, reply = cluster.answer(method, target, body, headers, timeout)
                meta = ApiResponseMeta(
                    status=status,
                    http_version="1.1",
                    headers=HttpHeaders(RESPONSE_HEADERS),
                    duration=0.001,
                    node=self.config,
                )
                return Response(meta, b"" if reply is None else json.dumps(reply).encode())

        return Elasticsearch(URL, node_class=RecordingNode, **{"max_retries": 0, **options})

    def only(self, method: str, path: str) -> Request:
        matching = [r for r in self.requests if r.method == method and r.path == path]
        assert len(matching) == 1, [(r.method, r.path) for r in self.requests]
        return matching[0]


@pytest.fixture
def cluster():
    return Cluster()


@pytest.fixture
def engine(cluster):
    return ElasticsearchEngine(URL, index_prefix="cg", client=cluster.client())


def bulk_reply(request: Request) -> dict:
    """Every action of a bulk body succeeds, as Elasticsearch reports it."""
    items = []
    for line in request.body:
        op, meta = next(iter(line.items()))
        if op in ("index", "delete"):
            status, result = (201, "created") if op == "index" else (200, "deleted")
            items.append(
                {
                    op: {
                        "_index": meta["_index"],
                        "_id": meta["_id"],
                        "result": result,
                        "_version": 1,
                        "_shards": SHARDS,
                        "_seq_no": 0,
                        "_primary_term": 1,
                        "status": status,
                    }
                }
            )
    return {"took": 3, "errors": False, "items": items}


def search_reply(hits=(), total=0, aggregations=None, suggest=None) -> dict:
    reply = {
        "took": 4,
        "timed_out": False,
        "_shards": SHARDS,
        "hits": {"total": {"value": total, "relation": "eq"}, "max_score": None, "hits": hits},
    }
    if aggregations is not None:
        reply["aggregations"] = aggregations
    if suggest is not None:
        reply["suggest"] = suggest
    return reply


def buckets(**counts) -> dict:
    return {
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": 0,
        "buckets": [{"key": k, "doc_count": n} for k, n in counts.items()],
    }


def empty_aggregations(**overrides) -> dict:
    aggs = {
        name: {"doc_count": 0, "counts": buckets()}
        for name in ("theme", "country", "organisation", "platform", "year", "language", "result")
    }
    return aggs | overrides


# Index settings and mappings --------------------------------------------------------------

LANGUAGES = {
    "en": ("english", "_english_"),
    "nl": ("dutch", "_dutch_"),
    "fr": ("light_french", "_french_"),
    "de": ("light_german", "_german_"),
    "es": ("light_spanish", "_spanish_"),
}


def text_field(highlighted=False) -> dict:
    field = {
        "type": "text",
        "analyzer": "folding",
        "search_analyzer": "folding_search",
        "fields": {code: {"type": "text", "analyzer": f"folding_{code}"} for code in LANGUAGES},
    }
    return field | ({"index_options": "offsets"} if highlighted else {})


DISPLAY = {"type": "keyword", "index": False, "doc_values": False}
NAME = {"type": "text", "analyzer": "folding", "search_analyzer": "folding_search"}
EXPECTED_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "page_id": {"type": "integer"},
        "external_id": {"type": "keyword"},
        "url": DISPLAY,
        "title": text_field(highlighted=True),
        "summary": text_field(highlighted=True),
        "lessons": text_field(highlighted=True),
        "body": text_field(highlighted=True),
        "taxonomy": {"type": "text", "analyzer": "folding", "search_analyzer": "folding_search"},
        # names are searched and highlighted on their own, so a hit says which one matched
        "organisation_names": {"type": "text", "analyzer": "folding"},
        "themes": {"type": "object", "properties": {"slug": {"type": "keyword"}, "name": NAME}},
        "platforms": {
            "type": "object",
            "properties": {"slug": {"type": "keyword"}, "name": NAME},
        },
        "organisation": {
            "type": "object",
            "properties": {"slug": {"type": "keyword"}, "name": NAME},
        },
        "country": {
            "type": "object",
            "properties": {"code": {"type": "keyword"}, "name": NAME},
        },
        "language": {"type": "keyword"},
        "year": {"type": "integer"},
        "published": {"type": "date", "format": "strict_date"},
        # when the case was first published on the site: the "added" sort
        "added": {"type": "date"},
        "result": {"type": "keyword"},
        "evidence": {"type": "keyword"},
        "tried": {"type": "keyword"},  # another force tried it: "yes", else absent
        "suggest": {"type": "completion", "analyzer": "folding", "max_input_length": 100},
    },
}


def index_created(request: Request) -> dict:
    return {"acknowledged": True, "shards_acknowledged": True, "index": request.path[1:]}


def answer_rebuild(cluster, existing=(OLD,)):
    cluster.on("PUT", r"/cg-cases-\d+", index_created)
    cluster.on("PUT", "/_bulk", bulk_reply)
    cluster.on("POST", r"/cg-cases-\d+/_refresh", {"_shards": SHARDS})
    if existing:
        cluster.on("GET", "/_alias/cg-cases", {existing[-1]: {"aliases": {ALIAS: {}}}})
    else:
        cluster.on(
            "GET",
            "/_alias/cg-cases",
            {"error": "alias [cg-cases] missing", "status": 404},
            status=404,
        )
    cluster.on("POST", "/_aliases", {"acknowledged": True})
    cluster.on(
        "GET",
        r"/cg-cases-\*/_alias",
        lambda r: {name: {"aliases": {}} for name in [*existing, new_index(cluster)]},
    )
    cluster.on("DELETE", "/.+", {"acknowledged": True})


def new_index(cluster) -> str:
    return next(r.path[1:] for r in cluster.requests if r.method == "PUT")


def test_index_settings_define_the_analyzers_and_inline_synonyms(cluster, engine):
    answer_rebuild(cluster, existing=())
    engine.rebuild()

    created = next(r for r in cluster.requests if r.method == "PUT")
    assert VERSIONED.fullmatch(created.path[1:])
    settings = created.body["settings"]
    assert settings["number_of_shards"] == 1
    analysis = settings["analysis"]
    expected = {
        "folding": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding"],
        },
        "folding_search": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding", "project_synonyms"],
        },
    }
    for code in LANGUAGES:
        extra = {"en": ["possessive_en"], "fr": ["elision_fr"]}.get(code, [])
        expected[f"folding_{code}"] = {
            "type": "custom",
            "tokenizer": "standard",
            "filter": [*extra, "lowercase", f"stop_{code}", "asciifolding", f"stemmer_{code}"],
        }
    assert analysis["analyzer"] == expected
    for code, (stemmer, stopwords) in LANGUAGES.items():
        assert analysis["filter"][f"stop_{code}"] == {"type": "stop", "stopwords": stopwords}
        assert analysis["filter"][f"stemmer_{code}"] == {"type": "stemmer", "language": stemmer}

    synonyms = analysis["filter"]["project_synonyms"]
    assert synonyms == {"type": "synonym_graph", "synonyms": solr_rules()}
    lines = [
        line.strip()
        for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert synonyms["synonyms"] == [
        ", ".join(p.strip() for p in line.split(",")) for line in lines
    ]
    assert "manhunt, search for suspect, suspect search, pursuit" in synonyms["synonyms"]
    assert "synonyms_path" not in synonyms


def test_index_mappings_cover_every_field(cluster, engine):
    answer_rebuild(cluster, existing=())
    engine.rebuild()

    created = next(r for r in cluster.requests if r.method == "PUT")
    assert created.body["mappings"] == EXPECTED_MAPPINGS
    assert "aliases" not in created.body  # the alias moves only once the index is filled


# Searching --------------------------------------------------------------------------------

FIELDS = [
    "title^4", "title.en^4", "title.nl^4", "title.fr^4", "title.de^4", "title.es^4",
    "summary^3", "summary.en^3", "summary.nl^3", "summary.fr^3", "summary.de^3", "summary.es^3",
    "lessons^2", "lessons.en^2", "lessons.nl^2", "lessons.fr^2", "lessons.de^2", "lessons.es^2",
    "body^1", "body.en^1", "body.nl^1", "body.fr^1", "body.de^1", "body.es^1",
    "taxonomy^2", "themes.name^3", "organisation_names^2",
]  # fmt: skip
THEMES = {"terms": {"themes.slug": ["recruitment", "community-relations"]}}
COUNTRY = {"terms": {"country.code": ["NL"]}}


def facet(field, *filters, size=250) -> dict:
    return {
        "filter": {"bool": {"filter": list(filters)}} if filters else {"match_all": {}},
        "aggs": {"counts": {"terms": {"field": field, "size": size}}},
    }


def word(text) -> dict:
    return {
        "multi_match": {
            "query": text,
            "type": "best_fields",
            "fields": FIELDS,
            "tie_breaker": 0.3,
            "auto_generate_synonyms_phrase_query": False,
        }
    }


def phrase(text, slop) -> dict:
    return {"multi_match": {"query": text, "type": "phrase", "fields": FIELDS, "slop": slop}}


RECRUITING = {
    "dis_max": {
        "queries": [
            word("recruit"),
            word("recruitment"),
            word("recruiting"),
            word("joining"),
            phrase("join police", 4),  # "the" is dropped; the words may stand 4 apart
            word("careers"),
        ],
        "tie_breaker": 0,  # a synonym group counts once: its best phrase only
    }
}


def test_search_request_with_text_and_filters(cluster, engine):
    cluster.on("POST", "/cg-cases/_search", search_reply(aggregations=empty_aggregations()))
    query = SearchQuery(
        "Recruiting on the radio",
        {"theme": ("recruitment", "community-relations"), "country": ("NL",)},
        "relevance",
        page=2,
        page_size=10,
    )
    engine.search(query)

    request = cluster.only("POST", "/cg-cases/_search")
    every = {"bool": {"filter": [RECRUITING, word("radio")]}}
    assert request.body == {
        "query": {
            "bool": {
                # one clause per group, then the bonus for cases matching every group
                "should": [
                    RECRUITING,
                    word("radio"),
                    {"constant_score": {"filter": every, "boost": 1000}},
                ],
                "minimum_should_match": 1,
            }
        },
        "post_filter": {"bool": {"filter": [THEMES, COUNTRY]}},
        "aggs": {
            "theme": facet("themes.slug", COUNTRY),
            "country": facet("country.code", THEMES),
            "organisation": facet("organisation.slug", THEMES, COUNTRY, size=20),
            "platform": facet("platforms.slug", THEMES, COUNTRY),
            "year": facet("year", THEMES, COUNTRY),
            "language": facet("language", THEMES, COUNTRY),
            "result": facet("result", THEMES, COUNTRY),
            "evidence": facet("evidence", THEMES, COUNTRY),
            "tried": facet("tried", THEMES, COUNTRY),
            # how many match every word, within the filters
            "all_words": {"filter": {"bool": {"filter": [every, THEMES, COUNTRY]}}},
        },
        "highlight": {
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "encoder": "html",
            "fragment_size": 180,
            "number_of_fragments": 2,
            "require_field_match": False,
            # a list of one-field objects: the only form the 9.x specification accepts;
            # titles and names whole, so every hit can say why it matched
            "fields": [
                {"title": {"number_of_fragments": 0}},
                {"themes.name": {"number_of_fragments": 0}},
                {"organisation.name": {"number_of_fragments": 0}},
                {"country.name": {"number_of_fragments": 0}},
                {"platforms.name": {"number_of_fragments": 0}},
                {"summary": {}},
                {"lessons": {}},
                {"body": {}},
            ],
        },
        "suggest": {
            "respelling": {
                "text": "Recruiting on the radio",
                "term": {"field": "title", "analyzer": "folding", "suggest_mode": "missing"},
            }
        },
        "sort": ["_score", {"published": {"order": "desc"}}, {"page_id": {"order": "desc"}}],
        "from": 10,
        "size": 10,
        "track_total_hits": True,
        "_source": False,  # hits are read from the database by id
    }


ADDED_DESC = {"added": {"order": "desc", "unmapped_type": "date"}}


@pytest.mark.parametrize(
    ("sort", "text", "expected"),
    [
        ("newest", "radio", [{"published": {"order": "desc"}}, {"page_id": {"order": "desc"}}]),
        ("oldest", "radio", ["published", "page_id"]),
        ("relevance", "", [{"published": {"order": "desc"}}, {"page_id": {"order": "desc"}}]),
        # most recently added first; an index built before the field existed still answers
        ("added", "radio", [ADDED_DESC, {"page_id": {"order": "desc"}}]),
        ("added", "", [ADDED_DESC, {"page_id": {"order": "desc"}}]),
    ],
)
def test_sort_orders(cluster, engine, sort, text, expected):
    cluster.on("POST", "/cg-cases/_search", search_reply(aggregations=empty_aggregations()))
    engine.search(SearchQuery(text, {"year": ("2014", "x")}, sort))

    body = cluster.only("POST", "/cg-cases/_search").body
    assert body["sort"] == expected
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"year": [2014]}}]}}
    assert body["aggs"]["year"] == facet("year")
    assert body["aggs"]["theme"] == facet("themes.slug", {"terms": {"year": [2014]}})
    if not text:  # nothing to match, mark or respell
        assert not {"query", "highlight", "suggest"} & set(body)


def test_year_range_and_evidence_filter_every_facet_count(cluster, engine):
    cluster.on("POST", "/cg-cases/_search", search_reply(aggregations=empty_aggregations()))
    engine.search(
        SearchQuery("", {"evidence": ("evaluated",), "year_from": ("2015",), "year_to": ("2019",)})
    )

    body = cluster.only("POST", "/cg-cases/_search").body
    evidence = {"terms": {"evidence": ["evaluated"]}}
    since = {"range": {"year": {"gte": 2015}}}
    until = {"range": {"year": {"lte": 2019}}}
    assert body["post_filter"] == {"bool": {"filter": [evidence, since, until]}}
    assert body["aggs"]["evidence"] == facet("evidence", since, until)
    assert body["aggs"]["year"] == facet("year", evidence, since, until)


def test_selected_organisation_is_counted_even_outside_the_busiest(cluster, engine):
    org = OrganisationFactory(name="Politie Utrecht")
    CaseStudyPageFactory(organisation=org)  # a public organisation: it has a published case
    aggs = empty_aggregations(
        organisation={
            "doc_count": 40,
            "counts": buckets(**{f"org-{i}": 30 - i for i in range(20)}),
            "chosen": buckets(**{org.slug: 1}),
        }
    )
    cluster.on("POST", "/cg-cases/_search", search_reply(aggregations=aggs))
    results = engine.search(SearchQuery("", {"organisation": (org.slug,)}))

    body = cluster.only("POST", "/cg-cases/_search").body
    assert body["aggs"]["organisation"]["aggs"]["chosen"] == {
        "terms": {"field": "organisation.slug", "include": [org.slug], "size": 1}
    }
    organisations = next(f for f in results.facets if f.name == "organisation")
    assert [(o.value, o.count, o.selected) for o in organisations.options] == [(org.slug, 1, True)]


def utrecht_case(**overrides):
    """The case the hand-written hits below stand for, as the database holds it."""
    organisation = OrganisationFactory(name="Politie Utrecht", slug="politie-utrecht")
    return CaseStudyPageFactory(
        **{
            "title": "Recruiting officers on local radio",
            "slug": "recruiting-officers-on-local-radio",
            "external_id": "nl-utrecht-radio",
            "summary": "A force recruited officers with a weekly radio slot.",
            "case_date": datetime.date(2014, 5, 2),
            "country": "NL",
            "organisation": organisation,
            "themes": ["recruitment"],
            "language": "en",
            "result": "worked",
            "evidence": "independently-evaluated",
        }
        | overrides
    )


def test_search_response_becomes_results(cluster, engine):
    case = utrecht_case()
    hit = {
        "_index": "cg-cases-20250301090000000000",
        "_id": str(case.pk),
        "_score": 7.25,
        "highlight": {
            "themes.name": ["<mark>Recruitment</mark>"],
            "title": ["<mark>Recruiting</mark> officers on local radio"],
            "summary": ["A force <mark>recruited</mark> officers with a weekly radio slot."],
            "body": [
                "The <mark>recruitment</mark> team spoke every Monday.",
                "Applications rose after the <mark>recruitment</mark> hour.",
            ],
        },
        "sort": [7.25, 1399075200000, case.pk],
    }
    aggs = empty_aggregations(
        theme={"doc_count": 31, "counts": buckets(recruitment=12, **{"community-relations": 4})},
        country={"doc_count": 16, "counts": buckets(NL=9, GB=7)},
        year={"doc_count": 16, "counts": buckets(**{"2014": 9, "2016": 7})},
        result={"doc_count": 16, "counts": buckets(worked=10, mixed=6)},
    )
    aggs["year"]["counts"]["buckets"] = [
        {"key": 2014, "doc_count": 9},  # integer keys, as Elasticsearch returns them
        {"key": 2016, "doc_count": 7},
    ]
    suggest = {"respelling": [{"text": "recruiting", "offset": 0, "length": 10, "options": []}]}
    cluster.on(
        "POST",
        "/cg-cases/_search",
        search_reply([hit], total=23, aggregations=aggs, suggest=suggest),
    )
    query = SearchQuery(
        "recruiting",
        {"theme": ("recruitment", "data-and-insight"), "country": ("NL",)},
        page=2,
        page_size=10,
    )
    results = engine.search(query)

    assert (results.total, results.page, results.pages, results.engine) == (
        23,
        2,
        3,
        "elasticsearch",
    )
    assert not results.degraded and results.suggestion == ""
    [found] = results.hits
    assert found.page_id == case.pk
    assert found.external_id == "nl-utrecht-radio"
    assert found.title == "Recruiting officers on local radio"
    assert found.url == case.url and found.url.endswith("/recruiting-officers-on-local-radio/")
    assert found.published == datetime.date(2014, 5, 2)
    assert found.country == {"code": "NL", "name": "Netherlands"}
    assert found.organisation == {"slug": "politie-utrecht", "name": "Politie Utrecht"}
    assert found.themes == [{"slug": "recruitment", "name": "Recruitment"}]
    assert (found.language, found.result, found.score) == ("en", "worked", 7.25)
    assert (found.result_label, found.evidence, found.evidence_label) == (
        "Worked",
        "independently-evaluated",
        "Independently evaluated",
    )
    assert found.highlights == [  # summary first, two fragments at most
        "A force <mark>recruited</mark> officers with a weekly radio slot.",
        "The <mark>recruitment</mark> team spoke every Monday.",
    ]
    # names first (in the order the page shows them), then the passages
    assert [(r["field"], r["label"], r["html"]) for r in found.reasons] == [
        ("title", "Title", "<mark>Recruiting</mark> officers on local radio"),
        ("theme", "Theme", "<mark>Recruitment</mark>"),
        (
            "summary",
            "Summary",
            "A force <mark>recruited</mark> officers with a weekly radio slot.",
        ),
        ("body", "Text", "The <mark>recruitment</mark> team spoke every Monday."),
    ]

    facets = {f.name: f for f in results.facets}
    assert list(facets) == [
        "theme",
        "country",
        "organisation",
        "platform",
        "year",
        "language",
        "result",
        "evidence",
        "tried",
    ]
    assert [(o.value, o.label, o.count, o.selected) for o in facets["theme"].options] == [
        ("community-relations", "Community relations", 4, False),
        ("data-and-insight", "Data and insight", 0, True),  # selected, no cases: still offered
        ("recruitment", "Recruitment", 12, True),
    ]
    assert [(o.label, o.count, o.selected) for o in facets["country"].options] == [
        ("Netherlands", 9, True),
        ("United Kingdom", 7, False),
    ]
    assert [(o.value, o.count) for o in facets["year"].options] == [("2016", 7), ("2014", 9)]
    assert [o.label for o in facets["result"].options] == ["Worked", "Mixed results"]
    assert facets["platform"].options == []


def test_highlights_are_escaped_except_mark(cluster, engine):
    hit = {
        "_index": "cg-cases-20250301090000000000",
        "_id": str(utrecht_case().pk),
        "_score": 1.5,
        "highlight": {
            # encoder=html: the case's own markup arrives escaped and must stay escaped
            "summary": ["&lt;script&gt;alert(1)&lt;/script&gt; <mark>radio</mark> &amp; TV"],
            # a server that ignored the encoder must not get markup through either
            "lessons": ['<script>alert(2)</script> <mark>radio</mark> <b onclick="x">'],
            # a hostile title, theme and organisation name, escaped or not by the server
            "title": ["&lt;img src=x onerror=alert(3)&gt; <mark>radio</mark>"],
            "themes.name": ["<svg onload=alert(4)> <mark>Radio</mark>"],
            "organisation.name": ["<mark>Radio</mark> &lt;/mark&gt;&lt;script&gt;"],
        },
    }
    cluster.on(
        "POST",
        "/cg-cases/_search",
        search_reply([hit], total=1, aggregations=empty_aggregations()),
    )
    [found] = engine.search(SearchQuery("radio")).hits

    assert found.highlights == [
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>radio</mark> &amp; TV",
        "&lt;script&gt;alert(2)&lt;/script&gt; <mark>radio</mark> &lt;b onclick=&quot;x&quot;&gt;",
    ]
    assert all(hasattr(h, "__html__") for h in found.highlights)  # safe for templates
    assert [r["html"] for r in found.reasons[:3]] == [
        "&lt;img src=x onerror=alert(3)&gt; <mark>radio</mark>",
        "&lt;svg onload=alert(4)&gt; <mark>Radio</mark>",
        # an escaped closing tag in the text is text, never markup
        "<mark>Radio</mark> &lt;/mark&gt;&lt;script&gt;",
    ]
    assert all(hasattr(r["html"], "__html__") for r in found.reasons)


def test_hits_show_the_case_as_it_is_now_not_as_indexed(cluster, engine):
    """The index keeps a case's URL; a hit reads it from the database, so a case renamed
    (or the library moved) since indexing links to where it is now."""
    moved, gone = utrecht_case(), utrecht_case(slug="gone", external_id="gone")
    moved.slug = "renamed-since-indexing"
    moved.title = "Renamed since indexing"
    moved.save_revision().publish()
    gone.unpublish()
    hits = [{"_index": "cg-cases-1", "_id": str(pk), "_score": 1.0} for pk in (gone.pk, moved.pk)]
    cluster.on(
        "POST",
        "/cg-cases/_search",
        search_reply(hits, total=2, aggregations=empty_aggregations()),
    )

    [found] = engine.search(SearchQuery("radio")).hits  # the unpublished case is left out

    moved.refresh_from_db()
    assert found.url == moved.url and found.url.endswith("/renamed-since-indexing/")
    assert found.title == "Renamed since indexing"


def test_hits_are_read_in_a_constant_number_of_queries(cluster, engine):
    ids = [CaseStudyPageFactory(platforms=["X"]).pk for _ in range(6)]

    def queries(count):
        hits = [{"_index": "cg-cases-1", "_id": str(pk), "_score": 1.0} for pk in ids[:count]]
        reply = search_reply(hits, total=count, aggregations=empty_aggregations())
        cluster.on("POST", "/cg-cases/_search", reply)
        with CaptureQueriesContext(connection) as captured:
            found = engine.search(SearchQuery("", page_size=count)).hits
        assert [h.page_id for h in found] == ids[:count]  # in the engine's order
        return len(captured)

    queries(1)  # warm the per-process caches (library version, names, site root)
    assert queries(1) == queries(6)


def test_respelling_offered_when_nothing_matches(cluster, engine):
    suggest = {
        "respelling": [
            {
                "text": "recruitmnt",
                "offset": 0,
                "length": 10,
                "options": [{"text": "recruitment", "score": 0.9, "freq": 12}],
            },
            {"text": "radio", "offset": 11, "length": 5, "options": []},
        ]
    }
    cluster.on(
        "POST",
        "/cg-cases/_search",
        search_reply(aggregations=empty_aggregations(), suggest=suggest),
    )
    results = engine.search(SearchQuery("recruitmnt radio"))
    assert (results.total, results.hits, results.suggestion) == (0, [], "recruitment radio")


def test_pages_beyond_the_result_window_ask_for_no_hits(cluster, engine):
    cluster.on(
        "POST", "/cg-cases/_search", search_reply(total=12000, aggregations=empty_aggregations())
    )
    results = engine.search(SearchQuery("radio", page=501, page_size=20))

    body = cluster.only("POST", "/cg-cases/_search").body
    assert (body["from"], body["size"]) == (0, 0)
    assert (results.total, results.hits) == (12000, [])


def test_matching_ids_request(cluster, engine):
    cluster.on(
        "POST",
        "/cg-cases/_search",
        search_reply(
            [
                {"_index": "x", "_id": "7", "_score": None, "sort": [1, 7]},
                {"_index": "x", "_id": "3", "_score": None, "sort": [0, 3]},
            ],
            total=2,
        ),
    )
    ids = engine.matching_ids(SearchQuery("", {"country": ("NL",)}, "oldest"), 5000)

    assert ids == [7, 3]
    assert cluster.only("POST", "/cg-cases/_search").body == {
        "query": {"bool": {"filter": [COUNTRY]}},
        "sort": ["published", "page_id"],
        "size": 5000,
        "_source": False,
    }


def test_a_feed_asks_for_the_most_recently_added_cases(cluster, engine, client, monkeypatch):
    """What a feed sends (search/feeds.py): the "added" sort, FEED_LIMIT ids and no
    sources; its entries follow the ids' order."""
    service = SearchService(engine, fallback=DatabaseEngine())
    monkeypatch.setattr("search.feeds.get_search_service", lambda: service)
    first, second = CaseStudyPageFactory(title="Added first"), CaseStudyPageFactory()
    reply = [{"_index": "x", "_id": str(pk), "_score": None} for pk in (second.pk, first.pk)]
    cluster.on("POST", "/cg-cases/_search", search_reply(reply, total=2))

    response = client.get("/feeds/countries/NL/")
    assert response.status_code == 200
    assert cluster.only("POST", "/cg-cases/_search").body == {
        "query": {"bool": {"filter": [COUNTRY]}},
        "sort": [ADDED_DESC, {"page_id": {"order": "desc"}}],
        "size": FEED_LIMIT,
        "_source": False,
    }
    entries = re.findall(r"<entry><title>([^<]*)</title>", response.content.decode())
    assert entries == [second.title, "Added first"]


# Suggestions and related cases ------------------------------------------------------------


def test_suggest_request_and_kinds(cluster, engine):
    radio = utrecht_case()
    partners = CaseStudyPageFactory(
        organisation=OrganisationFactory(
            name="Recruitment Partners", slug="recruitment-partners", aliases="RP"
        )
    )
    gone = utrecht_case(slug="withdrawn", external_id="withdrawn", title="Recruiting, withdrawn")
    gone.unpublish()

    def option(text, score, case, **source):
        return {
            "text": text,
            "_index": "cg-cases-20250301090000000000",
            "_id": str(case.pk),
            "_score": score,
            "_source": {"themes": [{"slug": "recruitment", "name": "Recruitment"}]} | source,
        }

    options = [
        option("Recruitment", 300.0, radio),
        option(
            "Recruitment Partners",
            200.0,
            partners,
            organisation_names=["Recruitment Partners"],
        ),
        # An alias suggests the organisation under its name.
        option("RP", 200.0, partners, organisation_names=["Recruitment Partners", "RP"]),
        option("Recruiting officers on local radio", 15.0, radio),
        # A case unpublished since it was indexed suggests nothing.
        option("Recruiting, withdrawn", 14.0, gone),
    ]
    suggest = {"suggestions": [{"text": "recr", "offset": 0, "length": 4, "options": options}]}
    cluster.on("POST", "/cg-cases/_search", search_reply(suggest=suggest))

    suggestions = engine.suggest("  recr ", limit=8)

    assert cluster.only("POST", "/cg-cases/_search").body == {
        "suggest": {
            "suggestions": {
                "prefix": "recr",
                "completion": {"field": "suggest", "size": 8, "skip_duplicates": True},
            }
        },
        "_source": ["themes", "organisation_names"],
    }
    assert [(s.text, s.kind, s.url) for s in suggestions] == [
        ("Recruitment", "theme", "/themes/recruitment/"),
        ("Recruitment Partners", "organisation", "/organisations/recruitment-partners/"),
        ("Recruitment Partners", "organisation", "/organisations/recruitment-partners/"),
        ("Recruiting officers on local radio", "case", radio.url),
    ]
    assert engine.suggest("  !? ") == []
    assert len(cluster.requests) == 1


def test_related_uses_more_like_this(cluster, engine):
    hits = [
        {"_index": "cg-cases-20250301090000000000", "_id": pk, "_score": s}
        for pk, s in (("12", 9.1), ("5", 4.2))
    ]
    cluster.on("POST", "/cg-cases/_search", search_reply(hits, total=2))

    assert engine.related(41, limit=4) == [12, 5]
    assert cluster.only("POST", "/cg-cases/_search").body == {
        "query": {
            "more_like_this": {
                "fields": ["title", "summary", "lessons", "body"],
                "like": [{"_index": ALIAS, "_id": "41"}],
                "include": False,
                "min_term_freq": 1,
                "min_doc_freq": 2,
                "max_query_terms": 25,
            }
        },
        "size": 4,
        "_source": False,
    }


# Indexing ---------------------------------------------------------------------------------


def expected_source(case) -> dict:
    return {
        "page_id": case.pk,
        "external_id": case.external_id,
        "url": case.url,
        "title": case.title,
        "summary": case.summary,
        "lessons": "Say when the slot is on.",
        "body": "The slot ran weekly.",
        "taxonomy": "Recruitment Local radio Netherlands",
        "organisation_names": ["Politie Utrecht", "Utrecht Police"],
        "themes": [{"slug": "recruitment", "name": "Recruitment"}],
        "platforms": [{"slug": "local-radio", "name": "Local radio"}],
        "organisation": {"slug": "politie-utrecht", "name": "Politie Utrecht"},
        "country": {"code": "NL", "name": "Netherlands"},
        "language": "nl",
        "year": 2014,
        "published": "2014-05-02",
        "added": "2024-03-05T14:30:15.123+00:00",  # to the millisecond, as a date is kept
        "result": "worked",
        "evidence": "monitored",
        "suggest": [
            {"input": [case.title], "weight": 15},
            {"input": ["Politie Utrecht", "Utrecht Police"], "weight": 200},
            {"input": ["Recruitment"], "weight": 300},
        ],
    }


ADDED = datetime.datetime(2024, 3, 5, 14, 30, 15, 123456, tzinfo=datetime.UTC)


def radio_case(**kwargs):
    """A case first published at ADDED (the factory publishes it now)."""
    case = CaseStudyPageFactory(
        title="Radio werving",
        themes=["recruitment"],
        platforms=["Local radio"],
        organisation=OrganisationFactory(
            name="Politie Utrecht", country="NL", aliases="Utrecht Police\n  Utrecht Police "
        ),
        country="NL",
        language="nl",
        case_date=datetime.date(2014, 5, 2),
        lessons=[("advice", "Say when the slot is on.")],
        body=[("paragraph", RichText("<p>The slot ran weekly.</p>"))],
        **kwargs,
    )
    CaseStudyPage.objects.filter(pk=case.pk).update(first_published_at=ADDED)
    case.first_published_at = ADDED
    return case


def test_index_sends_index_and_delete_actions(cluster, engine, library):
    case = radio_case()
    draft = CaseStudyPageFactory(live=False)
    cluster.on("HEAD", "/_alias/cg-cases", status=200)
    cluster.on("PUT", "/_bulk", bulk_reply)

    engine.index([draft.pk, case.pk, 999_999])

    assert [(r.method, r.path) for r in cluster.requests] == [
        ("HEAD", "/_alias/cg-cases"),
        ("PUT", "/_bulk"),
    ]
    bulk = cluster.requests[1]
    assert bulk.params == {"require_alias": "true"}
    assert bulk.body == [
        {"index": {"_index": ALIAS, "_id": str(case.pk)}},
        expected_source(case),
        {"delete": {"_index": ALIAS, "_id": str(draft.pk)}},
        {"delete": {"_index": ALIAS, "_id": "999999"}},
    ]


def test_a_case_tried_elsewhere_is_indexed_with_the_tried_value(cluster, engine, library):
    """Only approved replications count: a pending one leaves the field out."""
    from cases.models import Replication

    case = radio_case()
    values = {
        "page": case,
        "organisation_name": "Politie Gent",
        "country": "BE",
        "tried_on": datetime.date(2023, 1, 1),
        "changes": "Two officers.",
        "result": "worked",
        "evidence": "monitored",
    }
    Replication.objects.create(**values, status="pending")
    cluster.on("HEAD", "/_alias/cg-cases", status=200)
    cluster.on("PUT", "/_bulk", bulk_reply)

    engine.index([case.pk])
    Replication.objects.create(**values, status="approved")
    engine.index([case.pk])

    first, second = (r for r in cluster.requests if r.method == "PUT")
    assert first.body[1] == expected_source(case)
    assert second.body[1] == expected_source(case) | {"tried": "yes"}


def test_tried_elsewhere_filters_and_is_counted(cluster, engine):
    cluster.on("POST", "/cg-cases/_search", search_reply(aggregations=empty_aggregations()))
    engine.search(SearchQuery("", {"tried": ("yes",), "country": ("NL",)}))

    body = cluster.only("POST", "/cg-cases/_search").body
    tried = {"terms": {"tried": ["yes"]}}
    assert body["post_filter"] == {"bool": {"filter": [COUNTRY, tried]}}
    assert body["aggs"]["tried"] == facet("tried", COUNTRY)
    assert body["aggs"]["country"] == facet("country.code", tried)


def answer_first_write(cluster):
    """No alias yet: the index is created, then the bulk request succeeds."""
    cluster.on("HEAD", "/_alias/cg-cases", status=404)
    cluster.on("PUT", r"/cg-cases-\d+", index_created)
    cluster.on("PUT", "/_bulk", bulk_reply)


def test_index_before_the_first_rebuild_creates_index_and_alias(cluster, engine, library):
    case = radio_case()
    answer_first_write(cluster)

    engine.index([case.pk])

    assert [r.method for r in cluster.requests] == ["HEAD", "PUT", "PUT"]
    created = cluster.requests[1]
    assert created.path == f"/{FIRST}"
    assert created.body["aliases"] == {ALIAS: {"is_write_index": True}}
    assert created.body["mappings"] == EXPECTED_MAPPINGS
    assert cluster.requests[2].body[0] == {"index": {"_index": ALIAS, "_id": str(case.pk)}}


def test_two_first_writers_share_one_index(cluster, library):
    """Two processes both find no alias before the first rebuild. Both ask for the same
    index; the second is told it exists and writes through the alias all the same, so the
    alias keeps one (write) index."""
    first, second = radio_case(), CaseStudyPageFactory()
    answer_first_write(cluster)
    writers = [ElasticsearchEngine(URL, index_prefix="cg", client=cluster.client()) for _ in "ab"]

    writers[0].index([first.pk])
    already_exists = {
        "error": {
            "root_cause": [{"type": "resource_already_exists_exception"}],
            "type": "resource_already_exists_exception",
            "reason": f"index [{FIRST}/3xkQ7bHfQ1yW0n2JZ5Yp4g] already exists",
            "index": FIRST,
        },
        "status": 400,
    }
    cluster.on("PUT", f"/{FIRST}", already_exists, status=400)
    writers[1].index([second.pk])

    puts = [r.path for r in cluster.requests if r.method == "PUT" and r.path != "/_bulk"]
    assert puts == [f"/{FIRST}", f"/{FIRST}"]
    bulks = [r.body[0] for r in cluster.requests if r.path == "/_bulk"]
    assert bulks == [
        {"index": {"_index": ALIAS, "_id": str(first.pk)}},
        {"index": {"_index": ALIAS, "_id": str(second.pk)}},
    ]


def test_the_first_index_sorts_before_every_rebuild(cluster, engine, library):
    """The first rebuild moves the alias off the first index and deletes it."""
    answer_rebuild(cluster, existing=(FIRST,))
    engine.rebuild()

    new = new_index(cluster)
    assert new > FIRST
    assert cluster.only("POST", "/_aliases").body["actions"][0] == {
        "remove": {"index": FIRST, "alias": ALIAS}
    }
    assert cluster.only("DELETE", f"/{FIRST}")


def test_remove_deletes_and_ignores_missing_documents(cluster, engine):
    def reply(request):
        return {
            "took": 1,
            "errors": True,
            "items": [
                {
                    "delete": {
                        "_index": OLD,
                        "_id": "3",
                        "result": "deleted",
                        "status": 200,
                        "_version": 2,
                        "_shards": SHARDS,
                        "_seq_no": 4,
                        "_primary_term": 1,
                    }
                },
                {
                    "delete": {
                        "_index": OLD,
                        "_id": "8",
                        "result": "not_found",
                        "status": 404,
                        "_version": 1,
                        "_shards": SHARDS,
                        "_seq_no": 5,
                        "_primary_term": 1,
                    }
                },
            ],
        }

    cluster.on("PUT", "/_bulk", reply)
    engine.remove([8, 3, 3])

    assert cluster.only("PUT", "/_bulk").body == [
        {"delete": {"_index": ALIAS, "_id": "3"}},
        {"delete": {"_index": ALIAS, "_id": "8"}},
    ]
    engine.remove([])
    assert len(cluster.requests) == 1


def test_rebuild_fills_a_new_index_then_swaps_the_alias(cluster, engine, library):
    first, second = radio_case(), CaseStudyPageFactory()
    older = "cg-cases-20230101000000000000"
    answer_rebuild(cluster, existing=(older, OLD))

    assert engine.rebuild() == 2

    new = new_index(cluster)
    assert VERSIONED.fullmatch(new) and new > OLD
    assert [(r.method, r.path) for r in cluster.requests] == [
        ("PUT", f"/{new}"),
        ("PUT", "/_bulk"),
        ("POST", f"/{new}/_refresh"),
        ("GET", "/_alias/cg-cases"),
        ("POST", "/_aliases"),
        ("GET", "/cg-cases-*/_alias"),
        ("DELETE", f"/{older},{OLD}"),
    ]
    bulk = cluster.requests[1].body
    assert bulk[0::2] == [
        {"index": {"_index": new, "_id": str(first.pk)}},
        {"index": {"_index": new, "_id": str(second.pk)}},
    ]
    assert bulk[1] == expected_source(first)
    assert cluster.requests[4].body == {
        "actions": [
            {"remove": {"index": OLD, "alias": ALIAS}},
            {"add": {"index": new, "alias": ALIAS, "is_write_index": True}},
        ]
    }


def test_first_rebuild_only_adds_the_alias(cluster, engine, library):
    answer_rebuild(cluster, existing=())
    assert engine.rebuild() == 0

    new = new_index(cluster)
    assert cluster.only("POST", "/_aliases").body == {
        "actions": [{"add": {"index": new, "alias": ALIAS, "is_write_index": True}}]
    }
    assert not [r for r in cluster.requests if r.path == "/_bulk"]  # nothing to send
    assert not [r for r in cluster.requests if r.method == "DELETE"]


# Status and failures ----------------------------------------------------------------------


def test_status(cluster, engine):
    cluster.on(
        "GET",
        "/_cluster/health",
        {
            "cluster_name": "docker-cluster",
            "status": "yellow",
            "timed_out": False,
            "number_of_nodes": 1,
            "active_shards_percent_as_number": 50.0,
        },
    )
    cluster.on("GET", "/_alias/cg-cases", {OLD: {"aliases": {ALIAS: {}}}})
    cluster.on("POST", "/cg-cases/_count", {"count": 42, "_shards": SHARDS})

    assert engine.status() == {
        "engine": "elasticsearch",
        "documents": 42,
        "index": OLD,
        "alias": ALIAS,
        "cluster": "yellow",
    }


def test_status_before_the_first_rebuild(cluster, engine):
    cluster.on("GET", "/_cluster/health", {"cluster_name": "c", "status": "green"})
    cluster.on(
        "GET", "/_alias/cg-cases", {"error": "alias [cg-cases] missing", "status": 404}, status=404
    )

    assert engine.status()["documents"] == 0
    assert engine.status()["index"] == ""


class RefusingNode(BaseNode):
    """A node whose connection is refused, as when the cluster is down."""

    attempts = 0

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        RefusingNode.attempts += 1
        raise elastic_transport.ConnectionError("[Errno 111] Connection refused")


@pytest.fixture
def unreachable():
    """The engine with its own client options, on a node that refuses every connection."""
    RefusingNode.attempts = 0
    client = Elasticsearch(URL, node_class=RefusingNode, **CLIENT_OPTIONS)
    return ElasticsearchEngine(URL, index_prefix="cg", client=client)


@pytest.mark.parametrize(
    ("call", "attempts"),
    [
        # Reads are never retried: the database answers at once instead.
        (lambda e: e.search(SearchQuery("radio")), 1),
        (lambda e: e.matching_ids(SearchQuery("radio"), 10), 1),
        (lambda e: e.suggest("rad"), 1),
        (lambda e: e.related(41), 1),
        (lambda e: e.status(), 1),
        (lambda e: e.indexed_ids(), 1),
        # Writes are retried once.
        (lambda e: e.rebuild(), 2),
        (lambda e: e.remove([3]), 2),
    ],
)
def test_connection_failure_is_engine_unavailable(unreachable, call, attempts):
    with pytest.raises(EngineUnavailable) as raised:
        call(unreachable)
    assert isinstance(raised.value.__cause__, elastic_transport.ConnectionError)
    assert RefusingNode.attempts == attempts


def test_server_errors_are_unavailable_but_bad_requests_are_not(cluster, engine):
    error = {
        "error": {"type": "search_phase_execution_exception", "reason": "all shards failed"},
        "status": 503,
    }
    cluster.on("POST", "/cg-cases/_search", error, status=503)
    with pytest.raises(EngineUnavailable):
        engine.search(SearchQuery("radio"))

    missing = {
        "error": {"type": "index_not_found_exception", "reason": "no such index"},
        "status": 404,
    }
    cluster.on("POST", "/cg-cases/_search", missing, status=404)
    with pytest.raises(EngineUnavailable):
        engine.suggest("rad")

    bad = {"error": {"type": "parsing_exception", "reason": "unknown query"}, "status": 400}
    cluster.on("POST", "/cg-cases/_search", bad, status=400)
    with pytest.raises(BadRequestError):
        engine.related(41)


def test_service_answers_from_the_database_when_elasticsearch_is_down(unreachable, library):
    wanted = CaseStudyPageFactory(title="Weekly radio recruitment slot")
    CaseStudyPageFactory(title="Flood warnings on Facebook")
    DatabaseEngine().rebuild()

    service = SearchService(unreachable, fallback=DatabaseEngine())
    results = service.search(SearchQuery("radio"))

    assert (results.engine, results.degraded, results.notice) == (
        "database",
        True,
        DEGRADED_NOTICE,
    )
    assert [hit.page_id for hit in results.hits] == [wanted.pk]


def test_default_client_and_prefix(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = "staging"
    engine = ElasticsearchEngine(URL)

    assert engine.alias == "staging-cases"
    # Reads: one try of at most 1.5 s. Writes: 10 s, one retry, none after a timeout.
    assert engine.client._request_timeout == 1.5
    assert engine.client._max_retries == 0
    assert engine.client._retry_on_timeout is False
    assert engine.writer._request_timeout == 10
    assert engine.writer._max_retries == 1
    assert engine.writer._retry_on_timeout is False
    assert ElasticsearchEngine(URL).alias == "staging-cases"
    del settings.ELASTICSEARCH_INDEX_PREFIX
    assert ElasticsearchEngine(URL).alias == "commonground-cases"


def test_an_unreachable_cluster_does_not_stop_the_database_index(unreachable, library):
    """The database index is written with the change; Elasticsearch's share waits as a
    pending change while the cluster is down, and catching up says why it could not."""
    from search.models import SearchEntry

    case = CaseStudyPageFactory(title="Weekly radio recruitment slot")
    SearchEntry.objects.all().delete()
    service = SearchService(unreachable, fallback=DatabaseEngine())
    service.record([case.pk])
    assert list(SearchEntry.objects.values_list("page_id", flat=True)) == [case.pk]
    assert service.pending() == {"elasticsearch": 1, "database": 0}

    report = service.catch_up()
    assert report["database"] == 0
    assert "Elasticsearch could not" in report["elasticsearch"]
    assert service.pending() == {"elasticsearch": 1, "database": 0}


def test_after_a_failure_the_fallback_answers_without_asking_the_cluster_again(
    unreachable, library
):
    service = SearchService(unreachable, fallback=DatabaseEngine())
    assert service.search(SearchQuery("radio")).degraded
    attempts = RefusingNode.attempts
    assert service.search(SearchQuery("radio")).degraded
    assert RefusingNode.attempts == attempts  # the breaker kept the cluster out of it


# Bringing indexes in step ------------------------------------------------------------------


def answer_scroll(cluster):
    """One page of two ids, then an empty page; the scroll is cleared at the end."""
    cluster.on(
        "POST",
        "/cg-cases/_search",
        {
            "_scroll_id": "scroll-1",
            "took": 1,
            "timed_out": False,
            "_shards": SHARDS,
            "hits": {
                "total": {"value": 2, "relation": "eq"},
                "max_score": None,
                "hits": [
                    {"_index": OLD, "_id": "7", "_score": None, "sort": [0]},
                    {"_index": OLD, "_id": "12", "_score": None, "sort": [1]},
                ],
            },
        },
    )
    cluster.on(
        "POST",
        "/_search/scroll",
        {
            "_scroll_id": "scroll-1",
            "took": 1,
            "timed_out": False,
            "_shards": SHARDS,
            "hits": {"total": {"value": 2, "relation": "eq"}, "max_score": None, "hits": []},
        },
    )
    cluster.on("DELETE", "/_search/scroll", {"succeeded": True, "num_freed": 1})


def test_indexed_ids_scrolls_through_ids_without_sources(cluster, engine):
    answer_scroll(cluster)

    assert engine.indexed_ids() == {7, 12}
    first = cluster.requests[0]
    assert (first.method, first.path) == ("POST", "/cg-cases/_search")
    assert first.body == {
        "query": {"match_all": {}},
        "_source": False,
        "sort": "_doc",
        "size": 500,
    }
    assert first.params["scroll"] == "1m"
    assert cluster.requests[-1].method == "DELETE"
    # Every page and the clean-up have a timeout (the scan helper's default is none).
    assert [r.timeout for r in cluster.requests] == [10, 10, 10]


def test_indexed_ids_gives_up_after_its_deadline(cluster, engine, monkeypatch):
    """A cluster that answers every page, but too slowly for the whole listing."""
    monkeypatch.setattr("search.engines.elasticsearch.LIST_DEADLINE", 0)
    answer_scroll(cluster)

    with pytest.raises(EngineUnavailable, match="could not list its documents within 0 s"):
        engine.indexed_ids()
    assert [(r.method, r.path) for r in cluster.requests] == [
        ("POST", "/cg-cases/_search"),
        ("DELETE", "/_search/scroll"),  # the scroll is not left open on the cluster
    ]


def test_indexed_ids_before_the_first_rebuild_is_empty(cluster, engine):
    missing = {"error": {"type": "index_not_found_exception"}, "status": 404}
    cluster.on("POST", "/cg-cases/_search", missing, status=404)
    assert engine.indexed_ids() == set()


def test_update_brings_each_engine_in_step_on_its_own(cluster, engine, library):
    """The database index is complete but Elasticsearch lacks a case and holds a stale
    one: update sends Elasticsearch exactly the difference."""
    kept, missing = CaseStudyPageFactory(), CaseStudyPageFactory()
    database = DatabaseEngine()
    database.rebuild()
    service = SearchService(engine, fallback=database)
    empty_page = {"total": {"value": 2, "relation": "eq"}, "max_score": None, "hits": []}
    cluster.on(
        "POST",
        "/cg-cases/_search",
        {
            "_scroll_id": "s",
            "took": 1,
            "timed_out": False,
            "_shards": SHARDS,
            "hits": {
                **empty_page,
                "hits": [
                    {"_index": OLD, "_id": str(kept.pk), "_score": None},
                    {"_index": OLD, "_id": "99999", "_score": None},
                ],
            },
        },
    )
    cluster.on(
        "POST",
        "/_search/scroll",
        {"_scroll_id": "s", "took": 1, "timed_out": False, "_shards": SHARDS, "hits": empty_page},
    )
    cluster.on("DELETE", "/_search/scroll", {"succeeded": True, "num_freed": 1})
    cluster.on("GET", "/_alias/cg-cases", {OLD: {"aliases": {ALIAS: {}}}})
    cluster.on("HEAD", "/_alias/cg-cases", {})
    cluster.on(
        "PUT",
        "/_bulk",
        lambda request: {
            "took": 1,
            "errors": False,
            "items": [
                {op: {"_index": OLD, "_id": meta["_id"], "status": 200, "result": "ok"}}
                for line in request.body[::1]
                if isinstance(line, dict) and len(line) == 1
                for op, meta in line.items()
                if op in ("index", "delete")
            ],
        },
    )

    assert service.update() == {"elasticsearch": (1, 1), "database": (0, 0)}
    bulks = [r.body for r in cluster.requests if r.path == "/_bulk"]
    assert bulks[0][0] == {"index": {"_index": ALIAS, "_id": str(missing.pk)}}
    assert bulks[1] == [{"delete": {"_index": ALIAS, "_id": "99999"}}]


def test_update_reports_an_unreachable_cluster_and_still_updates_the_database(
    unreachable, library
):
    from search.models import SearchEntry

    case = CaseStudyPageFactory()
    SearchEntry.objects.all().delete()
    report = SearchService(unreachable, fallback=DatabaseEngine()).update()
    assert report["database"] == (1, 0)
    assert "elasticsearch" in report and isinstance(report["elasticsearch"], str)
    assert list(SearchEntry.objects.values_list("page_id", flat=True)) == [case.pk]


# The live suite's clean-up ------------------------------------------------------------------


def test_live_suite_deletes_its_indexes_by_name(cluster, engine):
    """Elasticsearch 8 refuses deletes by wildcard (action.destructive_requires_name), as
    this stand-in does: the indexes are resolved first, then deleted by name."""
    refused = {
        "error": {
            "type": "illegal_argument_exception",
            "reason": "Wildcard expressions or all indices are not allowed",
        },
        "status": 400,
    }
    cluster.on(
        "GET",
        r"/_resolve/index/cg-cases-\*",
        {
            "indices": [
                {"name": OLD, "aliases": [ALIAS], "attributes": ["open"]},
                {"name": FIRST, "attributes": ["closed"]},
            ],
            "aliases": [],
            "data_streams": [],
        },
    )
    cluster.on("DELETE", "/.+", {"acknowledged": True})
    cluster.on("DELETE", r"/.*(\*|_all).*", refused, status=400)

    drop_indexes(engine)

    resolve = cluster.only("GET", "/_resolve/index/cg-cases-*")
    assert resolve.params == {"expand_wildcards": "all"}
    assert cluster.requests[-1].method == "DELETE"
    assert cluster.requests[-1].path == f"/{FIRST},{OLD}"


# Meaning search: a dense_vector field and a knn request beside the words ------------------


def test_with_meaning_on_the_mapping_has_a_cosine_dense_vector(cluster, engine, meaning):
    answer_rebuild(cluster, existing=())
    engine.rebuild()

    created = next(r for r in cluster.requests if r.method == "PUT")
    assert created.body["mappings"]["properties"]["vector"] == {
        "type": "dense_vector",
        "dims": 384,
        "index": True,
        "similarity": "cosine",
    }
    assert created.body["mappings"] == EXPECTED_MAPPINGS | {
        "properties": EXPECTED_MAPPINGS["properties"] | {"vector": ANY}
    }


def test_documents_carry_their_first_passage_vector(cluster, engine, library, meaning):
    import numpy as np

    from search.models import CaseVector

    case, other = radio_case(), CaseStudyPageFactory()
    vector = np.linspace(-1, 1, 384, dtype="<f4")
    CaseVector.objects.create(
        page_id=case.pk, chunk=0, model=meaning.name, text_digest="d", vector=vector.tobytes()
    )
    CaseVector.objects.create(  # a body passage stays out of the document
        page_id=case.pk, chunk=1, model=meaning.name, text_digest="d", vector=b"\0" * 1536
    )
    cluster.on("HEAD", "/_alias/cg-cases", status=200)
    cluster.on("PUT", "/_bulk", bulk_reply)

    engine.index([case.pk, other.pk])

    bulk = cluster.only("PUT", "/_bulk").body
    assert bulk[1] == expected_source(case) | {"vector": vector.astype(float).tolist()}
    assert "vector" not in bulk[3]  # not embedded yet: words alone find it


def msearch_reply(*replies):
    return {"took": 5, "responses": [r | {"status": 200} for r in replies]}


def source_hit(page_id, score=1.0):
    return {"_index": "cg-cases-1", "_id": str(page_id), "_score": score}


@pytest.fixture
def case_ids():
    """Published cases for the hand-written hits: {1: its page id, ...}; hits are read
    from the database by id."""
    return {number: CaseStudyPageFactory().pk for number in range(1, 5)}


def test_words_and_knn_go_in_one_msearch_and_are_fused(cluster, engine, meaning, case_ids):
    words = search_reply(
        hits=[source_hit(case_ids[1], 9.0), source_hit(case_ids[2], 5.0)],
        total=2,
        aggregations=empty_aggregations(language={"doc_count": 2, "counts": buckets(en=2)}),
    )
    knn = search_reply(
        hits=[source_hit(case_ids[2], 0.93), source_hit(case_ids[3], 0.91)], total=2
    )
    cluster.on("POST", "/cg-cases/_msearch", msearch_reply(words, knn))
    query = SearchQuery("officer shot", {"country": ("NL",)}, "relevance", page=1, page_size=10)

    results = engine.search(query)

    request = cluster.only("POST", "/cg-cases/_msearch")
    header, words_body, knn_header, knn_body = request.body
    assert header == knn_header == {}
    assert (words_body["from"], words_body["size"]) == (0, 110)  # the page and 100 more
    assert words_body["post_filter"] == {"bool": {"filter": [COUNTRY]}}
    assert words_body["query"] == matching_query(parse("officer shot")).to_dict()
    vector = meaning.query("officer shot").astype(float).tolist()
    assert knn_body == {
        "knn": {
            "field": "vector",
            "query_vector": vector,
            "k": 110,
            "num_candidates": 440,
            "similarity": 0.8,
            "filter": [COUNTRY],
        },
        "_source": False,
        "size": 110,
    }
    # RRF: case 2 is second in both lists, so it beats case 1, first in one.
    assert [h.page_id for h in results.hits] == [case_ids[2], case_ids[1], case_ids[3]]
    assert results.hits[0].score == pytest.approx(1 / 62 + 1 / 61)
    assert results.total == 3  # the two word matches and one meaning match
    language = next(f for f in results.facets if f.name == "language")
    assert [(o.value, o.count) for o in language.options] == [("en", 2)]


def test_quoted_phrases_and_exclusions_bind_the_knn_half_too(cluster, engine, meaning, case_ids):
    words = search_reply(
        hits=[source_hit(case_ids[1])], total=1, aggregations=empty_aggregations()
    )
    knn = search_reply(hits=[source_hit(case_ids[2], 0.9)], total=1)
    cluster.on("POST", "/cg-cases/_msearch", msearch_reply(words, knn))
    text = '"live tweeting" shooting -riot'

    results = engine.search(SearchQuery(text))

    _, words_body, _, knn_body = cluster.only("POST", "/cg-cases/_msearch").body
    parsed = parse(text)
    bounds = matching_query(type(parsed)(groups=parsed.required, excluded=parsed.excluded))
    assert knn_body["knn"]["filter"] == [bounds.to_dict()]
    assert bounds.to_dict()["bool"]["must_not"] and bounds.to_dict()["bool"]["must"]
    # The question is embedded without its exclusion and quote marks.
    expected = meaning.query("live tweeting shooting").astype(float).tolist()
    assert knn_body["knn"]["query_vector"] == expected
    assert words_body["query"] == matching_query(parsed).to_dict()
    assert [h.page_id for h in results.hits] == [case_ids[1], case_ids[2]]


def test_a_failed_knn_search_leaves_the_words(cluster, engine, meaning, case_ids):
    words = search_reply(
        hits=[source_hit(case_ids[1])], total=1, aggregations=empty_aggregations()
    )
    failed = {"error": {"type": "illegal_argument_exception", "reason": "no vector field"}}
    cluster.on("POST", "/cg-cases/_msearch", {"took": 1, "responses": [words, failed]})

    results = engine.search(SearchQuery("radio"))

    assert [h.page_id for h in results.hits] == [case_ids[1]] and results.total == 1


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery("radio", sort="newest"),
        SearchQuery(""),
        SearchQuery("radio", retrieval="words"),
    ],
)
def test_without_relevance_text_or_meaning_one_plain_search(cluster, engine, meaning, query):
    cluster.on("POST", "/cg-cases/_search", search_reply(aggregations=empty_aggregations()))
    engine.search(query)
    assert [r.path for r in cluster.requests] == ["/cg-cases/_search"]


def test_exports_fuse_words_and_knn_as_the_page_does(cluster, engine, meaning):
    def hits(*ids):
        return search_reply([{"_index": "x", "_id": str(i), "_score": 1.0} for i in ids], 2)

    cluster.on("POST", "/cg-cases/_msearch", msearch_reply(hits(7, 3), hits(3, 9)))

    ids = engine.matching_ids(SearchQuery("officer shot", {"country": ("NL",)}), 500)

    assert ids == [3, 7, 9]
    _, words, _, knn = cluster.only("POST", "/cg-cases/_msearch").body
    assert words["size"] == 500 and words["_source"] is False
    assert words["query"]["bool"]["filter"] == [COUNTRY]
    assert knn["_source"] is False and knn["size"] == 500
    assert knn["knn"]["k"] == 500 and knn["knn"]["filter"] == [COUNTRY]


def test_meaning_alone_asks_knn_without_a_floor_and_no_word_hits(
    cluster, engine, meaning, case_ids
):
    words = search_reply(total=0, aggregations=empty_aggregations())
    cluster.on(
        "POST", "/cg-cases/_msearch", msearch_reply(words, search_reply([source_hit(case_ids[4])]))
    )

    results = engine.search(SearchQuery("officer shot", retrieval="meaning"))

    _, words_body, _, knn_body = cluster.only("POST", "/cg-cases/_msearch").body
    assert words_body["size"] == 0 and "aggs" in words_body
    assert "similarity" not in knn_body["knn"]
    assert [h.page_id for h in results.hits] == [case_ids[4]]


def test_quotes_exclusions_and_organisation_names_in_the_request(cluster, engine):

    names = Names([["Greater Manchester Police", "GMP"]])
    parsed = parse('"line of duty" GMP -riot -"fake news"', names)
    gmp = {
        "dis_max": {
            "queries": [
                word("gmp"),
                # the organisation's names, among names only, outweighing a title word
                *(
                    {"match_phrase": {"organisation_names": {"query": name, "boost": 8}}}
                    for name in ("greater manchester police", "gmp")
                ),
            ],
            "tie_breaker": 0,
        }
    }
    names_fields = [*FIELDS, "organisation_names"]
    assert matching_query(parsed).to_dict() == {
        "bool": {
            "must": [phrase("line of duty", 0)],  # in order, nothing between
            "should": [gmp],  # one group: no bonus for matching every group
            "minimum_should_match": 1,
            "must_not": [
                {"multi_match": {"query": q, "type": "phrase", "fields": names_fields}}
                for q in ("riot", "fake news")
            ],
        }
    }


def test_exclusions_alone_match_everything_else(cluster, engine):

    assert matching_query(parse("-riot")).to_dict() == {
        "bool": {
            "must": [{"match_all": {}}],
            "must_not": [
                {
                    "multi_match": {
                        "query": "riot",
                        "type": "phrase",
                        "fields": [*FIELDS, "organisation_names"],
                    }
                }
            ],
        }
    }
    assert matching_query(parse("the of")) is None  # only common words: every case
