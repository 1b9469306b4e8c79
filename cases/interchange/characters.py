"""The characters of a record's texts: single-line values put on one line, and the
characters no text may hold found and named by field."""

import re
from collections.abc import Iterator

from cases.interchange.schema import LISTED, printable
from commonground.text import has_control_characters, single_line

# Half of a UTF-16 pair: JSON's "\ud800" decodes to one, and no UTF-8 text can hold it.
SURROGATE = re.compile(r"[\ud800-\udfff]")


def _one_line(value):
    return single_line(value) if isinstance(value, str) else value


def single_lines(data: dict) -> dict:
    """The record with its single-line values on one line (commonground.text.single_line):
    title, summary (shown as one paragraph, and stored so by the model), organisation, theme
    and platform names, outcome labels and values, authors and the source event. Values of
    another type are left as they are, for the schema to name."""
    data = dict(data)
    for key in ("title", "summary", "organisation"):
        if key in data:
            data[key] = _one_line(data[key])
    for key in ("themes", "platforms", "authors"):
        if isinstance(data.get(key), list):
            data[key] = [_one_line(name) for name in data[key]]
    if isinstance(data.get("outcomes"), list):
        data["outcomes"] = [
            {key: _one_line(value) for key, value in item.items()}
            if isinstance(item, dict)
            else item
            for item in data["outcomes"]
        ]
    if isinstance(data.get("source"), dict) and "event" in data["source"]:
        data["source"] = {**data["source"], "event": _one_line(data["source"]["event"])}
    return data


def _members(value) -> Iterator[tuple[str, object]]:
    if isinstance(value, dict):
        yield from ((f".{printable(str(key))}", item) for key, item in value.items())
    elif isinstance(value, list):
        yield from ((f"[{index}]", item) for index, item in enumerate(value, start=1))


def _texts(data: dict) -> Iterator[tuple[str, str]]:
    """Every string of a record with its place ("lessons[2].text"), as deep as the format
    goes (three levels); deeper values are wrongly shaped, which the schema reports."""
    level = [("", data)]
    for _ in range(3):
        level = [(where + part, item) for where, value in level for part, item in _members(value)]
        yield from ((where.lstrip("."), item) for where, item in level if isinstance(item, str))


def _strings(data: dict) -> list[str]:
    """The strings _texts() finds, without their places (naming each place was most of the
    check's time)."""
    found, level = [], [data]
    for _ in range(3):
        level = [
            item
            for value in level
            if isinstance(value, dict | list)
            for item in (value.values() if isinstance(value, dict) else value)
        ]
        found += [item for item in level if isinstance(item, str)]
    return found


def text_errors(data: dict) -> list[str]:
    """Characters no text may hold, by field: control characters (PostgreSQL refuses NUL, and
    SQLite stores it, so the same file would import on one database and fail on the other;
    the others only hide or break things) and lone surrogates (not storable as UTF-8)."""
    joined = "\n".join(_strings(data))  # LF is allowed in every text
    if not (has_control_characters(joined) or SURROGATE.search(joined)):
        return []  # as nearly every record: no text's place need be named
    errors = []
    for where, text in _texts(data):
        if has_control_characters(text):
            errors.append(
                f"{where}: contains control characters (such as NUL), which text may not hold"
            )
        if SURROGATE.search(text):
            errors.append(f"{where}: contains half of a UTF-16 pair (a broken \\u escape)")
    if len(errors) > LISTED:
        return [*errors[:LISTED], f"{len(errors) - LISTED:,} more texts like these"]
    return errors
