"""One interchange record: parsed, checked against the schema and the site's taxonomy."""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django_countries import countries

from cases import limits
from cases.choices import DatePrecision
from cases.dates import from_iso
from cases.interchange.characters import single_lines, text_errors
from cases.interchange.lines import TOO_LONG, UnreadableLine, too_long
from cases.interchange.schema import printable, quoted, schema_errors
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
            platforms=platform_names(Platform.objects.all()),
        )

    def platforms_of(self, names: list[str]) -> list[Platform]:
        """The platforms named, by name or former name, each once ("Twitter" and "X" are
        one platform)."""
        return list(dict.fromkeys(self.platforms[name.lower()] for name in names))


def platform_names(platforms) -> dict[str, Platform]:
    """{name or former name, lower-cased: platform}; a platform's own name wins should it
    be another's former name."""
    table = {}
    for platform in platforms:
        for name in platform.names[1:]:
            table.setdefault(name.lower(), platform)
    return table | {platform.name.lower(): platform for platform in platforms}


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
    date_precision: str = DatePrecision.DAY
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
        """Build from a record that already passed the schema, single-line values on one line
        (so a page and the record it came from compare equal however the file spaced them)."""
        data = single_lines(data)
        source = data.get("source") or {}
        published, precision = from_iso(data["published"])
        return cls(
            line=line,
            external_id=data["external_id"],
            title=data["title"],
            summary=data["summary"],
            organisation=data["organisation"],
            country=data["country"],
            published=published,
            date_precision=precision,
            themes=unique_names(data["themes"]),
            platforms=unique_names(data.get("platforms", [])),
            language=data.get("language", "en"),
            body=normalise_text(data.get("body", "")),
            lessons=[(item["kind"], item["text"].strip()) for item in data.get("lessons", [])],
            outcomes=[(item["label"], item["value"]) for item in data.get("outcomes", [])],
            result=data.get("result", ""),
            evidence=data.get("evidence", ""),
            source_event=source.get("event", ""),
            source_url=source.get("url", "").strip(),
            authors=data.get("authors", []),
        )

    def theme_slugs(self, taxonomy: Taxonomy) -> list[str]:
        return sorted({taxonomy.themes[t.lower()].slug for t in self.themes})

    @staticmethod
    def _platform_key(name: str, taxonomy: Taxonomy) -> str:
        platform = taxonomy.platforms.get(name.lower())
        return platform.name.lower() if platform else name.lower()

    def comparable(self, taxonomy: Taxonomy) -> tuple:
        """What the record says, with names matched as the importer matches them."""
        return (
            self.title,
            self.summary,
            self.organisation.lower(),
            self.country,
            self.published,
            self.date_precision,
            tuple(self.theme_slugs(taxonomy)),
            tuple(sorted({self._platform_key(p, taxonomy) for p in self.platforms})),
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


def unique_names(names: list[str]) -> list[str]:
    """Each name once, ignoring case as the importer matches names, first spelling kept
    ("Twitter" and "twitter" would otherwise link a case to one platform twice)."""
    first = {}
    for name in names:
        first.setdefault(name.lower(), name)
    return list(first.values())


def taxonomy_errors(data: dict, taxonomy: Taxonomy) -> list[str]:
    """Checks against the site's data, on whichever fields have the right shape (of a record
    whose single-line values are already on one line)."""
    errors = []
    country = data.get("country")
    # alpha2() is "" for an unknown code, as name() is, without translating a name.
    if isinstance(country, str) and len(country) == 2 and not countries.alpha2(country):
        errors.append(f"country: {quoted([country])} is not an ISO 3166-1 alpha-2 country code")
    themes = data.get("themes")
    if isinstance(themes, list):
        unknown = [
            t for t in themes if isinstance(t, str) and t and t.lower() not in taxonomy.themes
        ]
        if unknown:
            errors.append(f"themes: unknown theme(s) {quoted(unknown)}")
    language = data.get("language")
    if isinstance(language, str) and BCP47_RE.match(language) and not is_known_language(language):
        errors.append(f"language: {quoted([language])} is not a known language code")
    year = _year(data.get("published"))
    if year is not None and not limits.EARLIEST_YEAR <= year <= limits.LATEST_YEAR:
        errors.append(
            f"published: the year must be from {limits.EARLIEST_YEAR} to {limits.LATEST_YEAR}"
        )
    return errors


def _year(value) -> int | None:
    try:
        return from_iso(value)[0].year if isinstance(value, str) else None
    except ValueError:
        return None  # the schema says why


class RepeatedKey(ValueError):
    """A JSON object names the same key twice (json.loads would keep the last silently)."""


def _without_repeated_keys(pairs: list[tuple]) -> dict:
    data = dict(pairs)
    if len(data) < len(pairs):
        seen, repeated = set(), []
        for key, _ in pairs:
            if key in seen and key not in repeated:
                repeated.append(key)
            seen.add(key)
        raise RepeatedKey(f"{quoted(repeated)} given twice in one object; give each key once")
    return data


def json_object(line: str | UnreadableLine) -> dict | str:
    """The line's JSON object, or the reason it holds none."""
    if isinstance(line, UnreadableLine):
        return line.reason
    if too_long(line):
        return TOO_LONG
    try:
        value = json.loads(line, object_pairs_hook=_without_repeated_keys)
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg})"
    except RepeatedKey as exc:
        return str(exc)
    except ValueError:  # an integer of more than 4,300 digits
        return "not valid JSON (a number too long to read)"
    except RecursionError:
        return "not valid JSON (lists or objects nested too deeply)"
    return value if isinstance(value, dict) else "not a JSON object"


def parse_lines(
    lines: Iterable[str | UnreadableLine],
) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """JSON objects by line number, and the lines that are not JSON objects. A byte order
    mark at the start of a line is ignored (files saved "UTF-8 with BOM", or joined).

    Raises NotJsonLines when no line at all holds a JSON object.
    """
    objects, problems = [], []
    for number, raw in enumerate(lines, start=1):
        line = raw.removeprefix("\ufeff") if isinstance(raw, str) else raw
        if isinstance(line, str) and not line.strip():
            continue
        value = json_object(line)
        if isinstance(value, dict):
            objects.append((number, value))
        else:
            problems.append(Problem(number, None, [value]))
    if problems and not objects:
        first = problems[0]
        raise NotJsonLines(
            f"This is not a JSON Lines file: no line holds a JSON object. Line {first.line}: "
            f"{first.reasons[0]}. Each line must be one case as a JSON object "
            "(see docs/interchange.md)."
        )
    return objects, problems


def check_records(
    objects: list[tuple[int, dict]], taxonomy: Taxonomy
) -> tuple[list[CaseRecord], list[Problem]]:
    """Valid records in file order, and a Problem (with every reason) for each bad one.

    Characters are checked as written; the schema and the taxonomy see the single-line
    values on one line, as they will be stored.
    """
    records, problems, first_line = [], [], {}
    for number, data in objects:
        ident = data.get("external_id") if isinstance(data.get("external_id"), str) else None
        normalised = single_lines(data)
        reasons = (
            text_errors(data) + schema_errors(normalised) + taxonomy_errors(normalised, taxonomy)
        )
        if ident and ident in first_line:
            reasons.append(f"external_id repeats line {first_line[ident]} of this file")
        elif ident:
            first_line[ident] = number
        if reasons:
            problems.append(Problem(number, ident and printable(ident, 120), reasons))
        else:
            record = CaseRecord.from_dict(normalised, line=number)
            # A theme's name and its slug are one theme.
            records.append(replace(record, themes=record.theme_slugs(taxonomy)))
    return records, problems
