"""The interchange JSON Schema (shipped as case.schema.json) and readable error messages."""

import json
import re
from collections import Counter
from functools import lru_cache
from itertools import islice
from pathlib import Path

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from cases.dates import from_iso

SCHEMA_PATH = Path(__file__).with_name("case.schema.json")

PATTERN_HINTS = {
    "external_id": "must be lower-case letters, digits and hyphens, not starting with a hyphen",
    "country": "must be an ISO 3166-1 alpha-2 code such as GB, CA or NL",
    "published": "must be a date written YYYY-MM-DD (or YYYY-MM, or YYYY, when only the "
    "month or the year is known)",
    "language": "must be a BCP 47 language code such as en, nl or fr-BE",
    "url": "must be an http:// or https:// address",
}
LISTED = 5  # values quoted in one message, reasons given for one top-level field
READ_AT_MOST = 100  # schema violations read from one record


def printable(text: str, limit: int = 60) -> str:
    """Text fit to quote in a one-line message: at most `limit` characters, anything
    unprintable (line breaks, NUL, a lone surrogate) written as its escape."""
    if len(text) <= limit and text.isprintable():
        return text
    shown = "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text[:limit])
    return shown + "…" if len(text) > limit else shown


def quoted(values: list[str]) -> str:
    """Values from the input, quoted for a message: the first few, and how many more."""
    shown = ", ".join(f"“{printable(str(value))}”" for value in values[:LISTED])
    return shown + (f" and {len(values) - LISTED} more" if len(values) > LISTED else "")


@lru_cache(maxsize=64)
def _ecma_regex(pattern: str) -> re.Pattern:
    # Only a final `$` is an end anchor in this schema's patterns.
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


def _pattern(validator, pattern, instance, schema):
    """`pattern` as JSON Schema (ECMA 262) reads it, where `$` ends the text: Python's `$`
    also matches before a final newline, which let "GB\\n" and "case-id\\n" through."""
    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield ValidationError(f"does not match {pattern!r}")


CaseValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    checker = FormatChecker()
    # A date to the day, the month or the year, ISO 8601's reduced forms (cases/dates.py).
    checker.checks("partial-date", raises=ValueError)(
        lambda value: not isinstance(value, str) or bool(from_iso(value))
    )
    return CaseValidator(schema, format_checker=checker)


def _is_partial_date(value: str) -> bool:
    try:
        return bool(from_iso(value))
    except ValueError:
        return False


@lru_cache(maxsize=1)
def quick_check():
    """The same schema compiled to Python by fastjsonschema: it says only whether a record
    is valid, at a tenth of jsonschema's cost, so the reasons are worked out (by jsonschema)
    for invalid records alone. Its draft 7 reads every keyword this schema uses as 2020-12
    does; tests/cases/test_interchange_schema_agreement.py holds the two to one verdict."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(schema, formats={"partial-date": _is_partial_date})


def is_valid(record) -> bool:
    try:
        quick_check()(record)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def _where(error) -> str:
    parts = []
    for part in error.absolute_path:
        parts.append(f"[{part + 1}]" if isinstance(part, int) else f".{part}")
    return "".join(parts).lstrip(".") or "record"


def describe(error) -> str:
    """One sentence per schema violation, naming the field and never echoing long values."""
    where = _where(error)
    field = next((p for p in reversed(error.absolute_path) if isinstance(p, str)), "")
    kind, limit = error.validator, error.validator_value
    if kind == "required":
        missing = error.message.split("'")[1]
        return f"missing required field “{missing}”"
    if kind == "additionalProperties":
        unknown = [key for key in error.instance if key not in error.schema["properties"]]
        return f"{where}: unknown field(s) {quoted(unknown)}"
    if kind == "type":
        return (
            f"{where}: must be {'an' if limit in ('array', 'object', 'integer') else 'a'} {limit}"
        )
    if kind == "maxLength":
        return f"{where}: longer than {limit:,} characters ({len(error.instance):,})"
    if kind == "minLength":
        return f"{where}: must not be empty"
    if kind == "maxItems":
        return f"{where}: more than {limit:,} items ({len(error.instance):,})"
    if kind == "minItems":
        return f"{where}: needs at least {limit} item{'s' if limit != 1 else ''}"
    if kind == "enum":
        return f"{where}: must be one of {', '.join(map(str, limit))}"
    if kind == "pattern":
        return f"{where}: {PATTERN_HINTS.get(field, 'must contain text')}"
    if kind == "format":
        return f"{where}: not a real date (YYYY-MM-DD, YYYY-MM or YYYY)"
    return f"{where}: {printable(error.message, 200)}"


def _order(error) -> list[tuple]:
    """Sort key: fields by name, list items by position (2 before 10)."""
    return [(0, part, "") if isinstance(part, int) else (1, 0, part) for part in error.path]


def schema_errors(record) -> list[str]:
    """Readable reasons: at most one per field (the first the schema finds) and a few per
    top-level field. The schema is read for at most READ_AT_MOST violations, so a list of
    100,000 bad items gives a few lines, not 100,000 (and a tenth of a second, not three)."""
    if is_valid(record):
        return []
    errors = sorted(islice(validator().iter_errors(record), READ_AT_MOST), key=_order)
    reasons, seen, per_field = [], set(), Counter()
    for error in errors:
        where = _where(error)
        if where in seen and where != "record":
            continue
        seen.add(where)
        top = error.absolute_path[0] if error.absolute_path else None  # None: the record's own
        per_field[top] += 1
        if top is None or per_field[top] <= LISTED:
            reasons.append(describe(error))
        elif per_field[top] == LISTED + 1:
            reasons.append(f"{top}: more problems like these")
    return reasons
