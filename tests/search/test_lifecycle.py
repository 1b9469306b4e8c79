"""One lifecycle keeps every search index and cached count in step with the library
(search/lifecycle.py): the database engine indexes inside the transaction that changes the
cases, other engines catch up from durable PendingChange rows, and the library version moves
once the change is committed."""

import json

import pytest

from django.core.management import CommandError, call_command
from django.db import transaction

from cases.cache import bump_library_version, library_version
from cases.interchange.importer import CaseImporter
from cases.models import CaseStudyPage, LibraryVersion, Organisation, Theme
from search.lifecycle import after_commit
from search.models import PendingChange, SearchEntry
from search.query import SearchQuery
from search.service import INLINE_LIMIT, get_search_service
from tests.helpers import import_records

from .conftest import case

pytestmark = pytest.mark.django_db


def found(text):
    return [h.external_id for h in get_search_service().search(SearchQuery(text=text)).hits]


def test_the_database_index_is_written_in_the_publishing_transaction(make_case):
    """Whatever happens to the transaction happens to the index entry with it."""
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case(title="Lantern parade safety campaign", external_id="lantern")
        assert SearchEntry.objects.filter(page__external_id="lantern").exists()
        raise RuntimeError("the request failed after publishing")
    assert not CaseStudyPage.objects.filter(external_id="lantern").exists()
    assert not SearchEntry.objects.exists()

    make_case(title="Lantern parade safety campaign", external_id="lantern")
    assert found("lantern") == ["lantern"]


def test_publishing_moves_the_library_version_once_with_the_change(
    make_case, django_capture_on_commit_callbacks, monkeypatch
):
    moves = []
    monkeypatch.setattr(
        "search.lifecycle.bump_library_version", lambda: moves.append(bump_library_version())
    )
    before = library_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_case(title="Lantern parade safety campaign", external_id="lantern")
    assert len(moves) == 1
    assert callbacks.count(after_commit) == 1
    assert library_version() != before


def test_the_version_moves_in_the_changing_transaction(make_case):
    """Another process sees the new version exactly when it can see the change: a rolled-back
    publication leaves the version as it was."""
    before = library_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case(title="Lantern parade safety campaign")
        assert library_version() != before  # this transaction's own reads are fresh
        raise RuntimeError
    assert library_version() == before


