"""The Elasticsearch engine: relevance, synonyms and stemming in the site's languages, facet
counts from aggregations, highlights and suggestions from one cluster.

Cases live in a versioned index (`<prefix>-cases-<UTC timestamp>`) behind the alias
`<prefix>-cases`, which every read and write goes through. A rebuild fills a new index and
swaps the alias in one atomic request, so searches never see a half-built index, then drops
the older versions. Synonyms are read from search/synonyms.txt into the index settings
(nothing to copy onto the cluster), so changing them needs a rebuild. Whenever the cluster
cannot answer, the engine raises EngineUnavailable and the service answers from the database.

Every request has a bound, because a cluster that accepts connections but never answers
must not hold a visitor, a worker or a command: reads give up after READ_TIMEOUT without a
retry (the database answers instead), status() within STATUS_TIMEOUT in all (so /health/
answers within a second), writes and listings after WRITE_TIMEOUT with at most one retry
(never after a timeout), and listing every id within LIST_DEADLINE.

With meaning search on (search/embedding.py), each document also holds its case's first
passage vector in a `dense_vector` field, and a search sends the words query and a `knn`
query with the same filters in one `_msearch`, fused by reciprocal rank fusion in Python
(search/fusion.py; Elasticsearch's own RRF retriever is a paid feature in 8.x).
"""

import copy
import datetime
import html
import logging
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager

from elastic_transport import TransportError
from elasticsearch import (
    ApiError,
    BadRequestError,
    Elasticsearch,
    NotFoundError,
    UnsupportedProductError,
)
from elasticsearch.helpers import BulkIndexError, bulk, scan
from elasticsearch_dsl import (
    A,
    Completion,
    Date,
    DenseVector,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Object,
    Q,
    Query,
    Search,
    Text,
    analyzer,
    token_filter,
)

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cases.facets import label_facets
from cases.listing import BOUNDS, FACETS, SORTS
from cases.models import CaseStudyPage
from search.documents import iter_documents, organisation_names
from search.embedding import embedder
from search.engines.base import EngineUnavailable
from search.fusion import ALL_WORDS_FIRST, FUSION_DEPTH, MEANING_FLOOR, MEANING_MATCHES, rrf
from search.highlight import meaning_reason, reason
from search.promotions import mark, promoted_ids
from search.query import SearchQuery
from search.results import Hit, Results, Suggestion, case_hits
from search.synonym_check import check_synonyms
from search.synonyms import solr_rules
from search.text import WORD, Group, ParsedQuery, meaning_text, parse
from search.vectors import first_vectors

logger = logging.getLogger(__name__)
CHUNK = 500
MAX_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
FACET_SIZE = 250  # enough for every country; other facets have far fewer values
READ_TIMEOUT = 1.5  # seconds per search, suggestion or related-cases request; no retry
STATUS_TIMEOUT = 0.8  # seconds for the whole of status(), however many requests it makes
WRITE_TIMEOUT = 10  # seconds per write or listing request (background tasks and commands)
WRITE_RETRIES = 1  # after a refused connection or a 429/502/503/504, never after a timeout
SCROLL_KEEP_ALIVE = "1m"  # how long the cluster keeps a listing's scroll between two pages
LIST_DEADLINE = 120  # seconds for listing every indexed id (search_index update)
VECTOR_FIELD = "vector"
KNN_CANDIDATES = 4  # num_candidates per k: more finds the true nearest more often
# The client's own options are the reads'; the engine's writer overrides them for writes.
CLIENT_OPTIONS = {"request_timeout": READ_TIMEOUT, "max_retries": 0, "retry_on_timeout": False}

# Analysis ---------------------------------------------------------------------------------

FOLDING = analyzer("folding", tokenizer="standard", filter=["lowercase", "asciifolding"])
SYNONYMS = token_filter("project_synonyms", "synonym_graph", synonyms=solr_rules())
# Search-time only: synonym_graph must not build index-time graphs, and it comes after the
# folding so that rules match however a word is accented or capitalised.
FOLDING_SEARCH = analyzer(
    "folding_search", tokenizer="standard", filter=["lowercase", "asciifolding", SYNONYMS]
)


def _language_analyzer(code: str, stemmer: str, stopwords: str, extra: tuple = ()):
    """Stop words are removed before folding (the lists are accented), stemming after it, so
    "debat" and "débat" stem alike."""
    return analyzer(
        f"folding_{code}",
        tokenizer="standard",
        filter=[
            *extra,
            "lowercase",
            token_filter(f"stop_{code}", "stop", stopwords=stopwords),
            "asciifolding",
            token_filter(f"stemmer_{code}", "stemmer", language=stemmer),
        ],
    )


