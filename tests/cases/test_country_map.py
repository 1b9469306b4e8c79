"""The map of cases by country on /countries/: an SVG drawn on the server from the shipped
Natural Earth shapes, each country with cases a link to its page coloured by its count class,
the others grey and not links; a fixed number of queries however many cases there are."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django_countries.data import COUNTRIES

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cases.geo import STEPS, class_bounds, shapes, world_map
from tests.helpers import import_records

SVG = "{http://www.w3.org/2000/svg}"
DEMO_CASES = Path(__file__).resolve().parents[2] / "cases/demo/cases.jsonl"
# Drawn by Natural Earth as part of another country (France, Norway, the Netherlands,
# Australia, the United States, the United Kingdom, New Zealand), or too small for its
# 1:50m countries at all; Antarctica is left out on purpose. Cases from these are in the
# list under the map.
NOT_ON_THE_MAP = {
    "AQ", "BQ", "BV", "CC", "CX", "GF", "GI", "GP", "MQ", "RE", "SJ", "TK", "TV", "UM", "YT",
}  # fmt: skip


def the_map(response) -> ET.Element:
    """The map's SVG, parsed as XML (which fails unless it is well-formed)."""
    assert response.status_code == 200
    svg = re.search(r'<svg class="world-map__drawing".*?</svg>', response.text, re.DOTALL)
    assert svg, "no map on the page"
    return ET.fromstring(svg.group(0))


def links(svg) -> list[tuple[str, str]]:
    """(href, title) of every link in the map, in order."""
    return [(a.get("href"), a.find(f"{SVG}title").text) for a in svg.iter(f"{SVG}a")]


def cases_in(countries: dict[str, int], start: int = 0):
    records = [{"country": code} for code, n in countries.items() for _ in range(n)]
    import_records(records, start=start)


@pytest.mark.django_db
def test_each_country_with_cases_is_a_link_to_its_page_titled_with_its_count(client):
    cases_in({"GB": 3, "NL": 1, "LU": 2})
    svg = the_map(client.get("/countries/"))

    assert links(svg) == [
        (reverse("cases:country", args=["LU"]), "Luxembourg: 2 cases"),
        (reverse("cases:country", args=["NL"]), "Netherlands: 1 case"),
        (reverse("cases:country", args=["GB"]), "United Kingdom: 3 cases"),
    ]
    assert svg.get("role") == "group"
    assert svg.find(f"{SVG}title").get("id") == svg.get("aria-labelledby")
    for a in svg.iter(f"{SVG}a"):
        # the same words are shown, without script, on hover and keyboard focus
        caption = a.find(f"{SVG}text")
        assert caption.text == a.find(f"{SVG}title").text
        assert caption.get("aria-hidden") == "true"
    # each link draws its country's own shape, and a dot for one too small to see
    shape = {a.get("href"): a for a in svg.iter(f"{SVG}a")}
    assert shape["/countries/GB/"].find(f"{SVG}path").get("d") == shapes()["countries"]["GB"]
    assert shape["/countries/LU/"].find(f"{SVG}circle") is not None
    assert shape["/countries/GB/"].find(f"{SVG}circle") is None


@pytest.mark.django_db
def test_countries_without_cases_are_grey_and_not_links(client):
    cases_in({"GB": 1})
    svg = the_map(client.get("/countries/"))

    assert [href for href, _ in links(svg)] == ["/countries/GB/"]
    outside_links = svg.findall(f"{SVG}path")  # direct children only
    assert [p.get("class") for p in outside_links] == ["world-map__none"]
    grey = outside_links[0].get("d")
    assert shapes()["countries"]["FR"] in grey
    assert shapes()["countries"]["GB"] not in grey
    assert shapes()["land"] in grey  # Kosovo, Somaliland...: land of no country in the list
    assert not any(e.get("tabindex") for e in svg.iter())


@pytest.mark.django_db
def test_no_map_before_any_case_is_published(client):
    response = client.get("/countries/")
    assert "world-map" not in response.text
    assert "No cases have been published yet." in response.text


