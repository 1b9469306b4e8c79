"""The fixed vocabularies of a case study, shared by models, forms and the interchange format."""

from django.db import models
from django.db.models.functions import Lower


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


SORTS = {
    "newest": ("Newest first", ("-case_date", "-pk")),
    "oldest": ("Oldest first", ("case_date", "pk")),
    "title": ("Title A–Z", (Lower("title"), "pk")),
}
DEFAULT_SORT = "newest"
