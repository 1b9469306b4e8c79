"""The interchange JSON Schema (shipped as case.schema.json) and readable error messages."""

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_PATH = Path(__file__).with_name("case.schema.json")

PATTERN_HINTS = {
    "external_id": "must be lower-case letters, digits and hyphens, not starting with a hyphen",
    "country": "must be an ISO 3166-1 alpha-2 code such as GB, CA or NL",
    "published": "must be a date written YYYY-MM-DD",
    "language": "must be a BCP 47 language code such as en, nl or fr-BE",
    "url": "must be an http:// or https:// address",
}


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


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
        return f"{where}: unknown field(s) {error.message.split('(')[-1].rstrip(')')}"
    if kind == "type":
        return (
            f"{where}: must be {'an' if limit in ('array', 'object', 'integer') else 'a'} {limit}"
        )
    if kind == "maxLength":
        return f"{where}: longer than {limit} characters ({len(error.instance)})"
    if kind == "minLength":
        return f"{where}: must not be empty"
    if kind == "minItems":
        return f"{where}: needs at least {limit} item{'s' if limit != 1 else ''}"
    if kind == "enum":
        return f"{where}: must be one of {', '.join(map(str, limit))}"
    if kind == "pattern":
        return f"{where}: {PATTERN_HINTS.get(field, 'must contain text')}"
    if kind == "format":
        return f"{where}: not a real date (YYYY-MM-DD)"
    return f"{where}: {error.message[:200]}"


def schema_errors(record) -> list[str]:
    """Readable reasons, at most one per field (the first the schema finds)."""
    errors = sorted(validator().iter_errors(record), key=lambda e: list(map(str, e.path)))
    reasons, seen = [], set()
    for error in errors:
        where = _where(error)
        if where == "record" or where not in seen:
            reasons.append(describe(error))
            seen.add(where)
    return reasons
