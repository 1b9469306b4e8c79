"""Values every template needs; no database queries here."""

from django.conf import settings

NAVIGATION = [
    ("Search", "/search/"),
    ("Library", "/cases/"),
    ("Themes", "/themes/"),
    ("Countries", "/countries/"),
    ("Organisations", "/organisations/"),
    ("Events", "/events/"),
    ("About", "/about/"),
]


def site_context(request):
    path = getattr(request, "path", "")
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        # Canonical and Open Graph addresses use the configured public address, never the
        # Host header of the request.
        "canonical_base": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
        "navigation": [(label, url, path.startswith(url)) for label, url in NAVIGATION],
    }
