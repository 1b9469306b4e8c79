"""The candidates for a case's related cases, read on the library snapshot
(cases/snapshot.py LibrarySnapshot.theme_neighbours): the newest published cases sharing a
theme, most shared first, bounded by a window."""

from datetime import date

import pytest

from cases.snapshot import current_snapshot
from search.engines.database import DatabaseEngine

pytestmark = pytest.mark.django_db


def titles_of(ids):
    from cases.models import CaseStudyPage

    names = dict(CaseStudyPage.objects.values_list("pk", "title"))
    return [names[pk] for pk in ids]


def titles(neighbours):
    names = titles_of(pk for pk, _ in neighbours)
    return [(name, shared) for name, (_, shared) in zip(names, neighbours, strict=True)]


def test_most_shared_first_then_newest_never_itself_nor_a_stranger(make_case):
    two = ["recruitment", "crisis-communication"]
    case = make_case(title="The case", themes=two, case_date=date(2020, 1, 1))
    make_case(title="One, 2024", themes=["recruitment"], case_date=date(2024, 1, 1))
    make_case(title="Both, 2010", themes=two, case_date=date(2010, 1, 1))
    make_case(title="One, 2018", themes=["crisis-communication"], case_date=date(2018, 1, 1))
    make_case(title="Stranger", themes=["data-and-insight"], case_date=date(2025, 1, 1))
    make_case(title="Unpublished", themes=two, case_date=date(2025, 1, 1)).unpublish()

    neighbours = current_snapshot().theme_neighbours(case.pk)

    assert titles(neighbours) == [("Both, 2010", 2), ("One, 2024", 1), ("One, 2018", 1)]


def test_the_window_keeps_the_newest_sharing_cases_then_ranks_them(make_case):
    case = make_case(title="The case", themes=["recruitment", "crisis-communication"])
    make_case(
        title="Both, oldest",
        themes=["recruitment", "crisis-communication"],
        case_date=date(2001, 1, 1),
    )
    make_case(title="One, newest", themes=["recruitment"], case_date=date(2024, 1, 1))
    make_case(title="One, newer", themes=["recruitment"], case_date=date(2023, 1, 1))

    neighbours = current_snapshot().theme_neighbours(case.pk, window=2)

    # The oldest is outside the window however many themes it shares.
    assert titles(neighbours) == [("One, newest", 1), ("One, newer", 1)]


def test_a_case_on_the_same_day_is_ordered_by_the_newest_id(make_case):
    case = make_case(themes=["recruitment"], case_date=date(2020, 1, 1))
    first = make_case(themes=["recruitment"], case_date=date(2022, 1, 1))
    second = make_case(themes=["recruitment"], case_date=date(2022, 1, 1))

    neighbours = current_snapshot().theme_neighbours(case.pk)

    assert [pk for pk, _ in neighbours] == [second.pk, first.pk]


def test_an_unpublished_case_is_compared_by_the_themes_it_is_given(make_case):
    draft = make_case(title="Draft", themes=["recruitment"])
    draft.unpublish()
    make_case(title="Sibling", themes=["recruitment"])
    make_case(title="Stranger", themes=["data-and-insight"])

    snapshot = current_snapshot()
    assert draft.pk not in snapshot.position
    assert titles(snapshot.theme_neighbours(draft.pk, ["recruitment"])) == [("Sibling", 1)]
    assert snapshot.theme_neighbours(draft.pk, ["no-such-theme"]) == []


def test_a_preview_of_an_unpublished_case_finds_related_cases_by_its_saved_themes(make_case):
    draft = make_case(title="Draft", themes=["recruitment", "crisis-communication"])
    draft.unpublish()
    sibling = make_case(title="Sibling", themes=["recruitment"])
    closer = make_case(title="Closer", themes=["recruitment", "crisis-communication"])
    make_case(title="Stranger", themes=["data-and-insight"])

    assert DatabaseEngine().related(draft.pk) == [closer.pk, sibling.pk]


