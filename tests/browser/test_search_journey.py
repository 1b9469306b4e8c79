"""Searching in a real browser: suggestions as you type, filters, and no JavaScript needed."""

import pytest

from tests.browser.test_practitioner_journeys import DESKTOP, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_search_with_suggestions_and_filters_is_accessible(browser, live_server, demo_library):
    from search.service import get_search_service

    get_search_service().rebuild()
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/search/")
    assert_accessible(page)

    box = page.get_by_role("combobox", name="Search cases")
    box.press_sequentially("recru", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.wait_for()
    assert listbox.get_by_role("option").filter(has_text="Recruitment").count() >= 1
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "q-suggestion-0"
    box.press("Escape")
    assert listbox.is_hidden()

    box.fill("how did forces handle a manhunt on Twitter")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    top = " ".join(page.locator(".hit__title a").all_inner_texts()[:3])
    assert "RCMP" in top or "Boston" in top
    assert page.locator(".hit__reasons mark").count() > 0  # each hit says why it matched
    assert_accessible(page)

    page.get_by_role("checkbox", name="Canada").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**country=CA*")
    assert "RCMP" in page.locator(".hit__title a").first.inner_text()
    assert page.get_by_role("list", name="Active filters").is_visible()
    context.close()


def test_suggestions_speak_the_readers_language(browser, live_server, demo_library):
    """suggest.js writes no English of its own: the listbox's name and each suggestion's kind
    come from the page, translated."""
    from search.service import get_search_service

    get_search_service().rebuild()
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + "/search/")
    assert page.locator("html").get_attribute("lang") == "de"
    page.locator("#q").press_sequentially("recru", delay=30)
    listbox = page.get_by_role("listbox", name="Vorschläge")
    listbox.wait_for()
    kinds = set(listbox.locator(".suggestions__kind").all_inner_texts())
    assert "Thema" in kinds and kinds <= {"Fall", "Thema", "Organisation"}
    context.close()


def test_search_works_without_javascript(browser, live_server, demo_library):
    from search.service import get_search_service

    get_search_service().rebuild()
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/")
    page.get_by_role("searchbox", name="Search cases").fill("floods")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/search/?q=floods")
    assert "Queensland" in page.locator(".hit__title a").first.inner_text()
    context.close()
