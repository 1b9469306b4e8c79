"""Search behaviour, the same on every engine: relevance rules, facets, sorting,
highlighting, safety. Runs on the database engine always and on Elasticsearch when
ELASTICSEARCH_URL is set (tests/search/conftest.py)."""

import pytest

from search.engines.database import DatabaseEngine
from search.query import SearchQuery
from search.service import get_search_service

from .conftest import case


def ids(results):
    return [hit.external_id for hit in results.hits]


@pytest.mark.usefixtures("corpus")
class TestMatching:
    def test_words_in_the_title_find_the_case(self, search):
        assert ids(search("viral recruitment video"))[0] == "recruitment-video"

    def test_a_synonym_finds_a_case_that_uses_another_phrase(self, search):
        # "manhunt" appears nowhere; the case says "search for the suspect".
        assert ids(search("manhunt")) == ["moncton-manhunt"]

    def test_accents_and_case_are_folded(self, search):
        assert ids(search("debat")) == ["debat-public"]
        assert ids(search("DÉBAT")) == ["debat-public"]

    def test_stemming_matches_other_forms_of_a_word(self, search):
        assert "recruitment-video" in ids(search("videos"))
        assert "flood-myths" in ids(search("flooding"))

    def test_hyphenated_words_and_numbers_are_findable(self, search):
        assert ids(search("tweetathon")) == ["tweetathon"]
        assert ids(search("tweet-a-thon")) == ["tweetathon"]
        assert "tweetathon" in ids(search("3,205"))
        assert "moncton-manhunt" in ids(search("30-hour"))

    def test_title_outweighs_body(self, search):
        # "recruitment" is in one title and in another case's body only.
        assert ids(search("recruitment"))[:2] == ["recruitment-video", "hashtag-backfired"]

    def test_natural_questions_rank_the_right_case_first(self, search):
        results = search("how did forces handle a manhunt on Twitter")
        assert ids(results)[0] == "moncton-manhunt"

    def test_only_stopwords_means_no_text_filter(self, search):
        assert search("how did the").total == 6

    @pytest.mark.parametrize(
        "text",
        ['"unclosed', "*", "(", "-", "AND", "OR NOT", "🚓🚨", "x" * 2000, "a:b", "NEAR(x y)", "'"],
    )
    def test_any_text_gives_results_or_none_never_an_error(self, search, text):
        results = search(text)
        assert results.total >= 0
        assert results.engine == search.service.engine.name


@pytest.mark.usefixtures("corpus")
class TestFacets:
    def test_counts_follow_the_multi_select_rule(self, search):
        results = search(filters={"theme": ["crisis-communication"], "country": ["CA"]})
        assert ids(results) == ["moncton-manhunt"]
        facets = {
            f.name: {o.value: (o.count, o.selected) for o in f.options} for f in results.facets
        }
        # Country counts apply the theme filter but not the country filter...
        assert facets["country"] == {"AU": (1, False), "CA": (1, True)}
        # ...and theme counts apply the country filter but not the theme filter.
        assert facets["theme"] == {
            "crisis-communication": (1, True),
            "officer-support-and-training": (1, False),
        }

    def test_values_of_one_facet_are_ored_and_facets_anded(self, search):
        either = search(filters={"country": ["AU", "NZ"]})
        assert sorted(ids(either)) == ["flood-myths", "recruitment-video"]
        both = search(filters={"country": ["AU", "NZ"], "platform": ["youtube"]})
        assert ids(both) == ["recruitment-video"]

    def test_facets_count_within_the_text_matches(self, search):
        results = search("twitter")
        countries = {
            o.value: o.count
            for o in next(f for f in results.facets if f.name == "country").options
        }
        assert countries == {"CA": 1, "GB": 1, "US": 1}

    def test_year_language_and_result_facets(self, search):
        results = search(filters={"language": ["fr"]})
        assert ids(results) == ["debat-public"]
        facets = {f.name: {o.value: o.count for o in f.options} for f in search().facets}
        assert facets["year"]["2014"] == 2
        assert facets["result"] == {"worked": 4, "mixed": 1, "did-not-work": 1}


