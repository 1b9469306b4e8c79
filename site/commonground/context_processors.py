"""Values every template needs; no database queries here."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NAVIGATION = [
    # Translators: a navigation link to the search page.
    (pgettext_lazy("navigation", "Search"), "/search/"),
    (_("Library"), "/cases/"),
    (_("Themes"), "/themes/"),
    (_("Countries"), "/countries/"),
    (_("Organisations"), "/organisations/"),
    (_("Events"), "/events/"),
]
# "About" is linked from every page's footer, with the terms and the contact page: in the header
# the row must fit at 1280 px in all five languages.


def site_context(request):
    path = getattr(request, "path", "")
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        # Canonical and Open Graph addresses use the configured public address, never the
        # Host header of the request.
        "canonical_base": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
        "navigation": [(label, url, path.startswith(url)) for label, url in NAVIGATION],
    }
