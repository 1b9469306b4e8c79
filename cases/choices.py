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


class DatePrecision(models.TextChoices):
    """How much of a date is known: events and cases may be dated to the month or year."""

    DAY = "day", "Exact days"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"


class LessonKind(models.TextChoices):
    WORKED = "worked", "What worked"
    CHALLENGE = "challenge", "Challenges"
    ADVICE = "advice", "Advice"


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """A stored code's label ("did-not-work" -> "Did not work"); "" when not given or no
    longer one of the choices."""
    return choices(value).label if value in choices.values else ""
