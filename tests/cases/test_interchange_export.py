"""export_cases: the inverse of the importer; export then import changes nothing."""

import json

import pytest

from django.core.management import call_command

from wagtail.models import Revision

from cases.interchange.exporter import iter_lines
from cases.interchange.importer import CaseImporter
from cases.interchange.schema import validator
from cases.models import CaseStudyPage
from tests.cases.test_interchange_import import record

pytestmark = pytest.mark.django_db

RECORDS = [
    record(),
    record(
        external_id="nl-wijkagent",
        title="Wijkagenten op Twitter",
        summary="Buurtagenten twitteren over hun wijk.",
        organisation="Politie Nederland",
        country="NL",
        language="nl",
        themes=["community-relations"],
        platforms=[],
        lessons=[],
        outcomes=[],
        source=None,
        authors=None,
        result="promising",
        evidence="anecdotal",
        body="Één alinea met accenten: é, ü, ç.\n\n<b>Geen</b> opmaak.",
    ),
    {
        "external_id": "minimal",
        "title": "Only what is required",
        "summary": "",
        "organisation": "Tiny Police",
        "country": "BE",
        "published": "2015-11-23",
        "themes": ["crisis-communication"],
    },
]


def export_text():
    return "".join(iter_lines())


def test_export_then_import_changes_nothing(tmp_path):
    CaseImporter().run([json.dumps(r) for r in RECORDS])
    first = export_text()
    revisions = Revision.objects.count()

    report = CaseImporter().run(first.splitlines())
    assert (report.created, report.updated, report.unchanged, report.skipped) == (0, 0, 3, 0)
    assert Revision.objects.count() == revisions
    assert export_text() == first


def test_exported_records_match_what_was_imported_and_the_schema():
    CaseImporter().run([json.dumps(r) for r in RECORDS])
    exported = {r["external_id"]: r for r in map(json.loads, export_text().splitlines())}
    assert list(exported) == sorted(exported)  # stable order: by external_id
    for line in exported.values():
        assert list(validator().iter_errors(line)) == []
    original = record()
    assert exported["gmp-tweetathon"] == {
        **original,
        "themes": ["engagement-and-content", "evaluation-and-impact"],
        "platforms": ["X"],  # imported as Twitter, its former name
    }
    assert (
        exported["nl-wijkagent"]["body"]
        == "Één alinea met accenten: é, ü, ç.\n\n<b>Geen</b> opmaak."
    )
    assert exported["minimal"] == {**RECORDS[2], "language": "en"}


def test_an_export_imports_into_an_empty_library_identically():
    CaseImporter().run([json.dumps(r) for r in RECORDS])
    first = export_text()
    CaseStudyPage.objects.all().delete()
    report = CaseImporter().run(first.splitlines())
    assert report.created == 3
    assert export_text() == first


def test_drafts_and_unpublished_cases_are_not_exported(make_case):
    make_case(external_id="published-one", slug="published-one")
    draft = make_case(external_id="draft-one", slug="draft-one")
    draft.unpublish()
    ids = [json.loads(line)["external_id"] for line in iter_lines()]
    assert ids == ["published-one"]


def test_command_writes_a_file_or_stdout(tmp_path, capsys):
    CaseImporter().run([json.dumps(r) for r in RECORDS])
    out = tmp_path / "out.jsonl"
    call_command("export_cases", "-o", str(out))
    assert "Exported 3 case(s)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == export_text()
    call_command("export_cases")
    assert capsys.readouterr().out == export_text()
