"""The library page's query: filters and sort parsed from GET parameters.

Unknown values are ignored and reported, never an error; filtering and counting are in
cases/facets.py.
"""

from dataclasses import dataclass, field

from django_countries import countries

from django.http import QueryDict

from cases import limits
from cases.choices import DEFAULT_SORT, LIBRARY_SORTS, Result
from cases.facets import FACETS, Facet, label_facets
from cases.languages import is_known_language, language_name
from cases.models import Organisation, Platform, Theme
from cases.snapshot import LibrarySnapshot

PAGE_SIZE = 20


@dataclass
class LibraryQuery:
    """The selected filters (by facet, as strings) and sort of one request."""

    selected: dict[str, list[str]] = field(default_factory=dict)
    sort: str = DEFAULT_SORT
    ignored: list[tuple[str, str]] = field(default_factory=list)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: QueryDict) -> "LibraryQuery":
        sort = params.get("sort")
        query = cls(sort=sort if sort in LIBRARY_SORTS else DEFAULT_SORT)
        for name in FACETS:
            values = [v.strip() for v in params.getlist(name) if v.strip()]
            if name == "country":
                values = [v.upper() for v in values]
            values = list(dict.fromkeys(values))
            # Control characters (a NUL byte breaks PostgreSQL lookups) make a value unknown.
            query.ignored += [(name, v) for v in values if not v.isprintable()]
            values = [v for v in values if v.isprintable()]
            known = query._known_values(name, values[:50])
            query.ignored += [(name, v) for v in values if v not in known]
            if known:
                query.selected[name] = [v for v in values if v in known]
        return query

    def _known_values(self, name: str, values: list[str]) -> dict[str, str]:
        """{value: label} for the values that exist; looks up only what was asked for."""
        if not values:
            return {}
        if name == "theme":
            rows = Theme.objects.filter(slug__in=values).values_list("slug", "name")
        elif name == "organisation":
            rows = (
                Organisation.objects.public().filter(slug__in=values).values_list("slug", "name")
            )
        elif name == "platform":
            rows = Platform.objects.filter(slug__in=values).values_list("slug", "name")
        elif name == "country":
            rows = [(v, countries.name(v)) for v in values if len(v) == 2 and countries.name(v)]
        elif name == "year":
            rows = [
                (v, v)
                for v in values
                if v.isascii()
                and v.isdigit()
                and limits.EARLIEST_YEAR <= int(v) <= limits.LATEST_YEAR
            ]
        elif name == "language":
            rows = [(v, language_name(v)) for v in values if is_known_language(v)]
        else:
            rows = [(v, Result(v).label) for v in values if v in Result.values]
        known = dict(rows)
        self.labels.update({(name, v): label for v, label in known.items()})
        return known

    @property
    def is_filtered(self):
        return bool(self.selected)

    def facets(self, snapshot: LibrarySnapshot) -> list[Facet]:
        """Every facet with its labelled options and counts."""
        return label_facets(snapshot.counts(self.selected), self.selected)

    def case_ids(self, snapshot: LibrarySnapshot):
        """Ids of the matching cases in the chosen order."""
        return snapshot.ordered_ids(snapshot.mask(self.selected), self.sort)

    def querystring(self, without: tuple[str, str] | None = None) -> str:
        """The canonical query string of this selection (optionally minus one value)."""
        params = QueryDict(mutable=True)
        for name, values in self.selected.items():
            params.setlist(name, [v for v in values if (name, v) != without])
        if self.sort != DEFAULT_SORT:
            params["sort"] = self.sort
        return params.urlencode()

    def chips(self) -> list[dict]:
        """Active filters, each with the query string that removes it."""
        chips = []
        for name, values in self.selected.items():
            for value in values:
                chips.append(
                    {
                        "facet": FACETS[name],
                        "label": self.labels.get((name, value), value),
                        "remove_query": self.querystring(without=(name, value)),
                    }
                )
        return chips
