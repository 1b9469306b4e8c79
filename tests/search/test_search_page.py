"""The /search/ page: works without JavaScript, shows what it found and how to go on."""

import datetime
from datetime import UTC

import pytest
from bs4 import BeautifulSoup

from cases.cache import bump_library_version
from cases.models import CaseStudyPage
from tests.helpers import query_of

pytestmark = pytest.mark.usefixtures("corpus")


def soup_of(client, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_results_with_highlights_and_count(client):
    soup = soup_of(client, {"q": "gunman"})
    assert "1 case for “gunman”" in soup.select_one(".results__count").get_text(" ", strip=True)
    assert soup.select_one(".hit__title a")["href"] == "/cases/moncton-manhunt/"
    assert [m.get_text() for m in soup.select(".hit__reason mark")] == ["gunman"]


def test_filters_are_checkboxes_and_active_ones_are_removable_chips(client):
    soup = soup_of(client, {"q": "twitter", "country": "GB", "theme": "engagement-and-content"})
    assert soup.select_one("input[type=checkbox][name=country][value=GB]").has_attr("checked")
    chips = {a.get_text(" ", strip=True): a["href"] for a in soup.select(".chip--removable")}
    country_chip = next(href for text, href in chips.items() if "United Kingdom" in text)
    assert "country=" not in country_chip and "q=twitter" in country_chip
    assert "theme=engagement-and-content" in country_chip


def test_export_links_carry_the_same_query(client):
    soup = soup_of(client, {"q": "floods", "country": "AU"})
    hrefs = [a["href"] for a in soup.select(".results__export a")]
    assert hrefs == [
        "/api/search/export.csv?q=floods&country=AU",
        "/api/search/export.jsonl?q=floods&country=AU",
    ]


def test_no_results_page_helps(client):
    soup = soup_of(client, {"q": "recruitmnt", "country": "GB"})
    empty = soup.select_one(".empty-state")
    assert "No cases match" in empty.get_text()
    assert empty.select_one("a[href='?q=recruitment']")  # did you mean
    assert empty.select_one("a[href='/search/?q=recruitmnt']")  # search again without filters


def test_bad_parameters_on_the_page_are_ignored_with_a_notice(client):
    soup = soup_of(client, {"q": "floods", "theme": "nope", "page": "abc", "sort": "weird"})
    assert "not recognised" in soup.select_one(".notice").get_text()
    assert soup.select(".hit")


def test_a_page_beyond_the_last_shows_the_last(client):
    soup = soup_of(client, {"page": "99", "page_size": "4"})
    assert "Page 2 of 2" in soup.select_one(".pagination__status").get_text()


def test_markup_in_the_query_is_escaped(client):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("/themes/recruitment/", "/search/?theme=recruitment"),
        ("/countries/GB/", "/search/?country=GB"),
        ("/organisations/test-police/", "/search/?organisation=test-police"),
        (
            "/cases/?country=GB&theme=engagement-and-content",
            "/search/?theme=engagement-and-content&country=GB",
        ),
    ],
)
def test_browse_pages_link_into_search_with_their_filters(client, url, link):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    assert soup.select_one(f'a[href="{link}"]'), link


def test_clear_filters_keeps_the_words(client):
    soup = soup_of(client, {"q": "floods", "country": "AU"})
    assert [a["href"] for a in soup.select(".filters__actions a")] == ["/search/?q=floods"]


@pytest.mark.parametrize("q", ["flood facebook", "twitter recruitment", "gunman twitter"])
def test_the_headline_says_how_many_match_all_the_words_and_how_many_some(client, q):
    from search.query import SearchQuery
    from search.service import get_search_service

    results = get_search_service().search(SearchQuery(text=q))
    every, some = results.total_all_words, results.total_some_words
    assert some, "each query has cases matching only some of its words"
    heading = soup_of(client, {"q": q}).select_one(".results__count").get_text(" ", strip=True)
    heading = " ".join(heading.split())
    if every == 1:
        assert heading.startswith(f"1 case matches all the words of “{q}”; ")
    elif every:
        assert heading.startswith(f"{every} cases match all the words of “{q}”; ")
    else:
        assert heading.startswith(f"No case matches all the words of “{q}”; ")
    # "related": they match some of the words, or (meaning search) none but the meaning.
    more = "more are" if every else ("cases are" if some > 1 else "case is")
    if every and some == 1:
        more = "more is"
    assert heading.endswith(f"{some} {more} related")


def test_recently_added_is_offered_and_lists_the_last_published_first(client):
    # The oldest case in the corpus (2011) is the one added last.
    CaseStudyPage.objects.update(first_published_at=datetime.datetime(2024, 1, 1, tzinfo=UTC))
    CaseStudyPage.objects.filter(external_id="flood-myths").update(
        first_published_at=datetime.datetime(2025, 1, 1, tzinfo=UTC)
    )
    bump_library_version()

    soup = soup_of(client, {"q": "facebook", "sort": "added"})
    options = {o["value"]: o.get_text(strip=True) for o in soup.select("select[name=sort] option")}
    assert options == {
        "relevance": "Best match",
        "newest": "Newest first",
        "oldest": "Oldest first",
        "added": "Recently added",
    }
    assert soup.select_one("select[name=sort] option[selected]")["value"] == "added"
    hits = [a["href"] for a in soup.select(".hit__title a")]
    assert hits[0] == "/cases/flood-myths/"
    assert "/cases/recruitment-video/" in hits[1:]


def test_empty_fields_of_the_filter_form_are_dropped_from_the_address(client):
    """Without JavaScript "Apply filters" sends every field: the page answers with a redirect
    to the address without the empty ones, and its own links carry none."""
    response = client.get(
        "/search/?q=floods&sort=relevance&country=AU&year_from=&year_to=&theme=&country="
    )
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=floods&sort=relevance&country=AU"
    soup = soup_of(client, {"year_from": "2000", "page_size": "2"})
    links = [a["href"] for a in soup.select(".pagination a, .results__export a, a.chip")]
    assert len(links) >= 4 and all(
        all(value for values in query_of(href).values() for value in values) for href in links
    )


@pytest.mark.parametrize(
    ("asked", "clean"),
    [("/search/?q=", "/search/"), ("/search/?q=%20&page=2", "/search/?page=2")],
)
def test_an_address_of_only_empty_fields_loses_them(client, asked, clean):
    assert client.get(asked)["Location"] == clean


def test_an_address_without_empty_fields_is_answered_at_once(client):
    assert client.get("/search/?q=floods&year_from=2010").status_code == 200


def test_pagination_names_each_link_in_one_phrase(client):
    client.cookies["django_language"] = "fr"
    soup = soup_of(client, {"page": "2", "page_size": "2"})
    assert soup.select_one(".pagination a[rel=prev]").get_text(strip=True) == "← Page précédente"
    assert soup.select_one(".pagination a[rel=next]").get_text(strip=True) == "Page suivante →"
    assert soup.select_one(".pagination a[rel=prev]")["href"] == "?page=1"  # not "?&page=1"
