"""A practitioner's journey home -> theme -> filtered library -> case, in a real browser,
with axe-core checking every page on the way (no serious or critical violation); on Django's
live server and on the production stack (the `site` fixture, tests/browser/conftest.py)."""

from axe_playwright_python.sync_playwright import Axe

THEME = "Crisis communication"
DESKTOP = {"width": 1366, "height": 900}
MOBILE = {"width": 320, "height": 740}


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page):
    assert serious_violations(page) == [], page.url


def assert_no_horizontal_scroll(page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def journey(page, base_url, check):
    """Home -> a theme -> its cases filtered further in the library -> a case study."""
    page.goto(base_url + "/")
    assert page.get_by_role("heading", level=1).is_visible()
    check(page)

    page.get_by_role("link", name=THEME).first.click()
    page.wait_for_url("**/themes/crisis-communication/")
    assert page.get_by_role("heading", level=1, name=THEME).is_visible()
    check(page)

    page.get_by_role("link", name="Filter these cases further in the library").click()
    page.wait_for_url("**/cases/?theme=crisis-communication")
    # On a phone the filters are a closed disclosure before the results.
    toggle = page.locator(".filters-panel__toggle")
    if toggle.is_visible():
        toggle.click()
    assert page.get_by_role("checkbox", name=THEME).is_checked()
    total = int(page.locator(".results__count").inner_text().split()[0])

    country = page.locator("input[name=country]").first
    country_label = page.locator(f"label[for='{country.get_attribute('id')}']").inner_text()
    expected = int(country_label.rsplit("(", 1)[1].rstrip(")"))
    country.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/cases/?*country=*")
    filtered = int(page.locator(".results__count").inner_text().split()[0])
    assert filtered == expected <= total
    assert page.get_by_role("list", name="Active filters").is_visible()
    check(page)

    first_case = page.locator(".case-card__title a").first
    title = first_case.inner_text()
    first_case.click()
    page.wait_for_url("**/cases/*/")
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.get_by_role("heading", name="Lessons").is_visible()
    assert page.get_by_role("link", name=THEME).first.is_visible()
    check(page)


def test_desktop_journey_is_accessible(browser, demo_site):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    journey(page, demo_site.url, assert_accessible)
    context.close()


def test_mobile_journey_at_320px_is_accessible_and_fits(browser, demo_site):
    context = browser.new_context(viewport=MOBILE, is_mobile=True, has_touch=True)
    page = context.new_page()

    def check(page):
        assert_no_horizontal_scroll(page)
        assert_accessible(page)

    journey(page, demo_site.url, check)
    context.close()


def test_journey_works_without_javascript(browser, demo_site):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    journey(page, demo_site.url, lambda page: None)
    context.close()


def test_skip_link_moves_focus_to_the_main_content(browser, demo_site):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(demo_site.url + "/cases/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    context.close()
