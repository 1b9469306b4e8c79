"""The project's synonym list (search/synonyms.txt), read once for both engines, and the
check that keeps a bad edit from reaching a rebuild."""

from functools import lru_cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")


class SynonymError(ValueError):
    """The synonym list holds a rule Elasticsearch would refuse or the engines would read
    differently; the message names each line."""


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Each line's phrases, lower-cased, in file order; comments and blanks skipped."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            phrases = tuple(p.strip().lower() for p in line.split(",") if p.strip())
            if len(phrases) > 1:
                groups.append(phrases)
    return tuple(groups)


def solr_rules() -> list[str]:
    """The groups as Elasticsearch synonym rules ("a, b, c")."""
    return [", ".join(group) for group in synonym_groups()]


def synonym_problems(text: str) -> list[str]:
    """Every rule of a synonym list (Solr "equivalent synonyms" format) that cannot be used,
    as "line N: why". Elasticsearch's synonym_graph filter refuses a phrase its analyzer
    (standard tokenizer, lower case, accent folding; mirrored here by search/text.py's
    words()) leaves empty, and only when the index is created, so a rebuild fails late.
    The reader above knows only comma-separated groups, so "=>" mappings and backslash
    escapes would be misread; a phrase of common words alone is dropped from queries by
    both engines; a phrase in two groups makes the groups' meaning depend on the engine."""
    from search.text import STOPWORDS, words  # search.text reads the groups from here

    problems = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=>" in line or "\\" in line:
            problems.append(
                f'line {number}: only equivalent phrases separated by commas are read ("=>" '
                "mappings and backslash escapes are not)"
            )
            continue
        phrases = [p.strip() for p in line.split(",")]
        if len(phrases) < 2:
            problems.append(f"line {number}: a group needs at least two phrases, comma-separated")
        for phrase in phrases:
            tokens = words(phrase)
            key = " ".join(tokens)
            if not phrase:
                problems.append(f"line {number}: an empty phrase (a comma too many)")
            elif not tokens:
                problems.append(f'line {number}: "{phrase}" has no letters or digits')
            elif all(token in STOPWORDS for token in tokens):
                problems.append(
                    f'line {number}: "{phrase}" has only common words, which searches drop'
                )
            elif key in seen:
                problems.append(f'line {number}: "{phrase}" is already listed on line {seen[key]}')
            else:
                seen[key] = number
    return problems


def check_synonyms() -> None:
    """Raise SynonymError listing every problem of search/synonyms.txt, if it has any."""
    problems = synonym_problems(SYNONYMS_FILE.read_text(encoding="utf-8"))
    if problems:
        raise SynonymError(f"{SYNONYMS_FILE.name}: " + "; ".join(problems))
