"""Searches and case views are counted per day, without anything about the visitor."""

import datetime
import io
import logging

import pytest

from django.core.management import call_command
from django.db import models
from django.urls import reverse

from commonground.analytics import recording
from commonground.analytics.models import CaseViewCount, SearchCount
from commonground.analytics.recording import delete_expired, normalised_query

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


def search(client, q, agent=BROWSER, **params):
    return client.get(reverse("search:page"), {"q": q, **params}, HTTP_USER_AGENT=agent)


def test_normalised_query_lowercases_collapses_and_caps():
    assert normalised_query("  Crisis \t\n  COMMUNICATION ") == "crisis communication"
    assert len(normalised_query("x" * 1000)) == 255


def test_searches_counted_per_normalised_query_and_language(client, corpus):
    search(client, "Flood  Myths")
    search(client, "flood myths")
    client.cookies["django_language"] = "fr"
    search(client, "flood myths")
    search(client, "zzzqqq")
    rows = {(r.query, r.language): (r.searches, r.empty) for r in SearchCount.objects.all()}
    assert rows == {
        ("flood myths", "en"): (2, 0),
        ("flood myths", "fr"): (1, 0),
        ("zzzqqq", "fr"): (1, 1),
    }
    assert SearchCount.objects.get(query="zzzqqq").day == datetime.date.today()


def test_api_search_counted_suggest_and_later_pages_not(client, corpus):
    client.get(reverse("search:api"), {"q": "flood"}, HTTP_USER_AGENT=BROWSER)
    client.get(reverse("search:suggest"), {"q": "flood"}, HTTP_USER_AGENT=BROWSER)
    client.get(reverse("search:suggest"), {"q": "flo"}, HTTP_USER_AGENT=BROWSER)
    search(client, "flood", page=2, page_size=1)
    assert list(SearchCount.objects.values_list("query", "searches")) == [("flood", 1)]


@pytest.mark.parametrize(
    "agent", ["", "Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0"]
)
def test_robots_are_not_counted(client, corpus, agent):
    search(client, "flood", agent=agent)
    assert not SearchCount.objects.exists()


def test_case_views_counted_once_per_get_not_head_nor_robots(client, make_case):
    case = make_case()
    for _ in range(2):
        assert client.get(case.url, HTTP_USER_AGENT=BROWSER).status_code == 200
    client.head(case.url, HTTP_USER_AGENT=BROWSER)
    client.get(case.url, HTTP_USER_AGENT="bingbot/2.0")
    assert list(CaseViewCount.objects.values_list("page_id", "views")) == [(case.pk, 2)]


def test_a_failure_to_record_is_logged_not_raised(client, corpus, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(recording, "_add_one", broken)
    with caplog.at_level(logging.ERROR, logger="commonground.analytics.recording"):
        assert search(client, "flood").status_code == 200
    assert "Could not record" in caplog.text


def test_no_column_names_a_visitor():
    names = {
        f.name
        for model in (SearchCount, CaseViewCount)
        for f in model._meta.get_fields()
        if not f.auto_created
    }
    assert names == {"day", "query", "language", "searches", "empty", "page", "views"}
    relations = [f for f in CaseViewCount._meta.get_fields() if isinstance(f, models.ForeignKey)]
    assert [f.related_model._meta.label for f in relations] == ["cases.CaseStudyPage"]


def test_old_counters_go_with_the_daily_cleanup(settings, make_case):
    settings.SEARCH_ANALYTICS_DAYS = 30
    today = datetime.date(2026, 3, 31)
    case = make_case()
    kept, gone = datetime.date(2026, 3, 2), datetime.date(2026, 3, 1)
    for day in (kept, gone):
        SearchCount.objects.create(day=day, query="q", language="en", searches=1)
        CaseViewCount.objects.create(day=day, page=case, views=1)
    assert delete_expired(today) == 2
    assert set(SearchCount.objects.values_list("day", flat=True)) == {kept}
    assert set(CaseViewCount.objects.values_list("day", flat=True)) == {kept}


def test_clean_contributions_deletes_expired_counters(settings):
    settings.SEARCH_ANALYTICS_DAYS = 365
    SearchCount.objects.create(day=datetime.date(2000, 1, 1), query="q", language="en")
    out = io.StringIO()
    call_command("clean_contributions", stdout=out)
    assert not SearchCount.objects.exists()
    assert "1 search and view counters past SEARCH_ANALYTICS_DAYS deleted" in out.getvalue()
