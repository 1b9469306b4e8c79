"""The library's filters: parse GET parameters, filter cases, count each facet's options.

Filters combine the usual way: several values of one facet are OR-ed, facets are AND-ed,
and each facet's counts apply every other selected filter but not its own, so a visitor
can see what ticking one more box would give. Unknown values are ignored and reported,
never an error.
"""

from dataclasses import dataclass, field

from django_countries import countries

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from cases.cache import cached
from cases.choices import DEFAULT_SORT, SORTS, Result
from cases.languages import is_known_language, language_name
from cases.models import CaseStudyPage, Organisation, Platform, Theme

FACETS = {
    "theme": "Theme",
    "country": "Country",
    "organisation": "Organisation",
    "platform": "Platform",
    "year": "Year",
    "language": "Language",
    "result": "Result",
}
ORGANISATION_OPTIONS = 20  # the busiest organisations are listed; the rest via /organisations/
PAGE_SIZE = 20


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[Option]

    @property
    def selected_count(self):
        return sum(o.selected for o in self.options)


@dataclass
class LibraryQuery:
    """The selected filters (by facet, as strings) and sort of one request."""

    selected: dict[str, list[str]] = field(default_factory=dict)
    sort: str = DEFAULT_SORT
    ignored: list[tuple[str, str]] = field(default_factory=list)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: QueryDict) -> "LibraryQuery":
        query = cls(sort=params.get("sort") if params.get("sort") in SORTS else DEFAULT_SORT)
        for name in FACETS:
            values = [v.strip() for v in params.getlist(name) if v.strip()]
            if name == "country":
                values = [v.upper() for v in values]
            values = list(dict.fromkeys(values))
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
            rows = Organisation.objects.filter(slug__in=values).values_list("slug", "name")
        elif name == "platform":
            rows = Platform.objects.filter(slug__in=values).values_list("slug", "name")
        elif name == "country":
            rows = [(v, countries.name(v)) for v in values if len(v) == 2 and countries.name(v)]
        elif name == "year":
            rows = [
                (v, v) for v in values if v.isascii() and v.isdigit() and 1900 <= int(v) <= 2100
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

    def apply(self, queryset: QuerySet, skip: str | None = None) -> QuerySet:
        """The cases matching every selected facet (except `skip`, for its own counts)."""
        through_themes = CaseStudyPage.themes.through
        through_platforms = CaseStudyPage.platforms.through
        for name, values in self.selected.items():
            if name == skip:
                continue
            if name == "theme":
                ids = through_themes.objects.filter(theme__slug__in=values)
                queryset = queryset.filter(pk__in=ids.values("casestudypage_id"))
            elif name == "platform":
                ids = through_platforms.objects.filter(platform__slug__in=values)
                queryset = queryset.filter(pk__in=ids.values("casestudypage_id"))
            elif name == "organisation":
                queryset = queryset.filter(organisation__slug__in=values)
            elif name == "year":
                queryset = queryset.filter(case_year__in=[int(v) for v in values])
            else:  # country, language and result are plain columns
                queryset = queryset.filter(**{f"{name}__in": values})
        return queryset

    def ordered(self, queryset: QuerySet) -> QuerySet:
        return queryset.order_by(*SORTS[self.sort][1])

    def facets(self, base: QuerySet) -> list[Facet]:
        """Every facet with its options and counts: one query per facet, cached per
        selection until the library changes (cases/cache.py)."""
        key = sorted((name, sorted(values)) for name, values in self.selected.items())
        return cached(
            "facets",
            lambda: [
                Facet(name, label, self._options(name, self.apply(base, skip=name)))
                for name, label in FACETS.items()
            ],
            key,
        )

    def _options(self, name: str, cases: QuerySet) -> list[Option]:
        chosen = set(self.selected.get(name, []))
        if name in ("theme", "platform"):
            counts = self._m2m_counts(name, cases)
            model = Theme if name == "theme" else Platform
            rows = [(o.slug, o.name, counts.get(o.pk, 0)) for o in model.objects.all()]
        elif name == "organisation":
            per_org = cases.order_by().values_list("organisation_id").annotate(n=Count("pk"))
            counts = dict(per_org.order_by("-n")[:ORGANISATION_OPTIONS])
            counts |= dict(per_org.filter(organisation__slug__in=chosen))
            orgs = Organisation.objects.filter(Q(pk__in=counts) | Q(slug__in=chosen))
            rows = [(o.slug, o.name, counts.get(o.pk, 0)) for o in orgs]
        elif name == "year":
            counts = cases.order_by().values_list("case_year").annotate(n=Count("pk"))
            rows = sorted(((str(y), str(y), n) for y, n in counts), reverse=True)
        else:
            counts = dict(cases.order_by().values_list(name).annotate(n=Count("pk")))
            if name == "country":
                rows = [(c, countries.name(c), n) for c, n in counts.items()]
            elif name == "language":
                rows = [(c, language_name(c), n) for c, n in counts.items()]
            else:
                rows = [(r.value, r.label, counts.get(r.value, 0)) for r in Result]
        # A selected value stays on the form (checked, count 0) even when the other filters
        # leave it no cases, so submitting the form again keeps it.
        shown = {value for value, _, _ in rows}
        rows += [(v, self.labels.get((name, v), v), 0) for v in chosen if v not in shown]
        options = [
            Option(value, label, count, value in chosen)
            for value, label, count in rows
            if count or value in chosen
        ]
        if name in ("country", "language", "organisation"):
            options.sort(key=lambda o: o.label.lower())
        return options

    @staticmethod
    def _m2m_counts(name: str, cases: QuerySet) -> dict[int, int]:
        through = getattr(CaseStudyPage, f"{name}s").through
        return dict(
            through.objects.filter(casestudypage_id__in=cases.values("pk"))
            .order_by()
            .values_list(f"{name}_id")
            .annotate(n=Count("casestudypage_id"))
        )

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
