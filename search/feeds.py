"""Atom feeds of the library, a theme, a country, an organisation and any search.

Every feed is a search (search/query.py) answered by the search service, most recently
added first (the "added" sort: when a case was first published on the site, not when it
happened, so an old case published today reaches its subscribers), so a feed lists what its
page lists: the library and the browse pages are the library's listing with filters chosen,
and a search feed carries the search page's query string. Only the FEED_LIMIT most recently
added cases are fetched, live and public, in a fixed number of queries.

It lives in the search app because search depends on cases, never the other way round; the
case templates name their feed through the `case_feed` template tag (search_tags.py).
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, pgettext

from cases.library import LibraryQuery
from cases.models import CaseStudyPage, Organisation, Theme
from cases.views import country_name
from commonground.base_url import public_url
from commonground.site_pages import LIBRARY, site_page_urls
from commonground.text import single_line
from search.query import BadQuery, SearchQuery
from search.service import get_search_service

FEED_LIMIT = 30  # entries per feed: the most recently added cases
FEED_SORT = "added"  # cases/listing.py SORTS
MAX_AGE = 300  # seconds a reader or proxy may keep a feed


def describe_filters(chips) -> str:
    """A page's filter chips in words, e.g. "Theme: Recruitment; Country: Canada"."""
    return "; ".join(
        gettext("%(facet)s: %(label)s") % {"facet": chip["facet"], "label": chip["label"]}
        for chip in chips
    )


@dataclass(frozen=True)
class CaseFeedSpec:
    """What one feed lists and how it is named: its search, its page and its own address."""

    query: SearchQuery
    title: str
    subtitle: str
    page_url: str  # the page whose cases the feed lists (absolute)
    feed_url: str  # the feed itself (absolute), its id


def listing_feed(
    kind: str, text: str = "", chips=(), querystring: str = "", query: SearchQuery | None = None
) -> CaseFeedSpec:
    """The library's ("library") or a search's ("search") feed, named as its page names it:
    the words, the page's filter chips, and its query string (filters, sort), which the
    feed's address carries."""
    values = {"site": settings.WAGTAIL_SITE_NAME, "text": text, "filters": describe_filters(chips)}
    if text and values["filters"]:
        title = gettext("%(site)s: newest cases for “%(text)s” (%(filters)s)")
    elif text:
        title = gettext("%(site)s: newest cases for “%(text)s”")
    elif values["filters"]:
        title = gettext("%(site)s: newest cases (%(filters)s)")
    else:
        title = gettext("%(site)s: newest cases")
    if text:
        subtitle = gettext("The newest case studies that match the search “%(text)s”.")
    elif values["filters"]:
        subtitle = gettext("The newest case studies in the library with %(filters)s.")
    else:
        subtitle = gettext("The newest case studies in the %(site)s library.")
    params = QueryDict(querystring, mutable=True)
    params.pop("page", None)  # a feed has no pages
    suffix = f"?{params.urlencode()}" if params else ""
    page = reverse("search:page") if kind == "search" else site_page_urls().get(LIBRARY, "/")
    feed = reverse("search:search_feed" if kind == "search" else "search:library_feed")
    page_url, feed_url = public_url(page + suffix), public_url(feed + suffix)
    return CaseFeedSpec(
        query or SearchQuery(), title % values, subtitle % values, page_url, feed_url
    )


def theme_feed(theme: Theme) -> CaseFeedSpec:
    site, name = settings.WAGTAIL_SITE_NAME, theme.display_name
    return CaseFeedSpec(
        SearchQuery(filters={"theme": (theme.slug,)}),
        gettext("%(site)s: newest cases on the theme “%(theme)s”") % {"site": site, "theme": name},
        gettext("The newest case studies filed under the theme “%(theme)s”.") % {"theme": name},
        public_url(theme.get_absolute_url()),
        public_url(reverse("search:theme_feed", args=[theme.slug])),
    )


def country_feed(code: str, name: str) -> CaseFeedSpec:
    site = settings.WAGTAIL_SITE_NAME
    return CaseFeedSpec(
        SearchQuery(filters={"country": (code,)}),
        # Translators: a feed's title, e.g. "Common Ground: newest cases from Canada".
        pgettext("country", "%(site)s: newest cases from %(country)s")
        % {"site": site, "country": name},
        pgettext("country", "The newest case studies from %(country)s.") % {"country": name},
        public_url(reverse("cases:country", args=[code])),
        public_url(reverse("search:country_feed", args=[code])),
    )


