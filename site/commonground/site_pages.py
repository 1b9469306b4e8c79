"""The site's own pages about itself (about, terms, privacy, licence, who may join, contact):
editable StandardPages under the home page, made by migration 0005_site_information_pages,
found by their slugs; and its two section pages, the case library and the events index,
found by their types. Their addresses are looked up once, in one query, and cached, so the
header and footer on every page cost no query; publishing, unpublishing, moving, renaming or
deleting one of these pages clears them."""

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

CACHE_KEY = "commonground:site-pages"
CACHE_SECONDS = 60 * 60

# The keys of the section pages (the page types have one page each).
LIBRARY, EVENTS = "library", "events"

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


def section_models():
    """{key: page type} of the section pages."""
    from cases.models import CaseIndexPage, EventIndexPage

    return {LIBRARY: CaseIndexPage, EVENTS: EventIndexPage}


def site_page_urls() -> dict[str, str]:
    """{slug: url} of the live site pages directly under the home page, and {"library": url,
    "events": url} of the live section pages."""
    urls = cache.get(CACHE_KEY)
    if urls is None:
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Q

        from wagtail.models import Page

        from commonground.models import StandardPage

        types = ContentType.objects.get_for_models(StandardPage, *section_models().values())
        sections = {types[model].pk: key for key, model in section_models().items()}
        pages = Page.objects.live().filter(
            Q(depth=3, slug__in=[s for s, _ in FOOTER], content_type=types[StandardPage])
            | Q(content_type__in=list(sections))
        )
        urls = {}
        for page in pages.order_by("-path"):  # the first of a type wins
            urls[sections.get(page.content_type_id, page.slug)] = page.get_url()
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
    for model in (StandardPage, *section_models().values()):
        for signal in (page_published, page_unpublished, post_delete, page_slug_changed):
            signal.connect(
                forget_site_page_urls, sender=model, dispatch_uid=f"{uid}.{model.__name__}"
            )
    post_page_move.connect(forget_site_page_urls, dispatch_uid=uid)
