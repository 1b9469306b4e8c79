"""Small helpers shared by the page tests: parse HTML, bulk-create cases."""

import json
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from benchmarks.generate import generate
from cases.interchange.importer import CaseImporter
from cases.models import CaseStudyPage


def html(response) -> BeautifulSoup:
    """The response's HTML, parsed; fails unless the status is 200."""
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def query_of(href: str) -> dict[str, list[str]]:
    """The query parameters of a link, e.g. '?theme=a&page=2' -> {'theme': ['a'], ...}."""
    return parse_qs(urlsplit(href).query, keep_blank_values=True)


def import_cases(count: int, start: int = 0, **overrides) -> list[CaseStudyPage]:
    """`count` published cases through the importer (much faster than the factory).

    Records come from benchmarks/generate.py; `overrides` replace record fields, e.g.
    themes=["recruitment"], country="NL".
    """
    return import_records([overrides] * count, start=start)


def import_records(records: list[dict], start: int = 0) -> list[CaseStudyPage]:
    """One published case per dict, each a generated record updated with the dict.

    Fields are the interchange format's: title, organisation (a name), country,
    published (YYYY-MM-DD), themes (slugs), platforms (names), language, result...
    """
    lines = []
    for line, overrides in zip(generate(len(records), start=start), records, strict=True):
        record = json.loads(line)
        record.update(overrides)
        lines.append(json.dumps(record))
    report = CaseImporter().run(lines)
    assert report.created == len(records), report.problems
    return list(CaseStudyPage.objects.filter(pk__in=report.page_ids).order_by("pk"))
