"""import_cases under hostile input: each bad line is one bad record with its number and
reason, nothing aborts the import, and what is stored is the same on every database."""

import io
import json
import sys

import pytest

from django.core.management import CommandError, call_command

from cases.interchange.importer import CaseImporter
from cases.interchange.lines import read_lines
from cases.limits import RECORD_BYTES
from cases.models import CaseStudyPage, Platform
from tests.cases.test_interchange_import import lines, record, run

pytestmark = pytest.mark.django_db


def import_file(tmp_path, capsys, content: bytes, *options):
    """Run the command on a file; (stdout, stderr, the error it ended with or None)."""
    path = tmp_path / "cases.jsonl"
    path.write_bytes(content)
    try:
        call_command("import_cases", str(path), *options)
        error = None
    except CommandError as exc:
        error = str(exc)
    captured = capsys.readouterr()
    return captured.out, captured.err, error


def jsonl(*records) -> bytes:
    return ("\n".join(lines(*records)) + "\n").encode("utf-8")


def reasons_of(report, line: int) -> list[str]:
    (problem,) = [p for p in report.problems if p.line == line]
    return problem.reasons


# Lines that are not records -----------------------------------------------------------------


def test_a_deeply_nested_line_is_one_bad_record_and_the_others_import(tmp_path, capsys):
    content = jsonl(record(), "[" * 100_000, record(external_id="third"))
    out, err, error = import_file(tmp_path, capsys, content)
    assert "2 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert "skipped line 2: not valid JSON (lists or objects nested too deeply)" in err
    assert error == "1 record(s) skipped; see the reasons above."
    assert CaseStudyPage.objects.count() == 2


def test_a_key_given_twice_is_one_bad_record_not_the_last_value_silently():
    """json.loads keeps the last of two equal keys: a line could say one external_id and
    overwrite another case."""
    twice = json.dumps(record(external_id="first")).replace(
        '"external_id": "first"', '"external_id": "first", "external_id": "other-case"'
    )
    report = run(record(external_id="kept"), twice)
    assert report.created == 1
    assert reasons_of(report, 2) == ["“external_id” given twice in one object; give each key once"]


@pytest.mark.parametrize("published", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_a_date_outside_the_library_years_is_refused(published):
    """Facets offered such years, which the filters then refused."""
    report = run(record(published=published))
    assert report.created == 0
    assert reasons_of(report, 1) == ["published: the year must be from 1900 to 2100"]


def test_a_number_too_long_to_read_is_one_bad_record():
    report = run(record(), '{"external_id": ' + "9" * 5000 + "}")
    assert report.created == 1
    assert reasons_of(report, 2) == ["not valid JSON (a number too long to read)"]


def test_a_line_over_the_record_size_is_refused_before_it_is_parsed(tmp_path, capsys):
    huge = json.dumps(record(external_id="huge", body="x" * (RECORD_BYTES + 10)))
    content = jsonl(record(), huge, record(external_id="after"))
    out, err, _ = import_file(tmp_path, capsys, content)
    assert "2 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert "skipped line 2: longer than 512 KiB, the most one record may take" in err
    # The same through the importer given lines of text.
    CaseStudyPage.objects.all().delete()
    report = run(record(), huge)
    assert reasons_of(report, 2) == ["longer than 512 KiB, the most one record may take"]


class Reads(io.BytesIO):
    """A stream that remembers the longest piece any read handed out."""

    longest = 0

    def readline(self, size=-1):
        piece = super().readline(size)
        self.longest = max(self.longest, len(piece))
        return piece

    def read(self, size=-1):
        piece = super().read(size)
        self.longest = max(self.longest, len(piece))
        return piece


def test_an_oversized_line_is_never_held_whole_and_the_next_line_still_counts():
    first, last = json.dumps(record()), json.dumps(record(external_id="last"))
    stream = Reads(f"{first}\n{'x' * 5_000_000}\n{last}\n".encode())
    read = list(read_lines(stream))
    assert read[0] == first and read[2] == last
    assert read[1].reason == "longer than 512 KiB, the most one record may take"
    assert stream.longest <= RECORD_BYTES + 2


def test_a_line_of_exactly_the_record_size_is_read(tmp_path, capsys):
    text = json.dumps(record(body=""))
    padded = text[:-1] + " " * (RECORD_BYTES - len(text.encode())) + "}"
    assert len(padded.encode()) == RECORD_BYTES
    out, _, error = import_file(tmp_path, capsys, padded.encode() + b"\r\n")
    assert error is None and "1 created" in out


def test_a_line_that_is_not_utf8_is_one_bad_record(tmp_path, capsys):
    content = jsonl(record()) + b'{"title": "caf\xe9"}\n' + jsonl(record(external_id="third"))
    out, err, _ = import_file(tmp_path, capsys, content)
    assert "2 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert "skipped line 2: not UTF-8 text (is it a binary file?)" in err


def test_a_path_that_cannot_be_opened_gets_a_message_not_a_traceback(tmp_path):
    with pytest.raises(CommandError, match=r"cannot be read \(File name too long\)"):
        call_command("import_cases", str(tmp_path / ("x" * 300)))


# Line endings, byte order marks, separators inside text ------------------------------------


def test_u2028_in_a_text_survives_export_and_import_by_the_commands(tmp_path, capsys):
    """export_cases writes U+2028 raw (ensure_ascii=False); str.splitlines() cut the line."""
    run(record(body="One line\u2028and the same line.\u2029Still one record."))
    path = tmp_path / "export.jsonl"
    call_command("export_cases", "-o", str(path))
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # as saved on Windows
    call_command("import_cases", str(path))
    assert "0 created, 0 updated, 1 unchanged, 0 skipped" in capsys.readouterr().out


def test_byte_order_marks_are_ignored_in_files_stdin_and_lines(tmp_path, capsys, monkeypatch):
    bom = "\ufeff".encode()
    out, _, error = import_file(tmp_path, capsys, bom + jsonl(record()))
    assert error is None and "1 created" in out

    stdin = io.TextIOWrapper(io.BytesIO(bom + jsonl(record(external_id="from-stdin"))))
    monkeypatch.setattr(sys, "stdin", stdin)
    call_command("import_cases", "-")
    assert "1 created" in capsys.readouterr().out

    # Two files joined with cat: the second's mark starts a line.
    report = run(record(external_id="joined-1"), "\ufeff" + json.dumps(record(external_id="j-2")))
    assert (report.created, report.skipped) == (2, 0)


def test_stdin_is_read_line_by_line_with_the_same_checks(capsys, monkeypatch):
    content = jsonl(record(), "[" * 50_000, record(external_id="nul", title="a\x00b"))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(content)))
    with pytest.raises(CommandError, match="2 record"):
        call_command("import_cases", "-")
    err = capsys.readouterr().err
    assert "skipped line 2: not valid JSON (lists or objects nested too deeply)" in err
    assert "skipped line 3 (nul): title: contains control characters" in err


