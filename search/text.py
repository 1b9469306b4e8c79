"""Turning what people type into search terms, the same way for indexing and querying.

Text is folded (accents removed, case folded, so "debat" finds "Débat") and split into words
(letters and digits; hyphenated words give both parts and the joined word, so "tweet-a-thon"
matches "tweetathon"). The database engine indexes each case's words stemmed in the case's
own language (Snowball) and asks for each query word's stems in every language it stems
(QUERY_LANGUAGES), so "buurtagenten" finds a Dutch case saying "buurtagent". Names
(organisations, their aliases, countries) are indexed as folded words, never stemmed, so
"units" does not match "United Kingdom".

A query is parsed into groups of alternatives: "quoted phrases" must appear as typed,
-word and -"phrase" exclude, a phrase from the synonym list becomes one group of all its
phrases (counted once, however many of them a case uses), "well-being", "wellbeing" and
"well being" are one group, and "not" binds to the word after it ("did not work").
Whatever a user types ends up as plain words: quotes, operators, brackets and emoji never
reach a query parser.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from search.synonyms import synonym_groups

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
JOINERS = re.compile(r"[-'’]")
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
# Common words that change the meaning of the word after them: kept with it as a phrase.
NEGATIONS = frozenset({"not", "nicht", "niet", "geen", "kein", "keine", "pas", "no"})

# BCP 47 primary language -> Snowball algorithm. Cases in other languages are indexed as
# folded words. Queries are stemmed in every one of these languages.
STEMMERS = {"en": "english", "nl": "dutch", "de": "german", "fr": "french", "es": "spanish"}
QUERY_LANGUAGES = tuple(STEMMERS)


def fold(text: str) -> str:
    """Lower-case text without accents: "Débat Über" -> "debat uber"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    if decomposed.isascii():  # no accents to drop: most text, at a hundredth of the cost
        return decomposed.casefold()
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """Folded words, hyphenated words expanded: "24-hour" -> "24", "hour", "24hour"."""
    result = []
    for word in WORD.findall(fold(text)):
        if "-" in word or "'" in word or "’" in word:  # JOINERS, without a regex per word
            parts = JOINERS.split(word)
            result.extend(parts)
            result.append("".join(parts))
        else:
            result.append(word)
    return [w[:MAX_TERM_LENGTH] for w in result]


def surface_words(text: str) -> list[str]:
    """Folded words as written, hyphenated ones split: "well-being" -> "well", "being"."""
    return [
        part[:MAX_TERM_LENGTH]
        for match in WORD.finditer(fold(text))
        for part in JOINERS.split(match.group())
    ]


@lru_cache(maxsize=16)
def _stemmer(algorithm: str):
    return snowballstemmer.stemmer(algorithm)  # PyStemmer's C code when it is installed


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The word's Snowball stem in a case's language (BCP 47); unchanged for a language
    without a stemmer. Cached: a library uses far fewer distinct words than it has."""
    algorithm = STEMMERS.get((language or "").split("-")[0].lower())
    return _stemmer(algorithm).stemWord(word) if algorithm else word


def stemmed(text: str, language: str) -> str:
    """What the database engine indexes of a case's text: its words, stemmed as stem() does,
    all in one call to the stemmer (PyStemmer keeps its own cache of recent words)."""
    algorithm = STEMMERS.get((language or "").split("-")[0].lower())
    found = words(text)
    return " ".join(_stemmer(algorithm).stemWords(found) if algorithm else found)


def query_forms(phrase: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The phrase as written and stemmed in each query language, without repeats: what
    the stemmed index may hold of it (names are indexed as written)."""
    forms = [phrase] + [tuple(stem(w, code) for w in phrase) for code in QUERY_LANGUAGES]
    return tuple(dict.fromkeys(forms))


@dataclass(frozen=True)
class Group:
    """One thing the searcher asked for: any of its phrases (tuples of folded words)
    counts, and only once. `exact`: typed in quotes, so its words must stand together, in
    order, and a case without it is not a match."""

    phrases: tuple[tuple[str, ...], ...]
    exact: bool = False
    # An organisation named in the query: all its names and aliases, looked for among
    # organisation names only (the typed words are in `phrases`, looked for everywhere).
    names: tuple[tuple[str, ...], ...] = ()


class Names:
    """Organisations' names and aliases (each entry: one organisation's), for finding
    them in queries: "Met police" is the Metropolitan Police Service, "GMP" Greater
    Manchester Police, whatever else the words mean."""

    def __init__(self, entries=()):
        self.by_first: dict[str, list] = {}
        for entry in entries:
            forms = tuple(dict.fromkeys(f for f in (tuple(surface_words(n)) for n in entry) if f))
            for form in forms:
                self.by_first.setdefault(form[0], []).append((form, forms))

    def spans(self, sequence: list[str]):
        """(start, end, the organisation's forms) of each longest name in the sequence."""
        start = 0
        while start < len(sequence):
            found = [
                (len(form), forms)
                for form, forms in self.by_first.get(sequence[start], ())
                if tuple(sequence[start : start + len(form)]) == form
            ]
            if found:
                length, forms = max(found, key=lambda item: item[0])
                yield start, start + length, forms
                start += length
            else:
                start += 1


NO_NAMES = Names()


