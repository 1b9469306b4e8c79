"""The check that keeps a bad edit of the synonym list from reaching a rebuild: it reads
the phrases as the query parser does (search/text.py), which itself reads the list."""

from search import synonyms
from search.text import STOPWORDS, words


class SynonymError(ValueError):
    """The synonym list holds a rule Elasticsearch would refuse or the engines would read
    differently; the message names each line."""


def synonym_problems(text: str) -> list[str]:
    """Every rule of a synonym list (Solr "equivalent synonyms" format) that cannot be used,
    as "line N: why". Elasticsearch's synonym_graph filter refuses a phrase its analyzer
    (standard tokenizer, lower case, accent folding; mirrored here by search/text.py's
    words()) leaves empty, and only when the index is created, so a rebuild fails late.
    The reader (search/synonyms.py) knows only comma-separated groups, so "=>" mappings
    and backslash escapes would be misread; a phrase of common words alone is dropped from
    queries by both engines; a phrase in two groups makes the groups' meaning depend on the
    engine."""
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
    path = synonyms.SYNONYMS_FILE
    problems = synonym_problems(path.read_text(encoding="utf-8"))
    if problems:
        raise SynonymError(f"{path.name}: " + "; ".join(problems))
