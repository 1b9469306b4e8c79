"""The contribution form's fields: dates to the day, month or year, the error summary, the
daily limit's refusal, what a new contribution starts with, languages and images."""

import datetime

import pytest

from django.urls import reverse

from cases.models import CaseStudyPage, ContributionStart, Theme
from commonground.members.models import MemberProfile
from tests.contribute.conftest import photo
from tests.helpers import html, text

NEW = "/contribute/"


def post(client, data, action="save", url=NEW, **files):
    return client.post(url, {**data, **files, "action": action})


def date(day="", month="", year=""):
    return {"case_date_day": day, "case_date_month": month, "case_date_year": year}


def saved(member):
    return CaseStudyPage.objects.get(contributor=member).get_latest_revision_as_object()


# Dates to the day, the month or the year.


@pytest.mark.parametrize(
    ("parts", "stored", "precision", "shown"),
    [
        (date("", "4", "2019"), datetime.date(2019, 4, 1), "month", "April 2019"),
        (date("", "", "2019"), datetime.date(2019, 1, 1), "year", "2019"),
        (date("18", "4", "2019"), datetime.date(2019, 4, 18), "day", "18 April 2019"),
    ],
)
def test_a_date_to_the_month_or_year_is_kept_shown_and_given_back(
    member_client, member, contribution_data, parts, stored, precision, shown
):
    assert post(member_client, {**contribution_data, **parts}).status_code == 302
    draft = saved(member)
    assert (draft.case_date, draft.case_date_precision) == (stored, precision)
    assert draft.case_date_text == shown

    page = CaseStudyPage.objects.get(contributor=member)
    doc = html(member_client.get(reverse("contribute:edit", args=[page.pk])))
    assert doc.select_one("#id_case_date_0").get("value", "") == parts["case_date_day"]
    month = doc.select_one("#id_case_date_1 option[selected]")
    assert (month["value"] if month else "") == parts["case_date_month"]
    assert doc.select_one("#id_case_date_2")["value"] == "2019"

    preview = html(member_client.get(reverse("contribute:preview", args=[page.pk])))
    assert text(preview.select_one(".case__facts time")) == shown


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (date("18", "4", ""), "Give the year as well"),
        (date("18", "", "2019"), "Give the month as well as the day"),
        (date("30", "2", "2019"), "That day does not exist"),
        (date("", "", "20x9"), "Write the year in figures"),
    ],
)
def test_an_incomplete_or_impossible_date_is_refused_and_kept(
    member_client, member, contribution_data, parts, message
):
    response = post(member_client, {**contribution_data, **parts})
    doc = html(response)
    assert message in text(doc.select_one(".date-input .field__errors"))
    assert doc.select_one("#id_case_date_2").get("value", "") == parts["case_date_year"]
    assert not CaseStudyPage.objects.filter(contributor=member).exists()


def test_sending_needs_at_least_the_year(member_client, member, contribution_data):
    response = post(member_client, {**contribution_data, **date()}, action="submit")
    assert "Give at least the year" in text(html(response).select_one(".date-input"))


def test_the_date_is_three_labelled_boxes_not_a_browser_date_picker(member_client):
    doc = html(member_client.get(NEW))
    assert not doc.select("input[type=date]")
    legend = doc.select_one("fieldset.date-input > legend")
    assert text(legend).startswith("When it happened")
    hint = text(doc.select_one("#id_case_date_helptext"))
    assert "The year is enough" in hint
    assert "id_case_date_helptext" in doc.select_one("fieldset.date-input")["aria-describedby"]
    for part, label in (("0", "Day"), ("1", "Month"), ("2", "Year")):
        assert text(doc.select_one(f"label[for=id_case_date_{part}]")) == label


# The error summary.


def test_the_error_summary_links_each_problem_to_its_box(member_client, contribution_data):
    data = {**contribution_data, "title": "Kept", "summary": "", "themes": [], **date("1")}
    doc = html(post(member_client, data, action="submit"))
    summary = doc.select_one("#error-summary")
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    assert text(summary.select_one("h2")) == "There are 3 problems"
    links = summary.select("li a")
    assert [link["href"] for link in links] == ["#id_summary", "#id_case_date_2", "#id_themes_0"]
    for link in links:
        assert doc.select_one(link["href"]) is not None  # each names a box on the page
    assert "When it happened: Give the year as well" in text(links[1])
    # First in the reading order: nothing of the form comes before it.
    assert summary.find_previous("input", attrs={"type": "text"}) is None


