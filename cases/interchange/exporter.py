"""Published case studies as interchange records (the inverse of the importer)."""

import json
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from cases import limits
from cases.dates import to_iso
from cases.interchange.text import html_to_text, normalise_text
from cases.models import CaseStudyPage, Replication

CHUNK = 500


def body_text(page: CaseStudyPage) -> str:
    """The body as plain text: paragraphs, headings and quotes; images and embeds have none."""
    parts = []
    for block in page.body:
        if block.block_type == "paragraph":
            parts.append(html_to_text(block.value.source))
        elif block.block_type == "heading":
            parts.append(block.value["text"])
        elif block.block_type == "quote":
            quote = block.value["quote"]
            attribution = block.value["attribution"]
            parts.append(f"{quote}\n— {attribution}" if attribution else quote)
    return normalise_text("\n\n".join(parts))


def case_to_record(page: CaseStudyPage) -> dict:
    """The interchange record of one page (themes and platforms must be prefetched)."""
    record = {
        "external_id": page.external_id,
        "title": page.title,
        "summary": page.summary,
        "organisation": page.organisation.name,
        "country": page.country.code,
        "published": to_iso(page.case_date, page.case_date_precision),
        "themes": sorted(theme.slug for theme in page.themes.all()),
        "platforms": sorted((p.name for p in page.platforms.all()), key=str.lower),
        "language": page.language,
        "body": body_text(page),
        "lessons": [{"kind": b.block_type, "text": b.value} for b in page.lessons],
        "outcomes": [
            {"label": b.value["label"], "value": b.value["value"]} for b in page.outcomes
        ],
        "result": page.result,
        "evidence": page.evidence,
        "source": {
            key: value
            for key, value in (("event", page.source_event), ("url", page.source_url))
            if value
        },
        "authors": page.author_names,
    }
    required = {"external_id", "title", "summary", "organisation", "country", "published"}
    return {k: v for k, v in record.items() if v or k in required or k == "themes"}


def replication_to_record(replication: Replication) -> dict:
    """An approved replication as the export writes it (docs/interchange.md)."""
    record = {
        "organisation": replication.organisation_display,
        "country": replication.country.code,
        "tried": to_iso(replication.tried_on, replication.tried_precision),
        "changes": replication.changes,
        "result": replication.result,
        "evidence": replication.evidence,
        "source_url": replication.source_url,
    }
    return {k: v for k, v in record.items() if v or k != "source_url"}


def export_record(page: CaseStudyPage) -> dict:
    """The exported record: the case's own record and, when other forces' replications of it
    are approved, their list (prefetched by exportable_cases()). The importer ignores the
    list: replications are recorded by members on the site, never imported."""
    record = case_to_record(page)
    replications = getattr(page, "approved_replications", None) or []
    if replications:
        record["replications"] = [
            replication_to_record(r) for r in replications[: limits.REPLICATIONS]
        ]
    return record


def exportable_cases() -> QuerySet:
    approved = (
        Replication.objects.approved().select_related("organisation").order_by("tried_on", "pk")
    )
    return (
        CaseStudyPage.objects.live()
        .select_related("organisation")
        .prefetch_related(
            "themes",
            "platforms",
            Prefetch("replications", queryset=approved, to_attr="approved_replications"),
        )
        .order_by("external_id")
    )


def iter_records(queryset: QuerySet | None = None) -> Iterator[dict]:
    queryset = exportable_cases() if queryset is None else queryset
    for page in queryset.iterator(chunk_size=CHUNK):
        yield export_record(page)


def iter_lines(queryset: QuerySet | None = None) -> Iterator[str]:
    for record in iter_records(queryset):
        yield json.dumps(record, ensure_ascii=False) + "\n"
