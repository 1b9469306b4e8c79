"""The editors' "What people look for" report, on a laptop and a phone: axe finds no serious
or critical violation, and its tables fit or scroll inside themselves."""

import pytest

from django.utils import timezone

from commonground.analytics.models import SearchCount
from tests.browser.test_contributor_journeys import moderator, moderator_login  # noqa: F401
from tests.browser.test_practitioner_journeys import (
    assert_no_horizontal_scroll,
    serious_violations,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_report_is_accessible(browser, live_server, moderator, width):  # noqa: F811
    for query in ("drones at night", "missing persons appeal", "=cmd|' /c calc'!A0"):
        SearchCount.objects.create(
            day=timezone.localdate(), query=query, language="en", searches=5, empty=5
        )
    context, page = moderator_login(browser, live_server.url)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/admin/what-people-look-for/")
    assert page.get_by_role("table").count() == 2  # most searched, no results
    assert_no_horizontal_scroll(page)  # a wide table scrolls inside itself, by keyboard too
    assert serious_violations(page) == []
    context.close()
