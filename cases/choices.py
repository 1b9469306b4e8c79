"""The fixed vocabularies of a case study, shared by models, forms and the interchange format.

The stored values are English codes and never change; only the labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Result(models.TextChoices):
    """The honest verdict. Failures are published on purpose so others save time."""

    # Translators: a case study's verdict: the approach worked.
    WORKED = "worked", pgettext_lazy("case verdict", "Worked")
    # Translators: a case study's verdict: early signs are good.
    PROMISING = "promising", pgettext_lazy("case verdict", "Promising")
    # Translators: a case study's verdict: some parts worked, others did not.
    MIXED = "mixed", pgettext_lazy("case verdict", "Mixed results")
    # Translators: a case study's verdict: the approach failed.
    DID_NOT_WORK = "did-not-work", pgettext_lazy("case verdict", "Did not work")


class Evidence(models.TextChoices):
    """How the result is known, weakest first."""

    # Translators: how a case's result is known: from impressions and stories, not figures.
    ANECDOTAL = "anecdotal", pgettext_lazy("evidence level", "Anecdotal")
    # Translators: how a case's result is known: figures were collected while it ran.
    MONITORED = "monitored", pgettext_lazy("evidence level", "Monitored (figures collected)")
    # Translators: how a case's result is known: the team evaluated it.
    EVALUATED = "evaluated", pgettext_lazy("evidence level", "Evaluated")
    # Translators: how a case's result is known: someone outside the team evaluated it.
    INDEPENDENTLY_EVALUATED = (
        "independently-evaluated",
        pgettext_lazy("evidence level", "Independently evaluated"),
    )


class DatePrecision(models.TextChoices):
    """How much of a date is known: events and cases may be dated to the month or year."""

    DAY = "day", _("Exact days")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


class LessonKind(models.TextChoices):
    # Translators: heading of a case's lessons: what went well.
    WORKED = "worked", pgettext_lazy("lesson kind", "What worked")
    # Translators: heading of a case's lessons: the difficulties met.
    CHALLENGE = "challenge", pgettext_lazy("lesson kind", "Challenges")
    # Translators: heading of a case's lessons: advice to colleagues.
    ADVICE = "advice", pgettext_lazy("lesson kind", "Advice")


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """A stored code's label in the active language ("did-not-work" -> "Did not work"); ""
    when not given or no longer one of the choices. A plain string, so it can go into JSON
    and spreadsheets."""
    return str(choices(value).label) if value in choices.values else ""