@pytest.mark.django_db
def test_map_is_in_the_visitors_language(client):
    cases_in({"GB": 3, "DE": 1})
    client.cookies["django_language"] = "de"
    svg = the_map(client.get("/countries/"))

    assert [title for _, title in links(svg)] == [
        "Deutschland: 1 Fall",
        "Vereinigtes Königreich: 3 Fälle",
    ]
    assert svg.find(f"{SVG}title").text == "Karte der Länder mit Fällen"


def test_names_are_escaped_in_the_drawing():
    name = 'Fredonia <script>alert("x")</script> & Sons'
    rows = [{"code": "GB", "name": name, "count": 2}]
    with translation.override("en"):
        svg = ET.fromstring(
            re.search(
                r"<svg.*</svg>",
                render_to_string("cases/world_map.html", {"world_map": world_map(rows)}),
                re.DOTALL,
            ).group(0)
        )
    assert [title for _, title in links(svg)] == [f"{name}: 2 cases"]
    assert svg.find(f".//{SVG}script") is None


@pytest.mark.django_db
def test_legend_names_each_count_class_and_colours_countries_by_it(client):
    cases_in({"GB": 8, "US": 5, "DE": 3, "NL": 2, "BE": 1})
    response = client.get("/countries/")
    svg = the_map(response)

    step = {a.get("href"): a.get("class") for a in svg.iter(f"{SVG}a")}
    assert step == {
        "/countries/BE/": "world-map__step-1",
        "/countries/NL/": "world-map__step-2",
        "/countries/DE/": "world-map__step-3",
        "/countries/US/": "world-map__step-4",
        "/countries/GB/": "world-map__step-5",
    }
    legend = re.sub(r"<[^>]+>|\s+", " ", response.text.split('class="world-map__legend"')[1])
    assert " ".join(legend.split()).startswith("> Cases per country 1 2 3 4–5 6–8 No cases"), (
        legend[:200]
    )


@pytest.mark.parametrize(
    "highest, bounds",
    [(0, []), (1, [1]), (3, [1, 2, 3]), (5, [1, 2, 3, 4, 5]), (8, [1, 2, 3, 5, 8])]
    + [(100, [2, 6, 15, 39, 100]), (1000, [3, 15, 63, 251, 1000])],
)
def test_count_classes_grow_geometrically_up_to_the_highest_count(highest, bounds):
    assert class_bounds(highest) == bounds


def test_fewer_classes_spread_over_the_palette_with_the_highest_darkest():
    def steps(highest):
        rows = [{"code": "GB", "name": "x", "count": highest}]
        return [c.step for c in world_map(rows).classes]

    assert steps(1) == [STEPS]
    assert steps(2) == [1, STEPS]
    assert steps(3) == [1, 3, STEPS]
    assert steps(4) == [1, 2, 4, STEPS]
    assert steps(40) == [1, 2, 3, 4, STEPS]


def test_shapes_cover_every_country_of_the_demo_library_and_are_read_once():
    demo = {json.loads(line)["country"] for line in DEMO_CASES.read_text().splitlines()}
    assert demo and demo <= set(shapes()["countries"])
    # every other country a case may name has a shape or at least a dot, but the known few
    drawn = set(shapes()["countries"]) | set(shapes()["dots"])
    assert set(COUNTRIES) - drawn == NOT_ON_THE_MAP
    assert shapes() is shapes()


@pytest.mark.usefixtures("views_rendered")
@pytest.mark.django_db
@pytest.mark.parametrize("cold", [False, True], ids=["warm", "cold"])
def test_country_index_queries_do_not_grow_with_cases_or_countries(client, cold):
    def queries():
        client.get("/countries/")
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as context:
            svg = the_map(client.get("/countries/"))
        return len(context.captured_queries), len(links(svg))

    cases_in({"GB": 3, "NL": 2})
    few, linked = queries()
    assert linked == 2

    cases_in({"GB": 10, "NL": 10, "DE": 10, "FR": 5, "US": 5, "CA": 3}, start=5)
    many, linked = queries()
    assert linked == 6
    assert few == many
