"""The map of cases by country, drawn on the server as SVG.

The shapes are Natural Earth's countries (public domain), converted once by build_shapes.py
into countries.json: an SVG path per ISO 3166-1 alpha-2 code, in the Equal Earth projection.
They are read once per process. The counts are the country index's own (one snapshot count),
so the map adds no query.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SHAPES = Path(__file__).with_name("countries.json")
STEPS = 5  # count classes, each a colour of the palette (site.css, .world-map__step-N)


@cache
def shapes() -> dict:
    return json.loads(SHAPES.read_text())


def class_bounds(highest: int) -> list[int]:
    """Upper bounds of up to five count classes from 1 to `highest`, growing geometrically
    (1, 2, 3, 5, 8 for 8; 2, 6, 15, 39, 100 for 100), so a few countries with many cases do
    not put every other country in the first class; one class a count when there are fewer
    counts than classes."""
    bounds: list[int] = []
    for k in range(1, STEPS + 1):
        bound = max(math.floor(highest ** (k / STEPS)), bounds[-1] + 1 if bounds else 1)
        if bound > highest:
            break
        bounds.append(bound)
    return bounds


@dataclass(frozen=True)
class CountClass:
    low: int
    high: int
    step: int  # 1 (lightest) to STEPS (darkest)


@dataclass(frozen=True)
class MappedCountry:
    code: str
    name: str
    count: int
    step: int
    path: str
    dot: tuple[int, int] | None  # for a country too small to see or click


@dataclass(frozen=True)
class WorldMap:
    width: int
    height: int
    countries: list[MappedCountry]  # with cases, linked, in the order given
    others: str  # one path: countries without cases and land of no country
    classes: list[CountClass]


def world_map(rows: list[dict]) -> WorldMap:
    """The map of `rows` ({code, name, count}, as cases.queries.library_countries gives them)."""
    data = shapes()
    bounds = class_bounds(max((row["count"] for row in rows), default=0))
    # fewer classes are spread over the palette, the highest always the darkest
    spread = (STEPS - 1) / max(len(bounds) - 1, 1)
    classes = [
        CountClass(
            low=bounds[i - 1] + 1 if i else 1,
            high=bound,
            step=STEPS - round((len(bounds) - 1 - i) * spread),
        )
        for i, bound in enumerate(bounds)
    ]
    countries = []
    for row in rows:
        path, dot = data["countries"].get(row["code"], ""), data["dots"].get(row["code"])
        if not path and not dot:
            continue  # a territory Natural Earth draws as part of another country
        step = next(c.step for c in classes if row["count"] <= c.high)
        countries.append(
            MappedCountry(row["code"], row["name"], row["count"], step, path, dot and tuple(dot))
        )
    mapped = {country.code for country in countries}
    others = [path for code, path in data["countries"].items() if code not in mapped]
    return WorldMap(
        width=data["width"],
        height=data["height"],
        countries=countries,
        others="".join([*others, data["land"]]),
        classes=classes,
    )
