"""The strict Content-Security-Policy in a real browser: the public pages load with no
violation reported, search suggestions still work, and the listener does catch one."""

import pytest

from tests.browser.test_practitioner_journeys import DESKTOP

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Runs before any page script (Playwright injects it outside the page's CSP).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Watcher:
    """Collects CSP violations from the page's events and the console's messages."""

    def __init__(self, context):
        self.console = []
        self.page = context.new_page()
        self.page.add_init_script(RECORD_VIOLATIONS)
        self.page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def goto(self, url):
        response = self.page.goto(url)
        assert response.status == 200, url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], url
        return response

    def violations(self):
        return self.page.evaluate("window.__violations") + self.console


def test_public_pages_and_search_suggestions_work_under_the_policy(
    browser, live_server, demo_library, django_user_model
):
    from search.service import get_search_service

    get_search_service().rebuild()
    context = browser.new_context(viewport=DESKTOP)
    watch = Watcher(context)
    page = watch.page

    watch.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    assert watch.violations() == [], page.url

    watch.goto(live_server.url + "/cases/")
    case_link = page.locator(".case-card__title a").first
    assert watch.violations() == [], page.url

    case_link.click()
    page.wait_for_url("**/cases/*/")
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="Lessons").is_visible()
    assert watch.violations() == [], page.url

    watch.goto(live_server.url + "/search/?q=police")
    assert page.locator(".hit__title a").count() > 0
    box = page.get_by_role("combobox", name="Search cases")  # suggest.js ran
    box.fill("")
    box.press_sequentially("recru", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.wait_for()  # fetched from /api/search/suggest/ under connect-src 'self'
    assert listbox.get_by_role("option").filter(has_text="Recruitment").count() >= 1
    assert watch.violations() == [], page.url
    context.close()

    check_the_wagtail_userbar(browser, live_server.url, django_user_model)


def check_the_wagtail_userbar(browser, base_url, django_user_model):
    """Signed-in editors get Wagtail's userbar on public pages (scripts from /static/, a
    shadow DOM, an accessibility checker): it works under the same policy."""
    from django.conf import settings
    from django.test import Client

    editor = Client()
    editor.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    context = browser.new_context(viewport=DESKTOP)
    cookie = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": cookie, "value": editor.cookies[cookie].value, "url": base_url}])
    watch = Watcher(context)
    watch.goto(base_url + "/cases/")
    watch.page.locator(".case-card__title a").first.click()
    watch.page.wait_for_url("**/cases/*/")
    userbar = watch.page.locator("wagtail-userbar")
    userbar.get_by_role("button", name="View Wagtail quick actions").click()
    userbar.get_by_role("menuitem", name="Edit this page").wait_for()
    issues = userbar.get_by_role("menuitem", name="Issues found")
    issues.wait_for()  # the accessibility checker ran
    assert watch.violations() == [], watch.page.url
    context.close()


def test_the_listener_catches_a_violation(browser, live_server):
    """Without this, an empty list above could mean nothing was listening."""
    context = browser.new_context(viewport=DESKTOP)
    watch = Watcher(context)
    watch.goto(live_server.url + "/")
    watch.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.head.appendChild(script);
          const style = document.createElement("div");
          style.setAttribute("style", "color: red");
          document.body.appendChild(style);
        }"""
    )
    watch.page.wait_for_function("window.__violations.length >= 2")
    assert watch.page.evaluate("window.__ran === undefined")  # the inline script never ran
    found = " ".join(watch.violations())
    assert "script-src" in found and "style-src" in found
    context.close()
