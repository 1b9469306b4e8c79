"""Cases the editors recommend for a query (Wagtail's search promotions: a Query and its
SearchPromotion rows, edited under Settings > Promoted search results).

Both engines put the promoted cases that are live and that the filters allow first, in the
editors' order, on the first page of a search in relevance order whose words, normalised
(commonground/analytics/recording.py), are exactly the promotion's query; each hit is marked
promoted and appears once. A search sorted otherwise keeps the order the visitor chose.
"""

from wagtail.contrib.search_promotions.models import SearchPromotion

from cases.models import CaseStudyPage
from commonground.analytics.recording import normalised_query
from search.query import SearchQuery


def promoted_ids(query: SearchQuery) -> list[int]:
    """Ids of the live cases promoted for this query, in the editors' order (one query)."""
    if query.effective_sort != "relevance":
        return []
    text = normalised_query(query.text)
    if not text:
        return []
    ids = (
        SearchPromotion.objects.filter(
            query__query_string=text,
            page__in=CaseStudyPage.objects.live().values("pk"),
        )
        .order_by("sort_order", "pk")
        .values_list("page_id", flat=True)
    )
    return list(dict.fromkeys(ids))


def mark(hits, promoted) -> list:
    """The hits, those promoted marked."""
    chosen = set(promoted)
    for hit in hits:
        hit.promoted = hit.page_id in chosen
    return hits
