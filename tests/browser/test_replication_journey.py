"""“We tried this too” in a real browser: a member records a replication (a first try with a
problem keeps what they typed), a moderator approves it in the Wagtail admin, and the trail
shows on the case; axe finds no serious or critical violation on the form and the case page
at 1280 and 390 px."""

import os

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.core import mail

from cases.models import Replication
from tests.browser.test_contributor_journeys import PASSWORD, moderator, moderator_login
from tests.browser.test_practitioner_journeys import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
__all__ = ["moderator"]  # the fixture, imported for this module's tests


@pytest.fixture
def member(transactional_db):
    user = get_user_model().objects.create_user(
        username="sam", email="sam@example.org", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_member_adds_a_replication_moderator_approves_trail_shows(
    browser, live_server, member, moderator, make_case, viewport
):
    case = make_case(title="Flood myth-busting posts", country="AU")
    base = live_server.url
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()

    page.goto(base + case.url)
    assert (
        "No other force has said it tried this yet." in page.locator(".replications").inner_text()
    )
    page.get_by_role("link", name="We tried this too").click()
    page.fill("input[name=login]", "sam@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/contribute/tried/{case.pk}/")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_label("Your organisation").fill("Riverbend Police Service")
    page.get_by_label("Country").select_option("CA")
    page.get_by_label("Year").fill("2017")
    page.get_by_label("What you changed").fill("A pinned rumour-or-fact post, every two hours.")
    page.get_by_label("Worked", exact=True).check()
    page.get_by_role("button", name="Send for review").click()
    # No "how you know": the error summary says so and keeps the rest.
    summary = page.locator("#error-summary")
    assert "How you know" in summary.inner_text()
    assert page.get_by_label("Your organisation").input_value() == "Riverbend Police Service"
    assert_accessible(page)
    page.get_by_label("Evaluated", exact=True).check()
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url(f"**/contribute/tried/{case.pk}/")
    assert "with the moderators" in page.locator(".messages").inner_text()
    assert "Awaiting review" in page.locator(".my-replications").inner_text()
    context.close()

    mod_context, mod_page = moderator_login(browser, base, viewport)
    mod_page.goto(base + "/admin/replications/")
    # The admin's listing, at this width: every row's text and its buttons within the page.
    assert_accessible(mod_page)
    assert_no_horizontal_scroll(mod_page)
    if os.environ.get("REVIEW_SCREENSHOTS"):
        mod_page.screenshot(path=f"/tmp/shots/replications-{width}.png", full_page=True)
    row = mod_page.locator("tr", has_text="Riverbend Police Service")
    assert row.get_by_role("button", name="Approve").is_visible()
    row.get_by_label("Note to the member (optional)").fill("Thank you.")
    row.get_by_role("button", name="Approve").click()
    mod_page.wait_for_url("**/admin/replications/")
    assert "Approved" in mod_page.locator(".messages").inner_text()
    mod_context.close()

    assert Replication.objects.get().status == "approved"
    assert any("sam@example.org" in m.to for m in mail.outbox)
    reader = browser.new_context(viewport={"width": width, "height": height}).new_page()
    reader.goto(base + case.url)
    trail = reader.locator(".replications")
    assert "Tried by 1 force in 1 country: 1 worked." in trail.inner_text()
    assert "Riverbend Police Service" in trail.inner_text()
    assert_accessible(reader)
    assert_no_horizontal_scroll(reader)
    reader.context.close()
