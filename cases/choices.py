"""The fixed vocabularies of a case study, shared by models, forms and the interchange format."""

from django.db import models


class Result(models.TextChoices):
    """The honest verdict. Failures are published on purpose so others save time."""

    WORKED = "worked", "Worked"
    PROMISING = "promising", "Promising"
    MIXED = "mixed", "Mixed results"
    DID_NOT_WORK = "did-not-work", "Did not work"


class Evidence(models.TextChoices):
    """How the result is known, weakest first."""

    ANECDOTAL = "anecdotal", "Anecdotal"
    MONITORED = "monitored", "Monitored (figures collected)"
    EVALUATED = "evaluated", "Evaluated"
    INDEPENDENTLY_EVALUATED = "independently-evaluated", "Independently evaluated"


class LessonKind(models.TextChoices):
    WORKED = "worked", "What worked"
    CHALLENGE = "challenge", "Challenges"
    ADVICE = "advice", "Advice"


# The one sort registry: every order a listing offers, with its label. The library orders by
# date or title (cases/snapshot.py), search also by relevance (its engines).
SORTS = {
    "relevance": "Best match",
    "newest": "Newest first",
    "oldest": "Oldest first",
    "title": "Title A–Z",
}
LIBRARY_SORTS = ("newest", "oldest", "title")
SEARCH_SORTS = ("relevance", "newest", "oldest")
DEFAULT_SORT = "newest"


def sort_options(keys) -> list[tuple[str, str]]:
    """[(key, label)] for a listing's sort menu."""
    return [(key, SORTS[key]) for key in keys]


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """A stored code's label ("did-not-work" -> "Did not work"); "" when not given or no
    longer one of the choices."""
    return choices(value).label if value in choices.values else ""
