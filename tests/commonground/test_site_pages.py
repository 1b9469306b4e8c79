"""The site's information pages (terms, privacy, licence, who may join, contact): made by a
migration, editable pages, linked from every page's footer and from the join form."""

import importlib

import pytest

from django.apps import apps as django_apps
from django.urls import reverse

from commonground.models import StandardPage
from commonground.site_pages import FOOTER
from tests.helpers import html, text

pytestmark = pytest.mark.django_db

SLUGS = ["terms", "privacy", "licence", "who-may-join", "contact"]


def test_the_migration_made_each_page_live_under_the_home_page(client):
    for slug in SLUGS:
        page = StandardPage.objects.get(slug=slug, depth=3)
        assert page.live
        assert page.url == f"/{slug}/"
        soup = html(client.get(page.url))
        assert text(soup.find("h1")) == page.title
        assert len(soup.select(".page-body p")) >= 2


def test_running_the_migration_again_changes_nothing():
    migration = importlib.import_module("commonground.migrations.0005_site_information_pages")
    terms = StandardPage.objects.get(slug="terms")
    terms.title = "Our terms"
    terms.save()
    before = StandardPage.objects.count()
    migration.create_pages(django_apps, None)
    assert StandardPage.objects.count() == before
    assert StandardPage.objects.get(slug="terms").title == "Our terms"


def test_the_licence_page_names_cc_by_4_and_links_to_it(client):
    soup = html(client.get("/licence/"))
    link = soup.select_one('.page-body a[href="https://creativecommons.org/licenses/by/4.0/"]')
    assert "CC BY 4.0" in text(link)
    assert "Images" in text(soup.select_one(".page-body"))


def test_the_privacy_notice_says_what_is_held_and_that_nothing_tracks(client):
    body = text(html(client.get("/privacy/")).select_one(".page-body"))
    for held in ("Your account", "Your profile", "Your contributions", "no trackers"):
        assert held in body
    assert html(client.get("/privacy/")).select_one('a[href="/accounts/data/"]') is not None


def test_the_contact_page_shows_the_configured_address(client, settings):
    settings.CONTACT_EMAIL = "team@commonground.example"
    soup = html(client.get("/contact/"))
    link = soup.select_one(".contact-address a")
    assert link["href"] == "mailto:team@commonground.example"
    assert text(link) == "team@commonground.example"


def test_every_page_footer_links_the_site_pages_and_the_contact_address(client, settings):
    settings.CONTACT_EMAIL = "team@commonground.example"
    soup = html(client.get("/cases/"))
    footer = soup.select_one("footer.site-footer")
    links = {text(a): a["href"] for a in footer.select(".site-footer__links--about a")}
    assert links == {
        "About": "/about/",
        "Who may join": "/who-may-join/",
        "Terms of use": "/terms/",
        "Privacy notice": "/privacy/",
        "Content licence": "/licence/",
        "Contact": "/contact/",
    }
    assert footer.select_one('a[href="mailto:team@commonground.example"]') is not None
    assert "CC BY 4.0" in text(footer.select_one(".site-footer__legal"))


def test_the_footer_follows_a_renamed_or_unpublished_page(client):
    assert [slug for slug, _ in FOOTER][:2] == ["about", "who-may-join"]
    html(client.get("/"))  # fills the cache
    terms = StandardPage.objects.get(slug="terms")
    terms.slug = "conditions"
    terms.save_revision().publish()
    privacy = StandardPage.objects.get(slug="privacy")
    privacy.unpublish()

    footer = html(client.get("/")).select_one("footer.site-footer")
    hrefs = [a["href"] for a in footer.select(".site-footer__links--about a")]
    # Found by slug: a renamed page drops out rather than linking to a dead address.
    assert "/terms/" not in hrefs and "/privacy/" not in hrefs
    assert "/licence/" in hrefs


def test_the_join_form_links_the_terms_and_privacy_notice(client):
    soup = html(client.get(reverse("account_signup")))
    notice = soup.select_one("form .signup-terms")
    assert " ".join(notice.get_text().split()) == (
        "By joining you accept the terms of use and the privacy notice."
    )
    assert [a["href"] for a in notice.find_all("a")] == ["/terms/", "/privacy/"]
    assert soup.select_one('a[href="/who-may-join/"]') is not None
