"""The library's evidence filter ("how we know"), its year range and its export links, and
the lessons in the exports."""

import csv
import io
import json

import pytest

from tests.helpers import html, import_records, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(db):
    """e1 2012 anecdotal, e2 2016 evaluated, e3 2018 independently evaluated, e4 2020
    evaluated, e5 2023 monitored."""
    rows = [
        ("e1", "2012-03-01", "anecdotal"),
        ("e2", "2016-05-01", "evaluated"),
        ("e3", "2018-07-01", "independently-evaluated"),
        ("e4", "2020-01-01", "evaluated"),
        ("e5", "2023-06-01", "monitored"),
    ]
    records = [
        {"title": title, "published": published, "evidence": evidence, "country": "GB"}
        for title, published, evidence in rows
    ]
    return import_records(records)


def found(client, path, query):
    soup = html(client.get(f"{path}?{query}", follow=True))
    selector = ".case-list .case-card__title" if path == "/cases/" else ".hit__title"
    return {text(h) for h in soup.select(selector)}, soup


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("evidence=evaluated", {"e2", "e4"}),
        ("evidence=evaluated&evidence=independently-evaluated", {"e2", "e3", "e4"}),
        ("year_from=2016", {"e2", "e3", "e4", "e5"}),
        ("year_to=2018", {"e1", "e2", "e3"}),
        ("year_from=2016&year_to=2020", {"e2", "e3", "e4"}),
        ("year_from=2016&year_to=2020&evidence=evaluated", {"e2", "e4"}),
        # typed the wrong way round: redirected to 2015-2021
        ("year_from=2021&year_to=2015", {"e2", "e3", "e4"}),
    ],
)
def test_evidence_and_year_range_filter_the_library(client, cases, query, expected):
    titles, _ = found(client, "/cases/", query)
    assert titles == expected


def test_evidence_facet_is_offered_weakest_first_with_counts(client, cases):
    soup = html(client.get("/cases/?year_from=2016"))
    boxes = soup.select("input[type=checkbox][name=evidence]")
    labels = [text(soup.find("label", attrs={"for": box["id"]})) for box in boxes]
    # The range applies to the evidence counts: e1 (2012, anecdotal) is not counted.
    assert labels == [
        "Monitored (figures collected) (1)",
        "Evaluated (2)",
        "Independently evaluated (1)",
    ]


def test_year_range_inputs_keep_what_was_asked_and_chips_remove_each_end(client, cases):
    _, soup = found(client, "/cases/", "year_from=2016&year_to=2020")
    assert soup.select_one("input[name=year_from]")["value"] == "2016"
    assert soup.select_one("input[name=year_to]")["value"] == "2020"
    label = soup.find("label", attrs={"for": "f-year_from"})
    assert text(label) == "From year"
    chips = {text(a): a["href"] for a in soup.select(".chip-list--active a.chip")}
    assert chips["Remove filter From year: 2016 ×"] == "?year_to=2020"
    assert chips["Remove filter To year: 2020 ×"] == "?year_from=2016"


@pytest.mark.parametrize("value", ["1066", "abc", "2016.5", "²⁰¹⁶"])
def test_impossible_year_bound_is_ignored_with_a_notice(client, cases, value):
    titles, soup = found(client, "/cases/", f"year_from={value}")
    assert len(titles) == 5
    assert "year_from" in text(soup.select_one(".notice[role=status]"))


def test_search_page_filters_by_evidence_and_year_range(client, cases):
    titles, soup = found(client, "/search/", "evidence=evaluated&year_from=2017")
    assert titles == {"e4"}
    assert soup.select_one("input[name=year_from]")["value"] == "2017"


def test_api_refuses_an_impossible_year_bound(client, cases):
    response = client.get("/api/search/?year_to=abc")
    assert response.status_code == 400
    body = client.get("/api/search/?year_to=2016&evidence=anecdotal").json()
    assert [hit["title"] for hit in body["results"]] == ["e1"]


def test_library_links_to_exports_of_the_filtered_cases(client, cases):
    soup = html(client.get("/cases/?evidence=evaluated&sort=title"))
    links = {text(a): a["href"] for a in soup.select(".results__export a")}
    # Search's exports take the filters; they have no title order, so it is left out.
    assert links == {
        "CSV": "/api/search/export.csv?evidence=evaluated",
        "JSON Lines": "/api/search/export.jsonl?evidence=evaluated",
    }
    assert "Download these 2 cases" in text(soup.select_one(".results__export"))
    exported = client.get(links["JSON Lines"])
    assert exported.status_code == 200
    lines = b"".join(exported.streaming_content).decode().splitlines()
    assert sorted(json.loads(line)["title"] for line in lines) == ["e2", "e4"]


def test_exports_include_the_lessons(client, db):
    lessons = [
        {"kind": "worked", "text": "Post before the evening news."},
        {"kind": "challenge", "text": '=HYPERLINK("http://evil.example") was "pasted", here'},
        {"kind": "advice", "text": "Agree sign-off in advance; =SUM(A1) stays text."},
    ]
    import_records([{"title": "With lessons", "lessons": lessons}])

    jsonl = b"".join(client.get("/api/search/export.jsonl").streaming_content).decode()
    assert json.loads(jsonl)["lessons"] == lessons

    raw = b"".join(client.get("/api/search/export.csv").streaming_content).decode()
    header, row = csv.reader(io.StringIO(raw))
    cell = dict(zip(header, row, strict=True))["lessons"]
    # One lesson a line after its kind; a formula after a semicolon is made text.
    assert cell.split("\n") == [
        "What worked: Post before the evening news.",
        'Challenges: =HYPERLINK("http://evil.example") was "pasted", here',
        "Advice: Agree sign-off in advance;' =SUM(A1) stays text.",
    ]
    assert 'Challenges: =HYPERLINK(""http://evil.example"") was ""pasted"", here' in raw
