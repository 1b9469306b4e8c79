"""Dates in words in the reader's language, through the one set of translatable formats
(cases/dates.py): {{ value|day_month_year }} gives "7 December 2026", "7. Dezember 2026"."""

import datetime

from django import template
from django.utils import timezone

from cases import dates

register = template.Library()


@register.filter
def day_month_year(value):
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)  # as the date filter does
    return dates.to_text(value, dates.DatePrecision.DAY)
