"""Turning what people type into search terms, the same way for indexing and querying.

Text is folded (accents removed, case folded, so "debat" finds "Débat"), split into words
(letters and digits; hyphenated words give both parts and the joined word, so "tweet-a-thon"
matches "tweetathon"), and stripped of the most common words in the site's languages.
Whatever a user types ends up as plain words: quotes, operators, brackets and emoji never
reach a query parser.
"""

import re
import unicodedata
from dataclasses import dataclass

from search.synonyms import synonym_groups

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
MAX_TERMS = 24
MAX_TERM_LENGTH = 40

STOPWORDS = frozenset(
    """
    a an and are as at be by did do does for from had has have how i in is it its of on or
    our that the their them they this to was we were what when where which who why will with
    you your about after before can could into more most not so than then there these those
    de het een en van op te dat die in is zijn voor met als aan er om ook bij
    le la les un une des du et en est pour que qui dans par sur au aux ce ces il elle
    der die das und ein eine ist mit den dem zu von im für auf nicht sich
    el los las y del al por con para una es se lo
    """.split()
)


def fold(text: str) -> str:
    """Lower-case text without accents: "Débat Über" -> "debat uber"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """Folded words, hyphenated words expanded: "24-hour" -> "24", "hour", "24hour"."""
    result = []
    for match in WORD.finditer(fold(text)):
        word = match.group()
        parts = re.split(r"[-'’]", word)
        if len(parts) > 1:
            result.extend(parts)
            result.append("".join(parts))
        else:
            result.append(word)
    return [w[:MAX_TERM_LENGTH] for w in result]


@dataclass(frozen=True)
class ParsedQuery:
    """Terms to look for: each entry is a tuple of alternatives (a synonym group), each
    alternative a tuple of words to match as a phrase."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]

    @property
    def all_words(self) -> set[str]:
        """Every meaningful word the query looks for (for highlighting)."""
        return {w for group in self.groups for phrase in group for w in phrase} - STOPWORDS

    def __bool__(self):
        return bool(self.groups)


def parse(text: str) -> ParsedQuery:
    """Each meaningful word is a term; a phrase from the synonym list adds its whole group
    as one more term (any of its phrases), so "officer killed on duty" also finds "line of
    duty death" while its own words still count."""
    tokens = [w for w in words(text) if w not in STOPWORDS]
    folded = " " + " ".join(words(text)) + " "
    groups = []
    for group in synonym_groups():
        phrases = [tuple(words(p)) for p in group]
        if any(f" {' '.join(p)} " in folded for p in phrases):
            # Matched by their meaningful words, near each other: "search for suspect"
            # also finds "search for the suspect".
            meaningful = [tuple(w for w in p if w not in STOPWORDS) or p for p in phrases]
            groups.append(tuple(dict.fromkeys(meaningful)))
    groups += [((token,),) for token in dict.fromkeys(tokens)]
    return ParsedQuery(tuple(groups[:MAX_TERMS]))
