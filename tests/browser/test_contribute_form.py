"""The contribution form in a real browser at desktop and phone widths: a date given as a
month and a year survives a failed "Send for review", and the error summary takes focus and
leads to the box that needs changing."""

import pytest

from cases.models import CaseStudyPage
from tests.browser.test_draft_journeys import WIDTHS, member, sign_in  # noqa: F401
from tests.browser.test_practitioner_journeys import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_month_and_year_survive_a_failed_submit_and_the_summary_takes_focus(
    browser,
    live_server,
    member,  # noqa: F811
    viewport,
):
    context, page = sign_in(browser, live_server.url, *viewport)
    page.fill("#id_title", "Spring appeal")
    page.get_by_label("Month", exact=True).select_option(label="April")
    page.get_by_label("Year", exact=True).fill("2019")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert summary.locator("h2").inner_text().startswith("There are ")
    assert page.input_value("#id_title") == "Spring appeal"
    assert page.input_value("#id_case_date_1") == "4"
    assert page.input_value("#id_case_date_2") == "2019"
    assert page.input_value("#id_case_date_0") == ""
    assert_accessible(page)

    # A link in the summary puts the reader in the box it names.
    summary.get_by_role("link", name="Summary:").click()
    assert page.evaluate("document.activeElement.id") == "id_summary"
    assert not CaseStudyPage.objects.exists()
    context.close()
