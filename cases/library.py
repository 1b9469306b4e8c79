"""The library page's query: filters and sort parsed from GET parameters.

Unknown values are ignored and reported, never an error; filtering and counting are in
cases/facets.py.
"""

from dataclasses import dataclass, field

from django.http import QueryDict

from cases.facets import Facet, label_facets
from cases.listing import BOUNDS, DEFAULT_SORT, FACETS, LIBRARY_SORTS, SEARCH_SORTS
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
        for name, facet in (FACETS | BOUNDS).items():
            values = [facet.normalise(v) for v in params.getlist(name)]
            values = list(dict.fromkeys(v for v in values if v))
            if name in BOUNDS:  # a range has one end each side
                values = values[:1]
            # Control characters (a NUL byte breaks PostgreSQL lookups) make a value unknown.
            query.ignored += [(name, v) for v in values if not v.isprintable()]
            values = [v for v in values if v.isprintable()]
            known = facet.known(values[:50]) if values else {}
            query.labels.update({(name, v): label for v, label in known.items()})
            query.ignored += [(name, v) for v in values if v not in known]
            if known:
                query.selected[name] = [v for v in values if v in known]
        return query

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

    def export_querystring(self) -> str:
        """The query string of the exports (search's export views) for this selection: the
        same filters, and the sort when search offers it (not "title")."""
        params = QueryDict(self.querystring(), mutable=True)
        if params.get("sort") not in SEARCH_SORTS:
            params.pop("sort", None)
        return params.urlencode()

    def chips(self) -> list[dict]:
        """Active filters, each with the query string that removes it."""
        chips = []
        for name, values in self.selected.items():
            for value in values:
                chips.append(
                    {
                        "facet": (FACETS | BOUNDS)[name].label,
                        "label": self.labels.get((name, value), value),
                        "remove_query": self.querystring(without=(name, value)),
                    }
                )
        return chips
