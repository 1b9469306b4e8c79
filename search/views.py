"""The search page, the JSON API, exports of a filtered result set, and /health/.

Every view asks the search service; none knows which engine answers.
"""

import logging
from dataclasses import replace

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.interchange.download import export_response
from cases.interchange.exporter import exportable_cases
from cases.listing import SEARCH_SORTS, sort_options
from commonground.analytics.recording import count_search
from commonground.query_strings import without_empty_params
from search.query import BadQuery, SearchQuery
from search.service import get_search_service

logger = logging.getLogger(__name__)
EXPORT_LIMIT = 5000
SUGGEST_LIMIT = 8


def bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_GET
@without_empty_params
def search_page(request):
    query = SearchQuery.from_params(request.GET)
    results = get_search_service().search(query)
    if query.page > results.pages:  # an out-of-range page shows the last one
        query = replace(query, page=results.pages)
        results = get_search_service().search(query)
    if query.page == 1:  # a search, not a visit to its later pages
        count_search(request, query.text, results.total)
    chips = [
        {
            "facet": facet.label,
            "label": option.label,
            "remove_query": SearchQuery(
                query.text,
                {
                    **query.filters,
                    facet.name: tuple(v for v in query.filters[facet.name] if v != option.value),
                },
                query.sort,
            ).querystring(),
        }
        for facet in results.facets
        for option in facet.options
        if option.selected
    ] + [
        {
            "facet": bound.label,
            "label": bound.value,
            "remove_query": SearchQuery(
                query.text,
                {name: values for name, values in query.filters.items() if name != bound.param},
                query.sort,
            ).querystring(),
        }
        for facet in results.facets
        for bound in facet.bounds
        if bound.value
    ]
    return render(
        request,
        "search/search_page.html",
        {
            "query": query,
            "results": results,
            "chips": chips,
            "querystring": query.querystring(),
            "export_querystring": query.querystring(),
            "clear_query": f"?{SearchQuery(query.text).querystring()}" if query.text else "",
            "sorts": sort_options(SEARCH_SORTS),
        },
    )


@require_GET
def api_search(request):
    try:
        query = SearchQuery.from_params(request.GET, strict=True)
    except BadQuery as exc:
        return bad_request(str(exc))
    results = get_search_service().search(query)
    if query.page == 1:
        count_search(request, query.text, results.total)
    return JsonResponse(results.as_json())


@require_GET
def api_suggest(request):
    prefix = "".join(c for c in request.GET.get("q", "") if c.isprintable())
    prefix = " ".join(prefix.split())[:100]
    suggestions = get_search_service().suggest(prefix, SUGGEST_LIMIT) if prefix else []
    return JsonResponse(
        {"query": prefix, "suggestions": [s.__dict__ for s in suggestions]},
    )


def _export_pages(query: SearchQuery):
    """The matching cases, in the query's order, at most EXPORT_LIMIT, fetched in chunks."""
    ids = get_search_service().matching_ids(query, EXPORT_LIMIT)
    position = {pk: i for i, pk in enumerate(ids)}
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        pages = sorted(exportable_cases().filter(pk__in=chunk), key=lambda p: position[p.pk])
        yield from pages


def _streamed_export(request, fmt: str):
    """Stream one line per matching case, checking the parameters before the first byte."""
    try:
        query = SearchQuery.from_params(request.GET, strict=True)
    except BadQuery as exc:
        return bad_request(str(exc))
    return export_response(request, _export_pages(query), fmt)


@require_GET
def export_csv(request):
    return _streamed_export(request, "csv")


@require_GET
def export_jsonl(request):
    return _streamed_export(request, "jsonl")


@require_GET
def health(request):
    """Database and search state as JSON; 503 when the database is down. Everyone gets the
    states; only signed-in staff get the search engine's details (index, counts, errors),
    which name internal addresses. The search state comes from the service's shared cache,
    so a probe waits at most about a second, and mostly not at all."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.error("Health check: the database is unavailable: %r", exc)
        # Without the database nobody can be recognised as staff: states only.
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    search = get_search_service().health()
    body = {
        "status": "ok" if search["status"] == "ok" else "degraded",
        "database": "ok",
        "search": search["status"],
    }
    if request.user.is_active and request.user.is_staff:
        body["details"] = {"search": search}
    return JsonResponse(body)
