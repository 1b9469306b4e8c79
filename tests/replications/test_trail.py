"""The evidence trail on a case (approved replications only, summed up with proper plurals,
in the reader's language, escaped) and the library's "Tried elsewhere" filter on the
database engine, through the snapshot and database search alike."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases.models import Replication
from cases.replications import rules
from cases.replications.trail import summary
from search.query import SearchQuery
from search.service import get_search_service
from tests.cases.test_library import facet_counts
from tests.helpers import html, text

from .test_replications import make_replication

Status = Replication.Status


def approve(replication, moderator, capture):
    with capture(execute=True):
        assert rules.decide(replication, Status.APPROVED, moderator)


def trail(client, case):
    return html(client.get(case.url)).select_one(".replications")


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([("A", "BE", "worked")], "Tried by 1 force in 1 country: 1 worked."),
        (
            [("A", "BE", "worked"), ("B", "NL", "mixed"), ("C", "NL", "worked")],
            "Tried by 3 forces in 2 countries: 2 worked, 1 mixed.",
        ),
        # One force trying twice is one force; results follow the verdicts' order.
        (
            [("A", "BE", "did-not-work"), ("a ", "BE", "promising")],
            "Tried by 1 force in 1 country: 1 promising, 1 did not work.",
        ),
    ],
)
def test_summary_counts_forces_countries_and_results(case, member, rows, expected):
    replications = [
        make_replication(case, member, organisation_name=o, country=c, result=r)
        for o, c, r in rows
    ]
    assert summary(replications) == expected


def test_summary_is_translated_with_plurals(case, member):
    replications = [
        make_replication(case, member, organisation_name=name, result="worked")
        for name in ("A", "B")
    ]
    with translation.override("nl"):
        assert summary(replications) == "Geprobeerd door 2 korpsen in 1 land: 2 werkten."
    with translation.override("de"):
        assert summary(replications[:1]) == "Erprobt von 1 Behörde in 1 Land: 1 hat funktioniert."


def test_only_approved_replications_are_on_the_case(
    client, case, member, moderator, django_capture_on_commit_callbacks
):
    for status in (Status.PENDING, Status.REJECTED, Status.WITHDRAWN):
        make_replication(case, member, organisation_name=f"Force {status}", status=status)
    shown = make_replication(case, member, organisation_name="Shown Force", country="NL")
    approve(shown, moderator, django_capture_on_commit_callbacks)

    section = trail(client, case)

    assert text(section.select_one(".replications__summary")) == (
        "Tried by 1 force in 1 country: 1 worked."
    )
    (item,) = section.select(".replication")
    assert "Shown Force" in text(item) and "Netherlands" in text(item)
    assert "April 2023" in text(item) and "Monitored" in text(item)
    assert item.select_one("time")["datetime"] == "2023-04"


def test_what_members_wrote_is_escaped(client, case, member):
    make_replication(
        case,
        member,
        organisation_name="<b>Bold</b> Force",
        changes="<script>alert(1)</script>",
        source_url="https://example.org/?a=1&b=<2>",
        status=Status.APPROVED,
    )

    section = trail(client, case)

    assert not section.select("script, b")
    assert "<script>alert(1)</script>" in text(section)
    assert "<b>Bold</b> Force" in text(section)


def case_page_queries(client, case) -> int:
    client.get(case.url)
    with CaptureQueriesContext(connection) as context:
        client.get(case.url)
    return len(context.captured_queries)


@pytest.mark.usefixtures("views_rendered")
def test_case_page_queries_do_not_grow_with_replications(client, case, member):
    make_replication(case, member, status=Status.APPROVED)
    one = case_page_queries(client, case)
    for n in range(9):
        make_replication(case, member, organisation_name=f"Force {n}", status=Status.APPROVED)
    ten = case_page_queries(client, case)

    assert len(trail(client, case).select(".replication")) == 10
    assert one == ten


@pytest.fixture
def tried_and_not(make_case, member, moderator, django_capture_on_commit_callbacks):
    tried = make_case(title="Tried elsewhere case", country="NL")
    pending_only = make_case(title="Pending only case", country="NL")
    untouched = make_case(title="Untouched case", country="GB")
    approve(make_replication(tried, member), moderator, django_capture_on_commit_callbacks)
    make_replication(pending_only, member)
    return tried, pending_only, untouched


def test_the_library_filters_cases_tried_elsewhere(client, tried_and_not):
    soup = html(client.get("/cases/?tried=yes"))

    assert [text(h) for h in soup.select(".case-list .case-card__title")] == [
        "Tried elsewhere case"
    ]
    box = soup.select_one("input[type=checkbox][name=tried][value=yes]")
    assert box is not None and box.has_attr("checked")


def test_the_tried_facet_counts_under_the_other_filters(client, tried_and_not):
    soup = html(client.get("/cases/?country=GB"))
    assert soup.select_one("input[name=tried][value=yes]") is None  # no GB case was tried
    soup = html(client.get("/cases/?country=NL"))
    assert facet_counts(soup, "tried") == {"yes": 1}


def test_database_search_filters_cases_tried_elsewhere(tried_and_not):
    results = get_search_service().search(SearchQuery("case", {"tried": ("yes",)}))

    assert [hit.title for hit in results.hits] == ["Tried elsewhere case"]
    (facet,) = [f for f in results.facets if f.name == "tried"]
    assert [(o.value, o.count, o.selected) for o in facet.options] == [("yes", 1, True)]
