"""Search in templates: the case page asks for its related cases here, and the listings for
their Atom feeds (search/feeds.py), so the case library never imports the search app (search
depends on cases, not the other way round)."""

from django import template

from search import feeds
from search.service import get_search_service

register = template.Library()


@register.simple_tag
def related_cases(page, limit=4):
    """The published cases most like this one, best first, ready for case cards."""
    return get_search_service().related(page, limit)


@register.simple_tag
def case_feed(kind, subject=None, *, text="", chips=(), querystring=""):
    """A page's Atom feed (search/feeds.py CaseFeedSpec: its title and address), named as the
    feed names itself. kind "theme", "country" or "organisation" with the theme, the country
    ({"code", "name"}) or the organisation; "library" or "search" with the page's words,
    filter chips and query string."""
    if kind == "theme":
        return feeds.theme_feed(subject)
    if kind == "country":
        return feeds.country_feed(subject["code"], subject["name"])
    if kind == "organisation":
        return feeds.organisation_feed(subject)
    return feeds.listing_feed(kind, text, chips, querystring)
