"""What a listing of cases can be filtered and sorted by: every facet and every sort, once.

The library page, the theme, country and organisation pages and search are one filtered
listing. The snapshot (cases/snapshot.py), the filter parser (cases/library.py), the labels
(cases/facets.py) and both search engines read their facets and sorts from here, so adding
one is one declaration.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django_countries import countries

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases import limits
from cases.cache import cached
from cases.choices import Evidence, Result
from cases.languages import is_known_language, language_name
from cases.models import Organisation, Platform, Theme
from cases.models.replications import TRIED, tried_elsewhere
from commonground.seeded_text import seeded

Labels = Callable[[list[str]], dict[str, str]]


# How values are checked and named: {value: label} for the values that exist, looking up
# only the values asked for.


def _theme_names(values):
    # Every theme name, cached per library version: for labelling counts. Seeded names are
    # shown in the visitor's language (Theme.display_name), edited ones as typed.
    names = cached("theme-names", lambda: dict(Theme.objects.values_list("slug", "name")))
    return {v: seeded(names[v]) for v in values if v in names}


def _theme_slugs(values):
    themes = Theme.objects.filter(slug__in=values).values_list("slug", "name")
    return {slug: seeded(name) for slug, name in themes}


def _platforms(values):
    # Labelled with their former names ("X (formerly Twitter)"), in the visitor's language.
    labels = cached(
        f"platform-labels-{get_language()}",
        lambda: {p.slug: str(p.label) for p in Platform.objects.all()},
    )
    return {v: labels[v] for v in values if v in labels}


def _organisations(values):
    # An organisation known only from a contribution still in review is not public yet.
    public = Organisation.objects.public().filter(slug__in=values)
    return dict(public.values_list("slug", "name"))


@lru_cache(maxsize=16)
def _country_names(language: str | None) -> dict[str, str]:
    """Every country's name in one language: django-countries translates each name it is
    asked for, and a facet labels some 70 countries per search."""
    return dict(countries)


def _countries(values):
    names = _country_names(get_language())
    return {v: names[v] for v in values if v in names}


def _years(values):
    return {
        v: v
        for v in values
        # At most four digits read: Python refuses to read a number of 4,300 digits or more.
        if v.isascii()
        and v.isdigit()
        and len(v) <= 4
        and limits.EARLIEST_YEAR <= int(v) <= limits.LATEST_YEAR
    }


def _languages(values):
    return {v: language_name(v) for v in values if is_known_language(v)}


def _tried(values):
    # Translators: the one option of the library's "Tried elsewhere" filter.
    return {v: _("Yes") for v in values if v == TRIED}


def _choices(choices) -> Labels:
    def labels(values):
        return {v: choices(v).label for v in values if v in choices.values}

    return labels


@dataclass(frozen=True)
class FacetDefinition:
    """One facet: how GET values are read and checked, how counted values are labelled
    and ordered, and where each engine finds it."""

    name: str
    label: str
    known: Labels  # the GET values that exist, with their labels
    column: str  # the CaseStudyPage field (or many-to-many relation) the snapshot reads
    search_field: str  # the Elasticsearch keyword field filtered and aggregated
    many: bool = False  # several values per case (themes, platforms)
    labels: Labels | None = None  # counted values' labels, when cheaper than `known`
    upper: bool = False  # GET values are upper-cased (ISO country codes)
    numeric: bool = False  # Elasticsearch holds the values as integers
    offered: int | None = None  # only the busiest this many are offered (and any chosen)
    order: str = "label"  # options by "label", by "value" newest first, or "choices" order
    choices: type | None = None  # the vocabulary (cases/choices.py) whose order "choices" is
    # An expression the snapshot annotates each case with, read as `column`, for a facet
    # that is no field of the case (whether it was tried elsewhere).
    annotation: Callable | None = None

    def normalise(self, value: str) -> str:
        value = value.strip()
        return value.upper() if self.upper else value

    def label_values(self, values: Iterable[str]) -> dict[str, str]:
        values = list(values)
        if not values:
            return {}
        return (self.labels or self.known)(values)

    def sort_key(self, value: str, label: str):
        """Options' display order (read backwards when `descending`)."""
        if self.order == "choices":
            return self.choices.values.index(value)
        return value if self.order == "value" else label.lower()

    @property
    def descending(self) -> bool:
        return self.order == "value"


ORGANISATION_OPTIONS = 20  # the busiest organisations are offered; the rest via /organisations/

