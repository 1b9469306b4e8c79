"""Choosing the interface language from the page, at desktop and phone widths, with and
without JavaScript: the switcher's buttons post a form, the page comes back at the same
address in the chosen language, and the choice holds on the next page."""

from pathlib import Path

import pytest

from tests.browser.test_practitioner_journeys import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_switching_to_french_changes_the_page_chrome_and_holds(
    browser, live_server, viewport, javascript, tmp_path
):
    width, height = viewport
    context = browser.new_context(
        viewport={"width": width, "height": height},
        java_script_enabled=javascript,
        locale="en-GB",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en-gb"
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"

    french = page.locator(".language-switcher button[lang=fr]")
    box = french.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24
    with page.expect_navigation():
        french.click()
    assert page.locator("html").get_attribute("lang") == "fr"

    assert page.url == live_server.url + "/accounts/login/"
    assert page.get_by_role("heading", level=1).inner_text() == "Se connecter"
    assert page.get_by_role("link", name="Mot de passe oublié ?").is_visible()
    assert french.get_attribute("aria-current") == "true"
    assert page.locator(".language-switcher button[aria-current]").count() == 1
    if javascript:  # measured by a script in the page
        assert_no_horizontal_scroll(page)
    if javascript:  # axe runs as a script in the page
        assert_accessible(page)
    name = "desktop" if width > 600 else "mobile"
    page.screenshot(path=str(tmp_path / f"login-fr-{name}.png"), full_page=True)

    page.get_by_role("link", name="Inscrivez-vous").click()
    page.wait_for_url("**/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "S’inscrire sur Common Ground"
    assert page.get_by_label("Votre nom").is_visible()
    if javascript:  # measured by a script in the page
        assert_no_horizontal_scroll(page)
    if javascript:  # axe runs as a script in the page
        assert_accessible(page)
    page.screenshot(path=str(tmp_path / f"join-fr-{name}.png"), full_page=True)
    if javascript and name == "mobile":
        page.screenshot(path=str(SCREENSHOTS / "join-fr-mobile.png"), full_page=True)
    context.close()
