"""What a query means: quoted phrases, exclusions, all words first, one count per synonym
group, stemming in each case's language, names kept apart from words, organisation aliases
and respellings. On the demo library, on the database engine always and on Elasticsearch
when ELASTICSEARCH_URL is set (tests/search/conftest.py)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.demo.loader import CASES_FILE
from search.text import Names, fold, parse, stem, surface_words

from .conftest import case

RECORDS = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines()]
BY_ID = {r["external_id"]: r for r in RECORDS}


def ids(results):
    return [hit.external_id for hit in results.hits]


def everything(search, text, **kwargs):
    """Every hit of a query on the demo library (34 cases: one page)."""
    return search(text, page_size=50, **kwargs)


def case_words(external_id) -> set[str]:
    """The case's words (title, summary, lessons, body, organisation, themes, platforms)
    stemmed in English, read from the demo file."""
    record = BY_ID[external_id]
    texts = [record["title"], record["summary"], record["body"], record["organisation"]]
    texts += [lesson["text"] for lesson in record["lessons"]]
    texts += record["themes"] + record.get("platforms", [])
    return {stem(w, "en") for text in texts for w in surface_words(text)}


# Parsing ----------------------------------------------------------------------------------


def test_quotes_minus_and_negation_are_read():
    parsed = parse('"line of duty" -riot -"fake news" did not work')
    assert [(g.phrases, g.exact) for g in parsed.groups] == [
        ((("line", "of", "duty"),), True),
        ((("not", "work"),), False),
        ((("work",),), False),
    ]
    assert parsed.excluded == (("riot",), ("fake", "news"))


def test_hyphenated_closed_and_spaced_forms_are_one_group():
    groups = {parse(text).groups for text in ("well-being", "wellbeing", "well being")}
    assert len(groups) == 1
    [group] = groups.pop()
    assert {("wellbeing",), ("well", "being")} <= set(group.phrases)


def test_a_synonym_takes_the_place_of_the_words_that_named_it():
    # "recruitment" is one of its group's phrases: it is not a second group of its own.
    groups = parse("recruitment video").groups
    assert len(groups) == 2
    assert ("recruitment",) in groups[0].phrases and ("careers",) in groups[0].phrases


def test_an_organisation_named_in_the_query_is_one_group_of_its_names():
    names = Names([["Metropolitan Police Service", "the Met", "Met Police", "MPS"]])
    [group] = parse("Met police", names).groups
    assert group.phrases == (("met", "police"),)
    assert ("metropolitan", "police", "service") in group.names and ("mps",) in group.names


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab -\"“”'*()–—_:x1é "), max_size=40) | st.text())
def test_parse_never_raises_and_gives_plain_words(text):
    parsed = parse(text)
    for group in parsed.groups:
        for phrase in group.phrases:
            assert phrase and all(w and w == fold(w) and '"' not in w for w in phrase)
    assert all(phrase for phrase in parsed.excluded)


# On the demo library ----------------------------------------------------------------------


def test_a_quoted_phrase_matches_only_as_a_phrase(demo_search):
    loose = everything(demo_search, "line of duty")
    quoted = everything(demo_search, '"line of duty"')
    assert 0 < quoted.total < loose.total
    for hit in quoted.hits:  # "line-of-duty" is the phrase too
        assert "line of duty" in " ".join(surface_words(json.dumps(BY_ID[hit.external_id])))


def test_excluded_words_and_phrases_leave_their_cases_out(demo_search):
    twitter = everything(demo_search, "twitter")
    rioting = {hit.external_id for hit in everything(demo_search, "riot").hits}
    without = everything(demo_search, "twitter -riot")
    assert rioting and set(ids(without)) == set(ids(twitter)) - rioting
    riot = everything(demo_search, "riot")
    phrase = everything(demo_search, 'riot -"stanley cup"')
    assert "vancouver-police-stanley-cup-riot-2011" in ids(riot)
    assert set(ids(phrase)) == set(ids(riot)) - {"vancouver-police-stanley-cup-riot-2011"}


def test_cases_matching_all_the_words_come_first_and_are_counted(demo_search):
    results = everything(demo_search, "police officer murdered")
    having_all = {i for i in BY_ID if {"polic", "offic", "murder"} <= case_words(i)}
    assert 0 < len(having_all) == results.total_all_words < results.total
    # They come first; the cases with some of the words follow (none is dropped).
    assert set(ids(results)[: len(having_all)]) == having_all
    assert (
        results.total_some_words
        == results.total - len(having_all)
        == len(results.hits[len(having_all) :])
    )


def test_the_count_of_all_words_follows_the_filters(demo_search):
    results = demo_search("police officer murdered", filters={"country": ["US"]})
    assert results.total_all_words <= results.total
    assert all(hit.country["code"] == "US" for hit in results.hits)


def test_hyphenated_closed_and_spaced_forms_find_the_same_cases(demo_search):
    found = [set(ids(everything(demo_search, text))) for text in ("well-being", "wellbeing")]
    found.append(set(ids(everything(demo_search, "well being"))))
    assert found[0] and found[0] == found[1] == found[2]


def test_a_dutch_plural_finds_the_dutch_singular(demo_search):
    assert "politie-wijkagenten-op-twitter-2010" in ids(demo_search("buurtagenten"))


def test_a_country_name_is_not_stemmed_into_a_common_word(demo_search):
    british = {r["external_id"] for r in RECORDS if r["country"] == "GB"}
    found = set(ids(everything(demo_search, "units")))
    assert found & british != british
    for external_id in found & british:
        assert "unit" in case_words(external_id)  # found by its own words, not "United"


def test_an_alias_finds_every_case_of_its_organisation(demo_search):
    gmp = {r["external_id"] for r in RECORDS if r["organisation"] == "Greater Manchester Police"}
    assert len(gmp) == 3
    assert set(ids(everything(demo_search, "GMP"))) == gmp


def test_an_alias_phrase_ranks_its_organisation_first(demo_search):
    assert ids(demo_search("Met police"))[0] == "met-police-operation-withern-flickr-2011"
    assert ids(demo_search("NYPD hashtag"))[0] == "nypd-mynypd-hashtag-2014"


def test_a_respelling_that_matches_every_word_is_offered(demo_search):
    misspelt = demo_search("recrutment video")
    assert misspelt.total > 0  # "video" alone finds some
    assert misspelt.suggestion == "recruitment video"
    assert demo_search("recruitment video").suggestion == ""


def test_suggestions_offer_an_organisation_by_its_alias(demo_library):
    from search.service import get_search_service

    suggestions = get_search_service().suggest("GMP")
    assert ("Greater Manchester Police", "organisation") in [(s.text, s.kind) for s in suggestions]


def test_the_headline_counts_all_words_and_some(demo_library, client):
    from bs4 import BeautifulSoup

    response = client.get("/search/", {"q": "police officer murdered"})
    heading = BeautifulSoup(response.content, "html.parser").select_one(".results__count")
    text = " ".join(heading.get_text(" ", strip=True).split())
    assert "match all the words of “police officer murdered”" in text
    assert "more are related" in text
    body = client.get("/api/search/", {"q": "police officer murdered"}).json()
    assert 0 < body["count_all_words"] < body["count"]


# A synonym group counts once ---------------------------------------------------------------


def test_a_case_using_three_synonyms_does_not_outrank_one_using_the_word_once(
    add_cases, search_service
):
    from search.query import SearchQuery

    # Same length, same fields; one says "recruitment", "joining" and "careers" (one
    # synonym group, no shared stem), the other "recruitment" once.
    add_cases(
        case("three-variants", summary="Our recruitment day: joining the force, careers advice."),
        case("one-variant", summary="Our recruitment day: meeting the force, opening hours."),
    )
    results = search_service.search(SearchQuery("recruitment"))
    scores = {hit.external_id: hit.score for hit in results.hits}
    assert scores["three-variants"] <= scores["one-variant"] * (1 + 1e-6)


# Any text -------------------------------------------------------------------------------


@pytest.mark.usefixtures("corpus")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.lists(
        st.sampled_from(['"', "-", '-"', "“", "”", "flood", "twitter", "not", "x", " ", "-x"]),
        max_size=8,
    ).map("".join)
)
def test_the_api_answers_any_quotes_and_minus_signs(client, q):
    response = client.get("/api/search/", {"q": q})
    assert response.status_code == 200
    body = response.json()
    assert body["count_all_words"] is None or body["count_all_words"] <= body["count"]
