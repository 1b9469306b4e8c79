"""A practitioner narrows a theme's lessons to one verdict without JavaScript, on a laptop
and on a phone; with JavaScript, axe finds no serious or critical violation there."""

import pytest

from tests.browser.test_practitioner_journeys import (
    assert_no_horizontal_scroll,
    serious_violations,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THEME_URL = "/themes/crisis-communication/"


@pytest.mark.parametrize("width", [1280, 390])
def test_theme_lessons_filtered_by_verdict_without_javascript(
    browser, live_server, demo_library, width
):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + THEME_URL)
    lessons = page.locator("#lessons")
    assert lessons.get_by_role("heading", level=2, name="Lessons from these cases").is_visible()
    every = lessons.locator(".lesson").count()
    verdicts = lessons.locator(".lesson .result").all_text_contents()
    assert {"Did not work", "Worked"} <= set(verdicts)

    option = lessons.get_by_role("radio", name="Did not work")
    option.check()
    lessons.get_by_role("button", name="Show lessons").click()
    page.wait_for_url("**/themes/crisis-communication/?verdict=did-not-work*")
    lessons = page.locator("#lessons")
    assert lessons.get_by_role("radio", name="Did not work").is_checked()
    filtered = lessons.locator(".lesson .result").all_text_contents()
    assert filtered and set(filtered) == {"Did not work"}
    assert len(filtered) < every
    assert "Did not work" in lessons.locator(".lessons-summary").inner_text()
    assert_no_horizontal_scroll(page)

    # the folded rest opens without script, and each lesson leads to its case
    more = lessons.locator("details.lesson-more summary")
    if more.count():
        more.first.click()
        assert lessons.locator("details.lesson-more").first.get_attribute("open") is not None
    first = lessons.locator(".lesson__source a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/cases/*/")
    assert page.get_by_role("heading", level=1).inner_text() == title
    context.close()

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + THEME_URL + "?verdict=did-not-work")
    assert serious_violations(page) == []
    context.close()
