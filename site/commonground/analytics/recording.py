"""Counting what people look for, cheaply and without personal data.

A search (the search page or the API, first page only, never the suggest-as-you-type
requests) and a case page's GET each note an event on the request; CountAfterResponse hands
the events to the response, which records them when it is closed, after the last byte has
gone to the visitor. Each event adds one to a daily counter row (UPDATE ... SET n = n + 1;
the row is created the first time in a day). Nothing about the visitor is kept: a count,
the day, the normalised words and the interface language. Robots (a simple User-Agent
check) and HEAD requests are not counted. A failure to record is logged, never raised.

A page served from the page cache (commonground/page_cache) runs no view: the events its
view noted (noted_events, whoever asked) are kept with the cached page and noted again for
each request it answers (note_again), so a cached page counts as a rendered one does. A 304
to a browser revalidating its copy counts too: someone looked at the page again.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from wagtail.search.utils import normalise_query_string

from commonground.analytics.models import CaseViewCount, SearchCount

logger = logging.getLogger(__name__)
EVENTS = "_analytics_events"
NOTED = "_analytics_noted"  # every event a view noted, counted or not (for the page cache)
ROBOT = re.compile(
    r"bot|crawl|spider|slurp|archiver|fetch|scrap|monitor|preview|headless|lighthouse|"
    r"curl|wget|python|httpx|go-http|java/|libwww|okhttp|axios|node-fetch",
    re.IGNORECASE,
)


def normalised_query(text: str) -> str:
    """The words as counted and as promotions are matched: whitespace collapsed, lower case,
    at most 255 characters (Wagtail's search promotions normalise queries the same way)."""
    return normalise_query_string(" ".join(text.split()))


def is_counted(request) -> bool:
    """A GET from a browser: not HEAD, not a robot, not an empty User-Agent."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    return request.method == "GET" and bool(agent.strip()) and not ROBOT.search(agent)


def _note(request, event: tuple) -> None:
    request.__dict__.setdefault(NOTED, []).append(event)
    if is_counted(request):
        request.__dict__.setdefault(EVENTS, []).append(event)


def noted_events(request) -> list[tuple]:
    """What the view noted for this request, whether or not this request is counted (a
    robot's or a HEAD request may be the one whose page is cached)."""
    return list(request.__dict__.get(NOTED, ()))


def note_again(request, events) -> None:
    """Note events a cached page's view noted, as if the view had run for this request."""
    for event in events:
        _note(request, tuple(event))


def count_search(request, text: str, found: int) -> None:
    """Note a search for `text` that found `found` cases."""
    query = normalised_query(text)
    if query:
        # The language, not the variant: en-gb (the interface's English wording) is en.
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        _note(request, ("search", query, language, found == 0))


def count_view(request, page) -> None:
    """Note a view of a case's page."""
    _note(request, ("view", page.pk))


def _add_one(model, key: dict, counts: dict) -> None:
    """UPDATE the day's row, n = n + 1; the first event of the day creates it (a race with
    another process creating it ends in the update)."""
    increments = {name: F(name) + n for name, n in counts.items()}
    if model.objects.filter(**key).update(**increments):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **counts)
    except IntegrityError:
        model.objects.filter(**key).update(**increments)


def record(events: list[tuple], day=None) -> None:
    """Add these events to the day's counters; logged, not raised, when it fails."""
    day = day or timezone.localdate()
    try:
        for event in events:
            if event[0] == "search":
                _, query, language, empty = event
                key = {"day": day, "query": query, "language": language}
                _add_one(SearchCount, key, {"searches": 1, "empty": int(empty)})
            else:
                _add_one(CaseViewCount, {"day": day, "page_id": event[1]}, {"views": 1})
    except Exception:
        logger.exception("Could not record %d search or view count(s)", len(events))


class CountAfterResponse:
    """Records the request's events once its response has been sent (when the server
    closes it), so counting never delays a page; only for a successful response (a 304 to
    a revalidating browser is one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        events = request.__dict__.pop(EVENTS, None)
        if events and response.status_code in (200, 304):
            # Django closes these when the server closes the response (as FileResponse's
            # files are), after the body has gone out.
            response._resource_closers.append(lambda: record(events))
        return response


def retention_cutoff(today=None):
    """The first day kept: SEARCH_ANALYTICS_DAYS back from today."""
    return (today or timezone.localdate()) - timedelta(days=settings.SEARCH_ANALYTICS_DAYS - 1)


def delete_expired(today=None) -> int:
    """Delete counters older than SEARCH_ANALYTICS_DAYS; returns how many rows went."""
    cutoff = retention_cutoff(today)
    searches, _ = SearchCount.objects.filter(day__lt=cutoff).delete()
    views, _ = CaseViewCount.objects.filter(day__lt=cutoff).delete()
    return searches + views
