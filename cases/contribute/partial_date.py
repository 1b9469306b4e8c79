"""A date known to the day, the month or only the year, typed as three boxes (day and
month optional, year required), the accessible pattern GOV.UK uses, rather than a browser
date picker that insists on a day and shows mm/dd/yyyy. Cleans to a PartialDate, the date and
precision a case stores (cases/dates.py)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundWidget
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from cases import limits
from cases.choices import DatePrecision
from cases.dates import PartialDate

PARTS = (("day", _("Day")), ("month", _("Month")), ("year", _("Year")))
# Whole sentences, lazy: worded in the language of the page that shows the form.
IN_FIGURES = {
    "day": _("Write the day in figures."),
    "month": _("Write the month in figures."),
    "year": _("Write the year in figures."),
}


class PartialDateWidget(forms.MultiWidget):
    """Day and year as numeric text boxes, the month as a named list (no mm/dd confusion).
    Posted as <name>_day, <name>_month and <name>_year; ids <id>_0, _1 and _2. The boxes
    are sized for 2 and 4 figures but take more (no maxlength cuts a pasted date): the
    field says what is wrong."""

    def __init__(self, attrs=None):
        number = {"inputmode": "numeric", "autocomplete": "off", "class": "date-input__number"}
        widgets = {
            "day": forms.TextInput(attrs={**number, "size": 2}),
            "month": forms.Select(choices=[("", "—"), *MONTHS.items()]),
            "year": forms.TextInput(attrs={**number, "size": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if not value:
            return [None, None, None]
        if isinstance(value, PartialDate):
            date, precision = value.date, value.precision
        else:
            date, precision = value, DatePrecision.DAY
        return [
            date.day if precision == DatePrecision.DAY else None,
            date.month if precision != DatePrecision.YEAR else None,
            date.year,
        ]


def part_widgets(bound_field) -> list[BoundWidget]:
    """The three boxes of a bound PartialDateField, each to render beside its own label
    (BoundField.subwidgets gives a MultiWidget as one piece)."""
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs({"id": bound_field.auto_id})
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)
    return [
        BoundWidget(part, data, bound_field.form.renderer)
        for part, data in zip(widget.widgets, context["widget"]["subwidgets"], strict=True)
    ]


class PartialDateField(forms.MultiValueField):
    widget = PartialDateWidget
    default_error_messages = {
        "required": _("Give at least the year it happened."),
        "no_year": _("Give the year as well, e.g. 2019."),
        "day_without_month": _("Give the month as well as the day, or leave the day empty."),
        "not_a_date": _("That day does not exist in that month: check the day and month."),
        "year_range": _("Give a year from %(earliest)s to %(latest)s."),
    }

    # The box a problem is in, by error code (0 day, 1 month, 2 year), for links to it.
    part_of = {"required": 2, "no_year": 2, "year_range": 2, "day_without_month": 1}

    def __init__(self, **kwargs):
        fields = (
            forms.IntegerField(min_value=1, max_value=31, required=False),
            forms.TypedChoiceField(
                choices=[("", "—"), *MONTHS.items()], coerce=int, required=False
            ),
            forms.IntegerField(required=False),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)
        # Each part's own messages would say "Enter a whole number." without naming the part.
        for part, (name, _label) in zip(self.fields, PARTS, strict=True):
            part.error_messages["invalid"] = IN_FIGURES[name]
            part.error_messages["min_value"] = part.error_messages["max_value"] = _(
                "The day must be from 1 to 31."
            )

    def compress(self, data_list):
        day, month, year = (data_list + [None, None, None])[:3] if data_list else (None,) * 3
        if day in (None, "") and month in (None, "") and year in (None, ""):
            return None
        if year in (None, ""):
            raise ValidationError(self.error_messages["no_year"], code="no_year")
        if day not in (None, "") and month in (None, ""):
            raise ValidationError(
                self.error_messages["day_without_month"], code="day_without_month"
            )
        if not limits.EARLIEST_YEAR <= year <= limits.LATEST_YEAR:
            raise ValidationError(
                self.error_messages["year_range"],
                code="year_range",
                params={"earliest": limits.EARLIEST_YEAR, "latest": limits.LATEST_YEAR},
            )
        try:
            date = datetime.date(year, month or 1, day or 1)
        except ValueError:
            raise ValidationError(self.error_messages["not_a_date"], code="not_a_date") from None
        if day not in (None, ""):
            return PartialDate(date, DatePrecision.DAY)
        return PartialDate(date, DatePrecision.MONTH if month else DatePrecision.YEAR)
