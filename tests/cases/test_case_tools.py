"""The case page's share, cite and print tools, its last-reviewed date, and its pictures:
shown whole at true widths, and only when they are real (not the demo's illustrations)."""

from datetime import date

import pytest

from django.utils import timezone

from wagtail.models import Collection

from cases.demo import ILLUSTRATIONS_COLLECTION
from cases.models import CaseStudyPage
from commonground.templatetags.pictures import supplied_widths
from tests.factories import ImageFactory, OrganisationFactory
from tests.helpers import html, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_case):
    return make_case(
        title="Finding a missing child through WhatsApp",
        organisation=OrganisationFactory(name="Politie Eenheid Oost", country="NL"),
        case_date=date(2021, 3, 5),
        themes=["recruitment"],
    )


def candidates(srcset):
    """[(url, width)] of a srcset with width descriptors."""
    return [
        (url, int(width[:-1]))
        for url, width in (item.strip().split(" ") for item in srcset.split(","))
    ]


def test_share_shows_the_permanent_address_as_a_link_and_a_copy_button_for_scripts(
    client, case, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://commonground.example"
    soup = html(client.get(case.url))
    address = f"https://commonground.example{case.url}"

    link = soup.select_one(".case-tools__address")
    assert link["href"] == address
    assert text(link) == address
    copy = soup.select_one(".case-tools button[data-copy-text]")
    assert copy["data-copy-text"] == address
    # Hidden until the script shows it: without JavaScript it would do nothing.
    assert copy.has_attr("hidden")
    assert soup.select_one(".case-tools button[data-print]").has_attr("hidden")


def test_citation_names_organisation_year_title_site_address_and_today(client, case, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://commonground.example"
    today = timezone.localdate()
    soup = html(client.get(case.url))

    cite = soup.select_one("details.case-tools__cite")
    assert text(cite.find("summary")) == "Cite this case"
    expected = (
        f"Politie Eenheid Oost (2021). Finding a missing child through WhatsApp. Common Ground. "
        f"https://commonground.example{case.url} (accessed {today.day} {today:%B %Y})."
    )
    assert " ".join(cite.select_one(".citation").get_text().split()) == expected
    assert text(cite.select_one(".citation cite")) == "Finding a missing child through WhatsApp"
    plain = cite.select_one("textarea#citation-plain")
    assert plain.has_attr("readonly")
    assert plain.string == expected
    assert soup.select_one("label[for=citation-plain]") is not None


def test_a_draft_without_organisation_or_date_is_cited_by_the_site(make_case):
    from cases.citation import Citation

    page = make_case.build(title="Only a title", organisation=None, case_date=None)
    citation = Citation.for_page(page, today=date(2026, 12, 7))
    assert citation.plain.startswith("Common Ground (n.d.). Only a title. Common Ground. ")
    assert citation.plain.endswith("(accessed 7 December 2026).")


def test_print_stylesheet_is_linked_for_print(client, case):
    soup = html(client.get(case.url))
    assert soup.find("link", href="/static/css/print.css")["media"] == "print"
    # The permanent address is written out on paper, where links cannot be followed.
    assert text(soup.select_one(".case__credits .print-only dd")) == f"http://testserver{case.url}"


def test_last_reviewed_shows_beside_last_updated_when_set(client, case):
    soup = html(client.get(case.url))
    assert soup.select_one(".case__reviewed") is None

    case.last_reviewed = date(2026, 11, 2)
    case.save_revision().publish()
    soup = html(client.get(case.url))
    reviewed = soup.select_one(".case__reviewed")
    assert text(reviewed.find("dt")) == "Last reviewed"
    assert reviewed.find("time")["datetime"] == "2026-11-02"
    assert text(reviewed.find("time")) == "2 November 2026"


def test_last_reviewed_is_an_editable_field_in_the_admin(admin_client, case):
    response = admin_client.get(f"/admin/pages/{case.pk}/edit/")
    assert response.status_code == 200
    assert 'name="last_reviewed"' in response.content.decode()


# Pictures ------------------------------------------------------------------------------


def test_generated_illustrations_are_not_shown_on_the_case_page(client, make_case):
    root = Collection.get_first_root_node()
    illustrations = root.add_child(name=ILLUSTRATIONS_COLLECTION)
    case = make_case(hero_image=ImageFactory(collection=illustrations), hero_alt="A drawing")
    soup = html(client.get(case.url))
    assert soup.select_one(".case__hero") is None


def test_a_case_tells_a_real_picture_from_an_illustration_outside_its_page(make_case):
    """`picture` asked of a case fetched anywhere, not only by the page it renders."""
    illustrations = Collection.get_first_root_node().add_child(name=ILLUSTRATIONS_COLLECTION)
    drawn = make_case(hero_image=ImageFactory(collection=illustrations), hero_alt="A drawing")
    photo = ImageFactory()
    photographed = make_case(hero_image=photo, hero_alt="A photograph")
    bare = make_case()

    assert CaseStudyPage.objects.get(pk=drawn.pk).picture is None
    assert CaseStudyPage.objects.get(pk=photographed.pk).picture == photo
    assert CaseStudyPage.objects.get(pk=bare.pk).picture is None


def test_a_real_picture_is_shown_uncropped_at_true_distinct_widths(client, make_case):
    # A tall appeal poster, 1000 × 1500: its edges must survive, and it cannot supply 1200 or
    # 1600 pixels, so the widest candidate is its own width.
    poster = ImageFactory(file__width=1000, file__height=1500)
    case = make_case(hero_image=poster, hero_alt="An appeal poster")
    picture = html(client.get(case.url)).select_one(".case__hero picture")

    for srcset in (picture.find("source", type="image/webp")["srcset"], picture.img["srcset"]):
        widths = [width for _, width in candidates(srcset)]
        assert widths == [480, 800, 1000]
    img = picture.img
    # Every rendition keeps the poster's 2:3 proportions: nothing is cropped.
    assert int(img["height"]) * 2 == int(img["width"]) * 3


def test_a_small_picture_is_listed_once_at_its_own_width(client, make_case):
    case = make_case(hero_image=ImageFactory(file__width=300, file__height=200), hero_alt="A")
    img = html(client.get(case.url)).select_one(".case__hero picture img")
    assert not img.has_attr("srcset")  # one candidate: no descriptors to get wrong
    assert (img["width"], img["height"]) == ("300", "200")


def test_figures_in_the_story_list_only_widths_the_original_supplies(client, make_case):
    image = ImageFactory(file__width=900, file__height=300)
    case = make_case(
        body=[("image", {"image": image, "alt_text": "A banner with text", "caption": "The ad"})]
    )
    figure = html(client.get(case.url)).select_one(".case__body figure")
    srcset = figure.find("source", type="image/webp")["srcset"]
    assert [width for _, width in candidates(srcset)] == [480, 800, 900]
    assert [width for _, width in candidates(figure.img["srcset"])] == [480, 800, 900]
    assert figure.img["alt"] == "A banner with text"


@pytest.mark.parametrize(
    ("original", "expected"),
    [(2000, [480, 800, 1200]), (1200, [480, 800, 1200]), (1000, [480, 800, 1000]), (300, [300])],
)
def test_supplied_widths_are_distinct_and_never_wider_than_the_original(original, expected):
    assert supplied_widths(original, [480, 800, 1200]) == expected
