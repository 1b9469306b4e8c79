"""The case study page: facts, lessons, outcomes, verdict, credits, related cases, meta tags,
hero image, escaping and language."""

from datetime import date

import pytest

from wagtail.rich_text import RichText

from tests.factories import ImageFactory, OrganisationFactory
from tests.helpers import html, text

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


def fact(soup, label):
    """The <dd> of a fact in the case header, by its <dt> label."""
    term = soup.select_one(".case__facts").find("dt", string=label)
    return term.find_next_sibling("dd")


@pytest.fixture
def case(make_case):
    organisation = OrganisationFactory(name="Politie Eenheid Oost", country="NL")
    return make_case(
        title="Finding a missing child through WhatsApp",
        summary="Neighbourhood officers asked local groups to share an appeal.",
        organisation=organisation,
        country="NL",
        case_date=date(2021, 3, 5),
        language="nl",
        result="mixed",
        evidence="monitored",
        source_event="SMILE Conference 2015",
        source_url="https://smile.example/talks/whatsapp",
        authors=[("author", "Jane Doe"), ("author", "Piet Jansen")],
        lessons=[
            ("advice", "Agree the wording first."),
            ("worked", "Local groups shared within minutes."),
            ("worked", "Parents answered quickly."),
        ],
        outcomes=[
            ("outcome", {"label": "People reached", "value": "12,000"}),
            ("outcome", {"label": "Tips received", "value": "35"}),
        ],
        body=[("paragraph", RichText("<p>The story of the appeal.</p>"))],
        themes=["information-sharing-and-appeals"],
    )


def test_case_page_shows_title_summary_and_facts(client, case):
    soup = html(client.get(case.url))

    assert text(soup.select_one("h1.case__title")) == "Finding a missing child through WhatsApp"
    assert text(soup.select_one(".case__summary")) == (
        "Neighbourhood officers asked local groups to share an appeal."
    )
    organisation = fact(soup, "Organisation").find("a")
    assert text(organisation) == "Politie Eenheid Oost"
    assert organisation["href"] == "/organisations/politie-eenheid-oost/"
    country = fact(soup, "Country").find("a")
    assert text(country) == "Netherlands"
    assert country["href"] == "/countries/NL/"
    happened = fact(soup, "Happened").find("time")
    assert happened["datetime"] == "2021-03-05"
    assert text(happened) == "5 March 2021"
    assert text(fact(soup, "Language")) == "Dutch"
    assert "The story of the appeal." in text(soup.select_one(".case__body"))


def test_lessons_are_grouped_by_kind_in_fixed_order(client, case):
    soup = html(client.get(case.url))
    groups = soup.select(".lessons .lesson-group")

    assert [text(g.find("h3")) for g in groups] == ["What worked", "Advice"]
    assert [text(li) for li in groups[0].find_all("li")] == [
        "Local groups shared within minutes.",
        "Parents answered quickly.",
    ]
    assert [text(li) for li in groups[1].find_all("li")] == ["Agree the wording first."]
    assert soup.find("h3", string="Challenges") is None


def test_all_three_lesson_kinds_in_order(client, make_case):
    case = make_case(
        lessons=[("advice", "A"), ("challenge", "C"), ("worked", "W"), ("challenge", "C2")]
    )
    soup = html(client.get(case.url))
    groups = soup.select(".lessons .lesson-group")
    assert [(text(g.find("h3")), [text(li) for li in g.find_all("li")]) for g in groups] == [
        ("What worked", ["W"]),
        ("Challenges", ["C", "C2"]),
        ("Advice", ["A"]),
    ]


def test_case_without_lessons_or_outcomes_has_no_such_sections(client, make_case):
    soup = html(client.get(make_case(lessons=[], outcomes=[]).url))
    assert soup.select_one(".lessons") is None
    assert soup.select_one(".outcomes") is None


def test_lesson_line_breaks_are_kept(client, make_case):
    soup = html(client.get(make_case(lessons=[("challenge", "First line\nSecond line")]).url))
    item = soup.select_one(".lessons li")
    assert item.find("br") is not None
    assert text(item) == "First line Second line"


def test_outcomes_are_a_table_with_row_headers(client, case):
    soup = html(client.get(case.url))
    table = soup.select_one(".outcomes table")

    assert [th.get("scope") for th in table.select("thead th")] == ["col", "col"]
    rows = table.select("tbody tr")
    assert [(r.find("th")["scope"], text(r.find("th")), text(r.find("td"))) for r in rows] == [
        ("row", "People reached", "12,000"),
        ("row", "Tips received", "35"),
    ]


def test_verdict_shows_result_and_evidence_labels(client, case):
    verdict = html(client.get(case.url)).select_one(".verdict")
    assert text(verdict.select_one(".result")) == "Mixed results"
    assert text(verdict.select_one(".verdict__evidence")) == (
        "How we know: Monitored (figures collected)"
    )


