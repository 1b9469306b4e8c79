"""Atom feeds of the library, themes, countries, organisations and any search: valid Atom read
by a real parser, only live public cases, the page's filters, hostile text, bad query strings,
and a fixed number of queries however many cases exist."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from cases.cache import bump_library_version
from cases.models import CaseStudyPage, Organisation, Theme
from search.feeds import FEED_LIMIT
from tests.helpers import html, import_cases, text
from tests.search.conftest import case

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(response):
    """The feed parsed twice: by feedparser (which must find nothing wrong) and as XML (whose
    root must be an Atom feed)."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, root


def titles(parsed):
    return [entry.title for entry in parsed.entries]


def path_of(url):
    return urlsplit(url).path


@pytest.fixture
def library_cases(add_cases):
    add_cases(
        case(
            "manhunt",
            title="Keeping residents safe during a manhunt",
            themes=["crisis-communication"],
            country="CA",
            organisation="Royal Canadian Mounted Police",
            published="2014-06-04",
        ),
        case(
            "recruits",
            title="A recruitment video that went viral",
            themes=["recruitment", "engagement-and-content"],
            country="NZ",
            organisation="New Zealand Police",
            published="2017-03-01",
        ),
        case(
            "floods",
            title="Flood warnings on Facebook",
            summary="Twitter and Facebook kept residents informed during the floods.",
            themes=["crisis-communication"],
            country="GB",
            organisation="Cumbria Police",
            published="2016-01-01",
        ),
    )


# Valid Atom ----------------------------------------------------------------------------


@pytest.mark.usefixtures("library_cases")
def test_the_library_feed_is_valid_atom_with_every_entry_field(client):
    response = client.get("/feeds/cases/")
    parsed, root = atom(response)
    assert response["Cache-Control"] == "max-age=300"

    assert parsed.feed.title == "Common Ground: newest cases"
    assert parsed.feed.subtitle == "The newest case studies in the Common Ground library."
    assert parsed.feed.link == "http://testserver/cases/"
    assert parsed.feed.id == "http://testserver/feeds/cases/"
    assert {link.rel: link.href for link in parsed.feed.links}["self"] == parsed.feed.id
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-gb"

    # Most recently added first: imported together, the newest row first.
    assert titles(parsed) == [
        "Flood warnings on Facebook",
        "A recruitment video that went viral",
        "Keeping residents safe during a manhunt",
    ]
    page = CaseStudyPage.objects.get(external_id="floods")
    entry = parsed.entries[0]
    assert entry.link == entry.id == "http://testserver/cases/floods/"
    assert entry.summary == "Twitter and Facebook kept residents informed during the floods."
    assert entry.summary_detail.type == "text/plain"
    assert entry.author == "Cumbria Police"
    assert entry.author_detail.href == f"http://testserver{page.organisation.get_absolute_url()}"
    assert [tag.term for tag in entry.tags] == ["Crisis communication"]
    published = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    updated = datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC)
    assert published == page.first_published_at.replace(microsecond=0)
    assert updated == page.last_published_at.replace(microsecond=0)
    # Every entry has the elements Atom requires.
    for element in root.iter(f"{ATOM}entry"):
        assert {child.tag for child in element} >= {
            f"{ATOM}{name}" for name in ("title", "link", "id", "updated", "author", "summary")
        }


def test_a_republished_case_keeps_its_id_and_moves_its_updated_date(client, add_cases):
    add_cases(case("floods", title="Flood warnings"))
    before = feedparser.parse(client.get("/feeds/cases/").content).entries[0]
    page = CaseStudyPage.objects.get(external_id="floods")
    page.title = "Flood warnings, revised"
    page.save_revision().publish()

    after = feedparser.parse(client.get("/feeds/cases/").content).entries[0]
    assert after.id == before.id
    assert after.title == "Flood warnings, revised"
    assert after.published == before.published
    updated = datetime.datetime.fromisoformat
    assert updated(after.updated) > updated(before.updated)


def test_a_feed_holds_the_most_recently_added_cases_only(client, db):
    import_cases(FEED_LIMIT + 5)
    parsed, _ = atom(client.get("/feeds/cases/"))
    added = CaseStudyPage.objects.live().order_by("-first_published_at", "-pk")[:FEED_LIMIT]
    assert [path_of(e.link) for e in parsed.entries] == [p.url for p in added]


