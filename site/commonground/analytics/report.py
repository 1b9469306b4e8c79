"""The editors' report: what people searched for, what found nothing, which cases they read
and which themes they follow, over a period, as tables (and CSV) of aggregated counts."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStudyPage
from commonground.analytics.models import CaseViewCount, SearchCount
from commonground.following.models import Follow

ROWS = 50  # rows a table shows (and a CSV holds)
PERIODS = [
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
    ("365", _("Last 365 days")),
    ("range", _("From–to")),
]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False, initial="30")
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("period") == "range":
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError(_("Give both dates of the period."))
            if data["start"] > data["end"]:
                raise forms.ValidationError(_("The period must start before it ends."))
        return data

    def days(self) -> tuple[datetime.date, datetime.date]:
        """(first, last day), both included; the last 30 days unless the form says else."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        period = data.get("period") or "30"
        if period == "range":
            return data["start"], data["end"]
        return today - datetime.timedelta(days=int(period) - 1), today


@dataclass
class Table:
    name: str  # the CSV's ?table=
    title: str
    columns: list[str]
    rows: list[list]  # cells; a dict cell {"text", "url"} is a link on the page
    empty: str


def _searches(first, last):
    return SearchCount.objects.filter(day__range=(first, last)).values("query", "language")


def most_searched(first, last) -> Table:
    rows = (
        _searches(first, last)
        .annotate(n=Sum("searches"), none=Sum("empty"))
        .order_by("-n", "query", "language")[:ROWS]
    )
    return Table(
        "queries",
        _("Most searched"),
        [_("Query"), _("Language"), _("Searches"), _("Without results")],
        [[r["query"], r["language"], r["n"], r["none"]] for r in rows],
        _("No searches in this period."),
    )


def without_results(first, last) -> Table:
    rows = (
        _searches(first, last)
        .annotate(none=Sum("empty"))
        .filter(none__gt=0)
        .order_by("-none", "query", "language")[:ROWS]
    )
    return Table(
        "no-results",
        _("Searches with no results"),
        [_("Query"), _("Language"), _("Searches without results")],
        [[r["query"], r["language"], r["none"]] for r in rows],
        _("Every search in this period found something."),
    )


def most_viewed(first, last) -> Table:
    counts = list(
        CaseViewCount.objects.filter(day__range=(first, last))
        .values("page_id")
        .annotate(n=Sum("views"))
        .order_by("-n", "page_id")[:ROWS]
    )
    pages = CaseStudyPage.objects.filter(pk__in=[c["page_id"] for c in counts]).in_bulk()
    rows = [
        [{"text": pages[c["page_id"]].title, "url": pages[c["page_id"]].url}, c["n"]]
        for c in counts
        if c["page_id"] in pages
    ]
    return Table(
        "cases",
        _("Most viewed cases"),
        [_("Case"), _("Views")],
        rows,
        _("No case was viewed in this period."),
    )


def most_followed(first, last) -> Table:
    """Themes by the follows members started in the period, with how many follow each now."""
    started = Q(created_at__date__range=(first, last))
    rows = (
        Follow.objects.filter(kind=Follow.Kind.THEME)
        .values("theme__name")
        .annotate(new=Count("id", filter=started), now=Count("id"))
        .filter(new__gt=0)
        .order_by("-new", "-now", "theme__name")[:ROWS]
    )
    return Table(
        "themes",
        _("Most followed themes"),
        [_("Theme"), _("New follows in the period"), _("Followers now")],
        [[r["theme__name"], r["new"], r["now"]] for r in rows],
        _("Nobody started following a theme in this period."),
    )


TABLES = {
    "queries": most_searched,
    "no-results": without_results,
    "cases": most_viewed,
    "themes": most_followed,
}


def tables(first, last) -> list[Table]:
    return [table(first, last) for table in TABLES.values()]
