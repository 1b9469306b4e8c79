"""Links come from URL names and page lookups, never from addresses typed into templates: a
renamed route or page moves every link to it."""

import re
from pathlib import Path

import pytest

from django.conf import settings

from cases.models import EventIndexPage
from tests.helpers import html, text

TEMPLATES = Path(settings.BASE_DIR) / "templates"
HARD_CODED = re.compile(r'(?:href|action)="(/[^"{]*)"')
# The server-error page renders with as little as possible: it keeps a plain link home.
ALLOWED = {("500.html", "/")}


def test_no_template_hard_codes_a_site_address():
    found = [
        (str(path.relative_to(TEMPLATES)), address)
        for path in TEMPLATES.rglob("*.html")
        for address in HARD_CODED.findall(path.read_text())
    ]
    assert found, "the scan finds nothing: is the templates directory right?"
    assert set(found) <= ALLOWED, sorted(set(found) - ALLOWED)


@pytest.mark.django_db
def test_header_and_footer_follow_renamed_library_and_events_pages(client, library):
    html(client.get("/search/"))  # fills the cache
    library.slug = "library"
    library.save_revision().publish()
    events = EventIndexPage.objects.get()
    events.slug = "meetings"
    events.save_revision().publish()

    soup = html(client.get("/search/"))
    header = {text(a): a["href"] for a in soup.select(".site-nav a")}
    assert header["Library"] == "/library/"
    assert header["Events"] == "/meetings/"
    footer = {text(a): a["href"] for a in soup.select("footer.site-footer a")}
    assert footer["Case library"] == "/library/"
    assert footer["Events"] == "/meetings/"
    assert footer["Sitemap"] == "/sitemap.xml"


@pytest.mark.django_db
def test_an_unpublished_events_index_leaves_the_header(client):
    html(client.get("/search/"))
    EventIndexPage.objects.get().unpublish()
    labels = [text(a) for a in html(client.get("/search/")).select(".site-nav a")]
    assert "Events" not in labels
    assert "Library" in labels


@pytest.mark.django_db
def test_breadcrumbs_mark_the_current_page_in_the_interface_language(client, make_case):
    case = make_case(title="Schools livestream", language="fr")
    nav = html(client.get(case.url, HTTP_ACCEPT_LANGUAGE="en")).select_one("nav.breadcrumbs")
    assert nav["aria-label"] == "Breadcrumb"
    assert nav["lang"] == "en-gb"
    assert [(text(a), a["href"]) for a in nav.select("a")] == [
        ("Home", "/"),
        ("Case library", "/cases/"),
    ]
    current = nav.select_one('[aria-current="page"]')
    assert text(current) == "Schools livestream"
    assert current["lang"] == "fr"
    assert nav.select("li")[-1].select_one("[aria-current]") is current
