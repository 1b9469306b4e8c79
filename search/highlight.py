"""Fragments of a case's text with the searched words marked, escaped for HTML, and the
labelled reasons a hit matched (its title, a theme, its organisation, a passage of text).

A reason is {"field", "label", "html"}: `field` one of REASON_LABELS' keys, `label` what
the page and the API show before it ("Theme"), `html` the escaped text with only <mark>
as markup. Both engines build reasons here, so they read the same everywhere.
"""

import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from search.text import fold

WORD = re.compile(r"[^\W_]+", re.UNICODE)
FRAGMENT = 180


SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light English stem for highlighting ("recruitment", "recruiting" -> "recruit")."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _folded(word: str) -> str:
    return word.lower() if word.isascii() else fold(word)


def _spans(text: str, terms: set[str], stems: set[str]) -> list[tuple[int, int]]:
    # Every term starts with its stem and every matching word with a stem of `stems`, so a
    # text holding none of them as a substring has no match: most passages of a page of
    # hits are skipped without reading them word by word.
    folded = _folded(text)
    if not any(s in folded for s in stems):
        return []
    return [
        m.span()
        for m in WORD.finditer(text)
        if (word := _folded(m.group())) in terms or stem(word) in stems
    ]


def _marked(text: str, spans) -> str:
    parts, cursor = [], 0
    for s, e in spans:
        parts += [escape(text[cursor:s]), "<mark>", escape(text[s:e]), "</mark>"]
        cursor = e
    parts.append(escape(text[cursor:]))
    return "".join(parts)


def marked(text: str, terms: set[str]) -> SafeString | None:
    """The whole of a short text (a title, a theme's name) with the searched words marked;
    None when none of them occurs in it."""
    spans = _spans(text, terms, {stem(t) for t in terms})
    return mark_safe(_marked(text, spans)) if spans else None


def fragments(texts: Iterable[str], terms: set[str], limit: int = 2) -> list[SafeString]:
    """Up to `limit` fragments (about 180 characters) around the first matches. `texts` is
    read lazily, so a long body is only turned into text when the summary and lessons
    did not give enough fragments."""
    return [html for _, html in labelled_fragments(((None, t) for t in texts), terms, limit)]


def labelled_fragments(texts, terms: set[str], limit: int = 2) -> list[tuple[str, SafeString]]:
    """fragments() of (field, text) pairs, each returned with the field it came from."""
    found = []
    stems = {stem(t) for t in terms}
    for field, text in texts:
        spans = _spans(text, terms, stems)
        if not spans:
            continue
        start = max(0, spans[0][0] - FRAGMENT // 3)
        if start:
            start = text.find(" ", start) + 1 or start
        end = min(len(text), start + FRAGMENT)
        if end < len(text):
            end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
        inside = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
        prefix = "… " if start else ""
        suffix = " …" if end < len(text) else ""
        found.append(
            (field, mark_safe(prefix + _marked(text[start:end], inside).strip() + suffix))
        )
        if len(found) == limit:
            break
    return found


# Lazy: worded in the language of the page (or API request) that shows them.
REASON_LABELS = {
    "title": _("Title"),
    "theme": _("Theme"),
    "organisation": _("Organisation"),
    "country": _("Country"),
    "platform": _("Platform"),
    "summary": _("Summary"),
    "lessons": _("Lessons"),
    "body": pgettext_lazy("search: the words matched in the case's text", "Text"),
    "meaning": pgettext_lazy("search: the case matched by meaning, not by words", "Meaning"),
}


def reason(field: str, html: str) -> dict:
    """One labelled reason; `html` must already be escaped with only <mark> as markup."""
    return {"field": field, "label": REASON_LABELS[field], "html": mark_safe(html)}


def meaning_reason() -> dict:
    """The reason of a case found by meaning alone: none of the question's words is in it,
    but it is about the same thing (search/fusion.py)."""
    return reason("meaning", "close to your question, in other words")


def named_reasons(names: Iterable[tuple[str, str]], terms: set[str]) -> list[dict]:
    """Reasons for the short named things of a case ((field, name) pairs: its title, themes,
    organisation, country, platforms) whose names hold a searched word."""
    return [reason(f, html) for f, name in names if (html := marked(name, terms)) is not None]
