"""Published cases as plain search documents, built the same way for every engine."""

from collections.abc import Iterable, Iterator
from functools import lru_cache

from django_countries import countries

from django.utils.translation import get_language

from cases.cache import library_version
from cases.interchange.exporter import body_text
from cases.models import CaseStudyPage, Organisation
from cases.models.replications import TRIED, approved_count
from cases.models.snippets import alias_lines
from search.text import Names

CHUNK = 500


def published_cases(page_ids: Iterable[int] | None = None):
    cases = (
        CaseStudyPage.objects.live()
        .select_related("organisation")
        .prefetch_related("themes", "platforms")
        .annotate(replication_count=approved_count())
        .order_by("pk")
    )
    return cases if page_ids is None else cases.filter(pk__in=list(page_ids))


def case_document(page: CaseStudyPage, *, with_url: bool = True) -> dict:
    """Everything search needs of one case (themes and platforms prefetched); the database
    engine stores no address, so it skips working one out (a third of a document's cost)."""
    themes = [{"slug": t.slug, "name": t.name} for t in page.themes.all()]
    return {
        "page_id": page.pk,
        "external_id": page.external_id,
        "url": page.url if with_url else "",
        "title": page.title,
        "summary": page.summary,
        "lessons": "\n".join(block.value for block in page.lessons),
        "body": body_text(page),
        "themes": themes,
        # Former names too, so "Twitter" finds the cases filed under X.
        "platforms": [
            {"slug": p.slug, "name": name} for p in page.platforms.all() for name in p.names
        ],
        "organisation": {
            "slug": page.organisation.slug,
            "name": page.organisation.name,
            "aliases": page.organisation.alias_list,
        },
        "country": {"code": page.country.code, "name": country_name(page.country.code)},
        "language": page.language,
        "year": page.case_year,
        "published": page.case_date,
        # When the case was first published on the site: the "added" sort (cases/listing.py).
        "added": page.first_published_at,
        "result": page.result,
        "evidence": page.evidence,
        # Approved replications ("we tried this too"): the "tried elsewhere" facet.
        "tried": TRIED if getattr(page, "replication_count", 0) else "",
    }


def country_name(code: str) -> str:
    """page.country.name, remembered per language: django-countries translates the whole
    list to find one name: a quarter of building a case's document, as profiled."""
    return _country_name(code, get_language())


@lru_cache(maxsize=2048)
def _country_name(code: str, language: str | None) -> str:
    return countries.name(code)


def iter_documents(
    page_ids: Iterable[int] | None = None, *, with_url: bool = True
) -> Iterator[dict]:
    for page in published_cases(page_ids).iterator(chunk_size=CHUNK):
        yield case_document(page, with_url=with_url)


BODY_CHUNK_WORDS = 200  # words per embedded body passage
BODY_CHUNKS = 3  # body passages embedded at most (the opening carries most of a case)
LESSON_PASSAGES = 8  # lessons embedded one by one at most
LESSON_CHUNKS = 100  # a lesson's chunk number is this plus its place: search/vectors.py
# Names how case_passages() cuts a case; part of every embedder's name, so changing the
# recipe makes every stored vector stale and the background work embeds each case again.
PASSAGE_RECIPE = "passages-2"


def case_passages(document: dict) -> list[tuple[int, str]]:
    """The (chunk, text) passages meaning search embeds for one case; a case is as similar
    to a question as its best passage. Chunk 0 is what it is about (title, summary,
    lessons, themes, organisation); chunks 1 to BODY_CHUNKS the opening of its body in
    passages of BODY_CHUNK_WORDS words, each under the case's title (a body passage alone
    does not say what case it is from); from LESSON_CHUNKS, each lesson on its own. A
    lesson is a practitioner's sentence ("own the mistake quickly") that a question can
    match closely though it is a small part of the whole case.

    Chosen on the tuning half of benchmarks/relevance, fused nDCG@10 (hard, cross-language):
    chunk 0 and bare body passages 0.778 (0.626, 0.561); titled body passages 0.783 (0.650,
    0.593); and the lessons on their own 0.802 (0.728, 0.621), but they hurt questions of
    one or two words (0.886 to 0.857), which a short sentence matches by chance: see
    search/fusion.py QUESTION_WORDS."""
    title = document["title"]
    about = [
        title,
        document["summary"],
        document["lessons"],
        ", ".join(t["name"] for t in document["themes"]),
        document["organisation"]["name"],
    ]
    passages = [(0, "\n".join(part for part in about if part))]
    body = document["body"].split()[: BODY_CHUNK_WORDS * BODY_CHUNKS]
    for chunk, start in enumerate(range(0, len(body), BODY_CHUNK_WORDS), start=1):
        passages.append((chunk, title + "\n" + " ".join(body[start : start + BODY_CHUNK_WORDS])))
    lessons = [line.strip() for line in document["lessons"].split("\n") if line.strip()]
    for place, lesson in enumerate(lessons[:LESSON_PASSAGES]):
        passages.append((LESSON_CHUNKS + place, lesson))
    return passages


def organisation_names() -> Names:
    """The public organisations' names and aliases, for reading them in queries; read once
    per library version (a rename or an alias edit moves it: search/lifecycle.py)."""
    return _names(library_version())


@lru_cache(maxsize=2)
def _names(version: str) -> Names:
    rows = Organisation.objects.public().values_list("name", "aliases")
    return Names([name, *alias_lines(aliases)] for name, aliases in rows)
