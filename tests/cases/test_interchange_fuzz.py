"""Whatever a file holds, checking it (import_cases --dry-run) never raises: every line is a
record or a bad record reported with its number, in a message that prints on one line."""

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.interchange.characters import SURROGATE, _strings, _texts, text_errors
from cases.interchange.importer import CaseImporter
from cases.interchange.lines import read_lines
from cases.interchange.records import NotJsonLines
from commonground.text import has_control_characters
from tests.cases.test_interchange_import import record

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Any code point, surrogates and controls included.
any_text = st.text(st.characters(exclude_categories=()), max_size=40)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | any_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=12,
)
# Lines built to hurt the parser: nested thousands deep, numbers too long to read.
hostile_lines = st.integers(1_000, 100_000).flatmap(
    lambda n: st.sampled_from(["[" * n, '{"a": ' * n, "9" * n])
)
FIELDS = [*record(), "unknown"]
# A real record with some fields replaced: reaches the schema, taxonomy and text checks.
mutated_records = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=4).map(
    lambda changes: record(**changes)
)


def check(lines: list) -> None:
    """Dry-run the lines; every non-blank line is accounted for exactly once."""
    content = [
        n
        for n, line in enumerate(lines, start=1)
        if not isinstance(line, str) or line.removeprefix("\ufeff").strip()
    ]
    try:
        report = CaseImporter(dry_run=True).run(lines)
    except NotJsonLines as exc:
        assert "no line holds a JSON object. Line " in str(exc)
        str(exc).encode("utf-8")
        return
    numbers = [problem.line for problem in report.problems]
    assert len(numbers) == len(set(numbers))
    assert set(numbers) <= set(content)
    assert report.created + report.updated + report.unchanged + len(numbers) == len(content)
    for problem in report.problems:
        message = str(problem)
        assert message.startswith(f"line {problem.line}")
        assert message.isprintable()  # one line, no control characters, no surrogates
        message.encode("utf-8")


@FUZZ
@given(lines=st.lists(any_text | hostile_lines, max_size=6))
def test_any_lines_of_text_are_checked_without_an_exception(lines):
    check(lines)


@FUZZ
@given(values=st.lists(json_values, min_size=1, max_size=5))
def test_any_json_values_are_checked_without_an_exception(values):
    check([json.dumps(value) for value in values])


@FUZZ
@given(records=st.lists(mutated_records, min_size=1, max_size=4))
def test_any_record_with_fields_replaced_is_checked_without_an_exception(records):
    check([json.dumps(value, ensure_ascii=False) for value in records])


@FUZZ
@given(content=st.binary(max_size=300))
def test_any_bytes_are_read_and_checked_without_an_exception(content):
    check(list(read_lines(io.BytesIO(content))))


@FUZZ
@given(st.dictionaries(any_text, json_values, max_size=6))
def test_the_quick_character_check_reads_the_texts_the_named_check_reads(data):
    """text_errors() first looks at every text at once, without naming places; it must see
    exactly the texts the check that names them sees, or a bad character would slip by."""
    assert sorted(_strings(data)) == sorted(text for _, text in _texts(data))
    named = [
        where
        for where, text in _texts(data)
        if has_control_characters(text) or SURROGATE.search(text)
    ]
    assert bool(text_errors(data)) == bool(named)
