"""Query helpers shared by every listing, so each page runs a fixed number of queries."""

from django_countries import countries

from django.db.models import Count, Prefetch, Q, QuerySet

from wagtail.images import get_image_model

from cases.cache import cached


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


def themes_with_counts() -> list:
    """Every theme with its number of published cases (cached until the library changes)."""
    from cases.models import Theme

    return cached(
        "theme-counts",
        lambda: list(
            Theme.objects.annotate(
                case_count=Count("case_pages", filter=Q(case_pages__live=True))
            ).order_by("name")
        ),
    )


def library_countries() -> list[dict]:
    from cases.models import CaseStudyPage

    return cached("countries", lambda: country_counts(CaseStudyPage.objects.live()))


def live_case_count() -> int:
    from cases.models import CaseStudyPage

    return cached("case-count", lambda: CaseStudyPage.objects.live().count())
