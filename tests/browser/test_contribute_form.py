"""The contribution form in a real browser at desktop and phone widths: a date given as a
month and a year survives a failed "Send for review", the error summary takes focus and
leads to the box that needs changing, and a refused image is not said to be kept."""

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


def test_back_then_enter_saves_into_the_same_draft(browser, live_server, member):  # noqa: F811
    context, page = sign_in(browser, live_server.url, *WIDTHS["desktop"])
    page.fill("#id_title", "Back button draft")
    key = page.input_value("input[name=form_key]")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/contribute/*/edit/")
    page.go_back()
    page.wait_for_url("**/contribute/")
    assert page.input_value("#id_title") == "Back button draft"
    # Fetched again on Back (no back/forward cache here), with the key it was shown with.
    assert page.input_value("input[name=form_key]") == key
    page.fill("#id_summary", "Typed after going back.")
    page.press("#id_title", "Enter")
    page.wait_for_url("**/contribute/*/edit/")
    assert "This form was already saved as “Back button draft”" in page.inner_text("main")
    case = CaseStudyPage.objects.get(contributor=member)  # one draft, not two
    assert case.get_latest_revision_as_object().summary == "Typed after going back."
    context.close()


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_switching_language_without_javascript_keeps_what_was_typed(
    browser,
    live_server,
    member,  # noqa: F811
    viewport,
):
    context, page = sign_in(browser, live_server.url, *viewport, java_script_enabled=False)
    page.fill("#id_title", "Half a case")
    page.fill("#id_summary", "Typed before switching.")
    page.get_by_role("button", name="Français").click()
    page.wait_for_url("**/contribute/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.inner_text("h1") == "Proposer une étude de cas"
    assert page.input_value("#id_title") == "Half a case"
    assert page.input_value("#id_summary") == "Typed before switching."
    assert "Tout ce que vous avez saisi est toujours là" in page.inner_text(".notice")
    assert not CaseStudyPage.objects.exists()
    # (No accessibility check here: it runs a script, and this page has none.)
    context.close()


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_summary_counts_down_and_never_cuts_pasted_text(
    browser,
    live_server,
    member,  # noqa: F811
    viewport,
):
    context, page = sign_in(browser, live_server.url, *viewport)
    count = page.locator("#id_summary_count")
    assert count.inner_text() == "600 characters remaining"
    page.fill("#id_summary", "x" * 599)
    assert count.inner_text() == "1 character remaining"
    pasted = "y" * 612
    page.fill("#id_summary", pasted)
    assert page.input_value("#id_summary") == pasted
    assert count.inner_text() == "12 characters too many"
    assert "character-count--over" in count.get_attribute("class")
    # The story's count appears only near its limit.
    assert page.locator("#id_body_count").inner_text() == ""
    page.fill("#id_title", "Too long a summary")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert "Use at most 600 characters (this has 612)." in page.inner_text("#error-summary")
    assert page.input_value("#id_summary") == pasted
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_refused_image_is_said_in_the_summary_and_next_to_its_box(
    browser,
    live_server,
    member,  # noqa: F811
    viewport,
):
    context, page = sign_in(browser, live_server.url, *viewport)
    page.fill("#id_title", "Spring appeal")
    page.set_input_files(
        "#id_hero_file",
        files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"not an image"}],
    )
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "but not the image marked below: choose it again" in summary.inner_text()
    assert "any image you chose, has been kept" not in summary.inner_text()
    assert page.input_value("#id_title") == "Spring appeal"
    assert_accessible(page)
    summary.get_by_role("link", name="Main image:").click()
    assert page.evaluate("document.activeElement.id") == "id_hero_file"
    assert not CaseStudyPage.objects.exists()
    context.close()
