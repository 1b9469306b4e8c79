"""Dates known to the day, the month or the year ("spring 2019" is a case's date too).

A partial date is stored as a full date (the first day of its month or year) and a
precision (cases.choices.DatePrecision, as events use); this module writes one out, in ISO
8601's reduced forms ("2019", "2019-04", "2019-04-18") for machines and in words for people.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import pgettext

from cases.choices import DatePrecision

ISO_PARTIAL_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


def formats(precision: str) -> tuple[str, str]:
    """Django date formats (short, as on cards; long, as on the case page) in the active
    language: translators reorder them ("j. F Y") as for event dates (cases/models/events.py)."""
    if precision == DatePrecision.YEAR:
        return "Y", "Y"
    # Translators: Django date format for a short month and year on case cards, e.g. "Apr 2019".
    short = pgettext("date format", "M Y")
    if precision == DatePrecision.MONTH:
        # Translators: Django date format for a month and year, e.g. "March 2014".
        return short, pgettext("date format", "F Y")
    # Translators: Django date format for a day, month and year, e.g. "5 March 2025".
    return short, pgettext("date format", "j F Y")


@dataclass(frozen=True)
class PartialDate:
    """A date and how much of it is known (not a tuple: forms take tuples for their parts)."""

    date: datetime.date
    precision: str


def precision_of(value: str) -> str:
    """A stored precision, or "day" for an empty or unknown one (older rows and revisions)."""
    return value if value in DatePrecision.values else DatePrecision.DAY


def truncate(date: datetime.date, precision: str) -> datetime.date:
    """The date as stored for its precision: the first of its month or year."""
    precision = precision_of(precision)
    if precision == DatePrecision.YEAR:
        return date.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return date.replace(day=1)
    return date


def to_iso(date: datetime.date, precision: str) -> str:
    """ "2019", "2019-04" or "2019-04-18"."""
    precision = precision_of(precision)
    if precision == DatePrecision.YEAR:
        return f"{date:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{date:%Y-%m}"
    return date.isoformat()


def from_iso(text: str) -> tuple[datetime.date, str]:
    """(date, precision) from "2019", "2019-04" or "2019-04-18"; ValueError otherwise."""
    match = ISO_PARTIAL_RE.match(text)
    if not match:
        raise ValueError(f"not a date written YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
    year, month, day = match.groups()
    date = datetime.date(int(year), int(month or 1), int(day or 1))
    if day:
        return date, DatePrecision.DAY
    return date, DatePrecision.MONTH if month else DatePrecision.YEAR


def to_text(date: datetime.date, precision: str, long: bool = True) -> str:
    """In words, in the active language: "18 April 2019", "April 2019", "2019"
    (short: "Apr 2019", "Apr 2019", "2019")."""
    short_format, long_format = formats(precision_of(precision))
    return dateformat.format(date, long_format if long else short_format)
