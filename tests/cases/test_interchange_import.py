"""import_cases: the interchange contract (docs/interchange.md), good and bad records."""

import json

import pytest

from django.core.management import CommandError, call_command

from wagtail.models import PageLogEntry, ReferenceIndex, Revision

from cases.interchange.importer import CaseImporter
from cases.interchange.records import NotJsonLines
from cases.models import CaseStudyPage, Organisation, Platform

pytestmark = pytest.mark.django_db


def record(**overrides):
    data = {
        "external_id": "gmp-tweetathon",
        "title": "A 24-hour tweetathon",
        "summary": "Every call for a day, tweeted.",
        "organisation": "Greater Manchester Police",
        "country": "GB",
        "published": "2010-10-14",
        "themes": ["Engagement and content", "evaluation-and-impact"],
        "platforms": ["Twitter"],
        "language": "en",
        "body": "First paragraph.\n\nSecond paragraph\nwith a line break.",
        "lessons": [
            {"kind": "worked", "text": "Showing the volume of calls."},
            {"kind": "challenge", "text": "Staffing the account all night."},
            {"kind": "advice", "text": "Plan the evaluation first."},
        ],
        "outcomes": [{"label": "Calls tweeted", "value": "3,205"}],
        "result": "worked",
        "evidence": "monitored",
        "source": {"event": "SMILE Conference", "url": "https://example.org/smile"},
        "authors": ["Common Ground editorial team"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def lines(*records):
    return [json.dumps(r) if isinstance(r, dict) else r for r in records]


def run(*records, **kwargs):
    return CaseImporter(**kwargs).run(lines(*records))


def test_a_good_record_becomes_a_published_page_with_its_live_revision():
    report = run(record())
    assert (report.created, report.updated, report.skipped) == (1, 0, 0)
    page = CaseStudyPage.objects.get(external_id="gmp-tweetathon")
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == page.latest_revision_id is not None
    assert page.url == "/cases/gmp-tweetathon/"
    assert page.first_published_at and page.last_published_at
    # The revision holds the same content, so the admin and previews show it.
    from_revision = page.live_revision.as_object()
    assert from_revision.title == page.title
    assert sorted(t.slug for t in from_revision.themes.all()) == [
        "engagement-and-content",
        "evaluation-and-impact",
    ]
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert actions == {"wagtail.create", "wagtail.publish"}
    assert ReferenceIndex.get_references_for_object(page).exists()


def test_fields_are_stored_as_the_record_says():
    run(record())
    page = CaseStudyPage.objects.get(external_id="gmp-tweetathon")
    assert page.organisation.name == "Greater Manchester Police"
    assert page.organisation.country.code == "GB"
    assert page.country.code == "GB"
    assert page.case_date.isoformat() == "2010-10-14"
    assert [p.name for p in page.platforms.all()] == ["X"]  # formerly Twitter
    assert [(b.block_type, b.value) for b in page.lessons][0] == (
        "worked",
        "Showing the volume of calls.",
    )
    assert [dict(b.value) for b in page.outcomes] == [{"label": "Calls tweeted", "value": "3,205"}]
    assert [b.value.source for b in page.body] == [
        "<p>First paragraph.</p>",
        "<p>Second paragraph<br/>with a line break.</p>",
    ]
    assert (page.result, page.evidence) == ("worked", "monitored")
    assert (page.source_event, page.source_url) == (
        "SMILE Conference",
        "https://example.org/smile",
    )
    assert page.author_names == ["Common Ground editorial team"]


def test_reimporting_the_same_id_updates_and_never_duplicates():
    run(record())
    revisions_before = Revision.objects.count()
    report = run(record(title="A 24-hour tweetathon, revisited", platforms=["Twitter", "YouTube"]))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    pages = CaseStudyPage.objects.filter(external_id="gmp-tweetathon")
    assert pages.count() == 1
    page = pages.get()
    assert page.title == "A 24-hour tweetathon, revisited"
    assert sorted(p.name for p in page.platforms.all()) == ["X", "YouTube"]
    assert Revision.objects.count() == revisions_before + 1
    assert page.live_revision_id == page.latest_revision_id


def test_an_unchanged_record_writes_nothing():
    run(record())
    revisions, entries = Revision.objects.count(), PageLogEntry.objects.count()
    report = run(record(themes=["EVALUATION-AND-IMPACT", "engagement and content"]))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert (Revision.objects.count(), PageLogEntry.objects.count()) == (revisions, entries)


def test_organisations_and_platforms_are_matched_case_insensitively_or_created():
    run(record())
    before = set(Platform.objects.values_list("name", flat=True))
    run(
        record(
            external_id="second",
            organisation="greater manchester police",
            platforms=["TWITTER", "Mastodon"],
        )
    )
    assert Organisation.objects.filter(name__iexact="greater manchester police").count() == 1
    assert set(Platform.objects.values_list("name", flat=True)) - before == {"Mastodon"}
    assert Platform.objects.get(name="Mastodon").slug == "mastodon"
    page = CaseStudyPage.objects.get(external_id="second")
    assert sorted(p.name for p in page.platforms.all()) == ["Mastodon", "X"]


def test_a_former_name_files_the_case_under_the_platform_once_and_reimports_unchanged():
    x = Platform.objects.get(name="X")
    assert x.names == ["X", "Twitter"]
    run(record(platforms=["Twitter", "x", "twitter"]))
    page = CaseStudyPage.objects.get(external_id="gmp-tweetathon")
    assert list(page.platforms.all()) == [x]
    assert not Platform.objects.filter(name__iexact="twitter").exists()
    report = run(record(platforms=["X"]))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


BAD_RECORDS = [
    (record(title=None), "missing required field “title”"),
    (record(external_id="Not An Id"), "external_id: must be lower-case letters"),
    (record(external_id="x" * 121), "external_id: longer than 120 characters"),
    (record(title="t" * 256), "title: longer than 255 characters"),
    (record(summary="s" * 601), "summary: longer than 600 characters"),
    (record(country="ZZ"), "country: “ZZ” is not an ISO 3166-1 alpha-2 country code"),
    (record(country="gb"), "country: must be an ISO 3166-1 alpha-2 code"),
    (record(published="2010-02-30"), "published: not a real date"),
    (record(published="14/10/2010"), "published: must be a date written YYYY-MM-DD"),
    (record(themes=[]), "themes: needs at least 1 item"),
    (record(themes=["Not a theme"]), "themes: unknown theme(s) “Not a theme”"),
    (record(language="xx"), "language: “xx” is not a known language code"),
    (record(lessons=[{"kind": "lesson", "text": "x"}]), "lessons[1].kind: must be one of"),
    (record(outcomes=[{"label": "Followers"}]), "missing required field “value”"),
    (record(result="great"), "result: must be one of worked, promising, mixed, did-not-work"),
    (record(evidence="gut feeling"), "evidence: must be one of anecdotal"),
    (record(source={"event": "x", "url": "javascript:alert(1)"}), "source.url: must be an http"),
    (record(authors="Jane"), "authors: must be an array"),
    (record(colour="blue"), "unknown field(s) “colour”"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_RECORDS, ids=[r for _, r in BAD_RECORDS])
def test_each_kind_of_bad_record_is_skipped_whole_with_its_reason(bad, reason):
    report = run(record(external_id="good-one"), bad)
    assert report.created == 1
    assert report.skipped == 1
    problem = report.problems[0]
    assert problem.line == 2
    assert any(reason in r for r in problem.reasons), problem.reasons
    assert CaseStudyPage.objects.count() == 1


def test_every_reason_of_a_bad_record_is_reported_with_line_and_id():
    bad = record(external_id="bad-case", country="ZZ", themes=["Nope"], summary="s" * 700)
    report = run(record(), "", bad)
    (problem,) = report.problems
    assert (problem.line, problem.external_id) == (3, "bad-case")
    assert len(problem.reasons) == 3
    assert str(problem).startswith("line 3 (bad-case): ")


def test_lines_that_are_not_json_objects_are_skipped_and_reported():
    report = run(record(), "{not json", "[1, 2]", '"a string"')
    assert report.created == 1
    assert [(p.line, p.reasons[0]) for p in report.problems] == [
        (2, "not valid JSON (Expecting property name enclosed in double quotes)"),
        (3, "not a JSON object"),
        (4, "not a JSON object"),
    ]


def test_a_repeated_external_id_in_one_file_is_skipped():
    report = run(record(), record(title="Another"))
    assert report.created == 1
    assert report.problems[0].line == 2
    assert "external_id repeats line 1" in report.problems[0].reasons[0]


def test_a_file_that_is_not_json_lines_is_refused_whole():
    with pytest.raises(NotJsonLines):
        run("title,summary", "A,B")
    with pytest.raises(NotJsonLines):
        run("[", json.dumps(record()) + ",", "]")
    assert CaseStudyPage.objects.count() == 0


def test_an_address_taken_by_another_page_is_refused(make_case):
    make_case(slug="taken", external_id="something-else")
    report = run(record(external_id="taken"))
    assert report.created == 0
    assert "/cases/taken/ is used by another page" in report.problems[0].reasons[0]


def test_dry_run_checks_everything_and_writes_nothing():
    report = run(record(), record(external_id="bad", country="ZZ"), dry_run=True)
    assert (report.created, report.skipped) == (1, 1)
    assert report.dry_run and "would be created" in report.summary()
    assert CaseStudyPage.objects.count() == 0
    assert not Organisation.objects.exists()


def test_markup_in_records_is_stored_as_text_and_shown_escaped(client):
    run(
        record(
            title="<script>alert('t')</script>",
            summary="<img src=x onerror=alert(1)>",
            body="<script>alert('b')</script>",
            lessons=[{"kind": "worked", "text": "<b>bold?</b>"}],
        )
    )
    html = client.get("/cases/gmp-tweetathon/").content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert('b')&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html


def test_many_records_span_several_batches_in_tree_order():
    records = [record(external_id=f"case-{i:03d}", title=f"Case {i}") for i in range(23)]
    report = CaseImporter(batch_size=5).run(lines(*records))
    assert report.created == 23
    paths = list(CaseStudyPage.objects.order_by("path").values_list("external_id", flat=True))
    assert paths == [f"case-{i:03d}" for i in range(23)]
    from cases.models import CaseIndexPage

    library = CaseIndexPage.objects.get()
    assert library.numchild == library.get_children().count() == 23
    assert library.get_children().last().specific.external_id == "case-022"


class TestCommand:
    def write(self, tmp_path, *records):
        path = tmp_path / "cases.jsonl"
        path.write_text("\n".join(lines(*records)) + "\n", encoding="utf-8")
        return path

    def test_prints_counts_and_succeeds_when_all_records_are_good(self, tmp_path, capsys):
        call_command("import_cases", str(self.write(tmp_path, record())))
        out = capsys.readouterr().out
        assert "1 created, 0 updated, 0 unchanged, 0 skipped" in out

    def test_reports_skipped_records_and_exits_non_zero(self, tmp_path, capsys):
        path = self.write(tmp_path, record(), record(external_id="bad", country="ZZ"))
        with pytest.raises(CommandError, match="1 record"):
            call_command("import_cases", str(path))
        captured = capsys.readouterr()
        assert "1 created, 0 updated, 0 unchanged, 1 skipped" in captured.out
        assert "skipped line 2 (bad): country: “ZZ”" in captured.err
        assert CaseStudyPage.objects.count() == 1

    def test_dry_run_option(self, tmp_path, capsys):
        call_command("import_cases", str(self.write(tmp_path, record())), "--dry-run")
        assert "Dry run: 1 would be created" in capsys.readouterr().out
        assert not CaseStudyPage.objects.exists()

    def test_refuses_a_binary_file_with_one_message(self, tmp_path):
        path = tmp_path / "photo.jsonl"
        path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
        with pytest.raises(CommandError, match="not a JSON Lines file"):
            call_command("import_cases", str(path))

    def test_refuses_a_csv_file_with_one_message(self, tmp_path):
        path = tmp_path / "cases.csv"
        path.write_text("external_id,title\nx,y\n")
        with pytest.raises(CommandError, match="not a JSON Lines file: no line holds"):
            call_command("import_cases", str(path))

    def test_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="no such file"):
            call_command("import_cases", str(tmp_path / "nope.jsonl"))
