"""Security headers on every kind of response: pages, the search page, sign-in, the JSON API,
error pages; the admin sites without a CSP; HSTS and the HTTPS redirect in production."""

import base64
import hashlib
import re
from pathlib import Path

import pytest

from django.conf import settings
from django.test import override_settings
from django.urls import path

from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.format import embed_to_frontend_html
from wagtail.embeds.models import Embed

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CSP = (
    "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'sha256-pGzYnNRc9psrNwtU7jzmFzxcgDaABxczXmSEx1goYJA='; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "frame-src https://www.youtube-nocookie.com https://www.youtube.com "
    "https://player.vimeo.com; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS = "browsing-topics=(), camera=(), geolocation=(), microphone=(), payment=(), usb=()"
EVERYWHERE = {
    "Permissions-Policy": PERMISSIONS,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
# What production.py sets (it cannot be imported here: it refuses to start without a key).
PRODUCTION = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 60 * 60 * 24 * 365,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}
HSTS = "max-age=31536000; includeSubDomains; preload"


def directives(policy):
    """{directive: sources}: django-csp does not keep the directives in a fixed order."""
    return dict(directive.split(" ", 1) for directive in policy.split("; "))


def failing_view(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [path("broken/", failing_view)]  # for the 500 page test below


@pytest.fixture
def case(make_case):
    return make_case(title="Appeal for witnesses")


def public_urls(case):
    return [
        "/",
        "/cases/",
        case.url,
        "/search/?q=police",
        "/themes/",
        "/accounts/login/",
        "/api/search/?q=police",
        "/api/search/suggest/?q=po",
        "/health/",
        "/no-such-page/",
    ]


def assert_headers(response, csp=CSP):
    for header, value in EVERYWHERE.items():
        assert response.headers.get(header) == value, (header, response.headers.get(header))
    assert directives(response.headers.get("Content-Security-Policy", "")) == directives(csp)
    assert "Strict-Transport-Security" not in response.headers  # only production, on HTTPS


def test_every_public_response_carries_the_strict_policy_and_the_other_headers(client, case):
    for url in public_urls(case):
        response = client.get(url)
        expected = 404 if url == "/no-such-page/" else 200
        assert response.status_code == expected, (url, response.status_code)
        assert_headers(response)
    assert client.get("/api/search/").headers["Content-Type"].startswith("application/json")


def test_csp_allows_only_same_origin_scripts_and_styles_and_no_framing(client):
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


@pytest.mark.urls(__name__)
def test_the_error_page_keeps_its_inline_style_through_its_hash(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert_headers(response)
    style = re.search(r"<style>(.*?)</style>", response.content.decode(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.ERROR_PAGE_STYLE_HASH


def test_no_inline_script_or_style_in_the_public_templates():
    """A strict CSP blocks inline code: only the error page's hashed style is allowed. E-mails
    (templates in an email/ folder) are no page: mail programs drop <style>, so their HTML
    part is styled inline, and no script is allowed there either."""
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        source = template.read_text()
        if "email" in template.parts:
            source = re.sub(r"\sstyle=", " ", source)
        if template.name == "500.html":
            source = re.sub(r"<style>.*?</style>", "", source, flags=re.S)
        found = re.findall(r"<style\b|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=", source)
        if found:
            offenders.append((str(template.relative_to(ROOT)), found))
    assert offenders == []


def test_embedded_videos_need_no_inline_style_and_come_from_allowed_frames():
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        type="video",
        html='<iframe width="200" height="113" src="https://www.youtube.com/embed/dQw4w9WgXcQ'
        '?feature=oembed" title="Appeal" allowfullscreen></iframe>',
        width=200,
        height=113,
    )
    html = embed_to_frontend_html(url)
    assert "https://www.youtube.com/embed/" in html
    assert "style=" not in html


def test_the_admin_sites_get_no_csp_but_the_other_headers(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    for url in ("/admin/", "/admin/pages/", "/admin/images/", "/django-admin/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" not in response.headers, url
        for header, value in EVERYWHERE.items():
            assert response.headers.get(header) == value, (url, header)


def test_the_admin_really_uses_inline_scripts():
    """Why the admin is left out: the strict policy would break it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.create_superuser("a", "a@example.org", "pw"))
    page = client.get("/admin/").content.decode()
    assert re.search(r"<script(?![^>]*\ssrc=)[^>]*>\s*\S", page) or " style=" in page


@override_settings(**PRODUCTION)
def test_production_sends_hsts_on_https(client, case):
    for url in ("/", case.url, "/api/search/?q=police"):
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert response.headers["Strict-Transport-Security"] == HSTS
        assert directives(response.headers["Content-Security-Policy"]) == directives(CSP)
    proxied = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert proxied.headers["Strict-Transport-Security"] == HSTS


@override_settings(**PRODUCTION)
def test_production_redirects_plain_http_to_https_without_hsts(client):
    response = client.get("/cases/?theme=recruitment")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/cases/?theme=recruitment"
    assert "Strict-Transport-Security" not in response.headers
