"""The importer asks fastjsonschema whether a record is valid and jsonschema why it is not
(cases/interchange/schema.py): the two must give one verdict on every record, or a bad
record would be imported unchecked. Valid records are mutated field by field, at the
schema's edges (lengths at and past each limit, a final line break after a pattern, wrong
types, unknown and missing keys, impossible dates, `$` in addresses), and both are asked."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from cases.interchange.schema import is_valid, schema_errors, validator

VALID = {
    "external_id": "gmp-tweetathon",
    "title": "A 24-hour tweetathon",
    "summary": "Every call for a day, tweeted.",
    "organisation": "Greater Manchester Police",
    "country": "GB",
    "published": "2010-10-14",
    "themes": ["engagement-and-content"],
    "platforms": ["Twitter"],
    "language": "en",
    "body": "A body.",
    "lessons": [{"kind": "worked", "text": "Showing the volume of calls."}],
    "outcomes": [{"label": "Calls tweeted", "value": "3,205"}],
    "result": "worked",
    "evidence": "monitored",
    "source": {"event": "SMILE Conference", "url": "https://example.org/smile"},
    "authors": ["Common Ground editorial team"],
}

# Where a value can go: top-level fields, and the fields inside list items and `source`.
PATHS = [(key,) for key in VALID] + [
    ("themes", 0),
    ("platforms", 0),
    ("lessons", 0, "kind"),
    ("lessons", 0, "text"),
    ("outcomes", 0, "label"),
    ("outcomes", 0, "value"),
    ("source", "event"),
    ("source", "url"),
    ("authors", 0),
    ("lessons", 0),
    ("source",),
]

EDGE_TEXT = [
    "",
    " ",
    "\n",
    "x",
    "GB",
    "GB\n",
    "gb",
    "G",
    "GBR",
    "2024",
    "2024-02",
    "2024-02-29",
    "2023-02-29",
    "2024-13",
    "2024-1-01",
    "0000",
    "2024-02-30\n",
    "en",
    "en-GB",
    "english",
    "e",
    "en\n",
    "fr-BE-x-private",
    "gmp-case\n",
    "-gmp",
    "Gmp",
    "worked",
    "did not work",
    "monitored",
    "Worked",
    "https://example.org",
    "http://example.org/a$b",
    "https://$example.org",
    "https://example.org/\n",
    "https://exa mple.org",
    "ftp://example.org",
    "https://",
    "javascript:alert(1)",
    "tab\there",
]


def sized(n: int) -> str:
    return "x" * n


VALUES = st.one_of(
    st.sampled_from(EDGE_TEXT),
    st.sampled_from(
        [1, 2, 30, 35, 99, 100, 101, 120, 121, 255, 256, 300, 500, 501, 2000, 2001]
    ).map(sized),
    st.sampled_from([None, True, False, 0, 1.5, [], {}, ["x"], [""], [1], {"x": 1}]),
    st.lists(st.sampled_from(EDGE_TEXT + ["crisis-communication"]), max_size=30),
    st.text(max_size=12),
)


def put(record: dict, path: tuple, value) -> None:
    target = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def remove(record: dict, path: tuple) -> None:
    target = record
    for step in path[:-1]:
        target = target[step]
    if isinstance(target, dict):
        target.pop(path[-1], None)
    else:
        del target[path[-1]]


MUTATION = st.one_of(
    st.tuples(st.just("put"), st.sampled_from(PATHS), VALUES),
    st.tuples(st.just("remove"), st.sampled_from(PATHS), st.none()),
    st.tuples(st.just("put"), st.sampled_from([("extra",), ("source", "extra")]), VALUES),
)


def verdicts(record) -> tuple[bool, bool]:
    return is_valid(record), not any(True for _ in validator().iter_errors(record))


def test_the_valid_record_is_valid_for_both():
    assert verdicts(VALID) == (True, True)
    assert schema_errors(VALID) == []


@settings(max_examples=1500, deadline=None)
@given(st.lists(MUTATION, min_size=1, max_size=3))
def test_both_give_one_verdict_on_mutated_records(mutations):
    record = copy.deepcopy(VALID)
    for kind, path, value in mutations:
        try:
            if kind == "put":
                put(record, path, value)
            else:
                remove(record, path)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the path's parent
    quick, full = verdicts(record)
    assert quick == full, (record, list(validator().iter_errors(record))[:3])
    # And the importer's reasons say so: none for a valid record, some for an invalid one.
    assert (schema_errors(record) == []) == full


def test_edges_the_schema_names_get_one_verdict():
    """Values at each limit and one past it, and each pattern with a final line break."""
    for path in PATHS:
        for value in EDGE_TEXT + [sized(n) for n in (2, 10, 35, 100, 101, 120, 121, 255, 256)]:
            record = copy.deepcopy(VALID)
            put(record, path, value)
            quick, full = verdicts(record)
            assert quick == full, (path, value)
