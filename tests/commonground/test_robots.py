"""/robots.txt: public pages open, the admin interfaces, accounts, the contribute form, the
language switcher and the API closed, the sitemap named by the site's public address."""

import urllib.robotparser

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def robots(client, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://commonground.example/"
    response = client.get("/robots.txt", HTTP_HOST="attacker.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser, response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cases/",
        "/cases/some-case/",
        "/themes/recruitment/",
        "/countries/GB/",
        "/organisations/some-police/",
        "/search/?q=manhunt",
        "/events/",
        "/feeds/cases/",
        "/members/someone/",  # public profiles
        "/sitemap.xml",
    ],
)
def test_public_pages_are_open(robots, path):
    parser, _ = robots
    assert parser.can_fetch("AnyBot", f"https://commonground.example{path}")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/3/",
        "/django-admin/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/profile/",
        "/contribute/",
        "/contribute/mine/",
        "/language/",
        # for programs, not crawlers: the search API, suggestions and the exports
        "/api/search/?q=manhunt",
        "/api/search/suggest/?q=man",
        "/api/search/export.csv?theme=recruitment",
        "/api/search/export.jsonl",
    ],
)
def test_private_and_form_pages_are_closed(robots, path):
    parser, _ = robots
    assert not parser.can_fetch("AnyBot", f"https://commonground.example{path}")


def test_each_closed_section_is_disallowed_once(robots):
    _, body = robots
    closed = [line for line in body.splitlines() if line.startswith("Disallow:")]
    assert closed == [
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /accounts/",
        "Disallow: /contribute/",
        "Disallow: /language/",
        "Disallow: /api/",
    ]


def test_the_sitemap_is_named_by_the_public_address_not_the_host_header(robots):
    parser, body = robots
    assert parser.site_maps() == ["https://commonground.example/sitemap.xml"]
    assert "attacker.example" not in body