@dataclass(frozen=True)
class ParsedQuery:
    """Groups to look for, and phrases a case must not contain (-word, -"phrase")."""

    groups: tuple[Group, ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()

    @property
    def required(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.exact)

    @property
    def all_words(self) -> set[str]:
        """Every meaningful word the query looks for (for highlighting)."""
        return {w for group in self.groups for phrase in group.phrases for w in phrase} - STOPWORDS

    def __bool__(self):
        return bool(self.groups or self.excluded)


QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
# A quoted phrase or a run of other characters; a minus counts only at the start of a word.
PIECE = re.compile(r'(?<!\S)(-?)"([^"]*)"|"([^"]*)"|(?<!\S)(-?)([^\s"]+)|([^\s"]+)')


def meaning_text(text: str) -> str:
    """The question as meaning search reads it: the pieces parse() reads, without its
    -exclusions (embedding "shooting -RCMP" would pull towards the RCMP) and without
    quote marks."""
    kept = []
    for match in PIECE.finditer((text or "").translate(QUOTES)):
        minus, quoted, inner_quoted, word_minus, plain, inner_plain = match.groups()
        if not (minus or word_minus):
            kept.append(
                next(p for p in (quoted, inner_quoted, plain, inner_plain) if p is not None)
            )
    return " ".join(" ".join(kept).split())


def _synonym_phrases(text: str) -> list[tuple[str, ...]]:
    """A synonym phrase's alternatives: its meaningful words as written, and with hyphenated
    words closed up ("well-being" -> well being, wellbeing)."""
    folded = [m.group() for m in WORD.finditer(fold(text))]
    forms = [surface_words(text), [JOINERS.sub("", w) for w in folded]]
    return [tuple(w for w in form if w not in STOPWORDS) or tuple(form) for form in forms]


def _word_groups(tokens: list[list[str]], names: Names) -> list[Group]:
    """Groups for unquoted words (each token a list of surface words, e.g. ["well",
    "being"] for "well-being"): the organisations and synonym groups its phrases name, then
    the other words. A word naming a group is not a group of its own as well: a group
    counts once."""
    flat = [(i, w) for i, token in enumerate(tokens) for w in token]
    sequence = [w for _, w in flat]
    used: set[int] = set()
    groups = []
    for start, end, forms in names.spans(sequence):
        used |= {flat[p][0] for p in range(start, end)}
        groups.append(Group((tuple(sequence[start:end]),), names=forms))
    for synonyms in synonym_groups():
        spans = [
            range(start, start + len(form))
            for form in (surface_words(p) for p in synonyms)
            for start in range(len(sequence) - len(form) + 1)
            if form
            and sequence[start : start + len(form)] == form
            and not any(flat[p][0] in used for p in range(start, start + len(form)))
        ]
        if spans:
            phrases = [a for p in synonyms for a in _synonym_phrases(p)]
            groups.append(Group(tuple(dict.fromkeys(phrases))))
            for span in spans:
                typed = {flat[p][0] for p in span}
                # A word that is one of the group's phrases ("recruitment", "well-being",
                # "well being") is the group; the words of a longer phrase ("cctv appeal")
                # also count on their own, as the searcher typed them.
                if len(typed) == 1 or ("".join(sequence[p] for p in span),) in phrases:
                    used |= typed
    kept = [token for i, token in enumerate(tokens) if i not in used]
    for position, token in enumerate(kept):
        if len(token) == 1 and token[0] in NEGATIONS:
            following = kept[position + 1] if position + 1 < len(kept) else None
            if following and not all(w in STOPWORDS for w in following):
                groups.append(Group(((token[0], *following),)))
            continue
        if all(w in STOPWORDS for w in token):
            continue
        joined = ("".join(token),)
        groups.append(Group((joined, tuple(token)) if len(token) > 1 else (joined,)))
    return groups


def parse(text: str, names: Names = NO_NAMES) -> ParsedQuery:
    """The groups and exclusions of what was typed. Unbalanced quotes are read as plain
    words; a minus inside a word ("30-hour") is a hyphen. At most MAX_TERMS groups."""
    text = (text or "").translate(QUOTES)
    if text.count('"') % 2:
        text = "".join(text.rsplit('"', 1))
    phrases, excluded, tokens = [], [], []
    for match in PIECE.finditer(text):
        minus, quoted, inner_quoted, word_minus, plain, inner_plain = match.groups()
        quoted = quoted if quoted is not None else inner_quoted
        plain = plain if plain is not None else inner_plain
        if quoted is not None:
            phrase = tuple(surface_words(quoted))
            if phrase and minus:
                excluded.append(phrase)
            elif phrase:
                phrases.append(Group((phrase,), exact=True))
        elif plain is not None:
            found = [surface_words(m.group()) for m in WORD.finditer(plain)]
            if word_minus and found:
                found = [w for w in found if not all(x in STOPWORDS for x in w)]
                excluded += [tuple(w) for w in found] + [("".join(w),) for w in found if w[1:]]
            else:
                tokens += found
    groups = list(dict.fromkeys(phrases + _word_groups(tokens, names)))
    return ParsedQuery(tuple(groups[:MAX_TERMS]), tuple(dict.fromkeys(excluded))[:MAX_TERMS])