def test_an_old_case_published_today_comes_first(client, add_cases):
    """A case that happened long ago but reached the library today is news to a subscriber,
    though the newest FEED_LIMIT cases by when they happened leave it out."""
    import_cases(
        FEED_LIMIT + 5, published="2015-06-01", themes=["engagement-and-content"], country="GB"
    )
    CaseStudyPage.objects.update(first_published_at=timezone.now() - datetime.timedelta(days=30))
    add_cases(case("old-news", title="A case from 2003, added today", published="2003-02-01"))
    page = CaseStudyPage.objects.get(external_id="old-news")
    assert page.first_published_at.date() == timezone.now().date()
    newest = client.get("/api/search/", {"sort": "newest", "page_size": FEED_LIMIT}).json()
    assert page.url not in [hit["url"] for hit in newest["results"]]

    for url in ("/feeds/cases/", "/feeds/themes/engagement-and-content/", "/feeds/countries/GB/"):
        parsed, _ = atom(client.get(url))
        assert titles(parsed)[0] == "A case from 2003, added today", url
        assert len(parsed.entries) == FEED_LIMIT


def test_an_empty_feed_is_valid(client, db):
    parsed, _ = atom(client.get("/feeds/themes/recruitment/"))
    assert parsed.entries == []


# Only live, public cases --------------------------------------------------------------


def test_drafts_unpublished_and_private_cases_never_appear(client, add_cases, make_case):
    add_cases(
        case("shown", title="A published case"),
        case("unpublished", title="A case taken down"),
        case("private", title="A case behind a password"),
        case("edited", title="The published title"),
    )
    CaseStudyPage.objects.get(external_id="unpublished").unpublish()
    private = CaseStudyPage.objects.get(external_id="private")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    edited = CaseStudyPage.objects.get(external_id="edited")
    edited.title = "A draft title nobody has approved"
    edited.save_revision()  # a draft of a live case: the live title stays
    draft = make_case(title="A member's draft", publish=False)
    draft.unpublish()
    bump_library_version()

    for url in (
        "/feeds/cases/",
        "/feeds/search/?q=summary",
        "/feeds/themes/engagement-and-content/",
        "/feeds/countries/GB/",
        "/feeds/organisations/test-police/",
    ):
        parsed, _ = atom(client.get(url))
        assert sorted(titles(parsed)) == ["A published case", "The published title"], url


# The page's cases -----------------------------------------------------------------------


@pytest.mark.usefixtures("library_cases")
@pytest.mark.parametrize(
    "url, title, cases",
    [
        (
            "/feeds/themes/crisis-communication/",
            "Common Ground: newest cases on the theme “Crisis communication”",
            ["Flood warnings on Facebook", "Keeping residents safe during a manhunt"],
        ),
        (
            "/feeds/countries/nz/",
            "Common Ground: newest cases from New Zealand",
            ["A recruitment video that went viral"],
        ),
        (
            "/feeds/organisations/cumbria-police/",
            "Common Ground: newest cases from Cumbria Police",
            ["Flood warnings on Facebook"],
        ),
        (
            "/feeds/cases/?theme=crisis-communication&country=CA",
            "Common Ground: newest cases (Theme: Crisis communication; Country: Canada)",
            ["Keeping residents safe during a manhunt"],
        ),
        (
            "/feeds/search/?q=residents",
            "Common Ground: newest cases for “residents”",
            ["Flood warnings on Facebook", "Keeping residents safe during a manhunt"],
        ),
        (
            "/feeds/search/?q=residents&theme=crisis-communication&year_from=2015",
            "Common Ground: newest cases for “residents” (Theme: Crisis communication; "
            "From year: 2015)",
            ["Flood warnings on Facebook"],
        ),
    ],
)
def test_each_feed_lists_its_pages_cases_and_names_them(client, url, title, cases):
    parsed, _ = atom(client.get(url))
    assert parsed.feed.title == title
    assert titles(parsed) == cases