def test_a_binary_file_is_refused_whole_with_one_message(tmp_path):
    path = tmp_path / "photo.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4000)
    with pytest.raises(CommandError, match="no line holds a JSON object. Line 1: not UTF-8"):
        call_command("import_cases", str(path))


# Characters no text may hold ---------------------------------------------------------------

TEXT_FIELDS = {
    "title": lambda bad: {"title": bad},
    "summary": lambda bad: {"summary": bad},
    "organisation": lambda bad: {"organisation": bad},
    "themes[2]": lambda bad: {"themes": ["recruitment", bad]},
    "platforms[1]": lambda bad: {"platforms": [bad]},
    "body": lambda bad: {"body": bad},
    "lessons[1].text": lambda bad: {"lessons": [{"kind": "worked", "text": bad}]},
    "outcomes[1].label": lambda bad: {"outcomes": [{"label": bad, "value": "1"}]},
    "outcomes[1].value": lambda bad: {"outcomes": [{"label": "Calls", "value": bad}]},
    "source.event": lambda bad: {"source": {"event": bad}},
    "authors[1]": lambda bad: {"authors": [bad]},
}


@pytest.mark.parametrize("where", TEXT_FIELDS)
@pytest.mark.parametrize("bad", ["Nul\x00here", "Escape \x1b[31m", "Next line\x85"])
def test_control_characters_are_refused_in_every_text_field(where, bad):
    report = run(record(), record(external_id="bad", **TEXT_FIELDS[where](bad)))
    assert report.created == 1
    assert report.problems[0].line == 2
    reason = f"{where}: contains control characters (such as NUL), which text may not hold"
    assert reason in report.problems[0].reasons
    assert CaseStudyPage.objects.count() == 1


@pytest.mark.parametrize("where", TEXT_FIELDS)
def test_half_a_surrogate_pair_is_refused_by_field_not_by_the_database(where):
    report = run(record(external_id="bad", **TEXT_FIELDS[where]("Broken \ud83d escape")))
    reasons = reasons_of(report, 1)
    assert f"{where}: contains half of a UTF-16 pair (a broken \\u escape)" in reasons
    assert not any("could not be saved" in r for r in reasons)


def test_tabs_and_line_breaks_stay_allowed_in_multi_line_text():
    report = run(record(body="Tab\there.\r\n\r\nSecond paragraph.", summary="Two\nlines"))
    assert report.created == 1
    page = CaseStudyPage.objects.get()
    assert [b.value.source for b in page.body] == [
        "<p>Tab\there.</p>",
        "<p>Second paragraph.</p>",
    ]