def test_no_verdict_without_result_or_evidence(client, make_case):
    soup = html(client.get(make_case(result="", evidence="").url))
    assert soup.select_one(".verdict") is None


def test_source_link_and_authors_are_credited(client, case):
    credits = html(client.get(case.url)).select_one(".case__credits")

    source = credits.find("dt", string="Source").find_next_sibling("dd").find("a")
    assert source["href"] == "https://smile.example/talks/whatsapp"
    assert text(source) == "SMILE Conference 2015"
    written = credits.find("dt", string="Written by").find_next_sibling("dd")
    assert text(written) == "Jane Doe, Piet Jansen"


def test_source_event_without_url_is_plain_text(client, make_case):
    credits = html(client.get(make_case(source_event="A talk", source_url="").url)).select_one(
        ".case__credits"
    )
    source = credits.find("dt", string="Source").find_next_sibling("dd")
    assert text(source) == "A talk"
    assert source.find("a") is None


def test_case_lists_its_themes_with_links(client, make_case):
    case = make_case(themes=["recruitment", "crisis-communication"], platforms=["Twitter"])
    soup = html(client.get(case.url))
    tags = {a["href"]: text(a) for a in soup.select(".case__taxonomy a.tag")}
    assert tags == {
        "/themes/recruitment/": "Recruitment",
        "/themes/crisis-communication/": "Crisis communication",
    }
    assert "Twitter" in text(soup.select_one(".case__taxonomy"))


# Related cases ---------------------------------------------------------------------------


def related_titles(soup):
    section = soup.select_one("section.related")
    return [text(h) for h in section.select(".case-card__title")] if section else []


def test_related_cases_rank_by_shared_themes_then_newest(client, make_case):
    three = ["recruitment", "crisis-communication", "community-relations"]
    case = make_case(title="The case", themes=three, case_date=date(2020, 1, 1))
    make_case(title="One shared, newest", themes=["recruitment"], case_date=date(2024, 1, 1))
    make_case(title="All three shared", themes=three, case_date=date(2010, 1, 1))
    make_case(
        title="Two shared",
        themes=["crisis-communication", "community-relations", "data-and-insight"],
        case_date=date(2011, 1, 1),
    )
    make_case(
        title="One shared, older", themes=["community-relations"], case_date=date(2015, 1, 1)
    )
    make_case(
        title="One shared, oldest", themes=["crisis-communication"], case_date=date(2012, 1, 1)
    )
    make_case(title="Unrelated", themes=["wellbeing-and-resilience"], case_date=date(2025, 1, 1))
    make_case(title="Draft sharing all", themes=three, case_date=date(2025, 1, 1)).unpublish()

    soup = html(client.get(case.url))

    assert text(soup.select_one("#related-heading")) == "Related cases"
    assert related_titles(soup) == [
        "All three shared",
        "Two shared",
        "One shared, newest",
        "One shared, older",
    ]


def test_related_cases_never_include_itself_or_unrelated_cases(client, make_case):
    case = make_case(title="The case", themes=["recruitment"])
    make_case(title="Sibling", themes=["recruitment", "data-and-insight"])
    make_case(title="Stranger", themes=["data-and-insight"])

    assert related_titles(html(client.get(case.url))) == ["Sibling"]


def test_no_related_section_without_related_cases(client, make_case):
    case = make_case(themes=["recruitment"])
    make_case(themes=["data-and-insight"])
    soup = html(client.get(case.url))
    assert soup.select_one("section.related") is None


# Meta tags -------------------------------------------------------------------------------


def meta(soup, prop):
    return soup.find("meta", attrs={"property": prop})["content"]


def test_open_graph_tags_describe_the_case(client, case):
    soup = html(client.get(case.url))

    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == "Finding a missing child through WhatsApp"
    assert meta(soup, "og:description") == (
        "Neighbourhood officers asked local groups to share an appeal."
    )
    assert meta(soup, "og:url") == case.full_url
    assert meta(soup, "article:published_time") == "2021-03-05"
    assert soup.find("meta", attrs={"name": "description"})["content"] == (
        "Neighbourhood officers asked local groups to share an appeal."
    )


def test_canonical_and_og_url_name_the_configured_public_address(client, case, settings):
    """BASE_URL (WAGTAILADMIN_BASE_URL) is the public address; the migrations point the
    default Site at it, so page.full_url, the canonical link and og:url agree, whatever
    Host header the request came with."""
    expected = f"{settings.WAGTAILADMIN_BASE_URL}/cases/{case.slug}/"
    soup = html(client.get(case.url, HTTP_HOST="other.example"))

    assert case.full_url == expected
    assert soup.find("link", rel="canonical")["href"] == expected
    assert meta(soup, "og:url") == expected


def test_long_summary_is_truncated_in_meta_description(client, make_case):
    case = make_case(summary="word " * 110)
    soup = html(client.get(case.url))
    assert len(meta(soup, "og:description")) <= 300
    assert meta(soup, "og:description").endswith("…")


