"""Browsing by theme, country and organisation: index pages, detail pages, library links."""

from datetime import date

import pytest

from cases.models import Theme
from tests.factories import OrganisationFactory
from tests.helpers import html, import_cases, query_of, text

pytestmark = pytest.mark.django_db


def card_titles(soup):
    return [text(h) for h in soup.select(".case-card__title")]


def library_link(soup):
    return soup.find("a", string="Filter these cases further in the library")["href"]


def page_status(soup):
    element = soup.select_one(".pagination__status")
    return text(element) if element else None


@pytest.fixture
def orgs():
    return {
        "met": OrganisationFactory(name="Metropolitan Police", country="GB"),
        "kent": OrganisationFactory(name="Kent Police", country="GB"),
        "politie": OrganisationFactory(name="Politie Amsterdam", country="NL"),
        "idle": OrganisationFactory(name="Idle Constabulary", country="NL"),
    }


@pytest.fixture
def cases(make_case, orgs):
    made = {
        "met-1": make_case(
            title="Met one",
            organisation=orgs["met"],
            country="GB",
            themes=["recruitment", "crisis-communication"],
            case_date=date(2019, 1, 1),
        ),
        "met-2": make_case(
            title="Met two",
            organisation=orgs["met"],
            country="GB",
            themes=["recruitment"],
            case_date=date(2021, 1, 1),
        ),
        "kent": make_case(
            title="Kent one",
            organisation=orgs["kent"],
            country="GB",
            themes=["community-relations"],
            case_date=date(2020, 1, 1),
        ),
        "nl": make_case(
            title="Amsterdam one",
            organisation=orgs["politie"],
            country="NL",
            themes=["recruitment"],
            language="nl",
            case_date=date(2022, 1, 1),
        ),
        "draft": make_case(
            title="Idle draft",
            organisation=orgs["idle"],
            country="NL",
            themes=["recruitment", "wellbeing-and-resilience"],
            case_date=date(2023, 1, 1),
        ),
    }
    made["draft"].unpublish()
    return made


# Themes ----------------------------------------------------------------------------------


def test_theme_index_lists_all_twelve_themes_with_live_counts(client, cases):
    soup = html(client.get("/themes/"))
    tiles = {
        link["href"]: text(link.select_one(".theme-tile__count"))
        for link in soup.select(".theme-tile a")
    }

    assert set(tiles) == {
        f"/themes/{slug}/" for slug in Theme.objects.values_list("slug", flat=True)
    }
    assert len(tiles) == 12
    assert tiles["/themes/recruitment/"] == "3 cases"
    assert tiles["/themes/crisis-communication/"] == "1 case"
    assert tiles["/themes/wellbeing-and-resilience/"] == "0 cases"  # only a draft


def test_theme_index_shows_descriptions(client):
    soup = html(client.get("/themes/"))
    theme = Theme.objects.get(slug="crisis-communication")
    tile = soup.find("a", href="/themes/crisis-communication/").find_parent("li")
    assert text(tile.select_one(".theme-tile__description")) == theme.description


def test_theme_page_shows_description_and_only_its_live_cases(client, cases):
    soup = html(client.get("/themes/recruitment/"))
    theme = Theme.objects.get(slug="recruitment")

    assert text(soup.find("h1")) == "Recruitment"
    assert text(soup.select_one(".page-header .lede")) == theme.description
    assert card_titles(soup) == ["Amsterdam one", "Met two", "Met one"]  # newest first
    assert "3 cases, newest first." in text(soup.select_one(".theme-cases"))


def test_theme_page_links_into_the_library_filtered_by_theme(client, cases):
    href = library_link(html(client.get("/themes/recruitment/")))
    assert href.startswith("/cases/?")
    assert query_of(href) == {"theme": ["recruitment"]}

    library = html(client.get(href))
    assert {text(h) for h in library.select(".case-list .case-card__title")} == {
        "Amsterdam one",
        "Met two",
        "Met one",
    }


def test_theme_page_with_no_cases_shows_empty_state(client, cases):
    soup = html(client.get("/themes/wellbeing-and-resilience/"))
    assert card_titles(soup) == []
    assert "No case has been filed under this theme yet." in text(soup.select_one(".empty-state"))


def test_theme_page_is_paginated_twenty_per_page(client):
    imported = import_cases(25, themes=["recruitment"])
    import_cases(2, start=25, themes=["crisis-communication"])

    first = html(client.get("/themes/recruitment/"))
    second = html(client.get("/themes/recruitment/?page=2"))

    assert len(card_titles(first)) == 20
    assert page_status(first) == "Page 1 of 2"
    assert len(card_titles(second)) == 5
    assert page_status(second) == "Page 2 of 2"
    assert set(card_titles(first)) | set(card_titles(second)) == {c.title for c in imported}
    assert page_status(html(client.get("/themes/recruitment/?page=abc"))) == "Page 1 of 2"
    assert page_status(html(client.get("/themes/recruitment/?page=99999"))) == "Page 2 of 2"


