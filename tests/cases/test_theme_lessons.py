"""A theme page opens with the lessons of its cases: grouped by kind, each linked to its
case with the case's verdict and country, filterable by verdict with a plain GET form, the
longer groups folded, in a fixed number of queries however many cases the theme has."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.lessons import SHOWN_PER_KIND
from tests.factories import CaseStudyPageFactory
from tests.helpers import html, text

pytestmark = pytest.mark.django_db

URL = "/themes/recruitment/"


def case(title, result="worked", country="GB", themes=("recruitment",), **kwargs):
    lessons = kwargs.pop(
        "lessons",
        [
            ("worked", f"{title}: what worked"),
            ("challenge", f"{title}: a challenge"),
            ("advice", f"{title}: advice"),
        ],
    )
    return CaseStudyPageFactory(
        title=title, result=result, country=country, themes=list(themes), lessons=lessons, **kwargs
    )


def section(soup):
    return soup.find(attrs={"aria-labelledby": "lessons-heading"})


def group(soup, kind):
    return section(soup).find(attrs={"aria-labelledby": f"lessons-{kind}"})


def lesson_texts(node):
    return [text(p) for p in node.select(".lesson__text")]


def test_lessons_are_grouped_by_kind_each_with_its_case_verdict_and_country(client):
    failed = case("Hashtag", result="did-not-work", country="US")
    case("Drafted", themes=["recruitment"], live=False)
    case("Elsewhere", themes=["crisis-communication"])
    soup = html(client.get(URL))
    lessons = section(soup)
    assert lessons.find_previous("h1")  # the page opens with them, before the cases
    assert lessons.find_next("h2", id="cases-heading")
    headings = [text(h) for h in lessons.select("h3")]
    assert headings == ["What worked (1)", "Challenges (1)", "Advice (1)"]
    for kind, words in [
        ("worked", "what worked"),
        ("challenge", "a challenge"),
        ("advice", "advice"),
    ]:
        assert lesson_texts(group(soup, kind)) == [f"Hashtag: {words}"]
    item = group(soup, "challenge").select_one(".lesson")
    assert item.select_one(".lesson__source a")["href"] == failed.url
    assert text(item.select_one(".lesson__source a")) == "Hashtag"
    assert text(item.select_one(".result")) == "Did not work"
    assert "result--did-not-work" in item.select_one(".result")["class"]
    assert text(item.select_one(".lesson__country")) == "Country: United States of America"
    assert "Drafted" not in lessons.get_text() and "Elsewhere" not in lessons.get_text()


def test_lessons_filter_by_verdict_with_a_get_form_that_keeps_the_choice(client):
    case("Worked well", result="worked")
    case("Fell flat", result="did-not-work", country="NL")
    case("No verdict", result="")
    soup = html(client.get(URL))
    form = section(soup).find("form")
    assert form["method"] == "get"
    options = {
        text(label): label.input["value"] for label in form.select(".lessons-filter__option")
    }
    # only verdicts the theme's cases have, each with its number of cases
    assert options == {
        "Any verdict": "",
        "Worked (1)": "worked",
        "Did not work (1)": "did-not-work",
        "No verdict given (1)": "none",
    }
    assert form.find("input", checked=True)["value"] == ""
    assert len(lesson_texts(section(soup))) == 9

    soup = html(client.get(URL, {"verdict": "did-not-work"}))
    assert lesson_texts(section(soup)) == [
        "Fell flat: what worked",
        "Fell flat: a challenge",
        "Fell flat: advice",
    ]
    assert section(soup).find("input", checked=True)["value"] == "did-not-work"
    assert "with the verdict “Did not work”" in text(section(soup).select_one(".lessons-summary"))
    # the cases listed below are still every case of the theme
    assert len(soup.select(".case-card")) == 3

    soup = html(client.get(URL, {"verdict": "none"}))
    assert lesson_texts(group(soup, "advice")) == ["No verdict: advice"]
    assert text(group(soup, "advice").select_one(".result")) == "No verdict given"

    soup = html(client.get(URL, {"verdict": "<script>"}))  # unknown: every verdict
    assert len(lesson_texts(section(soup))) == 9
    assert "<script>" not in str(section(soup))


def test_long_groups_fold_the_rest_under_show_all_and_open_with_different_cases(client):
    count = SHOWN_PER_KIND + 2
    for n in range(count):
        case(
            f"Case {n}",
            lessons=[("advice", f"Case {n}: first"), ("advice", f"Case {n}: second")],
        )
    soup = html(client.get(URL))
    advice = group(soup, "advice")
    shown = advice.find("ul", class_="lesson-list")
    # newest case first, one lesson from each case before any case's second lesson
    newest = [f"Case {n}: first" for n in reversed(range(count))]
    assert lesson_texts(shown) == newest[:SHOWN_PER_KIND]
    more = advice.select_one("details.lesson-more")
    assert text(more.summary) == f"Show all {2 * count} lessons: Advice"
    assert len(lesson_texts(more)) == 2 * count - SHOWN_PER_KIND
    assert lesson_texts(more)[: count - SHOWN_PER_KIND] == newest[SHOWN_PER_KIND:]
    assert text(group(soup, "worked").select_one(".empty-state"))
    assert group(soup, "worked").select_one("details") is None


def test_a_theme_without_lessons_says_so(client):
    case("Silent", lessons=[])
    soup = html(client.get(URL))
    assert "No lessons" in text(section(soup).select_one(".lessons-summary"))
    assert section(soup).select(".lesson") == []


def queries(client, url):
    html(client.get(url))
    with CaptureQueriesContext(connection) as context:
        soup = html(client.get(url))
    return len(context.captured_queries), soup


@pytest.mark.usefixtures("views_rendered")
@pytest.mark.parametrize("verdict", ["", "mixed"])
def test_theme_lessons_queries_do_not_grow_with_the_number_of_cases(client, verdict):
    url = f"{URL}?verdict={verdict}" if verdict else URL

    def add(n, start):
        for i in range(start, start + n):
            case(f"Case {i}", result=["worked", "mixed"][i % 2], country=["GB", "NL"][i % 2])

    add(2, 0)
    few, soup = queries(client, url)
    assert len(section(soup).select(".lesson")) == (6 if not verdict else 3)
    add(10, 2)
    many, soup = queries(client, url)
    assert len(section(soup).select(".lesson")) == (36 if not verdict else 18)
    assert few == many, f"{few} queries with 2 cases, {many} with 12"


def test_any_verdict_leaves_no_empty_parameter_in_the_address(client):
    """The "Any verdict" radio button sends verdict=; the page redirects to its plain
    address (the browser keeps the #lessons it asked for)."""
    case("A case")
    response = client.get(URL + "?verdict=")
    assert response.status_code == 302 and response["Location"] == URL
    assert client.get(URL + "?verdict=worked").status_code == 200