@pytest.mark.usefixtures("library_cases")
@pytest.mark.parametrize(
    "feed, params",
    [
        ("/feeds/search/?q=residents+twitter", {"q": "residents twitter"}),
        ("/feeds/cases/", {}),
        ("/feeds/themes/crisis-communication/", {"theme": "crisis-communication"}),
    ],
)
def test_a_feed_lists_what_the_api_lists_most_recently_added_first(
    client, library_cases, add_cases, feed, params
):
    # Added in an order that is neither when they happened nor their titles'.
    add_cases(
        case(
            "archive",
            title="Residents and Twitter in the 2009 floods",
            themes=["crisis-communication"],
            published="2009-11-20",
        )
    )
    for days, external_id in enumerate(["recruits", "manhunt", "floods"], start=1):
        CaseStudyPage.objects.filter(external_id=external_id).update(
            first_published_at=timezone.now() - datetime.timedelta(days=days)
        )
    bump_library_version()

    found = client.get("/api/search/", {**params, "sort": "added"}).json()["results"]
    parsed, _ = atom(client.get(feed))
    assert len(found) >= 2
    assert found[0]["url"] == "/cases/archive/"
    assert [path_of(e.link) for e in parsed.entries] == [hit["url"] for hit in found]


@pytest.mark.parametrize(
    "url", ["/feeds/themes/no-such-theme/", "/feeds/countries/XX/", "/feeds/organisations/nobody/"]
)
def test_a_feed_of_nothing_is_not_found(client, db, url):
    assert client.get(url).status_code == 404


def test_an_organisation_not_yet_public_has_no_feed(client, db):
    Organisation.objects.create(name="Pending Police", slug="pending-police", country="GB")
    assert not Organisation.objects.public().filter(slug="pending-police").exists()
    assert client.get("/feeds/organisations/pending-police/").status_code == 404


# Hostile text and bad query strings ------------------------------------------------------


def test_hostile_text_gives_well_formed_atom(client, add_cases):
    add_cases(case("hostile", organisation="Hostile Police"))
    page = CaseStudyPage.objects.get(external_id="hostile")
    # Stored past every form's cleaning, as an old row or a direct database edit could be
    # (no NUL: PostgreSQL cannot store one at all).
    CaseStudyPage.objects.filter(pk=page.pk).update(
        title="<script>alert(1)</script> ]]> &amp; \x01\x0b\x1f\x7f end",
        summary="A <b>bold</b> claim ]]><![CDATA[ \x08 with a \u202e override",
    )
    Organisation.objects.filter(pk=page.organisation_id).update(name="Police\x0c <i>&</i>")
    Theme.objects.filter(slug="engagement-and-content").update(name='Theme "\x02<q>')

    response = client.get("/feeds/cases/")
    parsed, root = atom(response)
    entry = parsed.entries[0]
    assert entry.title == "<script>alert(1)</script> ]]> &amp; end"
    assert entry.summary == "A <b>bold</b> claim ]]><![CDATA[ with a override"
    assert entry.author == "Police <i>&</i>"
    assert [tag.term for tag in entry.tags] == ['Theme "<q>']
    # The markup is text, escaped once: no element of it reaches the feed.
    assert b"<script>" not in response.content
    names = {element.tag.removeprefix(ATOM) for element in root.iter()}
    assert not names & {"script", "b", "i", "q"}


@pytest.mark.usefixtures("library_cases")
def test_hostile_words_in_a_search_feed_are_plain_text(client):
    parsed, _ = atom(client.get("/feeds/search/", {"q": "</title><script>\x01 ]]>"}))
    assert parsed.feed.title == "Common Ground: newest cases for “</title><script> ]]>”"


@pytest.mark.usefixtures("library_cases")
@pytest.mark.parametrize(
    "query, problem",
    [
        ("theme=no-such-theme", "theme “no-such-theme”"),
        ("country=ZZ", "country “ZZ”"),
        ("theme=%00", "theme"),
        ("year_from=nineteen", "year_from “nineteen”"),
        ("sort=title", "sort must be one of"),
        ("page=abc", "page must be a whole number"),
        ("retrieval=telepathy", "retrieval must be one of"),
    ],
)
def test_a_bad_query_string_gets_a_clear_400(client, query, problem):
    for feed in ("/feeds/search/", "/feeds/cases/"):
        response = client.get(f"{feed}?{query}")
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "This feed cannot be made" in response.content.decode()
        assert problem in response.content.decode()


