"""Values every template needs; no database query here beyond the cached page addresses."""

from django.conf import settings
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commonground.base_url import public_url
from commonground.site_pages import EVENTS, LIBRARY, site_page_urls

# Each link is a URL, or the key of a section page in commonground.site_pages (whose address is
# cached, so the header costs no query).
NAVIGATION = [
    # Translators: a navigation link to the search page.
    (pgettext_lazy("navigation", "Search"), reverse_lazy("search:page")),
    (_("Library"), LIBRARY),
    (_("Themes"), reverse_lazy("cases:theme_index")),
    (_("Countries"), reverse_lazy("cases:country_index")),
    (_("Organisations"), reverse_lazy("cases:organisation_index")),
    (_("Events"), EVENTS),
]
# "About" is linked from every page's footer, with the terms and the contact page: in the header
# the row must fit at 1280 px in all five languages.


def navigation_links() -> list[tuple[str, str]]:
    """[(label, url)] of the header, missing section pages left out."""
    sections = site_page_urls()
    links = [
        (label, sections.get(target, "") if target in (LIBRARY, EVENTS) else str(target))
        for label, target in NAVIGATION
    ]
    return [(label, url) for label, url in links if url]


def site_context(request):
    path = getattr(request, "path", "")
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        # Canonical and Open Graph addresses use the configured public address, never the
        # Host header of the request.
        "canonical_base": public_url(),
        "navigation": [(label, url, path.startswith(url)) for label, url in navigation_links()],
    }