def test_what_the_input_says_is_quoted_short_and_printable(tmp_path, capsys):
    """Echoed values are cut short and escaped, so a report never floods or breaks the
    terminal (a lone surrogate once crashed the command while printing)."""
    content = jsonl(
        record(external_id="bad-country", country="\ud800\ud800"),
        record(external_id="long-theme", themes=["theme " * 50_000]),
        {**record(external_id="odd-field"), "x" * 10_000: 1, "\x1b[2J": 2},
    )
    _, err, error = import_file(tmp_path, capsys, content)
    assert error == "3 record(s) skipped; see the reasons above."
    lines_out = err.splitlines()
    assert len(lines_out) == 3
    assert all(len(line) < 600 for line in lines_out)
    assert "country: “\\ud800\\ud800” is not an ISO 3166-1 alpha-2 country code" in err
    assert "themes[1]: longer than 100 characters" in err
    assert "themes: unknown theme(s) “theme theme" in err
    assert "unknown field(s) “xxxxxxxx" in err and "“\\x1b[2J”" in err


# Values that only look right ------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("external_id", "case-id\n", "external_id: must be lower-case letters"),
        ("country", "GB\n", "country: longer than 2 characters"),
        ("language", "en\n", "language: must be a BCP 47 language code"),
        ("source", {"url": "https://example.org/\n"}, "source.url: must be an http"),
    ],
)
def test_a_final_newline_does_not_pass_an_anchored_pattern(field, value, reason):
    """JSON Schema patterns are ECMA 262, where $ ends the text; Python's $ also matched
    before a final newline, so "GB\\n" was stored as a country."""
    report = run(record(**{field: value}))
    assert report.created == 0
    assert any(reason in r for r in reasons_of(report, 1)), report.problems


def test_single_line_fields_are_stored_on_one_line_and_a_reimport_is_unchanged():
    messy = record(
        title="Newline title\r\nBcc: someone@example.org",
        summary="What happened.\n\nHow it went.",
        organisation="Greater\tManchester\u2028Police ",
        themes=["Crisis\r\ncommunication"],
        platforms=["You\nTube", "Twit\u200bter"],
        outcomes=[{"label": "Calls\r\ntweeted", "value": " 3,205\t"}],
        authors=["Jane\nDoe"],
        source={"event": "SMILE\r\nConference", "url": "https://example.org/smile"},
    )
    assert run(messy).created == 1
    page = CaseStudyPage.objects.get()
    assert page.title == "Newline title Bcc: someone@example.org"
    assert page.summary == "What happened. How it went."
    assert page.organisation.name == "Greater Manchester Police"
    assert [t.slug for t in page.themes.all()] == ["crisis-communication"]
    assert sorted(p.name for p in page.platforms.all()) == ["X", "You Tube"]  # X was Twitter
    assert [dict(b.value) for b in page.outcomes] == [{"label": "Calls tweeted", "value": "3,205"}]
    assert page.author_names == ["Jane Doe"]
    assert page.source_event == "SMILE Conference"
    report = run(messy)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_a_single_line_value_of_invisible_characters_only_is_empty():
    report = run(record(title="\u200b\u200e", authors=["\u2028"], platforms=["\t"]))
    assert report.created == 0
    reasons = reasons_of(report, 1)
    for where in ("title", "authors[1]", "platforms[1]"):
        assert f"{where}: must not be empty" in reasons


def test_names_that_meet_after_normalising_are_one_theme_and_one_platform():
    report = run(
        record(
            themes=["Crisis communication", "crisis-communication", "CRISIS  communication"],
            platforms=["Mastodon", "mastodon", "MASTODON\n"],
        )
    )
    assert (report.created, report.skipped) == (1, 0), report.problems
    page = CaseStudyPage.objects.get()
    assert [t.slug for t in page.themes.all()] == ["crisis-communication"]
    assert [p.name for p in page.platforms.all()] == ["Mastodon"]
    assert Platform.objects.filter(name__iexact="mastodon").count() == 1


def test_a_huge_list_gives_a_few_reasons_not_one_per_item():
    report = run(record(platforms=[1] * 100_000, authors=["Nul\x00"] * 1000))
    reasons = reasons_of(report, 1)
    assert "platforms: more than 20 items (100,000)" in reasons
    assert "platforms: more problems like these" in reasons
    assert "995 more texts like these" in reasons
    assert len(reasons) <= 14


def test_every_database_refuses_the_same_records(tmp_path, capsys):
    """NUL was stored by SQLite and refused by PostgreSQL only when its batch was written;
    now the check refuses it first, so the outcome never depends on the database."""
    good = [record(external_id=f"good-{i}") for i in range(3)]
    content = jsonl(*good[:2], record(external_id="nul", body="a\x00b"), good[2])
    out, err, _ = import_file(tmp_path, capsys, content)
    assert "3 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert "skipped line 3 (nul): body: contains control characters" in err
    assert not any("could not be saved" in line for line in err.splitlines())
    assert CaseImporter(dry_run=True).run(content.decode().splitlines()).skipped == 1
