"""Browsing views: the library, and the theme, country and organisation pages, which are the
library's listing with one facet value chosen."""

from collections.abc import Sequence

from django_countries import countries

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from cases.geo import world_map
from cases.lessons import theme_lessons
from cases.library import PAGE_SIZE, LibraryQuery
from cases.listing import LIBRARY_SORTS, sort_options
from cases.models import CaseIndexPage, CaseStudyPage, Organisation, Theme
from cases.organisations import merged_into
from cases.queries import case_cards, library_countries, themes_with_counts
from cases.snapshot import current_snapshot
from commonground.query_strings import without_empty_params


def paginate(request, queryset):
    """A page of results; `page=abc` gives the first page and `page=99999` the last."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


class CasesById(Sequence):
    """Case cards for a list of ids, fetched only for the slice a page shows."""

    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        ids = [int(pk) for pk in self.ids[index]]
        pages = case_cards(CaseStudyPage.objects.filter(pk__in=ids)).in_bulk()
        return [pages[pk] for pk in ids if pk in pages]


@without_empty_params
def library(request, page: CaseIndexPage):
    query = LibraryQuery.from_params(request.GET)
    snapshot = current_snapshot()
    page_obj = paginate(request, CasesById(query.case_ids(snapshot)))
    context = page.get_context(request)
    context.update(
        {
            "query": query,
            "facets": query.facets(snapshot),
            "chips": query.chips(),
            "page_obj": page_obj,
            "cases": page_obj.object_list,
            "querystring": query.querystring(),
            "export_querystring": query.export_querystring(),
            "sorts": sort_options(LIBRARY_SORTS),
        }
    )
    return render(request, "cases/case_index_page.html", context)


def case_listing(request, template, selected: dict[str, list[str]], **context):
    """A browse page: the library's listing with one facet value chosen (a theme, a country,
    an organisation), newest first, paginated as the library is."""
    ids = LibraryQuery(selected=selected).case_ids(current_snapshot())
    page_obj = paginate(request, CasesById(ids))
    return render(request, template, {**context, "page_obj": page_obj})


def theme_index(request):
    return render(
        request,
        "cases/theme_index.html",
        {"themes": themes_with_counts()},
    )


@without_empty_params
def theme_detail(request, slug):
    """The theme's lessons first (filterable by verdict), then its cases."""
    theme = get_object_or_404(Theme, slug=slug)
    lessons = theme_lessons(theme, request.GET.get("verdict", ""), request)
    return case_listing(
        request,
        "cases/theme_detail.html",
        {"theme": [theme.slug]},
        theme=theme,
        lessons=lessons,
        # the cases' pages keep the lessons' verdict
        querystring=urlencode({"verdict": lessons.verdict}) if lessons.verdict else "",
    )


def country_index(request):
    rows = library_countries()
    return render(
        request,
        "cases/country_index.html",
        {"countries": rows, "world_map": world_map(rows)},
    )


def country_name(code: str) -> str:
    """The name of the country with this ISO code (any case); 404 when there is none."""
    name = countries.name(code.upper()) if len(code) == 2 else ""
    if not name:
        raise Http404(gettext("No such country"))
    return name


def country_detail(request, code):
    name = country_name(code)
    organisations = (
        Organisation.objects.filter(country=code.upper())
        .annotate(
            case_count=Count(
                "case_pages",
                filter=Q(case_pages__live=True, case_pages__country=code.upper()),
            )
        )
        .filter(case_count__gt=0)
        .order_by("name")
    )
    return case_listing(
        request,
        "cases/country_detail.html",
        {"country": [code.upper()]},
        country={"code": code.upper(), "name": name},
        organisations=organisations,
    )


def organisation_index(request):
    organisations = (
        Organisation.objects.annotate(
            case_count=Count("case_pages", filter=Q(case_pages__live=True))
        )
        .filter(case_count__gt=0)
        .order_by("name")
    )
    page_obj = Paginator(organisations, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/organisation_index.html",
        {"page_obj": page_obj},
    )


def organisation_detail(request, slug):
    # An organisation known only from a contribution still in review is not public yet.
    organisation = Organisation.objects.public().filter(slug=slug).first()
    if organisation is None:
        # A merged organisation's address leads to the one it was merged into, for good.
        kept = merged_into([slug]).get(slug)
        if kept is None:
            raise Http404
        query = request.GET.urlencode()
        address = reverse("cases:organisation", args=[kept]) + (f"?{query}" if query else "")
        return redirect(address, permanent=True)
    return case_listing(
        request,
        "cases/organisation_detail.html",
        {"organisation": [organisation.slug]},
        organisation=organisation,
    )
