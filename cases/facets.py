"""The library's facets: their names, and the counted values labelled and ordered.

Several values of one facet are OR-ed, facets are AND-ed, and each facet's counts apply
every other selected filter but not its own, so a visitor sees what ticking one more box
would give. Counting is done by cases/snapshot.py (library page, database search) or by
Elasticsearch aggregations; the labels and their order come from here for all of them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django_countries import countries

from cases.cache import cached
from cases.choices import Result
from cases.languages import language_name
from cases.models import Organisation, Platform, Theme

FACETS = {
    "theme": "Theme",
    "country": "Country",
    "organisation": "Organisation",
    "platform": "Platform",
    "year": "Year",
    "language": "Language",
    "result": "Result",
}
ORGANISATION_OPTIONS = 20  # the busiest organisations are offered; the rest via /organisations/
Selection = Mapping[str, Sequence[str]]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetValue]

    @property
    def selected_count(self):
        return sum(o.selected for o in self.options)


def value_labels(name: str, values: set[str]) -> dict[str, str]:
    """Display names of facet values; values that do not exist get none."""
    if not values:
        return {}
    if name in ("theme", "platform"):  # small tables: every name, cached per library version
        model = Theme if name == "theme" else Platform
        names = cached(f"{name}-names", lambda: dict(model.objects.values_list("slug", "name")))
        return {v: names[v] for v in values if v in names}
    if name == "organisation":
        public = Organisation.objects.public().filter(slug__in=values)
        return dict(public.values_list("slug", "name"))
    if name == "country":
        return {v: countries.name(v) for v in values if len(v) == 2 and countries.name(v)}
    if name == "language":
        return {v: language_name(v) for v in values}
    if name == "result":
        return {v: Result(v).label for v in values if v in Result.values}
    return {v: v for v in values}


def label_facets(counts: dict[str, dict[str, int]], selected: Selection) -> list[Facet]:
    """Counts -> facets with labelled options in display order. A selected value stays
    offered (ticked, count 0) when the other filters leave it no cases, so submitting the
    form again keeps it."""
    facets = []
    for name, label in FACETS.items():
        chosen = set(selected.get(name, ()))
        facet_counts = {k: n for k, n in counts.get(name, {}).items() if n}
        if name == "organisation":  # the busiest, and any chosen one
            busiest = sorted(facet_counts.items(), key=lambda kv: (-kv[1], kv[0]))
            facet_counts = dict(busiest[:ORGANISATION_OPTIONS]) | {
                v: facet_counts[v] for v in chosen if v in facet_counts
            }
        labels = value_labels(name, set(facet_counts) | chosen)
        options = [
            FacetValue(value, labels[value], facet_counts.get(value, 0), value in chosen)
            for value in set(facet_counts) | chosen
            if value in labels
        ]
        if name == "year":
            options.sort(key=lambda o: o.value, reverse=True)
        elif name == "result":
            options.sort(key=lambda o: Result.values.index(o.value))
        else:
            options.sort(key=lambda o: o.label.lower())
        facets.append(Facet(name, label, options))
    return facets