FACETS = {
    facet.name: facet
    for facet in (
        FacetDefinition(
            "theme",
            _("Theme"),
            _theme_slugs,
            "themes",
            "themes.slug",
            many=True,
            labels=_theme_names,
        ),
        FacetDefinition(
            "country", _("Country"), _countries, "country", "country.code", upper=True
        ),
        FacetDefinition(
            "organisation",
            _("Organisation"),
            _organisations,
            "organisation__slug",
            "organisation.slug",
            offered=ORGANISATION_OPTIONS,
        ),
        FacetDefinition(
            "platform",
            _("Platform"),
            _platforms,
            "platforms",
            "platforms.slug",
            many=True,
        ),
        FacetDefinition(
            "year", _("Year"), _years, "case_year", "year", numeric=True, order="value"
        ),
        FacetDefinition(
            "language",
            _("Language"),
            _languages,
            "language",
            "language",
            labels=lambda values: {v: language_name(v) for v in values},
        ),
        FacetDefinition(
            "result",
            _("Result"),
            _choices(Result),
            "result",
            "result",
            order="choices",
            choices=Result,
        ),
        FacetDefinition(
            "evidence",
            _("How we know"),
            _choices(Evidence),
            "evidence",
            "evidence",
            order="choices",
            choices=Evidence,
        ),
        # Cases another force has said it tried (an approved replication).
        FacetDefinition(
            "tried",
            _("Tried elsewhere"),
            _tried,
            "tried_elsewhere",
            "tried",
            annotation=tried_elsewhere,
        ),
    )
}


@dataclass(frozen=True)
class Bound:
    """One end of a range over a numeric facet ("from year", "to year"): a GET parameter
    of its own, AND-ed with the facets, applied by the snapshot and both engines."""

    param: str
    label: str
    facet: str  # the numeric facet it bounds
    lower: bool  # True: values from this one up; False: values up to this one
    lowest: int = limits.EARLIEST_YEAR
    highest: int = limits.LATEST_YEAR

    def normalise(self, value: str) -> str:
        return value.strip()

    def known(self, values: list[str]) -> dict[str, str]:
        return FACETS[self.facet].known(values)

    def admits(self, value: int, limit: int) -> bool:
        return value >= limit if self.lower else value <= limit


BOUNDS = {
    bound.param: bound
    for bound in (
        Bound("year_from", _("From year"), "year", lower=True),
        Bound("year_to", _("To year"), "year", lower=False),
    )
}


@dataclass(frozen=True)
class Sort:
    """One order a listing offers. `snapshot` names the snapshot's order (cases/snapshot.py:
    "date" is newest first by when the case happened, "added" most recently added to the
    library first) and whether it is read backwards; `elasticsearch` is the engine's sort,
    ties broken as in the snapshot."""

    key: str
    label: str
    listings: tuple[str, ...]  # "library", "search"
    snapshot: tuple[str, bool]
    elasticsearch: tuple[str | dict, ...] | None = None


SORTS = {
    sort.key: sort
    for sort in (
        # Without words there is no relevance: the snapshot's newest first.
        Sort(
            "relevance",
            _("Best match"),
            ("search",),
            ("date", False),
            ("_score", "-published", "-page_id"),
        ),
        Sort(
            "newest",
            _("Newest first"),
            ("library", "search"),
            ("date", False),
            ("-published", "-page_id"),
        ),
        Sort(
            "oldest",
            _("Oldest first"),
            ("library", "search"),
            ("date", True),
            ("published", "page_id"),
        ),
        # When a case was first published on the site, not when it happened: an old case
        # added today comes first, so a feed (search/feeds.py) announces it. An index built
        # before the field existed lacks it (unmapped_type): its cases tie, newest id first,
        # until `search_index rebuild`.
        Sort(
            "added",
            _("Recently added"),
            ("library", "search"),
            ("added", False),
            ({"added": {"order": "desc", "unmapped_type": "date"}}, "-page_id"),
        ),
        Sort("title", _("Title A–Z"), ("library",), ("title", False)),
    )
}
DEFAULT_SORTS = {"library": "newest", "search": "relevance"}
DEFAULT_SORT = DEFAULT_SORTS["library"]


def sorts_for(listing: str) -> tuple[str, ...]:
    """The keys of the sorts a listing ("library" or "search") offers, in menu order."""
    return tuple(key for key, sort in SORTS.items() if listing in sort.listings)


LIBRARY_SORTS = sorts_for("library")
SEARCH_SORTS = sorts_for("search")


def sort_options(keys) -> list[tuple[str, str]]:
    """[(key, label)] for a listing's sort menu."""
    return [(key, SORTS[key].label) for key in keys]
