"""Reading lists in a real browser, at 1280 and 390 px: a member saves a case from a card,
finds it in their lists, shares the list, and the link opens signed out; axe finds no
serious or critical violation on the lists pages, the case page's panel or the shared page."""

import os
import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.test_case_tools import assert_no_horizontal_scroll
from tests.browser.test_practitioner_journeys import assert_accessible
from tests.members.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


@pytest.fixture
def cases(transactional_db):
    from tests.factories import CaseStudyPageFactory

    return [
        CaseStudyPageFactory(title="Night-time patrol tweets", themes=["recruitment"]),
        CaseStudyPageFactory(title="Recruiting on a games platform", themes=["recruitment"]),
    ]


def sign_in(context, base_url, then):
    """Jane signs in and lands on `then`."""
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/?{urlencode({'next': then})}")
    page.fill("input[name=login]", "jane@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(re.escape(then) + "$"))
    return page


@pytest.mark.parametrize("viewport", WIDTHS, ids=["1280", "390"])
def test_save_from_a_card_see_it_in_lists_share_and_open_signed_out(
    browser, live_server, cases, viewport
):
    from commonground.reading_lists.models import ReadingList

    ReadingList.objects.create(
        owner=make_member(), name="Induction reading for new social media officers, 2026 intake"
    )
    context = browser.new_context(viewport=viewport)
    page = sign_in(context, live_server.url, "/themes/recruitment/")

    card = page.locator(".case-card", has_text="Night-time patrol tweets")
    card.get_by_role("button", name=re.compile(r"^Save\W+Night-time patrol tweets$")).click()
    page.wait_for_url("**/themes/recruitment/")
    expect(page.locator(".message")).to_have_text("Saved to “Saved”.")
    expect(card.locator(".card-save")).to_contain_text("Saved ✓")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="Night-time patrol tweets").click()
    expect(page.locator(".case-save")).to_contain_text("Saved ✓")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.goto(live_server.url + "/accounts/lists/")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.fill("input[name=name]", "Crisis <reading>")
    page.get_by_role("button", name="Create list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crisis <reading>")
    page.get_by_role("link", name="All your lists").click()
    page.get_by_role("link", name="Saved", exact=True).click()
    expect(page.locator(".case-card__title")).to_have_text(["Night-time patrol tweets"])
    page.get_by_role("button", name="Share by link").click()
    link = page.locator("#share-url").input_value()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    context.close()

    visitor = browser.new_context(viewport=viewport)
    shared = visitor.new_page()
    response = shared.goto(link)
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    expect(shared.get_by_role("heading", level=1)).to_have_text("Saved")
    expect(shared.locator(".case-card__title")).to_have_text(["Night-time patrol tweets"])
    assert "jane@example.org" not in shared.content()
    assert_accessible(shared)
    assert_no_horizontal_scroll(shared)
    visitor.close()


@pytest.mark.parametrize("viewport", WIDTHS, ids=["1280", "390"])
def test_save_a_search_hit_without_javascript(browser, live_server, cases, viewport):
    """The search page's hits carry the cards' save control: it posts and comes back to the
    same search, marked, with JavaScript off (axe and the width check need it, so they look
    at the same page in a second context with the same session)."""
    make_member()
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = sign_in(context, live_server.url, "/search/?q=recruiting")

    hit = page.locator(".hit", has_text="Recruiting on a games platform")
    hit.get_by_role("button", name=re.compile(r"^Save\W+Recruiting on a games platform$")).click()
    page.wait_for_url(re.compile(r"/search/\?q=recruiting$"))
    expect(hit.locator(".card-save")).to_contain_text("Saved ✓")
    other = page.locator(".hit", has_text="Night-time patrol tweets")
    expect(other.get_by_role("button", name=re.compile(r"^Save\W+Night-time"))).to_be_visible()

    checked = browser.new_context(viewport=viewport, storage_state=context.storage_state())
    context.close()
    page = checked.new_page()
    page.goto(live_server.url + "/search/?q=recruiting")
    expect(page.locator(".hit", has_text="Recruiting on a games platform")).to_contain_text(
        "Saved ✓"
    )
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    if os.environ.get("REVIEW_SCREENSHOTS"):
        page.screenshot(path=f"/tmp/shots/search-{viewport['width']}.png", full_page=True)
    checked.close()
