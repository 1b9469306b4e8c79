"""Published cases as a download: the interchange JSON Lines or the CSV spreadsheet, streamed
one line per case. The one export path, for the search results and a member's reading list."""

import json
from collections.abc import Iterable

from django.http import StreamingHttpResponse

from cases.interchange import spreadsheet
from cases.interchange.exporter import export_record
from cases.models import CaseStudyPage

# format: (content type, file extension)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
}


def export_response(
    request, pages: Iterable[CaseStudyPage], fmt: str, name: str = "common-ground-cases"
) -> StreamingHttpResponse:
    """`pages` (from exporter.exportable_cases(), so themes and platforms are prefetched) as
    the download `name`.csv or `name`.jsonl. `pages` may be a generator: it is read only as
    the response streams."""
    content_type, extension = FORMATS[fmt]

    def lines():
        if fmt == "csv":
            yield spreadsheet.header_line()
            for page in pages:
                yield spreadsheet.case_line(page, request.build_absolute_uri(page.url))
        else:
            for page in pages:
                yield json.dumps(export_record(page), ensure_ascii=False) + "\n"

    response = StreamingHttpResponse(lines(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
