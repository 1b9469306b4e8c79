"""Indexing follows the page lifecycle, after the transaction commits."""

import pytest

from cases.models import Theme
from search.models import SearchEntry
from search.query import SearchQuery
from search.service import get_search_service

pytestmark = pytest.mark.django_db


def found(text):
    return [h.external_id for h in get_search_service().search(SearchQuery(text=text)).hits]


def test_publishing_indexes_after_commit(make_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = make_case(title="Lantern parade safety campaign", external_id="lantern")
    assert found("lantern") == []  # not before the commit
    for callback in callbacks:
        callback()
    assert found("lantern") == ["lantern"]
    assert SearchEntry.objects.filter(page=page).exists()


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


def test_imported_cases_are_indexed(add_cases):
    from .conftest import case

    add_cases(case("imported-one", title="Imported lantern case"))
    assert found("lantern") == ["imported-one"]


def test_search_index_check_spots_a_missing_document(add_cases):
    from django.core.management import CommandError, call_command

    from .conftest import case

    add_cases(case("one"), case("two"))
    call_command("search_index", "check")
    SearchEntry.objects.filter(page__external_id="one").delete()
    with pytest.raises(CommandError, match="1 document"):
        call_command("search_index", "check")
    call_command("search_index", "update")
    call_command("search_index", "check")
