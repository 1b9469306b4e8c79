"""The synonym list is checked before Elasticsearch sees it: the project's own file, each
kind of bad rule, and the engine and search_index refusing to build on a bad file."""

import pytest

from django.core.management import CommandError, call_command

from search.engines.elasticsearch import ElasticsearchEngine
from search.synonym_check import SynonymError, check_synonyms, synonym_problems
from search.synonyms import SYNONYMS_FILE
from tests.search.test_elasticsearch_engine import URL, Cluster


def test_the_project_synonym_list_is_sound():
    assert synonym_problems(SYNONYMS_FILE.read_text(encoding="utf-8")) == []


GOOD = """# a comment, then a blank line

flood, flooding, floods
tweetathon, tweet-a-thon, 24 hours of tweets
Débat, debate
"""


def test_a_good_list_has_no_problems():
    assert synonym_problems(GOOD) == []


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        ("flood, , flooding", "line 1: an empty phrase (a comma too many)"),
        ("flood, flooding,", "line 1: an empty phrase (a comma too many)"),
        ("flood => flooding", "line 1: only equivalent phrases separated by commas are read"),
        ("flood\\, rain, deluge", "line 1: only equivalent phrases separated by commas are read"),
        ("manhunt", "line 1: a group needs at least two phrases, comma-separated"),
        ("riot, !!!", 'line 1: "!!!" has no letters or digits'),
        ("riot, ...", 'line 1: "..." has no letters or digits'),
        ("us, the", 'line 1: "the" has only common words, which searches drop'),
        ("on the, onwards", 'line 1: "on the" has only common words, which searches drop'),
        ("flood, flooding\n\nfloods, flooding", 'line 3: "flooding" is already listed on line 1'),
        ("débat, debate\ndebat, discussion", 'line 2: "debat" is already listed on line 1'),
    ],
)
def test_each_kind_of_bad_rule_is_named_with_its_line(rules, problem):
    problems = synonym_problems(rules)
    assert len(problems) == 1, problems
    assert problems[0].startswith(problem)


@pytest.fixture
def bad_synonyms(tmp_path, monkeypatch):
    path = tmp_path / "synonyms.txt"
    path.write_text("flood, flooding\nriot, , unrest\n", encoding="utf-8")
    monkeypatch.setattr("search.synonyms.SYNONYMS_FILE", path)
    return path


def test_check_synonyms_reads_the_file(bad_synonyms):
    with pytest.raises(SynonymError, match=r"line 2: an empty phrase"):
        check_synonyms()


def test_the_engine_refuses_to_create_an_index_on_a_bad_list(bad_synonyms, db):
    cluster = Cluster()
    engine = ElasticsearchEngine(URL, index_prefix="cg", client=cluster.client())

    with pytest.raises(SynonymError, match="synonyms.txt: line 2: an empty phrase"):
        engine.rebuild()
    assert cluster.requests == []  # refused before asking the cluster


def test_search_index_rebuild_says_what_to_fix(bad_synonyms, settings, db):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # never reached: refused before
    with pytest.raises(CommandError, match="Fix the synonym list.*line 2: an empty phrase"):
        call_command("search_index", "rebuild")
