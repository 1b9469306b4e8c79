"""The library's filter panel: Result first and open, each facet's first options with the rest
behind "Show all", a ticked option never hidden there, the OR/AND rule said in words, and
case cards with a picture only where a real one exists."""

import pytest

from cases.facets import FIRST_OPTIONS, Facet, FacetValue
from tests.cases.test_library import cases  # noqa: F401  (the five-case fixture)
from tests.factories import ImageFactory
from tests.helpers import html, text

pytestmark = pytest.mark.django_db


def facet(selected=()):
    options = [
        FacetValue(f"v{i:02}", f"Option {i:02}", 1, f"v{i:02}" in selected) for i in range(12)
    ]
    return Facet("theme", "Theme", options)


def values(options):
    return [o.value for o in options]


def test_a_facet_shows_its_first_options_and_keeps_the_rest_behind_show_all():
    first, rest = facet().split()
    assert values(first) == [f"v{i:02}" for i in range(FIRST_OPTIONS)]
    assert values(rest) == [f"v{i:02}" for i in range(FIRST_OPTIONS, 12)]


def test_a_ticked_option_is_always_among_the_first_shown_in_order():
    first, rest = facet(selected={"v10", "v01"}).split()
    assert values(first) == ["v00", "v01", "v02", "v03", "v04", "v10"]
    assert "v10" not in values(rest) and len(first) + len(rest) == 12


def test_more_ticked_options_than_room_are_all_shown():
    ticked = {f"v{i:02}" for i in range(4, 12)}
    first, rest = facet(selected=ticked).split()
    assert set(values(first)) == ticked and all(not o.selected for o in rest)


def test_result_is_the_first_group_and_open(client, cases):  # noqa: F811
    soup = html(client.get("/cases/"))
    groups = soup.select("#filters details.facet")
    assert text(groups[0].select_one("summary")) == "Result"
    assert groups[0].has_attr("open")
    closed = {text(g.select_one("summary")) for g in groups if not g.has_attr("open")}
    assert "Result" not in closed and "Theme" not in closed


def test_the_panel_says_how_ticks_combine(client, cases):  # noqa: F811
    note = text(html(client.get("/cases/")).select_one(".filters__logic"))
    assert "either" in note and "narrow" in note


def test_the_filters_toggle_says_how_many_filters_are_active(client, cases):  # noqa: F811
    soup = html(client.get("/cases/?theme=recruitment&theme=crisis-communication&country=GB"))
    assert text(soup.select_one(".filters-panel__toggle")) == "Filters 3 active"
    assert text(html(client.get("/cases/")).select_one(".filters-panel__toggle")) == "Filters"


def test_the_filter_panel_comes_before_the_results(client, cases):  # noqa: F811
    content = client.get("/cases/").content.decode()
    assert content.index('class="filters-panel"') < content.index('class="case-list"')


def test_cards_show_verdict_and_evidence_and_no_generated_illustration(client, cases):  # noqa: F811
    from wagtail.models import Collection

    from cases.demo import ILLUSTRATIONS_COLLECTION

    illustrations = Collection.get_first_root_node().add_child(name=ILLUSTRATIONS_COLLECTION)
    illustrated, photographed = cases["c1"], cases["c2"]
    illustrated.hero_image = ImageFactory(collection=illustrations)
    photographed.hero_image = ImageFactory()
    for case in (illustrated, photographed):
        case.hero_alt = "A picture"
        case.evidence = "evaluated"
        case.save_revision().publish()
    soup = html(client.get("/cases/"))
    cards = {text(c.select_one(".case-card__title")): c for c in soup.select(".case-card")}
    assert cards["c1"].select_one("picture") is None
    assert cards["c2"].select_one("picture") is not None
    assert (
        text(cards["c1"].select_one(".verdict-line")) == "Verdict: Worked How we know: Evaluated"
    )
    assert text(cards["c2"].select_one(".verdict-line")).startswith("Verdict: Mixed")
