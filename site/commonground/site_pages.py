"""The site's own pages about itself (about, terms, privacy, licence, who may join, contact):
editable StandardPages under the home page, made by migration 0005_site_information_pages,
found by their slugs. Their addresses are looked up once and cached, so the footer on every
page costs no query; publishing, unpublishing, moving, renaming or deleting a page clears it."""

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

CACHE_KEY = "commonground:site-pages"
CACHE_SECONDS = 60 * 60

ABOUT, TERMS, PRIVACY, LICENCE, JOINING, CONTACT = (
    "about",
    "terms",
    "privacy",
    "licence",
    "who-may-join",
    "contact",
)

# The footer's order and labels (labels in the visitor's language; the pages' titles are
# whatever editors make them).
FOOTER = [
    (ABOUT, _("About")),
    (JOINING, _("Who may join")),
    (TERMS, _("Terms of use")),
    (PRIVACY, _("Privacy notice")),
    (LICENCE, _("Content licence")),
    (CONTACT, _("Contact")),
]


def site_page_urls() -> dict[str, str]:
    """{slug: url} of the live site pages directly under the home page."""
    urls = cache.get(CACHE_KEY)
    if urls is None:
        from commonground.models import StandardPage

        pages = StandardPage.objects.live().filter(depth=3, slug__in=[s for s, _ in FOOTER])
        urls = {page.slug: page.get_url() for page in pages}
        cache.set(CACHE_KEY, urls, CACHE_SECONDS)
    return urls


def forget_site_page_urls(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def connect_signals() -> None:
    """Clear the addresses whenever a standard page could have changed its own."""
    from django.db.models.signals import post_delete

    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from commonground.models import StandardPage

    uid = "commonground.site_pages"
    for signal in (page_published, page_unpublished, post_delete, page_slug_changed):
        signal.connect(forget_site_page_urls, sender=StandardPage, dispatch_uid=uid)
    post_page_move.connect(forget_site_page_urls, dispatch_uid=uid)
