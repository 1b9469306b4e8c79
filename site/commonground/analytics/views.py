"""The "What people look for" report in the Wagtail admin, its CSV downloads, and the step
from a search without results to promoting a case for it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wagtail.admin.auth import permission_required
from wagtail.contrib.search_promotions.models import Query

from cases.interchange.spreadsheet import csv_line
from commonground.analytics.recording import normalised_query
from commonground.analytics.report import TABLES, PeriodForm, tables

PERMISSION = "analytics.view_search_analytics"
PROMOTE = "wagtailsearchpromotions.add_searchpromotion"


def _csv_cells(row: list) -> list:
    """A link cell becomes its text and its address."""
    cells = []
    for value in row:
        cells += [value["text"], value["url"]] if isinstance(value, dict) else [value]
    return cells


@permission_required(PERMISSION)
def report(request):
    form = PeriodForm(request.GET or None)
    first, last = form.days()
    return render(
        request,
        "analytics/report.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "tables": tables(first, last),
            "can_promote": request.user.has_perm(PROMOTE),
            "period_query": request.GET.urlencode(),
        },
    )


@permission_required(PERMISSION)
def report_csv(request, table: str):
    form = PeriodForm(request.GET or None)
    first, last = form.days()
    if table not in TABLES:
        raise Http404
    data = TABLES[table](first, last)
    header = list(data.columns)
    if data.name == "cases":
        header[1:1] = ["URL"]
    body = "".join(csv_line(_csv_cells(row)) for row in data.rows)
    response = HttpResponse(
        csv_line([str(c) for c in header]) + body, content_type="text/csv; charset=utf-8"
    )
    filename = f"what-people-look-for-{data.name}-{first}-{last}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def promote(request):
    """Open Wagtail's promotions for this query (created if new): editors pick the cases."""
    if not request.user.has_perm(PROMOTE):
        raise PermissionDenied
    text = normalised_query(request.POST.get("query", ""))
    if not text:
        return redirect("search_analytics")
    return redirect("wagtailsearchpromotions:edit", Query.get(text).pk)
