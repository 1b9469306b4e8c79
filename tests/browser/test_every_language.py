"""Every public page type, and a verified member's own pages, in each of the five interface
languages at 1280 and 390 px: axe finds no serious or critical violation, <html lang> names
the language, the page has its <h1>, nothing scrolls sideways, no menu (<select>) cuts off
its chosen option (nor the sort menu any of its options), and the links of the footer,
breadcrumbs and filter panel are targets at least 24 px tall (WCAG 2.2). Translations make words
longer (German most of all) and change what the page says, so a page that passes in English
can fail in another language.

Problems are collected over all pages of a width and reported together, so one run names
every page, language and rule that fails."""

import pytest

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.test_draft_journeys import member  # noqa: F401
from tests.browser.test_practitioner_journeys import serious_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = [code for code, _ in settings.LANGUAGES]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
THEME = "crisis-communication"


def public_paths():
    """One address of each public page type, from the demo library."""
    from cases.models import CaseStudyPage, EventPage, Organisation
    from commonground.models import StandardPage

    case = CaseStudyPage.objects.live().order_by("path").first()
    organisation = Organisation.objects.filter(case_pages__live=True).first()
    site_pages = {p.slug: p.url for p in StandardPage.objects.live().filter(depth=3)}
    return {
        "home": "/",
        "library, filtered": f"/cases/?theme={THEME}",
        "search": "/search/?q=police",
        "case": case.url,
        "theme": reverse("cases:theme", args=[THEME]),
        "countries (the map)": reverse("cases:country_index"),
        "country": reverse("cases:country", args=[case.country.code.lower()]),
        "organisation": organisation.get_absolute_url(),
        "events": "/events/",
        "event": EventPage.objects.live().order_by("path").first().url,
        "about": site_pages["about"],
        "terms": site_pages["terms"],
        "sign in": reverse("account_login"),
        "join": reverse("account_signup"),
    }


MEMBER_PATHS = {
    "contribute": "/contribute/",
    "my contributions": "/contribute/mine/",
    "profile": "/accounts/profile/",
}


# Each visible <select> against a copy of itself showing only the text in question, at its
# natural width: the browser's own arithmetic (padding, border, arrow), no guessed constants.
CLIPPED_SELECTS = """() => {
  const found = [];
  for (const select of document.querySelectorAll("select")) {
    if (!select.getClientRects().length) continue;
    const box = select.getBoundingClientRect();
    const chosen = select.options[select.selectedIndex];
    const texts = select.id === "sort" ? [...select.options].map((o) => o.text)
      : [chosen ? chosen.text : ""];
    for (const text of texts) {
      const copy = select.cloneNode(false);
      copy.removeAttribute("name");
      copy.append(new Option(text));
      copy.style.cssText = "position: absolute; visibility: hidden; width: auto; " +
        "min-width: 0; max-width: none";
      select.parentElement.append(copy);
      const needed = copy.getBoundingClientRect().width;
      copy.remove();
      if (needed > box.width + 0.5) {
        found.push(`select ${select.name} is ${box.width}px, “${text}” needs ${needed}px`);
      }
    }
    const around = select.parentElement.getBoundingClientRect();
    if (box.right > around.right + 0.5 || box.left < around.left - 0.5) {
      found.push(`select ${select.name} sticks out of its container`);
    }
  }
  return found;
}"""
SMALL_TARGETS = """() => [...document.querySelectorAll(
  ".site-footer a, .breadcrumbs a, .facet__more a, .facet__all > summary, "
  + ".language-switcher button"
)].filter((e) => e.getClientRects().length)
  .map((e) => [e.textContent.trim(), e.getBoundingClientRect().height])
  .filter(([, height]) => height < 24)
  .map(([text, height]) => `“${text}” is a target ${height}px tall`)"""


def problems_on(page, name, language, width):
    """What is wrong with the page as it stands, each naming page, language and width."""
    where = f"{name} [{language}, {width}px] {page.url}"
    found = []
    lang = page.locator("html").get_attribute("lang")
    if lang != language:
        found.append(f"{where}: <html lang={lang!r}>")
    if page.locator("h1").count() == 0:
        found.append(f"{where}: no <h1>")
    scroll_width = page.evaluate("() => document.scrollingElement.scrollWidth")
    if scroll_width > width + 1:
        found.append(f"{where}: {scroll_width}px wide, scrolls sideways")
    found.extend(f"{where}: {problem}" for problem in page.evaluate(CLIPPED_SELECTS))
    found.extend(f"{where}: {problem}" for problem in page.evaluate(SMALL_TARGETS))
    found.extend(f"{where}: {violation}" for violation in serious_violations(page))
    return found


def session_cookie(user, base_url):
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": base_url}


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_every_page_in_every_language_is_accessible_and_fits(
    browser,
    live_server,
    demo_library,
    member,  # noqa: F811
    viewport,
):
    from search.service import get_search_service

    get_search_service().rebuild()
    width, height = viewport
    phone = width < 600
    base = live_server.url
    paths = public_paths()
    signed_in = session_cookie(member, base)
    problems = []
    for language in LANGUAGES:
        context = browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
        )
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        for name, path in paths.items():
            response = page.goto(base + path)
            assert response.ok, f"{name} [{language}] {path}: {response.status}"
            problems += problems_on(page, name, language, width)
        # The filter in the address is ticked in the panel.
        page.goto(base + paths["library, filtered"])
        assert page.locator(f"input[name=theme][value={THEME}]").is_checked()

        context.add_cookies([signed_in])
        for name, path in MEMBER_PATHS.items():
            response = page.goto(base + path)
            assert response.ok and page.url == base + path, f"{name} [{language}]: {page.url}"
            problems += problems_on(page, name, language, width)
        page.goto(base + MEMBER_PATHS["contribute"])
        page.fill("#id_title", "Spring appeal")
        page.locator("button[name=action][value=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#error-summary").is_visible(), language
        assert page.input_value("#id_title") == "Spring appeal"
        problems += problems_on(page, "contribute, failed submit", language, width)
        context.close()
    assert problems == [], "\n".join(problems)


def test_the_switcher_sets_each_language_in_turn(browser, live_server):
    """Through the switcher itself at phone width: each button brings the page back at
    the same address in its language, marked as the current one, and keeps it."""
    width, height = WIDTHS["phone"]
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in = live_server.url + reverse("account_login")
    page.goto(sign_in)
    problems = []
    for language in reversed(LANGUAGES):  # English, the default, last
        button = page.locator(f".language-switcher button[lang={language}]")
        box = button.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, language
        with page.expect_navigation():
            button.click()
        assert page.url == sign_in
        assert button.get_attribute("aria-current") == "true"
        assert page.locator(".language-switcher button[aria-current]").count() == 1
        problems += problems_on(page, "sign in, after switching", language, width)
        cookie = {c["name"]: c["value"] for c in context.cookies()}
        assert cookie[settings.LANGUAGE_COOKIE_NAME] == language
        page.goto(live_server.url + reverse("account_signup"))
        problems += problems_on(page, "join, after switching", language, width)
        page.goto(sign_in)
    assert problems == [], "\n".join(problems)
    context.close()