def test_unknown_theme_is_404(client):
    assert client.get("/themes/no-such-theme/").status_code == 404


# Countries -------------------------------------------------------------------------------


def test_country_index_lists_countries_with_live_counts(client, cases):
    soup = html(client.get("/countries/"))
    chips = [(text(a), a["href"]) for a in soup.select(".chip-list a.chip")]
    assert chips == [
        ("Netherlands 1 case", "/countries/NL/"),
        ("United Kingdom 3 cases", "/countries/GB/"),
    ]


def test_country_index_without_cases_says_so(client):
    soup = html(client.get("/countries/"))
    assert "No cases have been published yet." in text(soup.select_one(".chip-list"))


def test_country_page_shows_only_its_cases_and_organisations(client, cases):
    soup = html(client.get("/countries/GB/"))

    assert text(soup.find("h1")) == "United Kingdom"
    assert card_titles(soup) == ["Met two", "Kent one", "Met one"]
    organisations = [
        (text(a.find(string=True, recursive=False)), text(a.select_one(".chip__count")), a["href"])
        for a in soup.select(".page-header .chip-list a.chip")
    ]
    assert organisations == [
        ("Kent Police", "1", "/organisations/kent-police/"),
        ("Metropolitan Police", "2", "/organisations/metropolitan-police/"),
    ]


def test_country_page_leaves_out_organisations_with_only_drafts(client, cases):
    soup = html(client.get("/countries/NL/"))
    assert card_titles(soup) == ["Amsterdam one"]
    names = [text(a) for a in soup.select(".page-header .chip-list a.chip")]
    assert names == ["Politie Amsterdam 1"]


def test_country_code_in_lower_case_works(client, cases):
    upper = html(client.get("/countries/GB/"))
    lower = html(client.get("/countries/gb/"))
    assert text(lower.find("h1")) == "United Kingdom"
    assert card_titles(lower) == card_titles(upper)
    assert library_link(lower) == library_link(upper)


@pytest.mark.parametrize("code", ["ZZ", "zz", "GBR", "G", "--"])
def test_unknown_country_is_404(client, code):
    assert client.get(f"/countries/{code}/").status_code == 404


def test_country_page_links_into_the_library_filtered_by_country(client, cases):
    href = library_link(html(client.get("/countries/gb/")))
    assert href.startswith("/cases/?")
    assert query_of(href) == {"country": ["GB"]}
    library = html(client.get(href))
    assert len(library.select(".case-list .case-card")) == 3


def test_country_page_without_cases_shows_empty_state(client):
    soup = html(client.get("/countries/FR/"))
    assert text(soup.find("h1")) == "France"
    assert card_titles(soup) == []
    assert "No case from this country" in text(soup.select_one(".empty-state"))


# Organisations ---------------------------------------------------------------------------


def test_organisation_index_lists_organisations_with_live_cases(client, cases):
    soup = html(client.get("/organisations/"))
    rows = [
        (text(li.find("a")), li.find("a")["href"], text(li.select_one(".muted")))
        for li in soup.select(".org-list li")
    ]
    assert rows == [
        ("Kent Police", "/organisations/kent-police/", "United Kingdom · 1 case"),
        ("Metropolitan Police", "/organisations/metropolitan-police/", "United Kingdom · 2 cases"),
        ("Politie Amsterdam", "/organisations/politie-amsterdam/", "Netherlands · 1 case"),
    ]


def test_organisation_page_shows_only_its_cases_and_country(client, cases, orgs):
    soup = html(client.get("/organisations/metropolitan-police/"))

    assert text(soup.find("h1")) == "Metropolitan Police"
    assert card_titles(soup) == ["Met two", "Met one"]
    country = soup.select_one(".page-header a[href='/countries/GB/']")
    assert text(country) == "United Kingdom"
    assert soup.select_one(".page-header a[href='https://police.example/']") is not None


def test_organisation_page_links_into_the_library_filtered_by_organisation(client, cases):
    href = library_link(html(client.get("/organisations/metropolitan-police/")))
    assert href.startswith("/cases/?")
    assert query_of(href) == {"organisation": ["metropolitan-police"]}
    library = html(client.get(href))
    assert {text(h) for h in library.select(".case-list .case-card__title")} == {
        "Met one",
        "Met two",
    }


def test_organisation_with_only_drafts_is_not_public(client, cases):
    """Its name may come from a contribution still in review (see tests/contribute)."""
    assert client.get("/organisations/idle-constabulary/").status_code == 404


def test_unknown_organisation_is_404(client):
    assert client.get("/organisations/no-such-force/").status_code == 404


def test_browse_pages_escape_names(client, make_case):
    org = OrganisationFactory(name='<script>alert("org")</script>', country="GB")
    make_case(organisation=org, title='<script>alert("title")</script>')
    for url in ["/organisations/", org.get_absolute_url(), "/countries/GB/", "/themes/"]:
        content = client.get(url).content.decode()
        assert "<script" not in content.lower(), url
    soup = html(client.get(org.get_absolute_url()))
    assert text(soup.find("h1")) == '<script>alert("org")</script>'
