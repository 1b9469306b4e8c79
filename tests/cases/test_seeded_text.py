"""Text seeded by migrations (themes, the library and events pages, sort names) in the
visitor's language, while editors' own wording shows as typed and values stay English."""

import json

import pytest

from cases.models import CaseIndexPage, Theme
from tests.helpers import html, import_records, text

pytestmark = pytest.mark.django_db

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


@pytest.fixture
def crisis_case(db):
    return import_records(
        [{"title": "Storm night", "themes": ["crisis-communication", "recruitment"]}]
    )[0]


def tag_names(soup):
    return [text(a) for a in soup.select(".case-card .tag")]


def test_a_seeded_theme_reads_in_german_on_facet_chip_and_card(client, crisis_case):
    soup = html(client.get("/cases/?theme=crisis-communication", **GERMAN))
    box = soup.select_one("input[name=theme][value=crisis-communication]")
    assert "Krisenkommunikation" in text(soup.find("label", attrs={"for": box["id"]}))
    chip = text(soup.select_one(".chip-list--active a.chip"))
    assert "Krisenkommunikation" in chip and "Crisis communication" not in chip
    assert "Krisenkommunikation" in tag_names(soup)
    assert "Nachwuchsgewinnung" in tag_names(soup)
    assert "Neueste zuerst" in text(soup.select_one(".results__sort"))
    assert "Newest first" not in str(soup)


def test_english_visitors_see_the_seeded_text_unchanged(client, crisis_case):
    soup = html(client.get("/cases/?theme=crisis-communication"))
    assert "Crisis communication" in tag_names(soup)
    assert "Newest first" in text(soup.select_one(".results__sort"))
    assert text(soup.select_one("h1")) == "Case library"


def test_an_edited_theme_name_shows_as_typed(client, crisis_case):
    Theme.objects.filter(slug="crisis-communication").update(
        name="Crisis comms", description="When everything happens at once."
    )
    soup = html(client.get("/cases/?theme=crisis-communication", **GERMAN))
    assert "Crisis comms" in tag_names(soup)
    assert "Crisis comms" in text(soup.select_one(".chip-list--active a.chip"))
    detail = html(client.get("/themes/crisis-communication/", **GERMAN))
    assert text(detail.select_one("h1")) == "Crisis comms"
    assert "When everything happens at once." in text(detail.select_one(".lede"))


def test_theme_pages_read_in_german(client, crisis_case):
    detail = html(client.get("/themes/crisis-communication/", **GERMAN))
    assert text(detail.select_one("h1")) == "Krisenkommunikation"
    assert text(detail.select_one("title")).startswith("Krisenkommunikation ·")
    assert "Großschadensereignis" in text(detail.select_one(".lede"))
    index = html(client.get("/themes/", **GERMAN))
    names = [text(n) for n in index.select(".theme-tile__name")]
    assert "Krisenkommunikation" in names and names == sorted(names, key=str.lower)


def test_the_library_heading_and_intro_read_in_german(client, crisis_case):
    soup = html(client.get("/cases/", **GERMAN))
    assert text(soup.select_one("h1")) == "Fallbibliothek"
    assert text(soup.select_one("title")).startswith("Fallbibliothek ·")
    assert text(soup.select_one(".lede")).startswith("Alle Fallstudien in Common Ground.")


def test_an_edited_library_title_and_intro_show_as_typed(client, crisis_case):
    CaseIndexPage.objects.update(title="Our cases", intro="<p>Read them all.</p>")
    soup = html(client.get("/cases/", **GERMAN))
    assert text(soup.select_one("h1")) == "Our cases"
    assert text(soup.select_one(".lede")) == "Read them all."


def test_the_events_index_reads_in_german(client):
    soup = html(client.get("/events/", **GERMAN))
    assert text(soup.select_one("h1")) == "Veranstaltungen"
    assert text(soup.select_one(".breadcrumbs [aria-current=page]")) == "Veranstaltungen"
    assert text(soup.select_one(".lede")).startswith("Konferenzen, auf denen")


def test_exports_and_api_values_stay_english(client, crisis_case):
    response = client.get("/api/search/export.jsonl", {"theme": "crisis-communication"}, **GERMAN)
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert json.loads(lines[0])["themes"] == ["crisis-communication", "recruitment"]
    body = client.get("/api/search/", {"theme": "crisis-communication"}, **GERMAN).json()
    names = {t["slug"]: t["name"] for t in body["results"][0]["themes"]}
    assert names["crisis-communication"] == "Crisis communication"
    assert Theme.objects.get(slug="crisis-communication").name == "Crisis communication"
