"""The map of cases by country on a laptop and a phone: without JavaScript a keyboard user
skips it or tabs into it, sees the focused country's count, and follows it to the country's
page; with JavaScript, axe finds no serious or critical violation."""

import pytest

from tests.browser.test_practitioner_journeys import (
    assert_no_horizontal_scroll,
    serious_violations,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_map_works_by_keyboard_without_javascript(browser, live_server, demo_library, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + "/countries/")
    drawing = page.get_by_role("group", name="Map of the countries with cases")
    assert drawing.is_visible()
    assert drawing.bounding_box()["width"] <= width
    assert_no_horizontal_scroll(page)
    # every country with cases is a link named with its count; the list says the same
    assert drawing.get_by_role("link").count() == page.locator("#country-list + ul a").count()
    assert drawing.get_by_role("link", name="United Kingdom: 8 cases").count() == 1

    skip = page.get_by_role("link", name="Skip the map")
    assert skip.bounding_box()["width"] <= 1  # shown only when focused
    skip.focus()
    assert skip.bounding_box()["width"] > 20

    # the next stop is the first country on the map, its count shown on focus
    caption = drawing.locator("a", has=page.locator("title", has_text="Australia")).locator(
        ".world-map__caption"
    )
    assert not caption.is_visible()
    page.keyboard.press("Tab")
    assert caption.is_visible()
    assert caption.text_content() == "Australia: 2 cases"
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/AU/")
    assert page.get_by_role("heading", level=1).inner_text() == "Australia"

    # the skip link leads past the map to the list
    page.go_back()
    page.get_by_role("link", name="Skip the map").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/#country-list")
    context.close()

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/countries/")
    assert serious_violations(page) == []
    context.close()
