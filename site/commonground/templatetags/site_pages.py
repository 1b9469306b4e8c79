"""Links to the site's own pages (terms, privacy…) by slug, from the cached lookup."""

from django import template
from django.conf import settings

from commonground.site_pages import FOOTER, site_page_urls

register = template.Library()


@register.simple_tag
def site_page_url(slug):
    """The address of a site page, or "" when it is missing or unpublished."""
    return site_page_urls().get(slug, "")


@register.simple_tag
def footer_links():
    """[(label, url)] of the footer's site pages that exist and are live."""
    urls = site_page_urls()
    return [(label, urls[slug]) for slug, label in FOOTER if slug in urls]


@register.simple_tag
def contact_email():
    """settings.CONTACT_EMAIL: where people write to the site's team."""
    return settings.CONTACT_EMAIL
