"""The library and search laid out for a practitioner at 1280 and 390 px: the header on one
row (a Menu disclosure on a phone, working without JavaScript), the filters reachable before
the results on a phone, "Apply" and "Sort" in view on a desktop, and a ticked option never
hidden behind "Show all"."""

import pytest

from tests.browser.test_practitioner_journeys import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# The last theme by name, so it falls beyond the options shown before "Show all".
LATE_THEME = ("wellbeing-and-resilience", "Wellbeing and resilience")


def new_page(browser, viewport, **options):
    phone = viewport is PHONE
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, **options)
    return context, context.new_page()


def in_view(page, locator):
    """Whether the element lies wholly inside the viewport as it stands (no scrolling)."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["width"] > 0
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
    )


def open_filters(page):
    toggle = page.locator(".filters-panel__toggle")
    if toggle.is_visible():
        toggle.click()


@pytest.mark.parametrize("path", ["/cases/", "/search/?q=misinformation"])
def test_on_a_phone_the_filters_and_the_first_result_show_before_scrolling(
    browser, live_server, demo_library, path
):
    from search.service import get_search_service

    get_search_service().rebuild()
    context, page = new_page(browser, PHONE)
    page.goto(live_server.url + path)
    toggle = page.locator(".filters-panel__toggle")
    first = page.locator(".case-card__title a, .hit__title a").first
    assert in_view(page, toggle)
    assert in_view(page, first), first.bounding_box()
    # The panel comes before the results, closed: the results are not pushed down.
    assert toggle.bounding_box()["y"] < first.bounding_box()["y"]
    assert page.get_by_role("button", name="Apply filters").is_hidden()

    toggle.click()
    assert page.get_by_role("button", name="Apply filters").is_visible()
    assert page.get_by_role("combobox", name="Sort by").is_visible()
    assert page.get_by_role("checkbox", name="Worked").is_visible()  # Result, open
    assert_accessible(page)
    context.close()


def test_the_filters_toggle_counts_the_active_filters(browser, live_server, demo_library):
    context, page = new_page(browser, PHONE)
    page.goto(live_server.url + "/cases/?result=worked&theme=recruitment")
    assert page.locator(".filters-panel__toggle").inner_text().split() == [
        "Filters",
        "2",
        "active",
    ]
    context.close()


def test_on_a_desktop_sort_and_apply_are_in_view_without_scrolling(
    browser, live_server, demo_library
):
    context, page = new_page(browser, DESKTOP)
    page.goto(live_server.url + "/cases/")
    assert page.locator(".filters-panel__toggle").is_hidden()
    assert in_view(page, page.get_by_role("combobox", name="Sort by"))
    assert in_view(page, page.get_by_role("button", name="Apply filters"))
    # Result (the verdict) is the first group, and open.
    groups = page.locator(".facet__summary").all_inner_texts()
    assert groups[0].startswith("Result")
    assert page.get_by_role("checkbox", name="Worked").is_visible()
    # No scroll box anywhere in the panel.
    scroll_boxes = page.evaluate(
        """() => [...document.querySelectorAll('#filters, #filters *')].filter(
            el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowY)
                  && el.scrollHeight > el.clientHeight).length"""
    )
    assert scroll_boxes == 0
    # Scrolled down the long panel, "Apply filters" is still in view.
    page.mouse.wheel(0, 600)
    page.wait_for_function("() => window.scrollY >= 500")
    assert in_view(page, page.get_by_role("button", name="Apply filters"))
    context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_ticked_option_in_a_long_group_stays_visible(browser, live_server, demo_library, device):
    slug, name = LATE_THEME
    context, page = new_page(browser, VIEWPORTS[device])
    page.goto(live_server.url + f"/cases/?theme={slug}")
    open_filters(page)
    ticked = page.get_by_role("checkbox", name=name)
    assert ticked.is_checked()
    assert ticked.is_visible()
    # The options after the first few are behind "Show all", one click away.
    hidden = page.get_by_role("checkbox", name="Recruitment")
    assert hidden.is_hidden()
    page.locator(".facet__all > summary").filter(has_text="Theme").click()
    assert hidden.is_visible()
    hidden.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**recruitment*")
    open_filters(page)
    assert page.get_by_role("checkbox", name="Recruitment").is_visible()
    assert page.get_by_role("checkbox", name=name).is_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_phone_the_menu_button_opens_the_navigation(
    browser, live_server, demo_library, javascript
):
    context, page = new_page(browser, PHONE, java_script_enabled=javascript)
    page.goto(live_server.url + "/cases/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 72  # one row
    nav = page.get_by_role("navigation", name="Main")
    themes = nav.get_by_role("link", name="Themes")
    assert themes.is_hidden()
    menu = page.locator(".site-menu__toggle")
    assert in_view(page, menu) and menu.bounding_box()["height"] >= 24
    menu.click()
    assert themes.is_visible()
    assert (
        page.get_by_role("navigation", name="Your account")
        .get_by_role("link", name="Sign in")
        .is_visible()
    )
    if javascript:
        assert_accessible(page)
    themes.click()
    page.wait_for_url("**/themes/")
    assert themes.is_hidden()
    menu.click()
    assert themes.is_visible()
    menu.click()  # and closes again
    assert themes.is_hidden()
    context.close()


@pytest.mark.parametrize("language", ["en-gb", "nl", "fr", "de", "es"])
def test_on_a_desktop_the_navigation_is_one_row(browser, live_server, demo_library, language):
    """At 1280 px in every language: German and French labels are the longest."""
    context, page = new_page(browser, DESKTOP)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(live_server.url + "/")
    assert page.locator(".site-menu__toggle").is_hidden()
    links = page.locator(".site-header a, .site-header summary:visible")
    middles = [
        box["y"] + box["height"] / 2
        for box in (links.nth(i).bounding_box() for i in range(links.count()))
    ]
    assert max(middles) - min(middles) < 4, middles
    assert page.locator(".site-header").bounding_box()["height"] <= 72
    panel = page.locator(".site-menu__panel")
    assert panel.evaluate("el => el.scrollWidth <= el.clientWidth"), "the row overflows"
    context.close()
