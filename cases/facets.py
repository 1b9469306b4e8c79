"""The library's facets counted: the counted values labelled and ordered.

Several values of one facet are OR-ed, facets are AND-ed, and each facet's counts apply
every other selected filter but not its own, so a visitor sees what ticking one more box
would give. Counting is done by cases/snapshot.py (library page, database search) or by
Elasticsearch aggregations; the facets themselves are declared in cases/listing.py, and the
labels and their order come from there for all of them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cases.listing import BOUNDS, FACETS

Selection = Mapping[str, Sequence[str]]

# A filter panel shows this many options of a facet (and every ticked one); the others are
# one "Show all" away, so no facet needs a scroll box of its own.
FIRST_OPTIONS = 6


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class BoundValue:
    """One end of a range offered beside a facet's options (from year, to year)."""

    param: str
    label: str
    value: str
    lowest: int
    highest: int


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetValue]
    bounds: list[BoundValue] = field(default_factory=list)

    @property
    def selected_count(self):
        return sum(o.selected for o in self.options) + sum(bool(b.value) for b in self.bounds)

    def split(self, shown: int = FIRST_OPTIONS) -> tuple[list[FacetValue], list[FacetValue]]:
        """(the options always shown, the rest behind "Show all"): every ticked option is
        shown, then the first others up to `shown`, each part in display order."""
        room = max(shown - self.selected_count, 0)
        first, rest = [], []
        for option in self.options:
            if option.selected or room:
                room -= not option.selected
                first.append(option)
            else:
                rest.append(option)
        return first, rest

    @property
    def first_options(self):
        return self.split()[0]

    @property
    def more_options(self):
        return self.split()[1]


def value_labels(name: str, values: set[str]) -> dict[str, str]:
    """Display names of facet values; values that do not exist get none."""
    return FACETS[name].label_values(values)


def label_facets(counts: dict[str, dict[str, int]], selected: Selection) -> list[Facet]:
    """Counts -> facets with labelled options in display order. A selected value stays
    offered (ticked, count 0) when the other filters leave it no cases, so submitting the
    form again keeps it."""
    facets = []
    for name, definition in FACETS.items():
        chosen = set(selected.get(name, ()))
        facet_counts = {k: n for k, n in counts.get(name, {}).items() if n}
        if definition.offered:  # the busiest, and any chosen one
            busiest = sorted(facet_counts.items(), key=lambda kv: (-kv[1], kv[0]))
            facet_counts = dict(busiest[: definition.offered]) | {
                v: facet_counts[v] for v in chosen if v in facet_counts
            }
        labels = value_labels(name, set(facet_counts) | chosen)
        options = [
            FacetValue(value, labels[value], facet_counts.get(value, 0), value in chosen)
            for value in set(facet_counts) | chosen
            if value in labels
        ]
        options.sort(key=lambda o: definition.sort_key(o.value, o.label))
        if definition.descending:
            options.reverse()
        bounds = [
            BoundValue(b.param, b.label, (selected.get(b.param) or [""])[0], b.lowest, b.highest)
            for b in BOUNDS.values()
            if b.facet == name
        ]
        facets.append(Facet(name, definition.label, options, bounds))
    return facets
