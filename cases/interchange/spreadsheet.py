"""A case as a spreadsheet row (the CSV export), with every cell safe to open.

Excel, LibreOffice and Google Sheets read a cell that starts with = + - @, a tab or a
carriage return as a formula: a contributed title "=HYPERLINK(...)" became a link that sends
the sheet's data away. Such cells get a single quote before the formula character (OWASP's
rule for CSV injection), which the spreadsheet shows as text; the rest of the value is kept
as it was. Excel in French, German, Dutch or Spanish splits a CSV on ";", so "Flood
appeal;=cmd|..." would start a new cell with the formula there: a quote goes after such a
semicolon too. Every cell is quoted, as RFC 4180 readers expect.
"""

import csv
import re

from cases.choices import Evidence, LessonKind, Result, label_of
from cases.interchange.exporter import case_to_record
from cases.models import CaseStudyPage

COLUMNS = [
    "external_id", "title", "url", "organisation", "country", "published", "themes",
    "platforms", "language", "result", "evidence", "result_label", "evidence_label", "summary",
    "lessons", "replications",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a formula inside a value: at its start (after the spaces it
# skips), or after a ";", where Excel in a semicolon locale starts a new cell.
FORMULA_AT = re.compile(r"(^|;)([ \u00a0]*)(?=[=+\-@\t\r])")


def cell(value):
    """The value as a spreadsheet will show it, never as a formula it would run: a quote
    goes at the start of the value, or right after a semicolon, when a formula character
    follows (spreadsheets skip the spaces before it)."""
    return FORMULA_AT.sub(r"\1'\2", value) if isinstance(value, str) else value


class _Echo:
    def write(self, value):
        return value


def csv_line(cells: list) -> str:
    """One CSV line (every cell quoted, CRLF-terminated) of safe cells."""
    return csv.writer(_Echo(), quoting=csv.QUOTE_ALL).writerow([cell(value) for value in cells])


def header_line() -> str:
    return csv_line(COLUMNS)


def case_line(page: CaseStudyPage, url: str) -> str:
    """A published case's CSV line (themes and platforms prefetched), `url` its address."""
    record = case_to_record(page)
    return csv_line(
        [
            record["external_id"],
            record["title"],
            url,
            record["organisation"],
            record["country"],
            record["published"],
            "; ".join(record["themes"]),
            "; ".join(record.get("platforms", [])),
            record["language"],
            record.get("result", ""),
            record.get("evidence", ""),
            label_of(Result, page.result),
            label_of(Evidence, page.evidence),
            record["summary"],
            lessons_cell(record.get("lessons", [])),
            # How many other forces' approved replications (prefetched by exportable_cases).
            len(getattr(page, "approved_replications", None) or []),
        ]
    )


def lessons_cell(lessons: list[dict]) -> str:
    """The lessons one a line, each after its kind ("What worked: …"), in the case's order."""
    return "\n".join(f"{label_of(LessonKind, item['kind'])}: {item['text']}" for item in lessons)


def guard_admin_exports() -> None:
    """Apply the cell rule and quote every cell in the Wagtail admin's CSV downloads too
    (site history, workflow, aging and locked pages reports, listings), which write page
    titles and user names as they are: Wagtail leaves CSV injection to the spreadsheet and
    only guards XLSX cells."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    preprocess = SpreadsheetExportMixin.preprocess_field_value

    def preprocess_safely(view, field, value, export_format):
        value = preprocess(view, field, value, export_format)
        return cell(value) if export_format == view.FORMAT_CSV else value

    def stream_quoted_csv(view, queryset):
        """Wagtail's stream_csv with every cell quoted."""
        writer = csv.DictWriter(_Echo(), fieldnames=view.list_export, quoting=csv.QUOTE_ALL)
        yield writer.writerow({f: view.get_heading(queryset, f) for f in view.list_export})
        for item in queryset:
            yield view.write_csv_row(writer, view.to_row_dict(item))

    SpreadsheetExportMixin.preprocess_field_value = preprocess_safely
    SpreadsheetExportMixin.stream_csv = stream_quoted_csv
