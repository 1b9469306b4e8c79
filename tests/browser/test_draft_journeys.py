"""A contributor's draft in a real browser, at desktop and phone widths: Enter in the title
saves a draft (with nothing but the title) and never sends it for review."""

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model

from cases.contribute.submissions import State, submission
from cases.models import CaseStudyPage
from tests.browser.test_practitioner_journeys import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple 42"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def member(transactional_db):
    user = get_user_model().objects.create_user(
        username="dana", email="dana@example.org", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(browser, base_url, width, height, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.goto(base_url + "/accounts/login/?next=/contribute/")
    page.fill("input[name=login]", "dana@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/contribute/")
    return context, page


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_enter_in_the_title_saves_a_draft_with_only_a_title(
    browser, live_server, member, viewport
):
    context, page = sign_in(browser, live_server.url, *viewport)
    page.fill("#id_title", "Enter key test draft")
    page.press("#id_title", "Enter")
    page.wait_for_url("**/contribute/*/edit/")
    assert "Draft of “Enter key test draft” saved" in page.locator("main").inner_text()
    assert page.locator("#error-summary").count() == 0
    assert_accessible(page)

    case = CaseStudyPage.objects.get(contributor=member)
    assert case.draft_title == "Enter key test draft" and not case.live
    assert submission(case).state == State.DRAFT
    assert case.current_workflow_state is None

    page.goto(live_server.url + "/contribute/mine/")
    assert page.locator(".state").first.inner_text() == "Draft"
    page.get_by_role("link", name="Delete “Enter key test draft”").click()
    page.wait_for_url(f"**/contribute/{case.pk}/delete/")
    assert_accessible(page)
    page.get_by_role("link", name="No, keep it").click()
    page.wait_for_url("**/contribute/mine/")
    assert CaseStudyPage.objects.filter(pk=case.pk).exists()
    context.close()
