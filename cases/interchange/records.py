"""One interchange record: parsed, checked against the schema and the site's taxonomy."""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django_countries import countries

from cases.interchange.schema import schema_errors
from cases.interchange.text import normalise_text
from cases.languages import BCP47_RE, is_known_language
from cases.models import Organisation, Platform, Theme


class NotJsonLines(ValueError):
    """The input is not JSON Lines at all (as opposed to containing some bad records)."""


@dataclass
class Problem:
    line: int
    external_id: str | None
    reasons: list[str]

    def __str__(self):
        ident = f" ({self.external_id})" if self.external_id else ""
        return f"line {self.line}{ident}: " + "; ".join(self.reasons)


@dataclass
class Taxonomy:
    """Lookup tables for matching names to themes, organisations and platforms."""

    themes: dict[str, Theme]
    organisations: dict[str, Organisation]
    platforms: dict[str, Platform]

    @classmethod
    def load(cls) -> "Taxonomy":
        themes = {}
        for theme in Theme.objects.all():
            themes[theme.slug.lower()] = theme
            themes[theme.name.lower()] = theme
        return cls(
            themes=themes,
            organisations={o.name.lower(): o for o in Organisation.objects.all()},
            platforms={p.name.lower(): p for p in Platform.objects.all()},
        )


@dataclass
class CaseRecord:
    line: int
    external_id: str
    title: str
    summary: str
    organisation: str
    country: str
    published: datetime.date
    themes: list[str]
    platforms: list[str] = field(default_factory=list)
    language: str = "en"
    body: str = ""
    lessons: list[tuple[str, str]] = field(default_factory=list)
    outcomes: list[tuple[str, str]] = field(default_factory=list)
    result: str = ""
    evidence: str = ""
    source_event: str = ""
    source_url: str = ""
    authors: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict, line: int = 0) -> "CaseRecord":
        """Build from a record that already passed the schema."""
        source = data.get("source") or {}
        return cls(
            line=line,
            external_id=data["external_id"],
            title=data["title"].strip(),
            summary=normalise_text(data["summary"]),
            organisation=" ".join(data["organisation"].split()),
            country=data["country"],
            published=datetime.date.fromisoformat(data["published"]),
            themes=list(dict.fromkeys(t.strip() for t in data["themes"])),
            platforms=list(dict.fromkeys(" ".join(p.split()) for p in data.get("platforms", []))),
            language=data.get("language", "en"),
            body=normalise_text(data.get("body", "")),
            lessons=[(item["kind"], item["text"].strip()) for item in data.get("lessons", [])],
            outcomes=[
                (item["label"].strip(), item["value"].strip()) for item in data.get("outcomes", [])
            ],
            result=data.get("result", ""),
            evidence=data.get("evidence", ""),
            source_event=source.get("event", "").strip(),
            source_url=source.get("url", "").strip(),
            authors=[a.strip() for a in data.get("authors", [])],
        )

    def theme_slugs(self, taxonomy: Taxonomy) -> list[str]:
        return sorted({taxonomy.themes[t.lower()].slug for t in self.themes})

    def comparable(self, taxonomy: Taxonomy) -> tuple:
        """What the record says, with names matched as the importer matches them."""
        return (
            self.title,
            self.summary,
            self.organisation.lower(),
            self.country,
            self.published,
            tuple(self.theme_slugs(taxonomy)),
            tuple(sorted(p.lower() for p in self.platforms)),
            self.language,
            self.body,
            tuple(self.lessons),
            tuple(self.outcomes),
            self.result,
            self.evidence,
            self.source_event,
            self.source_url,
            tuple(self.authors),
        )


def taxonomy_errors(data: dict, taxonomy: Taxonomy) -> list[str]:
    """Checks against the site's data, on whichever fields have the right shape."""
    errors = []
    country = data.get("country")
    if isinstance(country, str) and len(country) == 2 and not countries.name(country):
        errors.append(f"country: “{country}” is not an ISO 3166-1 alpha-2 country code")
    themes = data.get("themes")
    if isinstance(themes, list):
        unknown = [
            t for t in themes if isinstance(t, str) and t.strip().lower() not in taxonomy.themes
        ]
        if unknown:
            errors.append("themes: unknown theme(s) " + ", ".join(f"“{t}”" for t in unknown))
    language = data.get("language")
    if isinstance(language, str) and BCP47_RE.match(language) and not is_known_language(language):
        errors.append(f"language: “{language}” is not a known language code")
    return errors


def parse_lines(lines: Iterable[str]) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """JSON objects by line number, and the lines that are not JSON objects.

    Raises NotJsonLines when no line at all holds a JSON object.
    """
    objects, problems, seen_content = [], [], False
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        seen_content = True
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(Problem(number, None, [f"not valid JSON ({exc.msg})"]))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(number, None, ["not a JSON object"]))
            continue
        objects.append((number, value))
    if seen_content and not objects:
        raise NotJsonLines(
            "This is not a JSON Lines file: no line holds a JSON object. Each line must be one "
            "case as a JSON object (see docs/interchange.md)."
        )
    return objects, problems


def check_records(
    objects: list[tuple[int, dict]], taxonomy: Taxonomy
) -> tuple[list[CaseRecord], list[Problem]]:
    """Valid records in file order, and a Problem (with every reason) for each bad one."""
    records, problems, first_line = [], [], {}
    for number, data in objects:
        ident = data.get("external_id") if isinstance(data.get("external_id"), str) else None
        reasons = schema_errors(data) + taxonomy_errors(data, taxonomy)
        if ident and ident in first_line:
            reasons.append(f"external_id repeats line {first_line[ident]} of this file")
        elif ident:
            first_line[ident] = number
        if reasons:
            problems.append(Problem(number, ident, reasons))
        else:
            records.append(CaseRecord.from_dict(data, line=number))
    return records, problems