@pytest.mark.usefixtures("corpus")
class TestOrderAndPages:
    def test_without_text_newest_first(self, search):
        assert ids(search())[:2] == ["recruitment-video", "debat-public"]

    def test_oldest_first(self, search):
        assert ids(search(sort="oldest"))[0] == "tweetathon"

    @pytest.fixture
    def added_last(self, corpus, add_cases):
        """A case from 2005, the oldest of all, published after the rest (before the
        engine's index is built)."""
        add_cases(case("archive", title="An archive case on Twitter", published="2005-03-01"))

    def test_recently_added_first_whenever_it_happened(self, added_last, search):
        assert ids(search(sort="newest"))[-1] == "archive"
        assert ids(search(sort="added"))[0] == "archive"
        assert ids(search("twitter", sort="added"))[0] == "archive"
        # The rest were added together: the newest row first, on every engine.
        assert ids(search(sort="added"))[1:] == [
            "hashtag-backfired", "tweetathon", "debat-public", "flood-myths",
            "recruitment-video", "moncton-manhunt",
        ]  # fmt: skip

    def test_text_sorted_by_date_when_asked(self, search):
        assert ids(search("twitter", sort="newest")) == [
            "moncton-manhunt", "hashtag-backfired", "tweetathon",
        ]  # fmt: skip

    def test_pages(self, search):
        first = search(page_size=4)
        second = search(page=2, page_size=4)
        assert (first.total, first.pages, len(first.hits), len(second.hits)) == (6, 2, 4, 2)
        assert not set(ids(first)) & set(ids(second))
        beyond = search(page=9, page_size=4)
        assert beyond.hits == [] and beyond.total == 6


@pytest.mark.django_db
def test_highlights_mark_the_words_and_escape_markup(add_cases):
    add_cases(case("xss", title="Plain", summary="Flood <script>alert(1)</script> warning"))
    (hit,) = get_search_service().search(SearchQuery("flood warning")).hits
    fragment = hit.highlights[0]
    assert "<mark>Flood</mark>" in fragment and "<mark>warning</mark>" in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
    assert "<script>" not in fragment


def test_a_misspelt_query_gets_a_respelling(search):
    results = search("recruitmnt")
    assert results.total == 0
    assert results.suggestion == "recruitment"


def test_suggestions_offer_themes_organisations_and_case_titles(search):
    kinds = {(s.kind, s.text) for s in search.service.suggest("recru")}
    assert ("theme", "Recruitment") in kinds
    assert ("case", "A recruitment video that went viral") in kinds
    assert len(search.service.suggest("e")) <= 8
    assert ("organisation", "Test Police") in {
        (s.kind, s.text) for s in search.service.suggest("test pol")
    }


def test_related_cases_share_themes_and_never_include_the_case_itself(search):
    from cases.models import CaseStudyPage

    page = CaseStudyPage.objects.get(external_id="flood-myths")
    related = [p.external_id for p in search.service.related(page)]
    assert "flood-myths" not in related
    assert related[0] == "moncton-manhunt"  # shares crisis-communication
    assert "debat-public" not in related  # shares no theme


@pytest.mark.usefixtures("corpus")
def test_rebuild_indexes_every_published_case():
    engine = DatabaseEngine()
    assert engine.rebuild() == 6
    assert engine.status()["documents"] == 6


@pytest.fixture
def meaning_search(embedded_demo, search_service):
    """search(text) on one engine over the demo library with every case embedded (the
    embedding comes first, so an Elasticsearch index is built with the vectors)."""

    def run(text, **kwargs):
        return search_service.search(SearchQuery(text=text, page_size=50, **kwargs))

    return run


class TestMeaning:
    """Questions the words alone cannot answer, on the real multilingual model."""

    def test_an_english_question_finds_the_german_case(self, meaning_search):
        question = "shooting rampage in a Munich shopping centre"
        german = "polizei-muenchen-oez-amoklauf-2016"
        assert ids(meaning_search(question, retrieval="meaning"))[0] == german
        assert german in ids(meaning_search(question))[:3]

    def test_a_german_question_finds_an_english_case(self, meaning_search):
        found = set(ids(meaning_search("Polizisten im Dienst getötet")))
        assert found & {
            "dallas-police-misidentified-suspect-2016",
            "gmp-pcs-bone-and-hughes-2012",
        }

    def test_filters_hold_for_what_meaning_finds(self, meaning_search):
        results = meaning_search(
            "shooting rampage in a Munich shopping centre", filters={"language": ("en",)}
        )
        assert results.total and {h.language for h in results.hits} == {"en"}