@pytest.mark.usefixtures("library_cases")
@pytest.mark.parametrize(
    "query", ["q=%00%00", "q=" + "a" * 5000, "q=%ED%A0%80", "q=%22%22%22", "q=-", "q=*", "x=1"]
)
def test_odd_but_answerable_query_strings_give_a_valid_feed(client, query):
    atom(client.get(f"/feeds/search/?{query}"))


# Queries ----------------------------------------------------------------------------------

FEEDS = [
    "/feeds/cases/",
    "/feeds/cases/?theme=recruitment",
    "/feeds/search/?q=flood",
    "/feeds/themes/recruitment/",
    "/feeds/countries/GB/",
]


def feed_queries(client, url) -> int:
    client.get(url)  # warms the caches (the library version's snapshot, site addresses)
    with CaptureQueriesContext(connection) as context:
        parsed, _ = atom(client.get(url))
    return len(context.captured_queries), len(parsed.entries)


@pytest.mark.usefixtures("views_rendered")
@pytest.mark.parametrize("url", FEEDS)
def test_feed_queries_do_not_grow_with_the_number_of_cases(client, db, url):
    fields = {
        "themes": ["recruitment", "crisis-communication"],
        "platforms": ["Twitter"],
        "country": "GB",
        "summary": "Flood warnings for the residents of a river valley.",
    }
    import_cases(5, **fields)
    few, entries = feed_queries(client, url)
    assert entries == 5

    import_cases(FEED_LIMIT + 10, start=5, **fields)
    many, entries = feed_queries(client, url)
    assert entries == FEED_LIMIT
    assert many == few, (few, many)
    assert many <= 6  # measured warm: 3 to 5 queries


# The pages link their feeds ---------------------------------------------------------------


@pytest.mark.usefixtures("library_cases")
@pytest.mark.parametrize(
    "page, feed, title",
    [
        ("/cases/", "/feeds/cases/", "Common Ground: newest cases"),
        (
            "/cases/?country=GB&sort=title",
            "/feeds/cases/?country=GB",
            "Common Ground: newest cases (Country: United Kingdom)",
        ),
        (
            "/themes/recruitment/",
            "/feeds/themes/recruitment/",
            "Common Ground: newest cases on the theme “Recruitment”",
        ),
        (
            "/countries/GB/",
            "/feeds/countries/GB/",
            "Common Ground: newest cases from United Kingdom",
        ),
        (
            "/organisations/new-zealand-police/",
            "/feeds/organisations/new-zealand-police/",
            "Common Ground: newest cases from New Zealand Police",
        ),
        (
            "/search/?q=flood&theme=crisis-communication&sort=oldest&page=1",
            "/feeds/search/?q=flood&theme=crisis-communication&sort=oldest",
            "Common Ground: newest cases for “flood” (Theme: Crisis communication)",
        ),
        ("/search/?q=nothing-matches-this", "/feeds/search/?q=nothing-matches-this", None),
    ],
)
def test_each_page_links_its_feed_in_the_head_and_beside_the_results(client, page, feed, title):
    soup = html(client.get(page))
    alternates = soup.head.select('link[rel="alternate"][type="application/atom+xml"]')
    assert len(alternates) == 1
    assert alternates[0]["href"] == f"http://testserver{feed}"
    visible = soup.select_one("main .feed-link a")
    assert text(visible) == "Subscribe (Atom feed)"
    assert visible["href"] == alternates[0]["href"]
    assert visible["type"] == "application/atom+xml"

    parsed, _ = atom(client.get(feed))
    assert alternates[0]["title"] == parsed.feed.title
    if title:
        assert parsed.feed.title == title


@pytest.mark.usefixtures("library_cases")
def test_feeds_and_their_links_are_in_the_readers_language(client):
    soup = html(client.get("/themes/recruitment/", HTTP_ACCEPT_LANGUAGE="nl"))
    assert text(soup.select_one("main .feed-link a")) == "Abonneren (Atom-feed)"
    response = client.get("/feeds/themes/recruitment/", HTTP_ACCEPT_LANGUAGE="nl")
    parsed, root = atom(response)
    assert parsed.feed.title == "Common Ground: nieuwste casussen over het thema “Werving”"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"
    assert "Accept-Language" in response["Vary"]
