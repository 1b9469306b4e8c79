"""The site's public address (BASE_URL): what absolute links name, never the Host header of
the request that asked."""

from django.conf import settings


def public_url(path: str = "") -> str:
    """The absolute address of a path on this site, e.g. "/sitemap.xml"."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
