"""What a follow points at: made from what the Follow button posts, named for the member, and
asked of the search service as a SearchQuery (a theme, a country or an organisation is the
search with that one filter), so digests find cases exactly as the search page does."""

from django_countries import countries

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext

from cases.library import LibraryQuery
from cases.models import Organisation, Theme
from commonground.following.models import DigestSettings, Follow
from search.query import SearchQuery

Kind = Follow.Kind
MAX_SEARCH = 1000  # characters of a followed search's query string


class NotFollowable(ValueError):
    """What was posted names nothing that can be followed; the message says why."""


def normalised_search(params: QueryDict) -> str:
    """A search as the search page reads it, reduced to what decides its results: the words
    and the known filters, each facet's values sorted, so the same search followed twice is
    one follow. Sort, page and retrieval are left out."""
    return normalised(SearchQuery.from_params(params))


def normalised(query: SearchQuery) -> str:
    """normalised_search() of a search already parsed."""
    filters = {name: tuple(sorted(values)) for name, values in query.filters.items()}
    return SearchQuery(query.text, filters).querystring()


def new_follow(user, kind: str, value: str) -> Follow:
    """An unsaved Follow of what the button posted, or NotFollowable."""
    follow = Follow(user=user, kind=kind)
    if kind == Kind.THEME:
        follow.theme = Theme.objects.filter(slug=value).first()
        if follow.theme is None:
            raise NotFollowable(gettext("There is no such theme."))
    elif kind == Kind.ORGANISATION:
        follow.organisation = Organisation.objects.public().filter(slug=value).first()
        if follow.organisation is None:
            raise NotFollowable(gettext("There is no such organisation."))
    elif kind == Kind.COUNTRY:
        code = value.upper()
        if len(code) != 2 or not countries.name(code):
            raise NotFollowable(gettext("There is no such country."))
        follow.value = code
    elif kind == Kind.SEARCH:
        follow.value = normalised_search(QueryDict(value))
        if not follow.value:
            raise NotFollowable(gettext("Search for something first, then ask to be alerted."))
        if len(follow.value) > MAX_SEARCH:
            raise NotFollowable(gettext("This search is too long to follow."))
    else:
        raise NotFollowable(gettext("This cannot be followed."))
    return follow


def search_query(follow: Follow) -> SearchQuery:
    """The search whose results are the follow's cases, newest first."""
    if follow.kind == Kind.SEARCH:
        query = SearchQuery.from_params(QueryDict(follow.value))
        return SearchQuery(query.text, query.filters, sort="newest")
    value = {
        Kind.THEME: lambda: follow.theme.slug,
        Kind.ORGANISATION: lambda: follow.organisation.slug,
        Kind.COUNTRY: lambda: follow.value,
    }[follow.kind]()
    return SearchQuery("", {follow.kind: (value,)}, sort="newest")


def describe(follow: Follow) -> dict:
    """{"kind": its kind's label, "name": what it is, "url": its page (path), "search"}, in
    the active language. A search is named by its words (quoted) and its filters, as its
    chips show them."""
    if follow.kind == Kind.THEME:
        return _described(follow, follow.theme.display_name, follow.theme.get_absolute_url())
    if follow.kind == Kind.ORGANISATION:
        organisation = follow.organisation
        return _described(follow, organisation.name, organisation.get_absolute_url())
    if follow.kind == Kind.COUNTRY:
        url = reverse("cases:country", args=[follow.value])
        return _described(follow, countries.name(follow.value), url)
    params = QueryDict(follow.value)
    # Translators: the words of a followed search, in the language's quotation marks.
    parts = [gettext("“%(words)s”") % {"words": params["q"]}] if params.get("q") else []
    parts += [
        gettext("%(facet)s: %(label)s") % {"facet": chip["facet"], "label": chip["label"]}
        for chip in LibraryQuery.from_params(params).chips()
    ]
    return _described(follow, " · ".join(parts), f"{reverse('search:page')}?{follow.value}")


def _described(follow, name, url) -> dict:
    return {
        "kind": follow.get_kind_display(),
        "name": name,
        "url": url,
        "search": follow.kind == Kind.SEARCH,
    }


def following_data(user, base_url: str) -> dict:
    """What the member follows and how often they hear of it (commonground/following)."""
    digest = DigestSettings.objects.filter(user=user).first()
    follows = Follow.objects.filter(user=user).select_related("theme", "organisation")
    return {
        "digests": digest.frequency if digest else None,
        "last_digest_at": digest.last_digest_at if digest else None,
        "follows": [
            {
                "kind": follow.kind,
                "name": described["name"],
                "url": base_url + described["url"],
                "since": follow.created_at,
            }
            for follow in follows
            for described in [describe(follow)]
        ],
    }
