"""What a searcher asks for: text, filters, sort and page, parsed once from GET parameters."""

from dataclasses import dataclass, field

from django.http import QueryDict

from cases.listing import DEFAULT_SORTS, SEARCH_SORTS

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
MAX_TEXT = 2000
MAX_VALUES = 20
# "hybrid": words and meaning fused (search/fusion.py); "words" or "meaning" alone, which
# the relevance harness compares.
RETRIEVALS = ("hybrid", "words", "meaning")


class BadQuery(ValueError):
    """A parameter that cannot be answered, e.g. page=abc; the API answers 400 with it."""


@dataclass(frozen=True)
class SearchQuery:
    """One search. Within a facet the values are OR-ed, across facets AND-ed.

    Filter values are theme/organisation/platform slugs, ISO country codes, years,
    BCP 47 language codes and result codes.
    """

    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = DEFAULT_SORTS["search"]
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    ignored: tuple[tuple[str, str], ...] = ()
    retrieval: str = "hybrid"  # one of RETRIEVALS

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def effective_sort(self) -> str:
        """Relevance needs words; without them the newest cases come first."""
        return "newest" if self.sort == "relevance" and not self.text.strip() else self.sort

    @classmethod
    def from_params(cls, params: QueryDict, *, strict: bool = False) -> "SearchQuery":
        """Parse GET parameters. Filter values are checked as the library checks them.
        strict=True (the API) raises BadQuery for anything unusable; otherwise (the HTML
        page) unknown values are dropped and listed in `ignored`, and bad numbers fall
        back to defaults."""
        from cases.library import LibraryQuery

        library = LibraryQuery.from_params(params)
        if strict and library.ignored:
            unknown = ", ".join(f"{name} “{value[:40]}”" for name, value in library.ignored)
            raise BadQuery(f"unknown filter value(s): {unknown}")
        text = " ".join(params.get("q", "").split())[:MAX_TEXT]
        sort = params.get("sort") or DEFAULT_SORTS["search"]
        if sort not in SEARCH_SORTS:
            if strict:
                raise BadQuery(f"sort must be one of {', '.join(SEARCH_SORTS)}")
            sort = DEFAULT_SORTS["search"]
        retrieval = params.get("retrieval") or "hybrid"
        if retrieval not in RETRIEVALS:
            if strict:
                raise BadQuery(f"retrieval must be one of {', '.join(RETRIEVALS)}")
            retrieval = "hybrid"
        page = _positive_int(params.get("page"), 1, "page", strict)
        size = _positive_int(params.get("page_size"), DEFAULT_PAGE_SIZE, "page_size", strict)
        return cls(
            text,
            {name: tuple(values[:MAX_VALUES]) for name, values in library.selected.items()},
            sort,
            page,
            min(size, MAX_PAGE_SIZE),
            tuple(library.ignored),
            retrieval,
        )

    def querystring(self, **changes) -> str:
        """GET parameters for this query (page left out unless changed)."""
        params = QueryDict(mutable=True)
        if self.text:
            params["q"] = self.text
        for name, values in self.filters.items():
            params.setlist(name, list(values))
        if self.sort != DEFAULT_SORTS["search"]:
            params["sort"] = self.sort
        if self.retrieval != "hybrid":
            params["retrieval"] = self.retrieval
        for key, value in changes.items():
            params[key] = value
        return params.urlencode()


LARGEST_NUMBER = 100_000  # of a page or a page size: beyond it a number is refused, not read


def _positive_int(raw, default, name, strict):
    if raw in (None, ""):
        return default
    if raw.isascii() and raw.isdigit() and len(raw) <= 6 and 0 < int(raw) <= LARGEST_NUMBER:
        return int(raw)
    if strict:
        raise BadQuery(f"{name} must be a whole number from 1 to {LARGEST_NUMBER:,}")
    return default
