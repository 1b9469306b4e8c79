"""Links to the site's own pages (terms, privacy…) by slug, and their seeded text."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commonground import seeded_text
from commonground.site_pages import FOOTER, site_page_urls

register = template.Library()


@register.simple_tag
def site_page_url(slug):
    """The address of a site page (or section: site_pages.LIBRARY, EVENTS), or "" when it is
    missing or unpublished."""
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


@register.filter
def seeded(text):
    """A seeded title or theme name in the visitor's language; edited text as typed."""
    return seeded_text.seeded(text)


@register.filter
def seeded_rich_text(html):
    """A seeded page intro in the visitor's language, before |richtext."""
    return seeded_text.seeded_rich_text(html)


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*steps, current_lang=""):
    """The trail from the home page to this one, in the interface language.

    `steps` are label, url pairs, then the current page's label (linked to nothing):
    `{% breadcrumbs _("Themes") themes_url theme.display_name %}`. `current_lang` marks a
    current label in another language (a case's title).
    """
    *pairs, current = steps
    trail = [(_("Home"), reverse("wagtail_serve", args=[""]))]
    trail += list(zip(pairs[::2], pairs[1::2], strict=True))
    return {
        "trail": trail,
        "current": current,
        "current_lang": current_lang,
        "interface_lang": get_language(),
    }