def test_themes_and_platforms_are_lists_of_boxes_named_by_their_legend(
    member_client, contribution_data
):
    doc = html(post(member_client, {**contribution_data, "themes": []}, action="submit"))
    themes = doc.select_one("fieldset.field:has(#id_themes_0)")
    assert text(themes.legend) == "Themes"
    assert themes["aria-describedby"].split() == ["id_themes_error", "id_themes_helptext"]
    assert text(themes.select_one("#id_themes_error")) == "Choose at least one theme."
    assert text(themes.select_one("#id_themes_helptext")) == "Choose at least one."
    boxes = themes.select("ul.checks input[type=checkbox][name=themes]")
    assert len(boxes) == Theme.objects.count()
    for box in boxes:
        assert text(themes.select_one(f"label[for={box['id']}]"))
    platforms = doc.select_one("fieldset.field:has(#id_platforms_0)")
    assert text(platforms.legend) == "Platforms (optional)"
    assert not platforms.has_attr("aria-describedby")


def test_one_problem_is_one_problem(member_client, contribution_data):
    doc = html(post(member_client, {**contribution_data, "title": ""}))
    assert text(doc.select_one("#error-summary h2")) == "There is 1 problem"
    assert [a["href"] for a in doc.select("#error-summary a")] == ["#id_title"]


def test_an_image_description_is_named_with_its_image(member_client, contribution_data):
    response = post(member_client, contribution_data, action="submit", image_1_file=photo())
    (link,) = html(response).select("#error-summary a")
    assert link["href"] == "#id_image_1_alt"
    assert text(link).startswith("Second image: Description of the image")


# The daily limit.


def test_the_daily_limit_says_when_it_resets_and_keeps_the_draft(
    member_client, member, contribution_data, settings
):
    settings.CONTRIBUTIONS_PER_DAY = 1
    post(member_client, {**contribution_data, "title": "First"})
    response = post(
        member_client, {**contribution_data, "title": "Second", **date("", "4", "2019")}
    )
    doc = html(response)
    refusal = text(doc.select_one("#error-summary"))
    assert "problem" not in refusal
    assert "today’s limit of new contributions" in refusal
    start = ContributionStart.objects.get(member=member).created_at
    resets = start + datetime.timedelta(days=1)
    from django.utils import timezone

    assert f"It resets at {timezone.localtime(resets):%H:%M}" in refusal
    assert "Nothing you typed is lost" in refusal
    assert doc.select_one("#id_title")["value"] == "Second"

    # Kept for the member: the form comes back with it, and saving it clears it.
    again = html(member_client.get(NEW))
    assert again.select_one("#id_title")["value"] == "Second"
    assert again.select_one("#id_case_date_1 option[selected]")["value"] == "4"
    assert "back in this form" in text(again.select_one(".notice"))
    ContributionStart.objects.update(created_at=start - datetime.timedelta(days=2))
    assert post(member_client, {**contribution_data, "title": "Second"}).status_code == 302
    assert html(member_client.get(NEW)).select_one("#id_title").get("value") is None


def test_what_was_kept_can_be_discarded(member_client, contribution_data, settings):
    settings.CONTRIBUTIONS_PER_DAY = 0
    post(member_client, {**contribution_data, "title": "Unwanted"})
    assert member_client.get(NEW + "?discard=1").status_code == 302
    assert html(member_client.get(NEW)).select_one("#id_title").get("value") is None


# What a new contribution starts with.


def test_a_new_contribution_starts_with_the_members_organisation_and_country(
    member_client, member
):
    MemberProfile.objects.update_or_create(
        user=member, defaults={"organisation": "Politiezone Gent", "country": "BE"}
    )
    doc = html(member_client.get(NEW))
    assert doc.select_one("#id_organisation")["value"] == "Politiezone Gent"
    assert doc.select_one("#id_country option[selected]")["value"] == "BE"


