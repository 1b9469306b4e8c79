"""The project's synonym list (search/synonyms.txt), read once for both engines and for
the query parser (search/text.py); search/synonym_check.py keeps a bad edit from reaching a
rebuild."""

from functools import lru_cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")


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
