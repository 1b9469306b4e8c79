"""The home page (themes with counts, latest cases, countries) and the About page."""

from datetime import date

import pytest

from cases.models import Theme
from tests.factories import OrganisationFactory
from tests.helpers import html, text

pytestmark = pytest.mark.django_db


def theme_tiles(soup):
    """{theme slug: count text} from the home page's theme grid."""
    section = soup.find("section", attrs={"aria-labelledby": "themes-heading"})
    tiles = {}
    for link in section.select(".theme-tile a"):
        slug = link["href"].strip("/").split("/")[-1]
        tiles[slug] = text(link.select_one(".theme-tile__count"))
    return tiles


def latest_titles(soup):
    section = soup.find("section", attrs={"aria-labelledby": "latest-heading"})
    return [text(h) for h in section.select(".case-card__title")]


def country_chips(soup):
    """[(name, count, href)] from the 'Countries represented' section."""
    section = soup.find("section", attrs={"aria-labelledby": "countries-heading"})
    chips = []
    for link in section.select("a.chip"):
        count = link.select_one(".chip__count")
        chips.append((text(link).removesuffix(text(count)).strip(), text(count), link["href"]))
    return chips


def test_home_page_renders(client):
    soup = html(client.get("/"))
    assert soup.find("h1") is not None
    assert soup.find("a", href="/cases/", string="Browse the library") is not None


def test_home_opens_with_a_labelled_search_box_that_works_without_javascript(client):
    soup = html(client.get("/"))
    form = soup.select_one(".hero form[role=search]")
    assert form is not None and form["action"] == "/search/" and form.get("method") == "get"
    box = form.find("input", attrs={"name": "q"})
    assert soup.find("label", attrs={"for": box["id"]}) is not None
    assert form.find("button", attrs={"type": "submit"}) is not None
    assert client.get("/search/", {"q": "manhunt"}).status_code == 200


def test_home_lists_every_theme_with_its_count_of_live_cases(client, make_case):
    make_case(themes=["recruitment", "crisis-communication"])
    make_case(themes=["recruitment"])
    draft = make_case(themes=["recruitment", "community-relations"])
    draft.unpublish()

    tiles = theme_tiles(html(client.get("/")))

    assert set(tiles) == set(Theme.objects.values_list("slug", flat=True))
    assert len(tiles) == 12
    assert tiles["recruitment"] == "2 cases"
    assert tiles["crisis-communication"] == "1 case"
    assert tiles["community-relations"] == "0 cases"  # only a draft is filed here
    assert tiles["wellbeing-and-resilience"] == "0 cases"


def test_home_shows_at_most_six_latest_cases_newest_first(client, make_case):
    for day in (3, 9, 1, 7, 5, 2, 8):
        make_case(title=f"Case of day {day}", case_date=date(2020, 6, day))

    assert latest_titles(html(client.get("/"))) == [
        "Case of day 9",
        "Case of day 8",
        "Case of day 7",
        "Case of day 5",
        "Case of day 3",
        "Case of day 2",
    ]


def test_home_latest_cases_leave_out_drafts(client, make_case):
    make_case(title="Published case", case_date=date(2020, 1, 1))
    draft = make_case(title="Unpublished newest case", case_date=date(2024, 1, 1))
    draft.unpublish()

    assert latest_titles(html(client.get("/"))) == ["Published case"]


def test_home_lists_countries_with_counts_and_links(client, make_case):
    dutch = OrganisationFactory(name="Politie Nederland", country="NL")
    make_case(country="GB")
    make_case(country="GB")
    make_case(country="NL", organisation=dutch)
    draft = make_case(country="FR")
    draft.unpublish()

    chips = country_chips(html(client.get("/")))

    assert chips == [
        ("Netherlands", "1", "/countries/NL/"),
        ("United Kingdom", "2", "/countries/GB/"),
    ]


def test_home_stats_count_live_cases_and_countries(client, make_case):
    make_case(country="GB")
    make_case(country="NL")
    make_case(country="GB").unpublish()

    stats = text(html(client.get("/")).select_one(".hero__stats"))

    assert stats.startswith("2 case studies from 2 countries")


def test_home_with_no_cases_says_so(client):
    soup = html(client.get("/"))

    assert latest_titles(soup) == []
    assert "No cases have been published yet." in text(soup.find(id="latest-heading").parent)
    assert country_chips(soup) == []


def test_about_page_renders_its_intro_and_body(client):
    soup = html(client.get("/about/"))

    assert text(soup.find("h1")) == "About Common Ground"
    body = soup.select_one(".page-body")
    assert "Common Ground is a library of case studies" in text(body.select_one(".lede"))
    assert [text(h) for h in body.find_all("h2")] == ["What a case study tells you", "Dates"]
    paragraphs = [text(p) for p in body.select(".rich-text p")]
    assert len(paragraphs) == 3
    assert "Failures are published on purpose" in paragraphs[1]


def test_home_counts_follow_publishing_and_unpublishing(
    client, make_case, django_capture_on_commit_callbacks
):
    # Theme and country counts are cached until a publishing transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        first = make_case(themes=["recruitment"], country="GB")
    assert theme_tiles(html(client.get("/")))["recruitment"] == "1 case"

    with django_capture_on_commit_callbacks(execute=True):
        make_case(themes=["recruitment"], country="NL")
    soup = html(client.get("/"))
    assert theme_tiles(soup)["recruitment"] == "2 cases"
    assert [name for name, _, _ in country_chips(soup)] == ["Netherlands", "United Kingdom"]

    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    soup = html(client.get("/"))
    assert theme_tiles(soup)["recruitment"] == "1 case"
    assert country_chips(soup) == [("Netherlands", "1", "/countries/NL/")]
    assert text(soup.select_one(".hero__stats")).startswith("1 case study from 1 country")
