"""Query helpers shared by every listing, so each page runs a fixed number of queries."""

from django_countries import countries

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import ExtractYear

from wagtail.images import get_image_model


def case_cards(queryset: QuerySet) -> QuerySet:
    """Everything a case card shows, fetched in a constant number of queries."""
    images = get_image_model().objects.prefetch_renditions()
    return queryset.select_related("organisation").prefetch_related(
        "themes", Prefetch("hero_image", queryset=images)
    )


def country_counts(queryset: QuerySet) -> list[dict]:
    """[{code, name, count}] for the countries of the given cases, by name."""
    rows = queryset.order_by().values("country").annotate(count=Count("pk"))
    result = [
        {"code": row["country"], "name": countries.name(row["country"]), "count": row["count"]}
        for row in rows
    ]
    return sorted(result, key=lambda row: row["name"])


def year_counts(queryset: QuerySet) -> dict[int, int]:
    rows = (
        queryset.order_by()
        .annotate(year=ExtractYear("case_date"))
        .values("year")
        .annotate(count=Count("pk"))
    )
    return {row["year"]: row["count"] for row in rows}