def test_editing_keeps_the_contributions_own_organisation(
    member_client, member, contribution_data
):
    post(member_client, {**contribution_data, "organisation": "Politie Antwerpen"})
    MemberProfile.objects.update_or_create(user=member, defaults={"organisation": "Elsewhere"})
    page = CaseStudyPage.objects.get(contributor=member)
    doc = html(member_client.get(reverse("contribute:edit", args=[page.pk])))
    assert doc.select_one("#id_organisation")["value"] == "Politie Antwerpen"


# Languages.


def test_the_language_list_offers_the_languages_forces_write_in(member_client):
    doc = html(member_client.get(NEW))
    groups = doc.select("#id_language optgroup")
    site = [option["value"] for option in groups[0].select("option")]
    assert sorted(site) == ["de", "en", "es", "fr", "nl"]
    names = [text(option) for option in groups[1].select("option")]
    assert names == sorted(names)
    assert 30 <= len(site) + len(names) <= 45
    assert {"Arabic", "Polish", "Welsh", "Hindi"} <= set(names)
    assert "Volapük" not in names and "Avestan" not in names


def test_a_stored_language_outside_the_list_stays_valid(member_client, member, contribution_data):
    post(member_client, contribution_data)
    page = CaseStudyPage.objects.get(contributor=member)
    draft = page.get_latest_revision_as_object()
    draft.language = "nl-BE"
    draft.save_revision(user=member)
    edit = reverse("contribute:edit", args=[page.pk])
    doc = html(member_client.get(edit))
    assert doc.select_one("#id_language option[selected]")["value"] == "nl-BE"
    assert (
        post(member_client, {**contribution_data, "language": "nl-BE"}, url=edit).status_code
        == 302
    )
    assert saved(member).language == "nl-BE"


# Images.


def test_image_descriptions_say_when_they_are_needed(member_client):
    doc = html(member_client.get(NEW))
    label = text(doc.select_one("label[for=id_hero_alt]"))
    assert label == "Description of the image (needed with an image)"
    assert "(optional)" not in label
    legends = [text(legend) for legend in doc.select("fieldset.image-slot > legend")]
    assert legends == ["Main image", "Second image", "Third image"]
    assert not doc.select(".image-slot h2")


def test_the_main_image_caption_is_kept_and_shown_as_its_figcaption(
    member_client, member, contribution_data
):
    data = {**contribution_data, "hero_alt": "A poster", "hero_caption": "Our spring appeal"}
    assert post(member_client, data, hero_file=photo()).status_code == 302
    draft = saved(member)
    assert draft.hero_caption == "Our spring appeal"
    page = CaseStudyPage.objects.get(contributor=member)
    edit = html(member_client.get(reverse("contribute:edit", args=[page.pk])))
    assert edit.select_one("#id_hero_caption")["value"] == "Our spring appeal"
    preview = html(member_client.get(reverse("contribute:preview", args=[page.pk])))
    assert text(preview.select_one(".case__hero figcaption")) == "Our spring appeal"


@pytest.mark.parametrize("language, expected", [("de", "de"), ("fr", "fr"), ("en-gb", "en")])
def test_a_new_contribution_starts_in_the_language_the_member_reads(
    member_client, language, expected
):
    member_client.cookies["django_language"] = language
    soup = html(member_client.get(NEW))
    assert soup.select_one("#id_language option[selected]")["value"] == expected


@pytest.mark.parametrize(
    "language, germany, first_of_two",
    [("en-gb", "Germany", "AT"), ("fr", "Allemagne", "DE"), ("de", "Deutschland", "DE")],
)
def test_the_country_list_is_named_and_sorted_in_the_language_the_member_reads(
    member_client, language, germany, first_of_two
):
    """Austria and Germany: "Austria" < "Germany", but "Allemagne" < "Autriche" and
    "Deutschland" < "Österreich"."""
    member_client.cookies["django_language"] = language
    options = html(member_client.get(NEW)).select("#id_country option")
    assert text(next(o for o in options if o["value"] == "DE")) == germany
    codes = [o["value"] for o in options]
    assert min(("AT", "DE"), key=codes.index) == first_of_two
