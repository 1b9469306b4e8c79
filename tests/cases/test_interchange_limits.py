"""Size limits of the interchange format: one home (cases/limits.py), enforced by the shipped
schema, documented in docs/interchange.md, refused past them with the line number."""

import json
import re
from pathlib import Path

import pytest

from django.core.management import CommandError, call_command

from cases import limits
from cases.interchange.schema import SCHEMA_PATH
from cases.models import CaseStudyPage, Theme
from tests.cases.test_interchange_import import record, run

DOCS = Path(__file__).resolve().parents[2] / "docs" / "interchange.md"

# Every bound in the schema (JSON pointer -> where its number comes from).
SCHEMA_LIMITS = {
    "/properties/external_id/maxLength": CaseStudyPage._meta.get_field("external_id").max_length,
    "/properties/title/maxLength": limits.TITLE,
    "/properties/summary/maxLength": limits.SUMMARY,
    "/properties/organisation/maxLength": limits.ORGANISATION,
    "/properties/country/maxLength": 2,
    "/properties/published/maxLength": len("YYYY-MM-DD"),
    "/properties/themes/maxItems": limits.THEMES,
    "/properties/themes/items/maxLength": Theme._meta.get_field("name").max_length,
    "/properties/platforms/maxItems": limits.PLATFORMS,
    "/properties/platforms/items/maxLength": limits.PLATFORM,
    "/properties/language/maxLength": CaseStudyPage._meta.get_field("language").max_length,
    "/properties/body/maxLength": limits.BODY,
    "/properties/lessons/maxItems": limits.LESSONS,
    "/properties/lessons/items/properties/text/maxLength": limits.LESSON,
    "/properties/outcomes/maxItems": limits.OUTCOMES,
    "/properties/outcomes/items/properties/label/maxLength": limits.OUTCOME_TEXT,
    "/properties/outcomes/items/properties/value/maxLength": limits.OUTCOME_TEXT,
    "/properties/source/properties/event/maxLength": limits.SOURCE_EVENT,
    "/properties/source/properties/url/maxLength": limits.SOURCE_URL,
    "/properties/authors/maxItems": limits.AUTHORS,
    "/properties/authors/items/maxLength": limits.AUTHOR,
    "/properties/replications/maxItems": limits.REPLICATIONS,
}


def schema_nodes(node, pointer=""):
    yield pointer, node
    for key, child in node.items():
        if isinstance(child, dict):
            yield from schema_nodes(child, f"{pointer}/{key}")


def test_the_shipped_schema_bounds_every_text_and_list_with_the_limits_of_cases_limits():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    bounds = {}
    for pointer, node in schema_nodes(schema):
        kind = node.get("type")
        if kind == "string":
            assert "maxLength" in node, f"{pointer} is a string without maxLength"
        if kind == "array":
            assert "maxItems" in node, f"{pointer} is a list without maxItems"
        bounds |= {f"{pointer}/{k}": node[k] for k in ("maxLength", "maxItems") if k in node}
    assert bounds == SCHEMA_LIMITS


def documented_limits() -> dict[str, str]:
    """The rows of the Limits table in docs/interchange.md: field -> what it says."""
    section = DOCS.read_text(encoding="utf-8").split("## Limits", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `?([a-z_ ]+)`? \| (.+) \|$", section, flags=re.M)
    return dict(rows)


def test_every_limit_is_documented_with_its_number():
    table = documented_limits()
    for pointer, limit in SCHEMA_LIMITS.items():
        field = pointer.split("/")[2]
        assert f"{limit:,}" in table[field], (field, limit, table.get(field))
    assert f"{limits.RECORD_BYTES // 1024} KiB" in table["one line"]
    assert f"{limits.RECORD_BYTES:,} bytes" in table["one line"]


def text(length: int) -> str:
    return ("word " * length)[: length - 1] + "x"


def themes(count: int) -> list[str]:
    slugs = sorted(Theme.objects.values_list("slug", flat=True))
    return (slugs * 2)[:count]


def url(length: int) -> str:
    return "https://example.org/" + "u" * (length - len("https://example.org/"))


# field -> (its limit, the record's values at a given size)
SIZES = {
    "title": (limits.TITLE, lambda n: {"title": text(n)}),
    "summary": (limits.SUMMARY, lambda n: {"summary": text(n)}),
    "organisation": (limits.ORGANISATION, lambda n: {"organisation": text(n)}),
    "themes": (limits.THEMES, lambda n: {"themes": themes(n)}),
    "platforms": (limits.PLATFORMS, lambda n: {"platforms": [f"Platform {i}" for i in range(n)]}),
    "platforms[1]": (limits.PLATFORM, lambda n: {"platforms": [text(n)]}),
    "body": (limits.BODY, lambda n: {"body": text(n)}),
    "lessons": (
        limits.LESSONS,
        lambda n: {"lessons": [{"kind": "advice", "text": f"Lesson {i}"} for i in range(n)]},
    ),
    "lessons[1].text": (
        limits.LESSON,
        lambda n: {"lessons": [{"kind": "worked", "text": text(n)}]},
    ),
    "outcomes": (
        limits.OUTCOMES,
        lambda n: {"outcomes": [{"label": f"Measure {i}", "value": "1"} for i in range(n)]},
    ),
    "outcomes[1].value": (
        limits.OUTCOME_TEXT,
        lambda n: {"outcomes": [{"label": "Reach", "value": text(n)}]},
    ),
    "authors": (limits.AUTHORS, lambda n: {"authors": [f"Author {i}" for i in range(n)]}),
    "authors[1]": (limits.AUTHOR, lambda n: {"authors": [text(n)]}),
    "source.event": (limits.SOURCE_EVENT, lambda n: {"source": {"event": text(n)}}),
    "source.url": (limits.SOURCE_URL, lambda n: {"source": {"url": url(n)}}),
}
LISTS = {"themes", "platforms", "lessons", "outcomes", "authors"}


@pytest.mark.django_db
@pytest.mark.parametrize("where", SIZES)
def test_a_value_at_its_limit_imports_and_one_past_it_is_refused_with_its_line(where):
    limit, values = SIZES[where]
    report = run(
        record(external_id="at-the-limit", **values(limit)),
        record(external_id="past-it", **values(limit + 1)),
    )
    assert report.created == 1
    (problem,) = report.problems
    assert (problem.line, problem.external_id) == (2, "past-it")
    expected = (
        f"{where}: more than {limit:,} items ({limit + 1})"
        if where in LISTS
        else f"{where}: longer than {limit:,} characters ({limit + 1:,})"
    )
    assert expected in problem.reasons


@pytest.mark.django_db
def test_import_cases_names_the_line_and_field_past_a_limit(tmp_path, capsys):
    path = tmp_path / "cases.jsonl"
    too_long = record(external_id="long-story", body=text(limits.BODY + 1))
    path.write_text(f"{json.dumps(record())}\n{json.dumps(too_long)}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 record"):
        call_command("import_cases", str(path))
    captured = capsys.readouterr()
    assert "1 created, 0 updated, 0 unchanged, 1 skipped" in captured.out
    assert "skipped line 2 (long-story): body: longer than 50,000 characters (50,001)" in (
        captured.err
    )
