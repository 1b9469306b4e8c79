"""The importer's bulk writer (cases/interchange/page_rows.py) leaves the rows Wagtail's public
path leaves: `parent.add_child(instance=page)` then `page.save_revision().publish()`.

The same records go through the importer (inside a transaction that is then rolled back)
and through the public path, and every row either writes is compared field by field: the
page rows, the parent's numchild and the tree's paths, the revisions and their content, the
live revision, the log entries, the themes and platforms, Wagtail's reference index, the
database search engine's entries (and its SQLite FTS5 / PostgreSQL tsvector row), Wagtail's
own search index and the followers' change fingerprints. Row ids, the random translation
keys and StreamField block ids differ by nature and are left out; timestamps are compared
by what they mean (published when first published, revision created at the latest
revision's time), not by value.
"""

import json
from datetime import timedelta

import pytest

from django.db import connection, transaction
from django.utils import timezone

from wagtail.fields import StreamField
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search import index
from wagtail.search.models import IndexEntry

from cases.interchange.importer import CaseImporter, apply_record
from cases.interchange.records import CaseRecord, Taxonomy, check_records, parse_lines
from cases.models import CaseStudyPage
from commonground.following.models import CaseChange
from search.engines.database import COLUMNS
from search.models import PendingChange, SearchEntry

pytestmark = pytest.mark.django_db

RECORDS = [
    {
        "external_id": "gmp-tweetathon",
        "title": "A 24-hour tweetathon",
        "summary": "Every call for a day, tweeted.",
        "organisation": "Greater Manchester Police",
        "country": "GB",
        "published": "2010-10-14",
        "themes": ["engagement-and-content", "evaluation-and-impact"],
        "platforms": ["Twitter", "Facebook"],
        "language": "en",
        "body": "First paragraph with <b>markup</b> & an ampersand.\n\nSecond paragraph.",
        "lessons": [
            {"kind": "worked", "text": "Showing the volume of calls."},
            {"kind": "advice", "text": "Plan the evaluation first."},
        ],
        "outcomes": [{"label": "Calls tweeted", "value": "3,205"}],
        "result": "worked",
        "evidence": "monitored",
        "source": {"event": "SMILE Conference", "url": "https://example.org/smile"},
        "authors": ["Common Ground editorial team", "A. N. Other"],
    },
    {
        "external_id": "politie-wijkagenten",
        "title": "Wijkagenten op Twitter",
        "summary": "Buurtagenten twitteren over hun wijk.",
        "organisation": "Politie Nederland",
        "country": "NL",
        "published": "2012-03",
        "themes": ["community-relations"],
        "language": "nl",
        "result": "promising",
        "evidence": "anecdotal",
    },
    {
        "external_id": "nypd-hashtag",
        "title": "A hashtag that backfired",
        "summary": "An appeal for photos brought criticism.",
        "organisation": "New York City Police Department",
        "country": "US",
        "published": "2014",
        "themes": ["crisis-communication", "honesty-and-transparency", "recruitment"],
        "platforms": ["Instagram"],
        "language": "en",
        "body": "One paragraph only.",
        "result": "did-not-work",
        "evidence": "evaluated",
    },
]


def checked_records() -> tuple[list[CaseRecord], Taxonomy]:
    objects, problems = parse_lines([json.dumps(r) for r in RECORDS])
    taxonomy = Taxonomy.load()
    records, bad = check_records(objects, taxonomy)
    assert not problems and not bad
    return records, taxonomy


def publish_through_wagtail(library) -> None:
    """Wagtail's public path, one case at a time, as an editor's publish runs it."""
    records, taxonomy = checked_records()
    for record in records:
        page = CaseStudyPage(slug=record.external_id)
        apply_record(page, record, taxonomy.organisations[record.organisation.lower()])
        page.themes = [taxonomy.themes[t.lower()] for t in record.themes]
        page.platforms = taxonomy.platforms_of(record.platforms)
        library.add_child(instance=page)
        page.save_revision().publish()
        # Cases leave Wagtail's search auto-update off (CaseStudyPage.search_auto_update);
        # the importer fills Wagtail's own index (the admin's page search) for the cases it
        # creates, which is what auto-update would do on this save.
        index.insert_or_update_object(page)


def without_block_ids(value):
    """StreamField content as stored, less the random block ids."""
    if isinstance(value, list):
        return [without_block_ids(v) for v in value]
    if isinstance(value, dict):
        return {k: without_block_ids(v) for k, v in value.items() if k != "id"}
    return value


def page_row(page: CaseStudyPage, revisions: list[Revision]) -> dict:
    row = {}
    for field in page._meta.concrete_fields:
        value = getattr(page, field.attname)
        if field.attname in ("id", "page_ptr_id", "translation_key"):
            continue
        if field.attname in ("latest_revision_id", "live_revision_id"):
            value = [r.pk for r in revisions].index(value) if value else None
        elif field.attname.endswith("_at"):
            continue  # compared by meaning in timestamps()
        elif isinstance(field, StreamField):
            value = without_block_ids(json.loads(json.dumps(field.get_prep_value(value))))
        row[field.attname] = value
    return row