def test_the_snapshot_follows_a_change_of_themes(make_case):
    case = make_case(themes=["recruitment"])
    other = make_case(themes=["data-and-insight"])
    assert current_snapshot().theme_neighbours(case.pk) == []

    other.themes.add(case.themes.first())
    other.save_revision().publish()

    assert [pk for pk, _ in current_snapshot().theme_neighbours(case.pk)] == [other.pk]


def ranked_titles(case):
    return titles_of(DatabaseEngine().related(case.pk))


@pytest.fixture
def flood_case(make_case):
    """A case and three neighbours sharing its one theme: the newest shares only a word
    two of the three have ("county"), the next two more words, the oldest one other."""

    def case(title, summary, year):
        return make_case(
            title=title, summary=summary, themes=["recruitment"], case_date=date(year, 1, 1)
        )

    case("Recruitment drive video", "A county campaign on video.", 2024)
    case("Flood warning on radio", "A county radio flood warning.", 2015)
    case("Appeal for witnesses", "An appeal for help.", 2010)
    return case("Flood warning appeal", "A county appeal about a flood warning.", 2020)


def test_among_equals_the_most_distinctive_words_shared_rank_first(flood_case):
    # "county" is held by more than half of the neighbours, so it sets none apart: the
    # newest, which shares only that word, comes after the oldest, which shares "appeal".
    assert ranked_titles(flood_case) == [
        "Flood warning on radio",
        "Appeal for witnesses",
        "Recruitment drive video",
    ]


def test_a_neighbours_new_words_count_once_published(flood_case):
    from cases.models import CaseStudyPage

    assert ranked_titles(flood_case)[0] == "Flood warning on radio"  # its words remembered
    newest = CaseStudyPage.objects.get(title="Recruitment drive video")
    newest.title = "Flood warning appeal video"
    newest.summary = "A county flood warning appeal on video."
    newest.save_revision().publish()

    assert ranked_titles(flood_case)[0] == "Flood warning appeal video"


def test_the_words_kept_are_bounded_and_the_ranking_the_same(flood_case, monkeypatch):
    from search.engines import database

    expected = ranked_titles(flood_case)
    monkeypatch.setattr(database, "REMEMBERED_WORDS", 1)
    # More than one case kept: forgotten on the next read, none read ahead.
    database._title_words(current_snapshot(), [flood_case.pk])

    assert ranked_titles(flood_case) == expected
    assert len(database._remembered_words[1]) <= 4


def test_the_words_of_every_possible_neighbour_are_read_once_per_library_version(
    flood_case, make_case
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = make_case(
        title="Another flood",
        summary="Another one.",
        themes=["recruitment"],
        case_date=date(2000, 1, 1),
    )
    DatabaseEngine().related(flood_case.pk)
    with CaptureQueriesContext(connection) as queries:
        related = DatabaseEngine().related(other.pk)

    assert len(queries) == 1, [q["sql"] for q in queries]  # its own title and summary
    # "flood" is shared with two, the newer first.
    assert titles_of(related[:2]) == ["Flood warning appeal", "Flood warning on radio"]


def test_every_possible_neighbour_is_in_the_theme_windows(make_case):
    from itertools import combinations

    slugs = ["recruitment", "crisis-communication", "data-and-insight"]
    for year, themes in enumerate(
        [slugs[:1], slugs[1:2], slugs[2:], slugs[:2], slugs[1:], slugs, slugs[:1], slugs[2:]]
    ):
        make_case(themes=themes, case_date=date(2010 + year, 1, 1))
    snapshot = current_snapshot()
    windows = set(snapshot.theme_windows(window=2).tolist())

    assert len(windows) < len(snapshot)  # the windows leave some cases out
    for size in (1, 2, 3):
        for themes in combinations(slugs, size):
            found = snapshot.theme_neighbours(0, themes, window=2)
            assert found and {pk for pk, _ in found} <= windows, themes
