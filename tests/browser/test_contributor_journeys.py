"""A contributor's journeys in a real browser, with axe-core on every page of ours:
sign up -> verify the address from the email -> submit a write-up with an image -> "in
review" -> a moderator approves it in the Wagtail admin -> public, on its event page and in
search; and a moderator requesting changes that the contributor makes and resubmits. Both
run on Django's live server and on the production stack (the `site` fixture: its e-mail
comes from the task worker, its database facts from tests/browser/site_data.py)."""

import io
import re
from urllib.parse import urlsplit

import pytest
from PIL import Image

from django.contrib.auth import get_user_model

from tests.browser import site_data
from tests.browser.test_practitioner_journeys import assert_accessible

PASSWORD = "correct horse battery staple 42"
TITLE = "Answering every question during the Ghent floods"
MODERATOR = "moderator@example.org"


@pytest.fixture
def session_to_write_up(site):
    """An event session (pk, event_url) the write-up is about."""
    return site.data(
        "create_event_session",
        event_title="SMILE Europe 2025",
        session_title="Floods: a week of questions",
    )


@pytest.fixture
def site_moderator(site):
    site.data("create_moderator", email=MODERATOR, password=PASSWORD)


@pytest.fixture
def moderator(transactional_db):
    """The moderator as a User in the test database (for journeys on the live server only)."""
    return get_user_model().objects.get(pk=site_data.create_moderator(MODERATOR, PASSWORD)["pk"])


def jpeg_file(tmp_path):
    path = tmp_path / "floods.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (30, 90, 120)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def sign_up_and_verify(page, site, email):
    page.goto(site.url + "/accounts/signup/")
    assert_accessible(page)
    page.fill("input[name=email]", email)
    page.fill("input[name=display_name]", "Sam Peeters")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert_accessible(page)
    (message,) = site.messages_to(email)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message["body"]).group(0)
    # E-mails link to the configured public address (BASE_URL), never the request's host; the
    # same path is followed on the test server.
    assert link.startswith(site.public_url + "/")
    page.goto(site.url + urlsplit(link).path)
    assert_accessible(page)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert site.data("email_verified", email=email)


def fill_write_up(page, tmp_path, session):
    page.fill("#id_title", TITLE)
    page.fill(
        "#id_summary", "For a week we answered every question about the floods, within the hour."
    )
    page.fill("#id_organisation", "Politiezone Gent")
    page.select_option("#id_country", "BE")
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").select_option("1")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("checkbox", name="Crisis communication").check()
    page.fill("#id_body", "The river rose overnight.\n\nWe opened the inbox to every question.")
    page.fill("#id_lessons_worked", "Answering fast stopped rumours.")
    page.select_option("#id_event_session", str(session["pk"]))
    page.set_input_files("#id_hero_file", str(jpeg_file(tmp_path)))
    page.fill("#id_hero_alt", "A flooded street in Ghent with a police van")


def submit_write_up(page, site, tmp_path, session, email, check=lambda page: None):
    """The signed-in contributor fills in the form and sends it for review; returns the
    submission as tests/browser/site_data.py describes it."""
    page.goto(site.url + "/contribute/")
    check(page)
    fill_write_up(page, tmp_path, session)
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/contribute/mine/")
    return site.data("submission", title=TITLE, owner_email=email)


def moderator_login(browser, base_url, viewport=(1366, 900)):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.goto(base_url + "/admin/")
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=login]", MODERATOR)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/admin/")
    return context, page


def moderator_acts(page, base_url, page_id, action_label, comment=""):
    """In the Wagtail page editor: open the action menu and choose the workflow action."""
    page.goto(f"{base_url}/admin/pages/{page_id}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=action_label, exact=True).click()
    if comment:
        dialog = page.locator(".modal-dialog, [role=dialog]").filter(has=page.locator("textarea"))
        dialog.locator("textarea").fill(comment)
        dialog.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/**", wait_until="networkidle")
    page.wait_for_timeout(500)


def test_sign_up_submit_and_approval_to_publication(
    browser, site, tmp_path, site_moderator, session_to_write_up
):
    base = site.url
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_up_and_verify(page, site, "sam@example.org")

    case = submit_write_up(
        page, site, tmp_path, session_to_write_up, "sam@example.org", check=assert_accessible
    )
    assert page.locator(".state").first.inner_text() == "In review"
    assert_accessible(page)
    assert not case["live"] and case["latest_has_hero_image"]
    assert site.messages_to(MODERATOR)

    mod_context, mod_page = moderator_login(browser, base)
    moderator_acts(mod_page, base, case["pk"], "Approve and Publish")
    mod_context.close()
    case = site.data("submission", title=TITLE, owner_email="sam@example.org")
    assert case["live"]

    page.goto(base + case["url"])
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert page.locator("img[alt='A flooded street in Ghent with a police van']").count() == 1
    assert_accessible(page)
    page.goto(base + "/events/")
    assert_accessible(page)
    page.goto(base + session_to_write_up["event_url"])
    assert page.get_by_role("link", name=TITLE).first.is_visible()
    assert_accessible(page)
    page.goto(base + "/search/?q=floods+questions")
    assert page.get_by_role("link", name=TITLE).first.is_visible()
    page.goto(base + "/contribute/mine/")
    assert page.locator(".state").first.inner_text() == "Published"
    context.close()


def test_moderator_requests_changes_and_the_contributor_resubmits(
    browser, site, tmp_path, site_moderator, session_to_write_up
):
    base = site.url
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_up_and_verify(page, site, "lee@example.org")
    case = submit_write_up(page, site, tmp_path, session_to_write_up, "lee@example.org")

    mod_context, mod_page = moderator_login(browser, base)
    moderator_acts(
        mod_page, base, case["pk"], "Request changes", comment="Please add the figures."
    )
    assert not site.data("submission", title=TITLE, owner_email="lee@example.org")["live"]

    page.goto(base + "/contribute/mine/")
    assert page.locator(".state").first.inner_text() == "Changes requested"
    assert "Please add the figures." in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Edit")).first.click()
    assert "A moderator asked for changes." in page.locator("main").inner_text()
    page.fill("#id_outcomes", "Questions answered: 2,300")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").count() == 0, page.locator(
        ".field--error"
    ).all_inner_texts()
    page.wait_for_url("**/contribute/mine/")
    assert page.locator(".state").first.inner_text() == "In review"

    moderator_acts(mod_page, base, case["pk"], "Approve and Publish")
    mod_context.close()
    case = site.data("submission", title=TITLE, owner_email="lee@example.org")
    assert case["live"]
    assert case["outcomes"] == ["2,300"]
    context.close()