# Hero image ------------------------------------------------------------------------------


def test_hero_image_is_a_picture_with_webp_source_and_alt_text(client, make_case):
    case = make_case(hero_image=ImageFactory(), hero_alt="Officers at a street stall")
    soup = html(client.get(case.url))

    picture = soup.select_one(".case__hero picture")
    assert picture is not None
    webp = picture.find("source", type="image/webp")
    assert webp is not None
    assert ".webp" in webp["srcset"]
    img = picture.find("img")
    assert img["alt"] == "Officers at a street stall"
    assert img["src"].endswith((".jpg", ".jpeg"))
    assert meta(soup, "og:image").startswith("http://testserver/")
    assert meta(soup, "og:image:alt") == "Officers at a street stall"


def test_case_without_hero_image_has_no_picture(client, make_case):
    soup = html(client.get(make_case().url))
    assert soup.select_one(".case__hero") is None
    assert soup.find("meta", attrs={"property": "og:image"}) is None


# Escaping and language --------------------------------------------------------------------


def test_markup_in_every_text_field_is_escaped(client, make_case):
    organisation = OrganisationFactory(name=f"Org {XSS}", country="GB")
    case = make_case(
        title=f"Title {XSS}",
        summary=f"Summary {XSS}",
        organisation=organisation,
        lessons=[("worked", f"Worked {XSS}"), ("challenge", f"Challenge {XSS}")],
        outcomes=[("outcome", {"label": f"Label {XSS}", "value": f"Value {XSS}"})],
        source_event=f"Event {XSS}",
        source_url="https://example.org/",
        authors=[("author", f"Author {XSS}")],
        themes=["recruitment"],
    )
    make_case(title=f"Related {XSS}", themes=["recruitment"], summary=f"Related {XSS}")

    response = client.get(case.url)
    content = response.content.decode()
    soup = html(response)

    # The page's one script is its own share/cite/print file; nothing typed becomes markup.
    own = '<script src="/static/js/case_tools.js" defer></script>'
    assert "<script" not in content.replace(own, "").lower()
    assert [script["src"] for script in soup.find_all("script")] == ["/static/js/case_tools.js"]
    assert f"Title {XSS}" in text(soup.select_one(".citation"))
    assert f"Title {XSS}" in soup.select_one("#citation-plain").string
    assert text(soup.select_one("h1.case__title")) == f"Title {XSS}"
    assert text(soup.select_one(".case__summary")) == f"Summary {XSS}"
    assert text(fact(soup, "Organisation")) == f"Org {XSS}"
    assert f"Worked {XSS}" in text(soup.select_one(".lessons"))
    assert text(soup.select_one(".outcomes tbody th")) == f"Label {XSS}"
    assert text(soup.select_one(".outcomes tbody td")) == f"Value {XSS}"
    assert f"Event {XSS}" in text(soup.select_one(".case__credits"))
    assert f"Author {XSS}" in text(soup.select_one(".case__credits"))
    assert meta(soup, "og:title") == f"Title {XSS}"
    assert related_titles(soup) == [f"Related {XSS}"]


def test_non_english_case_marks_its_language(client, case):
    soup = html(client.get(case.url))
    assert soup.find("article", class_="case")["lang"] == "nl"
    # The site's own labels are in the interface language (British English by default).
    assert soup.select_one(".case__facts")["lang"] == "en-gb"


def test_an_english_case_is_marked_english_whatever_the_interface_language(client, make_case):
    case = make_case(language="en")
    for accept, interface in (("en", "en-gb"), ("fr", "fr")):
        soup = html(client.get(case.url, HTTP_ACCEPT_LANGUAGE=accept))
        assert soup.find("article", class_="case")["lang"] == "en"
        assert soup.find("html")["lang"] == interface


def test_draft_case_is_not_served(client, make_case):
    case = make_case()
    url = case.url
    case.unpublish()
    assert client.get(url).status_code == 404


def test_only_a_published_case_at_its_own_address_is_served(client, make_case):
    case = make_case()
    assert client.get(case.url).status_code == 200
    for url in (
        case.url.replace(case.slug, "no-such-case"),
        f"{case.url}deeper/",  # a case has no pages below it
        case.url.replace("/cases/", "/cases/cases/"),
    ):
        assert client.get(url).status_code == 404, url


def test_a_case_is_routed_with_its_parent_and_organisation_in_one_query(rf, make_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import CaseIndexPage

    case = make_case()
    library = CaseIndexPage.objects.get()
    request = rf.get(case.url)
    with CaptureQueriesContext(connection) as queries:
        routed = library.route(request, [case.slug]).page
        assert (routed.pk, routed.organisation.name) == (case.pk, case.organisation.name)
        assert routed.get_parent() is library
    assert len(queries) == 1