def test_unpublishing_and_deleting_remove_from_the_index(
    make_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_case(title="Lantern parade one", external_id="lantern-one")
        second = make_case(title="Lantern parade two", external_id="lantern-two")
    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
        second.delete()
    assert found("lantern") == []
    assert not SearchEntry.objects.exists()


def test_renaming_a_theme_reindexes_its_cases(make_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_case(title="Quiet case", external_id="quiet", themes=["wellbeing-and-resilience"])
    assert found("decompression") == []
    theme = Theme.objects.get(slug="wellbeing-and-resilience")
    with django_capture_on_commit_callbacks(execute=True):
        theme.name = "Wellbeing and decompression"
        theme.save()
    assert found("decompression") == ["quiet"]


def test_an_alias_edit_reindexes_the_organisations_cases(
    make_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = Organisation.objects.create(name="Kent Police", country="GB")
        make_case(title="Quiet case", external_id="quiet", organisation=organisation)
    assert found("KP") == []
    with django_capture_on_commit_callbacks(execute=True):
        organisation.aliases = "  KP \n\nKent Constabulary\nKP"
        organisation.save()
    assert organisation.aliases == "KP\nKent Constabulary"  # one a line, once each
    assert found("KP") == ["quiet"]
    assert found("kent constabulary") == ["quiet"]


def test_taxonomy_edits_that_change_no_document_reindex_nothing(
    make_case, django_capture_on_commit_callbacks
):
    """A contributor's draft with a new organisation name used to move the version for the
    whole site (every cached count and match set recomputed): it still does not, since the
    organisation shows nowhere until a case naming it is published. A theme's description
    reaches no search document, but its page shows it: the version moves (for the page
    cache, commonground/page_cache), with no indexing."""
    make_case(title="Quiet case", themes=["wellbeing-and-resilience"])
    before = library_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Organisation.objects.create(name="A brand new constabulary", country="GB")
    assert after_commit not in callbacks
    assert library_version() == before

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        theme = Theme.objects.get(slug="wellbeing-and-resilience")
        theme.description = "Looking after the people who do the work."
        theme.save()
    assert after_commit not in callbacks
    assert library_version() != before


def test_a_large_change_reaches_the_database_index_through_the_queue(
    django_capture_on_commit_callbacks,
):
    """Renaming a theme of more than INLINE_LIMIT cases does not reindex them all inside
    the editor's request: the rows wait for the catch-up task (run at once in tests)."""
    import_records([{"themes": ["recruitment"]}] * (INLINE_LIMIT + 1))
    theme = Theme.objects.get(slug="recruitment")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        theme.name = "Recruitment and zanzibar"
        theme.save()
    assert PendingChange.objects.filter(engine="database").count() == INLINE_LIMIT + 1
    assert not SearchEntry.objects.filter(taxonomy__contains="zanzibar").exists()
    for callback in callbacks:
        callback()
    assert PendingChange.objects.count() == 0
    assert SearchEntry.objects.filter(taxonomy__contains="zanzibar").count() == INLINE_LIMIT + 1


def test_another_process_sees_the_library_version_move_within_its_max_age(settings):
    """The version lives in the database: a change made by another process (an import, the
    task worker) reaches this one's caches without any shared cache."""
    settings.LIBRARY_VERSION_MAX_AGE = 3600
    seen = library_version()
    LibraryVersion.objects.update(token="moved-by-another-process")
    assert library_version() == seen  # remembered for LIBRARY_VERSION_MAX_AGE
    settings.LIBRARY_VERSION_MAX_AGE = 0
    assert library_version() == "moved-by-another-process"


class Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no handler catches it."""


def test_a_killed_import_leaves_nothing_unsearchable(monkeypatch, add_cases):
    """The first batch commits, the process dies in the second: the committed cases are
    already in the index, and a re-run imports the rest and leaves search complete."""
    records = [json.dumps(case(f"kill-{n:02d}", title=f"Lantern case {n}")) for n in range(6)]
    real = CaseImporter._create_batch
    batches = []

    def dies_in_the_second_batch(*args, **kwargs):
        batches.append(1)
        if len(batches) == 2:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(CaseImporter, "_create_batch", staticmethod(dies_in_the_second_batch))
    with pytest.raises(Killed):
        CaseImporter(batch_size=3).run(records)
    assert CaseStudyPage.objects.live().count() == 3
    call_command("search_index", "check")  # nothing committed is missing from the index

    monkeypatch.setattr(CaseImporter, "_create_batch", staticmethod(real))
    report = CaseImporter(batch_size=3).run(records)
    assert (report.created, report.unchanged) == (3, 3)
    call_command("search_index", "check")
    assert get_search_service().search(SearchQuery("lantern")).total == 6


def test_a_rerun_import_applies_what_a_killed_one_left_pending(add_cases):
    """An engine's rows survive the kill; the next import (even one with nothing new)
    applies them."""
    add_cases(case("one", title="Lantern case one"))
    page = CaseStudyPage.objects.get(external_id="one")
    PendingChange.objects.create(engine="database", page_id=page.pk)
    SearchEntry.objects.all().delete()
    with pytest.raises(CommandError, match="1 change"):
        call_command("search_index", "check")

    report = add_cases(case("one", title="Lantern case one"))
    assert report.unchanged == 1
    call_command("search_index", "check")
    assert found("lantern") == ["one"]


def test_search_index_check_spots_a_missing_document(add_cases):
    add_cases(case("one"), case("two"))
    call_command("search_index", "check")
    SearchEntry.objects.filter(page__external_id="one").delete()
    with pytest.raises(CommandError, match="1 published case"):
        call_command("search_index", "check")
    call_command("search_index", "update")
    call_command("search_index", "check")


def test_a_case_published_in_the_admin_reaches_the_admins_page_search(
    make_case, django_capture_on_commit_callbacks
):
    """Wagtail's own index (the admin's page search) does not update cases on every draft
    save; publishing queues the task that adds the case, as an import does."""
    from wagtail.search.backends import get_search_backend

    with django_capture_on_commit_callbacks(execute=True):
        page = make_case(title="Lantern parade safety campaign", external_id="lantern")
    found = get_search_backend().search("lantern parade", CaseStudyPage)
    assert [result.pk for result in found] == [page.pk]
