"""What a search answers: the page of hits, the facets and which engine answered."""

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields

from django.utils.html import conditional_escape

from cases.choices import Evidence, Result, label_of
from cases.facets import Facet
from cases.languages import language_name
from cases.models import CaseStudyPage
from cases.models.replications import approved_count

PASSAGES = ("summary", "lessons", "body")  # the reasons that are passages of text


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
    # How many other forces' replications of it are approved ("we tried this too").
    replications: int = 0
    # Recommended by the editors for this query (search/promotions.py): shown first.
    promoted: bool = False

    @property
    def pk(self) -> int:
        """The case's id, as the save control that cards and hits share names it
        (templates/reading_lists/card_save.html)."""
        return self.page_id

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


def case_hits(
    ranked: Sequence[tuple[int, float | None]],
    reasons: Callable[[CaseStudyPage], list[dict]] = lambda page: [],
) -> list[Hit]:
    """Hits for (page id, score) pairs in their order, read from the database in one batch
    whatever their number, so every engine shows a case as it is now (its current title and
    URL, not the ones indexed). A case no longer published is left out. `reasons(page)`
    says why a case matched (search/highlight.py); its passages are the hit's highlights."""
    pages = (
        CaseStudyPage.objects.live()
        .filter(pk__in=[pk for pk, _ in ranked])
        .select_related("organisation")
        .prefetch_related("themes", "platforms")
        .annotate(replication_count=approved_count())
        .in_bulk()
    )
    hits = []
    for pk, score in ranked:
        page = pages.get(pk)
        if page is None:
            continue
        why = reasons(page)
        hits.append(
            Hit(
                page_id=page.pk,
                external_id=page.external_id,
                title=page.title,
                url=page.url,
                summary=page.summary,
                published=page.case_date,
                country={"code": page.country.code, "name": page.country.name},
                organisation={"slug": page.organisation.slug, "name": page.organisation.name},
                themes=[{"slug": t.slug, "name": t.name} for t in page.themes.all()],
                language=page.language,
                result=page.result,
                highlights=[r["html"] for r in why if r["field"] in PASSAGES],
                score=score,
                result_label=label_of(Result, page.result),
                evidence=page.evidence,
                evidence_label=label_of(Evidence, page.evidence),
                reasons=why,
                replications=page.replication_count,
            )
        )
    return hits


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
                {**_shallow(hit), "published": hit.published.isoformat()} for hit in self.hits
            ],
            "facets": {facet.name: [_shallow(o) for o in facet.options] for facet in self.facets},
            "engine": self.engine,
            "degraded": self.degraded,
            "suggestion": self.suggestion,
        }


def _shallow(instance) -> dict:
    """A dataclass's fields as a dict, its values as they are: dataclasses.asdict copies
    every nested dict and list of a page of hits, which JSON does not need."""
    return {f.name: getattr(instance, f.name) for f in fields(instance)}


@dataclass
class Suggestion:
    text: str
    kind: str  # "case", "theme" or "organisation"
    url: str
