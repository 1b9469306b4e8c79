"""Whole pages for anonymous visitors, from the configured cache (Redis in production).

The innermost middleware: sign-in, messages, the language, redirects and the analytics
counter have all run when it looks. It serves GET and HEAD of the public pages (every
Wagtail page, the theme, country and organisation pages, the search page and its API, the
feeds) to a request without a session or messages cookie. The key is the address exactly
as asked (scheme, host, path, query string), the interface language, today's date (relative
dates, upcoming and past events) and the library version read from the database for this
request (cases/cache.py; for search pages also the newest embedding batch), so a page stored
before any change can no longer be found once the change has committed, in any process.

A page is stored only when it is the same for every visitor: a 200, not streamed, no cookie
set, no CSRF token used, the session left unmodified, no message added, no CSP nonce used,
and no Cache-Control saying private, no-store or no-cache. Public pages run no inline
script or style, so the Content-Security-Policy has no nonce, and the header is added
afresh to every response by the CSP middleware outside this one.

Stored pages carry an ETag (a digest of the body) and Last-Modified (when stored) and answer
conditional requests with 304; Cache-Control says `max-age=0, must-revalidate` (a browser
asks again each time, cheaply) plus `s-maxage` when PAGE_CACHE_SHARED_MAX_AGE is set for a
CDN, unless the view chose a max-age itself (the feeds). Pages for a visitor with a
session, or made for one visitor (a CSRF token, a message), are marked private.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.http import http_date

from cases.cache import current_library_version
from commonground.analytics.recording import note_again, noted_events

logger = logging.getLogger(__name__)

# The public pages, by URL name ("namespace:name"); wagtail_serve is every Wagtail page.
CACHED_VIEWS = frozenset(
    {
        "wagtail_serve",
        "cases:theme_index",
        "cases:theme",
        "cases:country_index",
        "cases:country",
        "cases:organisation_index",
        "cases:organisation",
        "search:page",
        "search:api",
        "search:suggest",
        "search:library_feed",
        "search:search_feed",
        "search:theme_feed",
        "search:country_feed",
        "search:organisation_feed",
    }
)
# Answered by meaning as well as words: keyed by the newest embedding batch too.
SEARCH_VIEWS = frozenset({"search:page", "search:api", "search:search_feed"})
# Member-only and staff paths, never cached even where Wagtail's catch-all would match.
NEVER_CACHED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/contribute/",
    "/members/",
    "/discussion/",
    "/language/",
    "/lists/",
)
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage
REFUSED_DIRECTIVES = {"private", "no-store", "no-cache"}


def _view_name(request) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name


def _carries_visitor_state(request) -> bool:
    """A session (signed in, or in the middle of something), a message waiting, or
    credentials: the page may be made for this visitor."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or MESSAGES_COOKIE in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


def cacheable_view(request) -> str | None:
    """The URL name of a public page this request may be answered from the cache for."""
    if request.method not in ("GET", "HEAD") or _carries_visitor_state(request):
        return None
    if request.path_info.startswith(NEVER_CACHED_PREFIXES):
        return None
    name = _view_name(request)
    return name if name in CACHED_VIEWS else None


def entry_key(request, view_name: str) -> str:
    """Where this request's page is kept: see the module's docstring."""
    parts = [
        current_library_version(),
        timezone.localdate().isoformat(),
        translation.get_language() or settings.LANGUAGE_CODE,
    ]
    if view_name in SEARCH_VIEWS:
        from search.embedding import enabled as embedding_enabled

        if embedding_enabled():
            from search.vectors import current_batch

            parts.append(str(current_batch()))
    address = "\n".join(
        [request.scheme, request.get_host(), request.path, request.META.get("QUERY_STRING", "")]
    )
    digest = hashlib.blake2s(address.encode(), digest_size=16).hexdigest()
    return f"cg:page:{':'.join(parts)}:{digest}"


def _messages_added(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and getattr(storage, "added_new", False))


def made_for_one_visitor(request, response) -> bool:
    """What the response holds or sets is this visitor's alone."""
    session = getattr(request, "session", None)
    return bool(
        # get_token() marks the request (CSRF_COOKIE_NEEDS_UPDATE since Django 4.1); the
        # CSRF cookie itself is set by the CSRF middleware outside, after this one.
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or request.META.get("CSRF_COOKIE_USED")
        or (session is not None and session.modified)
        or _messages_added(request)
        or response.cookies
        # A nonce in a cached page would be every visitor's nonce: a weakened policy.
        or getattr(request, "_csp_nonce", None)
    )


def storable(request, response) -> bool:
    """The response is the same for every anonymous visitor and may be kept."""
    if response.status_code != 200 or response.streaming:
        return False
    directives = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not (directives & REFUSED_DIRECTIVES) and not made_for_one_visitor(request, response)


def _shared_headers(response, etag: str, stored_at: float) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stored_at)
    if "max-age" in response.get("Cache-Control", ""):
        return  # the view chose how long others may keep it (the feeds: five minutes)
    shared = settings.PAGE_CACHE_SHARED_MAX_AGE
    extra = {"s_maxage": shared} if shared else {}
    patch_cache_control(response, max_age=0, must_revalidate=True, **extra)


def _store(key: str, request, response) -> dict:
    content = response.content
    entry = {
        "content": content,
        "headers": list(response.items()),
        "etag": f'"{hashlib.blake2s(content, digest_size=16).hexdigest()}"',
        "stored_at": int(time.time()),
        "events": noted_events(request),
    }
    try:
        cache.set(key, entry, settings.PAGE_CACHE_TIMEOUT)
    except Exception:  # the cache server down: the page goes out all the same
        logger.exception("Could not keep a page in the cache")
    return entry


def _kept(key: str) -> dict | None:
    try:
        return cache.get(key)
    except Exception:  # the cache server down: render the page instead
        logger.exception("Could not read a page from the cache")
        return None


def _from_entry(request, entry: dict) -> HttpResponse:
    """The stored page, its view's analytics events noted for this request."""
    response = HttpResponse(entry["content"])
    for header in list(response.headers):
        del response.headers[header]
    for name, value in entry["headers"]:
        response[name] = value
    note_again(request, entry["events"])
    return response


def _answer(request, response, entry: dict):
    """The page with its validators, or 304 when the visitor's copy is this one."""
    _shared_headers(response, entry["etag"], entry["stored_at"])
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["stored_at"], response=response
    )


class PageCache:
    """Serves and stores anonymous visitors' pages (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view_name = cacheable_view(request) if settings.PAGE_CACHE_ENABLED else None
        if view_name is None:
            return self._private_if_personal(request, self.get_response(request))
        key = entry_key(request, view_name)
        entry = _kept(key)
        if entry is not None:
            return _answer(request, _from_entry(request, entry), entry)
        response = self.get_response(request)
        if not storable(request, response):
            return self._private_if_personal(request, response)
        return _answer(request, response, _store(key, request, response))

    @staticmethod
    def _private_if_personal(request, response):
        """Shared caches never keep a page made for one visitor."""
        personal = _carries_visitor_state(request) or made_for_one_visitor(request, response)
        if personal and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        return response
