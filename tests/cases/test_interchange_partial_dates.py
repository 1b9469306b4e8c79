"""Cases dated to the month or the year: imported, shown, exported and imported again."""

import datetime
import json

import pytest

from cases.interchange.exporter import iter_lines
from cases.interchange.schema import validator
from cases.models import CaseStudyPage
from tests.cases.test_interchange_import import record, run
from tests.helpers import html, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("published", "stored", "precision", "shown", "on_card"),
    [
        ("2019", datetime.date(2019, 1, 1), "year", "2019", "2019"),
        ("2019-04", datetime.date(2019, 4, 1), "month", "April 2019", "Apr 2019"),
        ("2019-04-18", datetime.date(2019, 4, 18), "day", "18 April 2019", "Apr 2019"),
    ],
)
def test_a_date_to_the_year_month_or_day_round_trips(
    client, published, stored, precision, shown, on_card
):
    report = run(record(published=published))
    assert report.created == 1, report.problems
    page = CaseStudyPage.objects.get(external_id="gmp-tweetathon")
    assert (page.case_date, page.case_date_precision) == (stored, precision)

    case_page = html(client.get(page.url))
    happened = case_page.select_one(".case__facts time")
    assert (happened["datetime"], text(happened)) == (published, shown)
    card = html(client.get("/cases/")).select_one(".case-card time")
    assert (card["datetime"], text(card)) == (published, on_card)

    (line,) = iter_lines()
    exported = json.loads(line)
    assert exported["published"] == published
    assert list(validator().iter_errors(exported)) == []
    again = run(exported)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_changing_only_the_precision_is_an_update():
    run(record(published="2019-04-01"))
    report = run(record(published="2019-04"))
    assert report.updated == 1
    assert CaseStudyPage.objects.get().case_date_precision == "month"


@pytest.mark.parametrize(
    ("published", "reason"),
    [
        ("2019-13", "published: not a real date"),
        ("2019-02-30", "published: not a real date"),
        ("19", "published: must be a date written YYYY-MM-DD"),
        ("2019-4", "published: must be a date written YYYY-MM-DD"),
        ("1899", "published: the year must be from 1900 to 2100"),
    ],
)
def test_a_bad_partial_date_is_refused_with_its_reason(published, reason):
    report = run(record(published=published))
    assert report.created == 0
    assert any(reason in r for r in report.problems[0].reasons), report.problems
