"""Following in a real browser: a member asks for alerts on a search, a digest brings the new
case by e-mail, and its unsubscribe link turns digests off; axe finds no serious or critical
violation on the following page (at 1280 and 390 px) or on the unsubscribe page."""

import re

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.core import mail

from commonground.following.digests import send_digests
from commonground.following.models import DigestSettings, Follow
from tests.browser.test_practitioner_journeys import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple 42"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def member(transactional_db):
    user = get_user_model().objects.create_user(
        username="dana", email="dana@example.org", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_alert_on_a_search_then_digest_then_unsubscribe(
    browser, live_server, member, make_case, viewport
):
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    search = "/search/?q=flood"
    page.goto(f"{live_server.url}{search}")
    page.get_by_role("link", name="Alert me to new cases").click()
    page.fill("input[name=login]", "dana@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**{search}")

    page.get_by_role("button", name="Alert me to new cases").click()
    page.wait_for_url(f"**{search}")
    assert "You now get alerts for the search “flood”." in page.locator(".messages").inner_text()
    assert Follow.objects.get(user=member).value == "q=flood"

    page.get_by_role("link", name="Everything you follow").click()
    page.wait_for_url("**/accounts/following/")
    assert page.locator(".following__item").inner_text().startswith("SEARCH")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    make_case(title="Flood warnings by text message")
    make_case(title="Recruitment open day")
    send_digests()
    [message] = mail.outbox
    assert "Flood warnings by text message" in message.body
    assert "Recruitment open day" not in message.body

    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", unsubscribe))
    assert_accessible(page)
    page.get_by_role("button", name="Turn digest e-mails off").click()
    page.get_by_text("Your digest e-mails are off.").wait_for()
    assert DigestSettings.objects.get(user=member).frequency == "off"
    context.close()