FRENCH_ELISION = token_filter(
    "elision_fr",
    "elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
ENGLISH_POSSESSIVE = token_filter("possessive_en", "stemmer", language="possessive_english")
LANGUAGE_ANALYZERS = {
    "en": _language_analyzer("en", "english", "_english_", (ENGLISH_POSSESSIVE,)),
    "nl": _language_analyzer("nl", "dutch", "_dutch_"),
    "fr": _language_analyzer("fr", "light_french", "_french_", (FRENCH_ELISION,)),
    "de": _language_analyzer("de", "light_german", "_german_"),
    "es": _language_analyzer("es", "light_spanish", "_spanish_"),
}


def _text(highlighted: bool = False) -> Text:
    """Folded words (synonyms at search time) plus one stemmed subfield per language.
    Highlighted fields keep offsets, which spares the highlighter re-analysing the text."""
    return Text(
        analyzer=FOLDING,
        search_analyzer=FOLDING_SEARCH,
        fields={code: Text(analyzer=a) for code, a in LANGUAGE_ANALYZERS.items()},
        **({"index_options": "offsets"} if highlighted else {}),
    )


def _display() -> Keyword:
    """Only returned with hits (from _source): neither searched nor aggregated."""
    return Keyword(index=False, doc_values=False)


def _name() -> Text:
    """A theme's, organisation's, country's or platform's name: searched like the taxonomy
    and highlighted on its own, so a hit can say which of them matched."""
    return Text(analyzer=FOLDING, search_analyzer=FOLDING_SEARCH)


class CaseDocument(Document):
    page_id = Integer()
    external_id = Keyword()
    url = _display()
    title = _text(highlighted=True)
    summary = _text(highlighted=True)
    lessons = _text(highlighted=True)
    body = _text(highlighted=True)
    # Theme, platform and country names, searched like the database engine's taxonomy
    # column; the organisation's name and aliases as written, like its organisation column.
    taxonomy = Text(analyzer=FOLDING, search_analyzer=FOLDING_SEARCH)
    organisation_names = Text(analyzer=FOLDING)
    themes = Object(properties={"slug": Keyword(), "name": _name()})
    platforms = Object(properties={"slug": Keyword(), "name": _name()})
    organisation = Object(properties={"slug": Keyword(), "name": _name()})
    country = Object(properties={"code": Keyword(), "name": _name()})
    language = Keyword()
    year = Integer()
    published = Date(format="strict_date")
    # First published on the site, to the millisecond (as a date field keeps it, and as the
    # database engine's snapshot compares it): the "added" sort.
    added = Date()
    result = Keyword()
    evidence = Keyword()  # a facet ("how we know")
    tried = Keyword()  # "yes" when another force tried it (approved replications)
    suggest = Completion(analyzer=FOLDING, max_input_length=100)

    class Meta:
        dynamic = MetaField("strict")


# Querying ---------------------------------------------------------------------------------

BOOSTS = {"title": 4, "summary": 3, "lessons": 2, "body": 1}
TEXT_FIELDS = [
    f"{name}{sub}^{boost}"
    for name, boost in BOOSTS.items()
    for sub in ("", *(f".{code}" for code in LANGUAGE_ANALYZERS))
] + ["taxonomy^2", "themes.name^3", "organisation_names^2"]
# Theme names weigh more than the rest of the taxonomy (about as much as a title), so a
# query naming a theme ranks the cases filed under it above those that only use its words.
PASSAGES = ("summary", "lessons", "body")
# Short fields highlighted whole, and the reason each gives (search/highlight.py).
NAMES = {
    "title": "title",
    "themes.name": "theme",
    "organisation.name": "organisation",
    "country.name": "country",
    "platforms.name": "platform",
}
# A phrase that names an organisation (its name or an alias) outweighs a word in a title.
NAME_BOOST = 8
# Cases matching every group of the query come first: no word score reaches this.
ALL_WORDS_BOOST = 1000
PROXIMITY = 4  # words of a synonym phrase may stand this far apart (database engine's NEAR)
# Fields as a list of one-field objects: the form both the 8.x and the 9.x specifications
# accept (9.x no longer takes one object of fields).
HIGHLIGHT = {
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    "encoder": "html",
    "fragment_size": 180,
    "number_of_fragments": 2,
    "require_field_match": False,
    "fields": [{field: {"number_of_fragments": 0}} for field in NAMES]
    + [{field: {}} for field in PASSAGES],
}
# Completion weights: themes, then organisations, then cases, newest first (as the database
# engine orders them).
THEME_WEIGHT, ORGANISATION_WEIGHT = 300, 200
MARK = re.compile(r"(</?mark>)")


def _phrase(words: tuple[str, ...], exact: bool) -> Query:
    """One form of a group: a word in any field, a quoted phrase in order, a synonym
    phrase's words near each other (as the database engine's NEAR)."""
    text = " ".join(words)
    if len(words) == 1 and not exact:
        return Q(
            "multi_match",
            query=text,
            type="best_fields",
            fields=TEXT_FIELDS,
            tie_breaker=0.3,
            # "manhunt" -> search AND for AND suspect, which also matches "search for the
            # suspect"; a phrase would not.
            auto_generate_synonyms_phrase_query=False,
        )
    return Q(
        "multi_match",
        query=text,
        type="phrase",
        fields=TEXT_FIELDS,
        slop=0 if exact else PROXIMITY,
    )


def group_query(group: Group) -> Query:
    """Any of the group's phrases, scored by the best one only (dis_max), so a group
    counts once however many of its synonyms a case uses; an organisation's names are
    looked for among organisation names."""
    alternatives = [_phrase(p, group.exact) for p in group.phrases] + [
        Q("match_phrase", organisation_names={"query": " ".join(n), "boost": NAME_BOOST})
        for n in group.names
    ]
    if len(alternatives) == 1:
        return alternatives[0]
    return Q("dis_max", queries=alternatives, tie_breaker=0)


def matching_query(parsed: ParsedQuery) -> Query | None:
    """The query's groups as one bool query: quoted phrases must match, other groups
    should (at least one), cases matching every group get ALL_WORDS_BOOST, exclusions
    must not match. None when the query has nothing to look for (every case matches)."""
    if not parsed:
        return None
    optional = [group_query(g) for g in parsed.groups if not g.exact]
    clauses = {"must": [group_query(g) for g in parsed.required]}
    if optional:
        clauses["should"] = list(optional)
        clauses["minimum_should_match"] = 1
        if len(optional) > 1:
            every = Q("bool", filter=optional)
            clauses["should"].append(Q("constant_score", filter=every, boost=ALL_WORDS_BOOST))
    if parsed.excluded:
        fields = [*TEXT_FIELDS, "organisation_names"]
        clauses["must_not"] = [
            Q("multi_match", query=" ".join(p), type="phrase", fields=fields)
            for p in parsed.excluded
        ]
    if not clauses["must"] and not optional:
        clauses["must"] = [Q("match_all")]
    return Q("bool", **{k: v for k, v in clauses.items() if v})


def knn_filters(filters: dict[str, Query], parsed: ParsedQuery) -> dict[str, Query]:
    """The facet filters, and what binds meaning matches too: the quoted phrases and the
    exclusions."""
    if not parsed.required and not parsed.excluded:
        return filters
    bounds = matching_query(ParsedQuery(groups=parsed.required, excluded=parsed.excluded))
    return filters | {"_bounds": bounds}


def all_words_filter(parsed: ParsedQuery) -> Query | None:
    """Cases matching every optional group (the required ones are in the query itself);
    None when that is every match."""
    optional = [group_query(g) for g in parsed.groups if not g.exact]
    return Q("bool", filter=optional) if len(optional) > 1 else None


def safe_fragment(fragment: str) -> SafeString:
    """The fragment with only <mark> left as markup. The highlighter is asked to escape the
    text (encoder=html); unescaping and escaping again keeps that and also covers a server
    that did not."""
    return mark_safe(
        "".join(
            part if part in ("<mark>", "</mark>") else escape(html.unescape(part))
            for part in MARK.split(fragment)
        )
    )


def _reasons(highlight: dict) -> list[dict]:
    """Why a hit matched, from its highlights: its names, then two passages at most."""
    passages = [(f, safe_fragment(x)) for f in PASSAGES for x in highlight.get(f, [])][:2]
    return [
        reason(kind, safe_fragment(fragment))
        for field, kind in NAMES.items()
        for fragment in highlight.get(field, [])
    ] + [reason(field, fragment) for field, fragment in passages]


def source(document: dict, vector: list[float] | None = None) -> dict:
    """The indexed form of one search document (search/documents.py), with its case's first
    passage vector when it has one."""
    themes = [t["name"] for t in document["themes"]]
    organisation = document["organisation"]
    aliases = organisation.get("aliases", [])
    year = document["published"].year
    return ({VECTOR_FIELD: vector} if vector is not None else {}) | {
        "page_id": document["page_id"],
        "external_id": document["external_id"],
        "url": document["url"],
        "title": document["title"],
        "summary": document["summary"],
        "lessons": document["lessons"],
        "body": document["body"],
        "taxonomy": " ".join(
            [*themes, *(p["name"] for p in document["platforms"]), document["country"]["name"]]
        ),
        "organisation_names": [organisation["name"], *aliases],
        "themes": document["themes"],
        "platforms": document["platforms"],
        "organisation": {"slug": organisation["slug"], "name": organisation["name"]},
        "country": document["country"],
        "language": document["language"],
        "year": document["year"],
        "published": document["published"].isoformat(),
        "added": document["added"].isoformat(timespec="milliseconds")
        if document["added"]
        else None,
        "result": document["result"],
        "evidence": document["evidence"],
        # Absent unless tried: an empty string would be counted as a value of its own.
        **({"tried": document["tried"]} if document.get("tried") else {}),
        "suggest": [
            {"input": [document["title"]], "weight": min(max(year - 1999, 1), 99)},
            {"input": [organisation["name"], *aliases], "weight": ORGANISATION_WEIGHT},
            *([{"input": themes, "weight": THEME_WEIGHT}] if themes else []),
        ],
    }


def case_mapping():
    """The documents' mapping: CaseDocument, and the vector field when meaning search is on
    (switching it on later needs `search_index rebuild`)."""
    mapping = copy.deepcopy(CaseDocument._doc_type.mapping)
    model = embedder()
    if model is not None:
        mapping.field(VECTOR_FIELD, DenseVector(dims=model.dim, index=True, similarity="cosine"))
    return mapping


def with_vectors(documents: Iterable[dict]) -> Iterator[tuple[dict, list[float] | None]]:
    """(document, its first passage vector or None), the vectors read CHUNK cases at a time."""
    model = embedder()
    batch = []
    for document in documents:
        batch.append(document)
        if len(batch) == CHUNK:
            yield from _paired(batch, model)
            batch = []
    yield from _paired(batch, model)


def _paired(documents: list[dict], model):
    vectors = first_vectors([d["page_id"] for d in documents], model.name) if model else {}
    for document in documents:
        yield document, vectors.get(document["page_id"])


def _unavailable(exc: Exception) -> bool:
    """Whether an error means the cluster cannot answer now, rather than a wrong request
    (400, which is a bug here and should surface)."""
    if isinstance(exc, TransportError | UnsupportedProductError):
        return True
    return isinstance(exc, ApiError) and (
        exc.status_code >= 500 or exc.status_code in (401, 403, 404, 429)
    )


class ElasticsearchEngine:
    name = "elasticsearch"
    transactional = False

    def __init__(self, url: str, *, index_prefix: str | None = None, client=None):
        prefix = index_prefix or getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "commonground")
        self.alias = f"{prefix}-cases"
        self.key = f"elasticsearch:{self.alias}"
        # Where the first write before any rebuild puts cases: sorts before every rebuild's
        # index (<alias>-<20-digit timestamp>), so the first rebuild replaces it.
        self.first_index = f"{self.alias}-{'0' * 20}"
        self.client = client or Elasticsearch(url, **CLIENT_OPTIONS)
        # Searches must fail fast so the database can answer; writes may take longer, but
        # never without a bound.
        self.writer = self.client.options(
            request_timeout=WRITE_TIMEOUT, max_retries=WRITE_RETRIES, retry_on_timeout=False
        )

    @contextmanager
    def _answering(self, action: str):
        try:
            yield
        except (TransportError, ApiError) as exc:
            if not _unavailable(exc):
                raise
            raise EngineUnavailable(f"Elasticsearch could not {action}: {exc}") from exc

    def _search(self, search: Search, action: str = "search") -> dict:
        with self._answering(action):
            return self.client.search(index=self.alias, body=search.to_dict()).body

    # Searching ---------------------------------------------------------------------------

    def _filters(self, query: SearchQuery) -> dict[str, Query]:
        """One terms filter per selected facet, in FACETS order, then a range filter per
        bound (BOUNDS), which, as in the snapshot, every facet's counts apply."""
        filters = {}
        for name, facet in FACETS.items():
            values = list(query.filters.get(name, ()))
            if values:
                if facet.numeric:  # an impossible year matches nothing, as in the database
                    values = [int(v) for v in values if v.isdigit()]
                filters[name] = Q("terms", **{facet.search_field: values})
        for name, bound in BOUNDS.items():
            values = query.filters.get(name, ())
            if values:
                field = FACETS[bound.facet].search_field
                limit = {"gte" if bound.lower else "lte": int(values[0])}
                filters[name] = Q("range", **{field: limit})
        return filters

    @staticmethod
    def _parsed(text: str) -> ParsedQuery:
        return parse(text, organisation_names())

    def search(self, query: SearchQuery) -> Results:
        filters = self._filters(query)
        parsed = self._parsed(query.text)
        matching = matching_query(parsed)
        promoted = promoted_ids(query)
        if promoted:
            # The editors' cases first, in their order, once, if the filters allow them
            # (search/promotions.py): Elasticsearch's pinned query.
            organic = matching if matching is not None else Q("match_all")
            matching = Q("pinned", ids=[str(pk) for pk in promoted], organic=organic)
        # Hits are read from the database by id (search/results.py): no stored fields.
        search = Search().extra(track_total_hits=True).source(False)
        if matching is not None:
            search = search.query(matching)
        if parsed.groups:
            search = search.extra(highlight=HIGHLIGHT)
            search = search.suggest(
                "respelling",
                query.text,
                term={"field": "title", "analyzer": "folding", "suggest_mode": "missing"},
            )
        if filters:
            search = search.post_filter("bool", filter=list(filters.values()))
        for name, facet in FACETS.items():
            field = facet.search_field
            others = [f for other, f in filters.items() if other != name]
            bucket = search.aggs.bucket(
                name, A("filter", Q("bool", filter=others) if others else Q("match_all"))
            )
            bucket.bucket("counts", "terms", field=field, size=facet.offered or FACET_SIZE)
            if facet.offered and query.filters.get(name):
                # Selected values are counted even outside the busiest ones.
                chosen = list(query.filters[name])
                bucket.bucket("chosen", "terms", field=field, include=chosen, size=len(chosen))
        every = all_words_filter(parsed)
        if every is not None:
            search.aggs.bucket(
                "all_words", A("filter", Q("bool", filter=[every, *filters.values()]))
            )
        search = search.sort(*SORTS[query.effective_sort].elasticsearch)
        vector = self._query_vector(query)
        if vector is not None:
            bounded = knn_filters(filters, parsed)
            results = self._fused(query, search, vector, bounded, bool(parsed.groups), promoted)
            mark(results.hits, promoted)
            return results
        start = query.offset if query.offset + query.page_size <= MAX_WINDOW else 0
        size = query.page_size if query.offset + query.page_size <= MAX_WINDOW else 0
        response = self._search(search[start : start + size])
        total = response["hits"]["total"]["value"]
        aggregations = response.get("aggregations", {})
        total_all = (
            aggregations.get("all_words", {}).get("doc_count", 0) if every is not None else total
        )
        return Results(
            total=total,
            total_all_words=total_all if parsed.groups else None,
            page=query.page,
            page_size=query.page_size,
            hits=mark(
                self._hits([(hit, hit.get("_score")) for hit in response["hits"]["hits"]]),
                promoted,
            ),
            facets=label_facets(self._counts(aggregations), query.filters),
            engine=self.name,
            suggestion="" if total_all else self._respelling(response.get("suggest", {})),
        )

    @staticmethod
    def _query_vector(query: SearchQuery) -> list[float] | None:
        """The question's vector when meaning joins the words: relevance order, text, an
        embedder, and not words alone asked for."""
        if query.retrieval == "words" or query.effective_sort != "relevance":
            return None
        model = embedder()
        text = meaning_text(query.text)
        if model is None or not text:
            return None
        return model.query(text).astype(float).tolist()

    @staticmethod
    def _knn(vector: list[float], filters: dict[str, Query], k: int, alone=False) -> dict:
        """The meaning request: the k nearest cases among the same filters as the words;
        beside the words only those at least MEANING_FLOOR alike (raw cosine), the meaning
        matches."""
        knn = {
            "field": VECTOR_FIELD,
            "query_vector": vector,
            "k": k,
            "num_candidates": min(max(k * KNN_CANDIDATES, 100), MAX_WINDOW),
        }
        if not alone:
            knn["similarity"] = MEANING_FLOOR
        if filters:
            knn["filter"] = [f.to_dict() for f in filters.values()]
        return {"knn": knn, "_source": False, "size": k}

    def _fused(
        self, query: SearchQuery, search: Search, vector, filters, has_words, promoted=()
    ) -> Results:
        """Both requests in one _msearch, fused by RRF. Facets come from the words request;
        the total adds the meaning matches the words did not find."""
        depth = min(query.offset + query.page_size + FUSION_DEPTH, MAX_WINDOW)
        words_size = 0 if query.retrieval == "meaning" else depth
        k = min(depth, MEANING_MATCHES + query.offset + query.page_size)
        knn = self._knn(vector, filters, k, alone=query.retrieval == "meaning")
        searches = [{}, search[0:words_size].to_dict(), {}, knn]
        with self._answering("search"):
            responses = self.client.msearch(index=self.alias, searches=searches).body
        words, meaning = responses["responses"]
        if "error" in words:
            raise EngineUnavailable(f"Elasticsearch could not search: {words['error']}")
        if "error" in meaning:  # e.g. an index built before meaning search: words alone
            logger.warning("Elasticsearch knn search failed: %s", meaning["error"])
            meaning = {"hits": {"hits": []}}
        word_hits = {int(h["_id"]): h for h in words["hits"]["hits"]}
        meaning_hits = {int(h["_id"]): h for h in meaning["hits"]["hits"]}
        fused = rrf([list(word_hits), list(meaning_hits)])
        if ALL_WORDS_FIRST and query.retrieval != "meaning":
            # Cases matching every word carry the ALL_WORDS_BOOST bonus: they stay first.
            every = {pk for pk, h in word_hits.items() if (h["_score"] or 0) >= ALL_WORDS_BOOST}
            fused.sort(key=lambda item: item[0] not in every)
        if promoted:  # the words request pinned them; they stay first, in the editors' order
            order = {pk: i for i, pk in enumerate(promoted) if pk in word_hits}
            fused.sort(key=lambda item: order.get(item[0], len(promoted)))
        page = fused[query.offset : query.offset + query.page_size]
        total = words["hits"]["total"]["value"] + len(set(meaning_hits) - set(word_hits))
        all_words = words.get("aggregations", {}).get("all_words")
        total_all = all_words["doc_count"] if all_words else words["hits"]["total"]["value"]
        hits = self._hits([(word_hits.get(pk) or meaning_hits[pk], score) for pk, score in page])
        for hit in hits:
            hit.reasons = hit.reasons or [meaning_reason()]
        return Results(
            total=total,
            total_all_words=total_all if has_words else None,
            page=query.page,
            page_size=query.page_size,
            hits=hits,
            facets=label_facets(self._counts(words.get("aggregations", {})), query.filters),
            engine=self.name,
            suggestion="" if total else self._respelling(words.get("suggest", {})),
        )

    @staticmethod
    def _hits(found: list[tuple[dict, float | None]]) -> list[Hit]:
        """(Elasticsearch hit, score) pairs as hits read from the database by id (search/
        results.py), each with the reasons its highlights give."""
        reasons = {int(hit["_id"]): _reasons(hit.get("highlight", {})) for hit, _ in found}
        ranked = [(int(hit["_id"]), score) for hit, score in found]
        return case_hits(ranked, lambda page: reasons[page.pk])

    @staticmethod
    def _counts(aggregations: dict) -> dict[str, dict[str, int]]:
        counts = {}
        for name in FACETS:
            agg = aggregations.get(name, {})
            buckets = agg.get("counts", {}).get("buckets", []) + agg.get("chosen", {}).get(
                "buckets", []
            )
            counts[name] = {str(b["key"]): b["doc_count"] for b in buckets}
        return counts

    @staticmethod
    def _respelling(suggest: dict) -> str:
        """The query with each unknown word replaced by the closest title word, if any;
        asked for when no case matches every word (the database engine counts what the
        respelling would find; one request here cannot)."""
        entries = suggest.get("respelling", [])
        words = [e["options"][0]["text"] if e["options"] else e["text"] for e in entries]
        return " ".join(words) if any(e["options"] for e in entries) else ""

    def matching_ids(self, query: SearchQuery, limit: int) -> list[int]:
        parsed = self._parsed(query.text)
        matching = matching_query(parsed)
        filters = list(self._filters(query).values())
        search = Search()
        if matching is not None or filters:
            must = [matching] if matching is not None else []
            search = search.query("bool", must=must, filter=filters)
        search = search.sort(*SORTS[query.effective_sort].elasticsearch).source(False)
        vector = self._query_vector(query)
        if vector is None:
            response = self._search(search[: min(limit, MAX_WINDOW)])
            return [int(hit["_id"]) for hit in response["hits"]["hits"]]
        # Exports rank as the page does: words and meaning fused.
        k = min(limit, MAX_WINDOW)
        words = search[: 0 if query.retrieval == "meaning" else k].to_dict()
        alone = query.retrieval == "meaning"
        knn = self._knn(vector, knn_filters(self._filters(query), parsed), k, alone)
        knn |= {"_source": False}
        with self._answering("search"):
            responses = self.client.msearch(index=self.alias, searches=[{}, words, {}, knn])
        rankings = [
            [int(hit["_id"]) for hit in response.get("hits", {}).get("hits", [])]
            for response in responses.body["responses"]
        ]
        return [pk for pk, _ in rrf(rankings)][:limit]

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """A request without a query is suggest-only: no hits are fetched. The index says
        which input matched; names and links are read from the database (one query), and
        a case unpublished since it was indexed suggests nothing."""
        prefix = " ".join(prefix.split())
        if not WORD.search(prefix):
            return []
        search = (
            Search()
            .source(["themes", "organisation_names"])
            .extra(
                suggest={
                    "suggestions": {
                        "prefix": prefix,
                        "completion": {"field": "suggest", "size": limit, "skip_duplicates": True},
                    }
                },
            )
        )
        response = self._search(search, "suggest")
        options = response["suggest"]["suggestions"][0]["options"]
        pages = (
            CaseStudyPage.objects.live()
            .filter(pk__in=[int(option["_id"]) for option in options])
            .select_related("organisation")
            .prefetch_related("themes")
            .in_bulk()
        )
        suggestions = [
            self._suggestion(option, pages[int(option["_id"])])
            for option in options
            if int(option["_id"]) in pages
        ]
        return suggestions[:limit]

    @staticmethod
    def _suggestion(option: dict, page: CaseStudyPage) -> Suggestion:
        """Which of the case's inputs matched: a theme, its organisation or its title."""
        text, indexed = option["text"], option["_source"]
        slugs = {t["slug"] for t in indexed.get("themes", ()) if t["name"] == text}
        for theme in page.themes.all():
            if theme.slug in slugs:
                return Suggestion(theme.name, "theme", theme.get_absolute_url())
        if text in indexed.get("organisation_names", ()):  # its name or an alias
            organisation = page.organisation
            return Suggestion(organisation.name, "organisation", organisation.get_absolute_url())
        return Suggestion(page.title, "case", page.url)

    def related(self, page_id: int, limit: int = 4) -> list[int]:
        search = Search().query(
            "more_like_this",
            fields=list(BOOSTS),
            like=[{"_index": self.alias, "_id": str(page_id)}],
            include=False,
            min_term_freq=1,
            min_doc_freq=2,  # a word only this case has cannot find another
            max_query_terms=25,
        )
        response = self._search(search.source(False)[:limit], "find related cases")
        return [int(hit["_id"]) for hit in response["hits"]["hits"]]

    # Indexing ----------------------------------------------------------------------------

    def index(self, page_ids: Iterable[int], new_cases: Sequence = ()) -> None:
        ids = {int(pk) for pk in page_ids}
        if not ids:
            return
        with self._answering("index cases"):
            if not self.writer.indices.exists_alias(name=self.alias):
                self._create_first()
            self._bulk(self._actions(ids))

    def _create_first(self) -> None:
        """Create the index and the alias before the first rebuild. Two writers may both
        find no alias; with one fixed name the second is told the index exists and writes
        into it, where two indexes under the alias would leave it without a write index
        and make every require_alias write fail."""
        try:
            self._create(self.first_index, alias=True)
        except BadRequestError as exc:
            if exc.error != "resource_already_exists_exception":
                raise

    def _actions(self, ids: set[int]) -> Iterator[dict]:
        """Index the published ones; delete the rest (unpublished, deleted or unknown)."""
        found = set()
        for document, vector in with_vectors(iter_documents(ids)):
            found.add(document["page_id"])
            yield {
                "_op_type": "index",
                "_index": self.alias,
                "_id": str(document["page_id"]),
                "_source": source(document, vector),
            }
        for pk in sorted(ids - found):
            yield {"_op_type": "delete", "_index": self.alias, "_id": str(pk)}

    def remove(self, page_ids: Iterable[int]) -> None:
        ids = sorted({int(pk) for pk in page_ids})
        if ids:
            actions = ({"_op_type": "delete", "_index": self.alias, "_id": str(pk)} for pk in ids)
            with self._answering("remove cases"):
                self._bulk(actions)

    def indexed_ids(self) -> set[int]:
        """Every document id behind the alias, read with a scroll that fetches no source.
        Each page has WRITE_TIMEOUT (the helper's default is no timeout at all) and the
        whole listing LIST_DEADLINE."""
        deadline = time.monotonic() + LIST_DEADLINE
        ids = set()
        with self._answering("list its documents"):
            hits = scan(
                self.client,
                index=self.alias,
                query={"query": {"match_all": {}}, "_source": False},
                size=CHUNK,
                scroll=SCROLL_KEEP_ALIVE,
                request_timeout=WRITE_TIMEOUT,
            )
            try:
                with closing(hits):
                    for hit in hits:
                        ids.add(int(hit["_id"]))
                        if time.monotonic() > deadline:
                            raise EngineUnavailable(
                                "Elasticsearch could not list its documents within "
                                f"{LIST_DEADLINE} s"
                            )
            except NotFoundError:
                return set()
        return ids

    def _bulk(self, actions: Iterable[dict]) -> None:
        """Writes through the alias; require_alias stops a write from auto-creating an index
        named like the alias. Deleting what is not there is fine."""
        _, errors = bulk(
            self.writer, actions, chunk_size=CHUNK, require_alias=True, raise_on_error=False
        )
        errors = [e for e in errors if e.get("delete", {}).get("status") != 404]
        if errors:
            raise BulkIndexError(f"{len(errors)} document(s) failed to index", errors)

    def rebuild(self, progress=None) -> int:
        name = self._new_name()

        def documents():
            for position, (document, vector) in enumerate(with_vectors(iter_documents()), start=1):
                yield {
                    "_index": name,
                    "_id": str(document["page_id"]),
                    "_source": source(document, vector),
                }
                if progress is not None and position % CHUNK == 0:
                    progress()

        with self._answering("rebuild the index"):
            self._create(name)
            count, _ = bulk(self.writer, documents(), chunk_size=CHUNK)
            self.writer.indices.refresh(index=name)
            actions = [{"remove": {"index": old, "alias": self.alias}} for old in self._current()]
            add = {"add": {"index": name, "alias": self.alias, "is_write_index": True}}
            self.writer.indices.update_aliases(actions=[*actions, add])
            older = [i for i in self.writer.indices.get_alias(index=f"{self.alias}-*") if i < name]
            if older:
                self.writer.indices.delete(index=",".join(sorted(older)))
        return count

    def _new_name(self) -> str:
        """Sorts by age: rebuild() deletes only versions older than its own."""
        return f"{self.alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"

    def _create(self, name: str, alias: bool = False) -> None:
        """Refuses (SynonymError) before any request when search/synonyms.txt has a rule
        the synonym filter would reject."""
        check_synonyms()
        index = Index(name)
        index.settings(number_of_shards=1, auto_expand_replicas="0-1")
        index.mapping(case_mapping())
        index.analyzer(FOLDING_SEARCH)
        if alias:
            index.aliases(**{self.alias: {"is_write_index": True}})
        index.create(using=self.writer)

    def _current(self, client: Elasticsearch | None = None) -> list[str]:
        """The concrete index (normally one) the alias points at; none before a rebuild."""
        try:
            return sorted((client or self.client).indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def status(self) -> dict:
        """Within STATUS_TIMEOUT in all: each request may take what the earlier ones left."""
        deadline = time.monotonic() + STATUS_TIMEOUT

        def within() -> Elasticsearch:
            return self.client.options(request_timeout=max(deadline - time.monotonic(), 0.01))

        with self._answering("report its status"):
            cluster = within().cluster.health()["status"]
            current = self._current(within())
            documents = within().count(index=self.alias)["count"] if current else 0
        return {
            "engine": self.name,
            "documents": documents,
            "index": ", ".join(current),
            "alias": self.alias,
            "cluster": cluster,
        }
