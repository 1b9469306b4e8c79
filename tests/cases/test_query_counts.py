"""Every listing and the case page run a fixed number of queries, however many cases exist.

Each page is rendered once to warm caches (image renditions are created on first render,
counts are cached), then the queries of a second request are counted: first with 5 cases,
then again after 45 more are imported. Every case has the same hero image, two themes and a
platform, so each card exercises the image, theme and organisation lookups. These count the
views' own queries, with the page cache off; a page served from the cache is counted last.
"""

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import CaseStudyPage
from tests.factories import ImageFactory
from tests.helpers import html, import_cases

# The views run for every request (the last test turns the page cache back on).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("views_rendered")]

THEMES = ["recruitment", "crisis-communication"]


@pytest.fixture
def image():
    return ImageFactory()


def add_cases(count, start, image):
    cases = import_cases(count, start=start, themes=THEMES, platforms=["Twitter"], country="GB")
    CaseStudyPage.objects.filter(pk__in=[c.pk for c in cases]).update(
        hero_image=image, hero_alt="A police officer at a laptop"
    )
    return cases


def queries(client, url, cold=False):
    """The number of queries of a request after a warming one; fails on a non-200.

    `cold` empties the cache between the two, so cached counts are computed again (the
    renditions the first request made stay).
    """
    html(client.get(url))
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        soup = html(client.get(url))
    return len(context.captured_queries), soup


# Measured: warm (cached counts) / cold (counts computed) queries, the same with 5 and 50
# cases. Bounds leave a little room; cards is how many cards show with 50 cases.
PAGES = {
    # name: (url, warm bound, cold bound, cards)
    "library": ("/cases/", 11 + 3, 22 + 3, 20),
    "library-theme": ("/cases/?theme=recruitment", 12 + 3, 23 + 3, 20),
    "library-range": (
        "/cases/?year_from=2000&year_to=2030"
        "&evidence=anecdotal&evidence=monitored&evidence=evaluated",
        11 + 3,
        22 + 3,
        20,
    ),
    "home": ("/", 9 + 3, 13 + 3, 6),
    "theme": ("/themes/recruitment/", 8 + 3, 9 + 3, 20),
    "country": ("/countries/GB/", 8 + 3, 9 + 3, 20),
}
# The case page (measured 18 warm, 22 cold): + 1 for the questions and answers
# (commonground/discussion: the posts, and with posts the badges in two more, tested in
# tests/discussion), + 1 for its trail of replications, however many there are. The case
# is routed in one query with its organisation (cases.models.CaseIndexPage.route) and its
# related cases are found in one, on the library snapshot (search/engines/database.py).
CASE_PAGE_BOUNDS = {False: 16 + 2 + 1 + 1, True: 20 + 2 + 1 + 1}


@pytest.mark.parametrize("cold", [False, True], ids=["warm", "cold"])
@pytest.mark.parametrize("name", list(PAGES))
def test_listing_queries_do_not_grow_with_the_number_of_cases(client, image, name, cold):
    url, warm_bound, cold_bound, cards = PAGES[name]
    add_cases(5, 0, image)
    few, soup = queries(client, url, cold)
    assert len(soup.select(".case-card")) == 5
    assert len(soup.select(".case-card picture")) == 5

    add_cases(45, 5, image)
    many, soup = queries(client, url, cold)
    assert len(soup.select(".case-card")) == cards
    assert len(soup.select(".case-card picture")) == cards

    assert few == many, f"{name}: {few} queries with 5 cases, {many} with 50"
    bound = cold_bound if cold else warm_bound
    assert many <= bound, f"{name}: {many} queries"


@pytest.mark.parametrize("cold", [False, True], ids=["warm", "cold"])
def test_case_page_queries_do_not_grow_with_the_number_of_cases(client, image, cold):
    first = add_cases(5, 0, image)[0]
    few, soup = queries(client, first.url, cold)
    assert len(soup.select("section.related .case-card picture")) == 4

    add_cases(45, 5, image)
    many, soup = queries(client, first.url, cold)
    assert len(soup.select("section.related .case-card picture")) == 4

    assert few == many, f"case page: {few} queries with 5 cases, {many} with 50"
    assert many <= CASE_PAGE_BOUNDS[cold], f"case page: {many} queries"


def test_case_page_queries_do_not_grow_with_the_number_of_related_cases(client, image):
    first = add_cases(2, 0, image)[0]
    one_related, soup = queries(client, first.url)
    assert len(soup.select("section.related .case-card")) == 1

    add_cases(3, 2, image)
    four_related, soup = queries(client, first.url)
    assert len(soup.select("section.related .case-card")) == 4

    assert one_related == four_related


# Served from the page cache: the library version read for the key, and the case's view
# counted after the response (commonground/analytics).
CACHED_CASE_PAGE_QUERIES = 1 + 1


def test_a_case_page_served_from_the_cache_reads_only_the_library_version(client, image, settings):
    settings.PAGE_CACHE_ENABLED = True
    first = add_cases(50, 0, image)[0]
    client.defaults["HTTP_USER_AGENT"] = "Mozilla/5.0"
    stored = html(client.get(first.url))
    with CaptureQueriesContext(connection) as context:
        served = html(client.get(first.url))
    assert served.select_one("h1").get_text() == stored.select_one("h1").get_text()
    statements = [q["sql"] for q in context.captured_queries]
    assert len(statements) == CACHED_CASE_PAGE_QUERIES, statements
    assert "cases_libraryversion" in statements[0]