def organisation_feed(organisation: Organisation) -> CaseFeedSpec:
    site, name = settings.WAGTAIL_SITE_NAME, organisation.name
    return CaseFeedSpec(
        SearchQuery(filters={"organisation": (organisation.slug,)}),
        # Translators: a feed's title, e.g. "Common Ground: newest cases from Police Scotland".
        pgettext("organisation", "%(site)s: newest cases from %(organisation)s")
        % {"site": site, "organisation": name},
        pgettext("organisation", "The newest case studies from %(organisation)s.")
        % {"organisation": name},
        public_url(organisation.get_absolute_url()),
        public_url(reverse("search:organisation_feed", args=[organisation.slug])),
    )


class TextSummaryAtomFeed(Atom1Feed):
    """Atom with the summary as plain text (Django marks it HTML, which a reader would then
    interpret: a case summary is text, and "<script>" in it is words, not markup)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class CaseFeed(Feed):
    """The FEED_LIMIT most recently added live, public cases of one search (a CaseFeedSpec).

    Every text goes through single_line() (commonground/text.py): XML 1.0 has no place for
    control characters, and a stored value that escaped the forms' cleaning must not turn
    the feed into an error."""

    feed_type = TextSummaryAtomFeed

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except BadQuery as exc:
            return HttpResponseBadRequest(
                gettext("This feed cannot be made: %(problem)s") % {"problem": exc},
                content_type="text/plain; charset=utf-8",
            )
        patch_cache_control(response, max_age=MAX_AGE)
        # Titles are in the reader's language: the language cookie or Accept-Language.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def get_object(self, request, *args, **kwargs) -> CaseFeedSpec:
        """What this feed lists: each concrete feed (library, search, theme, country,
        organisation) says so from its URL; CaseFeed itself is never routed."""
        raise NotImplementedError

    def title(self, spec):
        return single_line(spec.title)

    def subtitle(self, spec):
        return single_line(spec.subtitle)

    def link(self, spec):
        return spec.page_url

    def feed_url(self, spec):
        return spec.feed_url

    def feed_guid(self, spec):
        return spec.feed_url

    def items(self, spec):
        query = replace(spec.query, sort=FEED_SORT, page=1, page_size=FEED_LIMIT)
        ids = get_search_service().matching_ids(query, FEED_LIMIT)
        pages = (
            CaseStudyPage.objects.live()
            .public()
            .filter(pk__in=ids)
            .select_related("organisation")
            .prefetch_related("themes")
            .in_bulk()
        )
        return [pages[pk] for pk in ids if pk in pages]

    def item_title(self, page):
        return single_line(page.title)

    def item_description(self, page):
        return single_line(page.summary)

    def item_link(self, page):
        # The public address (the default Wagtail Site is kept at BASE_URL, apps.py).
        return page.full_url

    def item_guid(self, page):
        # The case's permanent address, from its external id, which import and export keep.
        return page.full_url

    def item_pubdate(self, page):
        return page.first_published_at

    def item_updateddate(self, page):
        return page.last_published_at or page.first_published_at

    def item_author_name(self, page):
        return single_line(page.organisation.name) if page.organisation else None

    def item_author_link(self, page):
        return public_url(page.organisation.get_absolute_url()) if page.organisation else None

    def item_categories(self, page):
        return [single_line(theme.display_name) for theme in page.themes.all()]


class LibraryFeed(CaseFeed):
    """The library's feed, with the library page's filters (its query string)."""

    kind = "library"

    def get_object(self, request):
        query = SearchQuery.from_params(request.GET, strict=True)
        chips = LibraryQuery.from_params(request.GET).chips()
        return listing_feed(self.kind, query.text, chips, query.querystring(), query)


class SearchFeed(LibraryFeed):
    """Any search's feed: the search page's words and filters, from its query string."""

    kind = "search"


class ThemeFeed(CaseFeed):
    def get_object(self, request, slug):
        return theme_feed(get_object_or_404(Theme, slug=slug))


class CountryFeed(CaseFeed):
    def get_object(self, request, code):
        return country_feed(code.upper(), country_name(code))


class OrganisationFeed(CaseFeed):
    def get_object(self, request, slug):
        # An organisation known only from a contribution still in review is not public yet.
        return organisation_feed(get_object_or_404(Organisation.objects.public(), slug=slug))
