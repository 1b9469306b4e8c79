"""Published cases as plain search documents, built the same way for every engine."""

from collections.abc import Iterable, Iterator
from functools import lru_cache

from cases.cache import library_version
from cases.interchange.exporter import body_text
from cases.models import CaseStudyPage, Organisation
from cases.models.snippets import alias_lines
from search.text import Names

CHUNK = 500


def published_cases(page_ids: Iterable[int] | None = None):
    cases = (
        CaseStudyPage.objects.live()
        .select_related("organisation")
        .prefetch_related("themes", "platforms")
        .order_by("pk")
    )
    return cases if page_ids is None else cases.filter(pk__in=list(page_ids))


def case_document(page: CaseStudyPage) -> dict:
    """Everything search needs of one case (themes and platforms prefetched)."""
    themes = [{"slug": t.slug, "name": t.name} for t in page.themes.all()]
    return {
        "page_id": page.pk,
        "external_id": page.external_id,
        "url": page.url,
        "title": page.title,
        "summary": page.summary,
        "lessons": "\n".join(block.value for block in page.lessons),
        "body": body_text(page),
        "themes": themes,
        "platforms": [{"slug": p.slug, "name": p.name} for p in page.platforms.all()],
        "organisation": {
            "slug": page.organisation.slug,
            "name": page.organisation.name,
            "aliases": page.organisation.alias_list,
        },
        "country": {"code": page.country.code, "name": page.country.name},
        "language": page.language,
        "year": page.case_year,
        "published": page.case_date,
        "result": page.result,
        "evidence": page.evidence,
    }


def iter_documents(page_ids: Iterable[int] | None = None) -> Iterator[dict]:
    for page in published_cases(page_ids).iterator(chunk_size=CHUNK):
        yield case_document(page)


BODY_CHUNK_WORDS = 200  # words per embedded body passage
BODY_CHUNKS = 3  # body passages embedded at most (the opening carries most of a case)


def case_passages(document: dict) -> list[str]:
    """The texts meaning search embeds for one case: first what it is about (title,
    summary, lessons, themes, organisation), then the opening of its body in passages of
    BODY_CHUNK_WORDS words. A case is as similar to a question as its best passage."""
    about = [
        document["title"],
        document["summary"],
        document["lessons"],
        ", ".join(t["name"] for t in document["themes"]),
        document["organisation"]["name"],
    ]
    passages = ["\n".join(part for part in about if part)]
    body = document["body"].split()
    for start in range(0, min(len(body), BODY_CHUNK_WORDS * BODY_CHUNKS), BODY_CHUNK_WORDS):
        passages.append(" ".join(body[start : start + BODY_CHUNK_WORDS]))
    return passages


def organisation_names() -> Names:
    """The public organisations' names and aliases, for reading them in queries; read once
    per library version (a rename or an alias edit moves it: search/lifecycle.py)."""
    return _names(library_version())


@lru_cache(maxsize=2)
def _names(version: str) -> Names:
    rows = Organisation.objects.public().values_list("name", "aliases")
    return Names([name, *alias_lines(aliases)] for name, aliases in rows)