def timestamps(page: CaseStudyPage, revisions: list[Revision]) -> dict:
    live = page.live_revision
    now = timezone.now()
    return {
        "published once, now": page.first_published_at == page.last_published_at
        and now - timedelta(minutes=5) < page.first_published_at <= now,
        "latest revision time": page.latest_revision_created_at == revisions[-1].created_at,
        "revision before publishing": live.created_at <= page.first_published_at,
        "go_live_at, expire_at, locked_at": (page.go_live_at, page.expire_at, page.locked_at),
    }


def revision_row(revision: Revision, page: CaseStudyPage) -> dict:
    content = dict(revision.content)
    assert content.pop("pk") == page.pk
    assert content.pop("translation_key") == str(page.translation_key)
    for name in ("body", "lessons", "outcomes", "authors"):
        content[name] = without_block_ids(json.loads(content[name]))
    return {
        "content": content,
        "object_id": revision.object_id == str(page.pk),
        "object_str": revision.object_str,
        "content_type": revision.content_type_id,
        "base_content_type": revision.base_content_type_id,
        "user": revision.user_id,
        "approved_go_live_at": revision.approved_go_live_at,
        "as_object": revision.as_object().title,
    }


def search_rows(page: CaseStudyPage) -> dict:
    entry = SearchEntry.objects.filter(page=page).values(*COLUMNS).first()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT {', '.join(COLUMNS)} FROM search_fts WHERE rowid = %s", [page.pk]
            )
        else:
            cursor.execute(
                "SELECT document::text FROM search_searchentry WHERE page_id = %s", [page.pk]
            )
        full_text = cursor.fetchall()
    # Not title_norm: Wagtail's backend sets it from the average title length of the entries
    # present when it writes one, so it depends on the order of writing, not on the page.
    wagtail = list(
        IndexEntry.objects.filter(object_id=str(page.pk))
        .values("content_type", "title", "body", "autocomplete")
        .order_by("content_type")
    )
    return {
        "search entry": entry,
        "full text": [tuple(map(str, row)) for row in full_text],
        "pending": sorted(PendingChange.objects.filter(page_id=page.pk).values_list("engine")),
        "wagtail index": [{k: str(v) for k, v in row.items()} for row in wagtail],
    }


def snapshot(library) -> dict:
    """Every row the new cases have, keyed by external id, ids replaced by what they mean."""
    library.refresh_from_db()
    cases = {}
    for page in CaseStudyPage.objects.child_of(library).order_by("path"):
        revisions = list(Revision.page_revisions.filter(object_id=str(page.pk)).order_by("pk"))
        logs = PageLogEntry.objects.filter(page=page).order_by("pk")
        cases[page.external_id] = {
            "page": page_row(page, revisions),
            "timestamps": timestamps(page, revisions),
            "revisions": [revision_row(r, page) for r in revisions],
            "log entries": [
                (
                    e.action,
                    e.label,
                    e.data,
                    e.content_changed,
                    e.deleted,
                    e.user_id,
                    e.content_type_id,
                    [r.pk for r in revisions].index(e.revision_id) if e.revision_id else None,
                )
                for e in logs
            ],
            "themes": sorted(page.themes.values_list("slug", flat=True)),
            "platforms": sorted(page.platforms.values_list("slug", flat=True)),
            "references": sorted(
                ReferenceIndex.objects.filter(object_id=str(page.pk)).values_list(
                    "content_type",
                    "base_content_type",
                    "to_content_type",
                    "to_object_id",
                    "model_path",
                    "content_path",
                    "content_path_hash",
                )
            ),
            "search": search_rows(page),
            "change fingerprint": list(
                CaseChange.objects.filter(page=page).values_list("fingerprint", "updated_at")
            ),
        }
    tree_problems = Page.find_problems()
    return {
        "library numchild": library.numchild,
        "paths": list(Page.objects.filter(depth__gt=1).order_by("path").values_list("path")),
        "tree problems": [list(p) for p in tree_problems],
        "cases": cases,
    }


def test_the_importer_writes_what_add_child_and_publish_write(
    library, django_capture_on_commit_callbacks
):
    records, taxonomy = checked_records()
    CaseImporter._add_missing_taxonomy(taxonomy, records)  # shared by both runs

    with transaction.atomic():
        with django_capture_on_commit_callbacks(execute=True):
            report = CaseImporter().run([json.dumps(r) for r in RECORDS])
        assert report.created == len(RECORDS) and not report.problems
        imported = snapshot(library)
        transaction.set_rollback(True)
    assert not CaseStudyPage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        publish_through_wagtail(library)
    published = snapshot(library)

    assert set(imported["cases"]) == {r["external_id"] for r in RECORDS}
    assert imported["tree problems"] == [[], [], [], [], []]
    for external_id, expected in published["cases"].items():
        got = imported["cases"][external_id]
        for part in expected:
            assert got[part] == expected[part], (
                f"{external_id}, {part}: {got[part]!r} != {expected[part]!r}"
            )
    assert imported == published
