"""The moderators' listing of replications (cases/replications/admin.py on
cases/review_listing.py): paged, newest first, filtered by status with what waits by
default, decisions CSRF-protected and back to the listing as it was, moderators only."""

from datetime import timedelta

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Replication
from tests.helpers import html, text
from tests.replications.test_replications import make_replication

Status = Replication.Status
INDEX = "replication_review:index"


def names(response) -> list[str]:
    """The organisations listed, top to bottom."""
    return [
        text(cell).split(",")[0].split(" (")[0].strip()
        for cell in html(response).select("table.listing tbody tr td:first-child p:nth-of-type(2)")
    ]


@pytest.fixture
def many(case, member):
    """25 waiting replications, one a minute, "Force 0" the oldest; and one approved."""
    start = timezone.now() - timedelta(hours=2)
    for i in range(25):
        replication = make_replication(case, member, organisation_name=f"Force {i}")
        Replication.objects.filter(pk=replication.pk).update(
            created_at=start + timedelta(minutes=i)
        )
    make_replication(case, member, organisation_name="Approved Force", status=Status.APPROVED)


def test_the_listing_pages_newest_first_and_shows_what_waits_by_default(client, moderator, many):
    client.force_login(moderator)

    first = client.get(reverse(INDEX))
    second = client.get(reverse(INDEX), {"p": 2})

    assert names(first) == [f"Force {i}" for i in range(24, 4, -1)]
    assert names(second) == [f"Force {i}" for i in range(4, -1, -1)]
    assert "Approved Force" not in first.content.decode() + second.content.decode()
    oldest_first = client.get(reverse(INDEX), {"ordering": "created_at"})
    assert names(oldest_first)[0] == "Force 0"


def test_the_status_filter_lists_decided_ones_without_buttons(client, moderator, many):
    client.force_login(moderator)

    response = client.get(reverse(INDEX), {"status": "approved"})

    assert names(response) == ["Approved Force"]
    assert not html(response).select("button[name=decision]")
    # Wagtail's filters redraw the results alone through the results view.
    results = client.get(reverse("replication_review:index_results"), {"status": "approved"})
    assert "Approved Force" in results.content.decode()


def test_an_unknown_status_shows_what_waits(client, moderator, many):
    client.force_login(moderator)
    assert len(names(client.get(reverse(INDEX), {"status": "nonsense"}))) == 20


def test_the_queries_do_not_grow_with_the_page(client, moderator, case, member):
    client.force_login(moderator)
    make_replication(case, member)
    client.get(reverse(INDEX))  # warm caches (site, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(INDEX))
    for i in range(15):
        make_replication(case, member, organisation_name=f"More {i}")
    with CaptureQueriesContext(connection) as sixteen:
        client.get(reverse(INDEX))
    assert len(sixteen.captured_queries) == len(one.captured_queries)


def test_a_decision_needs_the_csrf_token_and_returns_to_the_listing(case, member, moderator):
    replication = make_replication(case, member, organisation_name="Kept Force")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    url = reverse("replication_review:decide", args=[replication.pk])

    forged = browser.post(url, {"decision": "approve"})
    assert forged.status_code == 403
    replication.refresh_from_db()
    assert replication.status == Status.PENDING

    listing = html(browser.get(reverse(INDEX), {"p": 1}))
    form = listing.select_one(f'form[action="{url}"]')
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    assert fields["next"] == reverse(INDEX) + "?p=1"
    response = browser.post(url, {**fields, "decision": "reject", "comment": "Too vague."})

    assert response.status_code == 302 and response["Location"] == reverse(INDEX) + "?p=1"
    replication.refresh_from_db()
    assert replication.status == Status.REJECTED and replication.comment == "Too vague."


def test_a_decision_never_goes_back_elsewhere(client, case, member, moderator):
    replication = make_replication(case, member)
    client.force_login(moderator)
    response = client.post(
        reverse("replication_review:decide", args=[replication.pk]),
        {"decision": "approve", "next": "https://evil.example/admin/replications/"},
    )
    assert response["Location"] == reverse(INDEX)


def test_the_menu_item_is_for_moderators_only(client, moderator, other_member):
    other_member.is_staff = True
    other_member.save()
    client.force_login(other_member)
    assert client.get(reverse(INDEX)).status_code in (302, 403)
    client.force_login(moderator)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) in dashboard
