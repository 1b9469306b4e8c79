"""A case as a spreadsheet row (the CSV export), with every cell safe to open.

Excel, LibreOffice and Google Sheets read a cell that starts with = + - @, a tab or a
carriage return as a formula: a contributed title "=HYPERLINK(...)" became a link that sends
the sheet's data away. Such cells get a leading single quote (OWASP's rule for CSV
injection), which the spreadsheet shows as text; the rest of the value is kept as it was.
"""

import csv

from cases.interchange.exporter import case_to_record
from cases.models import CaseStudyPage

COLUMNS = [
    "external_id", "title", "url", "organisation", "country", "published", "themes",
    "platforms", "language", "result", "evidence", "summary",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """The value as a spreadsheet will show it, never as a formula it would run."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


class _Echo:
    def write(self, value):
        return value


def csv_line(cells: list) -> str:
    """One CSV line (quoted as RFC 4180 says, CRLF-terminated) of safe cells."""
    return csv.writer(_Echo()).writerow([cell(value) for value in cells])


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
            record["summary"],
        ]
    )


def guard_admin_exports() -> None:
    """Apply the cell rule to the Wagtail admin's CSV downloads too (site history, workflow,
    aging and locked pages reports, listings), which write page titles and user names as
    they are: Wagtail leaves CSV injection to the spreadsheet and only guards XLSX cells."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    preprocess = SpreadsheetExportMixin.preprocess_field_value

    def preprocess_safely(view, field, value, export_format):
        value = preprocess(view, field, value, export_format)
        return cell(value) if export_format == view.FORMAT_CSV else value

    SpreadsheetExportMixin.preprocess_field_value = preprocess_safely
