"""Two contributor journeys at desktop and phone widths: the organisation picked from the
known ones as it is typed, and a correction proposed after publication that a moderator
approves."""

import pytest

from wagtail.rich_text import RichText

from cases.models import CaseStudyPage, Organisation
from tests.browser.test_contributor_journeys import moderator, moderator_acts, moderator_login
from tests.browser.test_draft_journeys import PASSWORD, WIDTHS, member
from tests.browser.test_practitioner_journeys import assert_accessible
from tests.factories import CaseStudyPageFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

__all__ = ["member", "moderator"]  # the fixtures, used by both journeys


def sign_in(browser, base_url, viewport, next_url):
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.fill("input[name=login]", "dana@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**{next_url}")
    return context, page


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_organisation_is_picked_from_the_known_ones(browser, live_server, member, viewport):
    gmp = OrganisationFactory(name="Greater Manchester Police", aliases="GMP")
    CaseStudyPageFactory(organisation=gmp)
    context, page = sign_in(browser, live_server.url, viewport, "/contribute/")
    field = page.locator("#id_organisation")
    assert field.get_attribute("list") == "organisation-options"
    option = page.locator("datalist#organisation-options option[value='GMP']")
    assert option.count() == 1
    assert option.get_attribute("label") == "Greater Manchester Police"
    page.fill("#id_title", "Picked organisation")
    field.fill(option.get_attribute("value"))  # what choosing the suggestion puts there
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/contribute/*/edit/")
    assert_accessible(page)
    draft = CaseStudyPage.objects.get(contributor=member).get_latest_revision_as_object()
    assert draft.organisation_id == gmp.pk
    assert Organisation.objects.count() == 1
    context.close()


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_correction_after_publication_is_published_on_approval(
    browser, live_server, member, moderator, viewport
):
    base = live_server.url
    case = CaseStudyPageFactory(
        title="Answering questions during the floods",
        contributor=member,
        contributed=True,
        body=[("paragraph", RichText("<p>The river rose overnight.</p>"))],
    )
    context, page = sign_in(browser, base, viewport, "/contribute/mine/")
    assert page.locator(".state").first.inner_text() == "Published"
    assert_accessible(page)
    page.get_by_role(
        "link", name="Propose a correction “Answering questions during the floods”"
    ).click()
    page.wait_for_url(f"**/contribute/{case.pk}/correct/")
    assert page.locator("#id_title").input_value() == case.title
    assert_accessible(page)
    page.fill("#id_summary", "Corrected: we answered within the hour for nine days.")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/contribute/mine/")
    assert page.locator(".state").first.inner_text() == "Correction in review"
    page.goto(base + case.url)
    assert "Corrected: we answered" not in page.locator("main").inner_text()

    mod_context, mod_page = moderator_login(browser, base)
    moderator_acts(mod_page, base, case.pk, "Approve and Publish")
    mod_context.close()

    page.goto(base + case.url)
    assert "Corrected: we answered within the hour for nine days." in (
        page.locator("main").inner_text()
    )
    page.goto(base + "/contribute/mine/")
    assert page.locator(".state").first.inner_text() == "Published"
    context.close()
