"""The case page's share, cite and print tools in a real browser, at 1280 and 390 px: the
buttons copy the permanent address and the citation, the citation reads without
JavaScript, and the print stylesheet leaves only the case."""

from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


@pytest.fixture
def case(transactional_db):
    from tests.factories import CaseStudyPageFactory, OrganisationFactory

    return CaseStudyPageFactory(
        title="Finding a missing child through WhatsApp",
        organisation=OrganisationFactory(name="Politie Eenheid Oost", country="NL"),
        case_date=date(2021, 3, 5),
        source_url="https://example.org/" + "a-very-long-path-segment/" * 6,
        themes=["recruitment"],
    )


def assert_no_horizontal_scroll(page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("viewport", WIDTHS, ids=["1280", "390"])
def test_copy_link_and_copy_citation_put_them_on_the_clipboard(
    browser, live_server, case, viewport
):
    context = browser.new_context(viewport=viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + case.url)
    assert_no_horizontal_scroll(page)
    address = page.locator(".case-tools__address").get_attribute("href")

    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".case-tools__status")).to_have_text("Link copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == address

    page.get_by_text("Cite this case").click()
    plain = page.locator("#citation-plain").input_value()
    assert plain.startswith("Politie Eenheid Oost (2021). Finding a missing child")
    assert address in plain
    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator(".case-tools__status")).to_have_text("Citation copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == plain

    # The credits' long source address wraps inside its column instead of overlapping.
    source = page.locator(".case__credits a[rel~=noopener]").bounding_box()
    credits = page.locator(".case__credits").bounding_box()
    assert source["x"] + source["width"] <= credits["x"] + credits["width"] + 1
    context.close()


@pytest.mark.parametrize("viewport", WIDTHS, ids=["1280", "390"])
def test_without_javascript_the_address_and_citation_are_readable(
    browser, live_server, case, viewport
):
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + case.url)
    assert page.locator(".case-tools__address").is_visible()
    # Buttons that need a script are not offered.
    assert page.get_by_role("button", name="Copy link").count() == 0
    assert page.get_by_role("button", name="Print or save as PDF").count() == 0
    page.get_by_text("Cite this case").click()
    citation = page.locator(".citation")
    assert citation.is_visible()
    assert "Politie Eenheid Oost (2021)" in citation.inner_text()
    assert page.locator("#citation-plain").is_visible()
    assert_no_horizontal_scroll(page)
    context.close()


def test_print_shows_the_case_without_navigation_footer_or_buttons(browser, live_server, case):
    page = browser.new_page(viewport=WIDTHS[0])
    page.goto(live_server.url + case.url)
    assert page.locator(".site-header").is_visible()
    assert page.get_by_role("button", name="Print or save as PDF").is_visible()
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".breadcrumbs", ".case-tools"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("h1.case__title").is_visible()
    assert page.locator(".case__credits .print-only").is_visible()
    # A link's address is written after it on paper.
    after = page.evaluate(
        "() => getComputedStyle(document.querySelector('.case__credits a[rel~=noopener]'),"
        " '::after').content"
    )
    assert "https://example.org/" in after
    page.close()
