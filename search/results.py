"""What a search answers: the page of hits, the facets and which engine answered."""

import datetime
import math
from dataclasses import asdict, dataclass, field

from django.utils.html import conditional_escape

from cases.facets import Facet
from cases.languages import language_name


@dataclass
class Hit:
    page_id: int
    external_id: str
    title: str
    url: str
    summary: str
    published: datetime.date
    country: dict  # {"code", "name"}
    organisation: dict  # {"slug", "name"}
    themes: list[dict]  # [{"slug", "name"}]
    language: str
    result: str  # the verdict's code (cases/choices.py Result), "" when not given
    # Escaped text with the matched words wrapped in <mark>; safe to show as HTML.
    highlights: list[str] = field(default_factory=list)
    score: float | None = None
    # The verdict as people read it, and how it is known (cases/choices.py Evidence): code
    # and label, "" when not given.
    result_label: str = ""
    evidence: str = ""
    evidence_label: str = ""
    # Why the case matched, title and names first, then passages of text: [{"field",
    # "label", "html"}] (search/highlight.py); `highlights` holds the passages alone.
    reasons: list[dict] = field(default_factory=list)

    @property
    def marked_title(self) -> str:
        """The title with the searched words marked when it matched, else escaped as is."""
        marked = next((r["html"] for r in self.reasons if r["field"] == "title"), None)
        return marked if marked is not None else conditional_escape(self.title)

    @property
    def language_name(self) -> str:
        """The case's language by name, shown on every hit: meaning search finds cases in
        other languages than the question's."""
        return language_name(self.language)

    @property
    def listed_reasons(self) -> list[dict]:
        """The reasons shown under the title (a title match shows in the title itself)."""
        return [r for r in self.reasons if r["field"] != "title"]


@dataclass
class Results:
    total: int
    page: int
    page_size: int
    hits: list[Hit]
    facets: list[Facet]
    engine: str
    degraded: bool = False
    notice: str = ""
    suggestion: str = ""  # a respelling of the query when it finds many more
    # How many of the `total` match every word (synonyms and spellings of one word count as
    # that word); they come first. None: the query had no words to match.
    total_all_words: int | None = None

    @property
    def total_some_words(self) -> int:
        """How many match some of the words but not all (0 when the query had none)."""
        return 0 if self.total_all_words is None else self.total - self.total_all_words

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    def as_json(self) -> dict:
        """The API's response body."""
        return {
            "count": self.total,
            "count_all_words": self.total_all_words,
            "page": self.page,
            "pages": self.pages,
            "results": [
                {**asdict(hit), "published": hit.published.isoformat()} for hit in self.hits
            ],
            "facets": {facet.name: [asdict(o) for o in facet.options] for facet in self.facets},
            "engine": self.engine,
            "degraded": self.degraded,
            "suggestion": self.suggestion,
        }


@dataclass
class Suggestion:
    text: str
    kind: str  # "case", "theme" or "organisation"
    url: str
