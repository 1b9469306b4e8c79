"""Fragments of a case's text with the searched words marked, escaped for HTML."""

import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


def fragments(texts: Iterable[str], terms: set[str], limit: int = 2) -> list[SafeString]:
    """Up to `limit` fragments (about 180 characters) around the first matches. `texts` is
    read lazily, so a long body is only turned into text when the summary and lessons
    did not give enough fragments."""
    found = []
    stems = {stem(t) for t in terms}
    for text in texts:
        spans = [
            m.span()
            for m in WORD.finditer(text)
            if (word := _folded(m.group())) in terms or stem(word) in stems
        ]
        if not spans:
            continue
        start = max(0, spans[0][0] - FRAGMENT // 3)
        if start:
            start = text.find(" ", start) + 1 or start
        end = min(len(text), start + FRAGMENT)
        if end < len(text):
            end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
        parts, cursor = [], start
        for s, e in spans:
            if s < start or e > end:
                continue
            parts += [escape(text[cursor:s]), "<mark>", escape(text[s:e]), "</mark>"]
            cursor = e
        parts.append(escape(text[cursor:end]))
        prefix = "… " if start else ""
        suffix = " …" if end < len(text) else ""
        found.append(mark_safe(prefix + "".join(parts).strip() + suffix))
        if len(found) == limit:
            break
    return found
