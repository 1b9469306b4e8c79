"""The editors' report: who may see it, what its tables hold, and CSV cells that are safe."""

import datetime

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query

from commonground.analytics.models import CaseViewCount, SearchCount

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw-long-enough-1")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def member(django_user_model):
    user = django_user_model.objects.create_user("mo", "mo@example.org", "pw-long-enough-2")
    user.is_staff = True  # may open the admin, but holds no permission for the report
    user.save()
    return user


def test_report_needs_the_permission(client, member, editor):
    client.force_login(member)
    assert client.get(reverse("search_analytics")).status_code in (302, 403)
    assert client.get(reverse("search_analytics_csv", args=["queries"])).status_code in (302, 403)
    client.force_login(editor)
    assert client.get(reverse("search_analytics")).status_code == 200


def test_tables_count_the_chosen_period(client, editor, make_case):
    today = timezone.localdate()
    old = today - datetime.timedelta(days=20)
    SearchCount.objects.create(day=today, query="drones", language="en", searches=3, empty=3)
    SearchCount.objects.create(day=old, query="radio", language="en", searches=9)
    case = make_case(title="Radio appeals")
    CaseViewCount.objects.create(day=today, page=case, views=4)
    client.force_login(editor)
    week = client.get(reverse("search_analytics"), {"period": "7"})
    tables = {t.name: t.rows for t in week.context["tables"]}
    assert tables["queries"] == [["drones", "en", 3, 3]]
    assert tables["no-results"] == [["drones", "en", 3]]
    assert tables["cases"] == [[{"text": "Radio appeals", "url": case.url}, 4]]
    month = client.get(reverse("search_analytics"))  # the last 30 days unless chosen
    assert [r[0] for r in month.context["tables"][0].rows] == ["radio", "drones"]
    assert '<option value="30" selected>' in month.content.decode()
    ranged = client.get(reverse("search_analytics"), {"period": "range", "start": old, "end": old})
    assert ranged.context["tables"][0].rows == [["radio", "en", 9, 0]]


def test_csv_cells_cannot_run_formulas(client, editor):
    SearchCount.objects.create(
        day=timezone.localdate(), query="=hyperlink(1)", language="en", searches=2, empty=2
    )
    client.force_login(editor)
    response = client.get(reverse("search_analytics_csv", args=["no-results"]))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[1] == '"\'=hyperlink(1)","en","2"'


def test_no_results_row_leads_to_a_promotion(client, editor):
    SearchCount.objects.create(
        day=timezone.localdate(), query="drones", language="en", searches=1, empty=1
    )
    client.force_login(editor)
    page = client.get(reverse("search_analytics")).content.decode()
    assert reverse("search_analytics_promote") in page
    response = client.post(reverse("search_analytics_promote"), {"query": " Drones "})
    query = Query.objects.get(query_string="drones")
    assert response.url == reverse("wagtailsearchpromotions:edit", args=[query.pk])


def test_the_reports_menu_offers_this_report_not_wagtails_empty_search_terms(admin_client):
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("search_analytics") in home
    assert reverse("wagtailsearchpromotions:search_terms") not in home
