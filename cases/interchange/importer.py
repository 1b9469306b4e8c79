"""Imports interchange records as published case study pages.

Records are checked first, all of them, so a bad record is skipped whole and reported with
every reason. New cases are then written in batches, each batch in one transaction: the rows
Wagtail's add_child and publish would write, in bulk (cases/interchange/page_rows.py, the one
place that uses Wagtail's and treebeard's internals), a queued task for Wagtail's own search
index (cases/admin_search.py), and through cases_published / cases_changed the
followers' fingerprints and the search indexes (search/lifecycle.py), so a killed import
never commits cases that search lacks. Changed
cases take Wagtail's ordinary path (save_revision then publish) so editors see a normal
history. Unchanged records write nothing, which is what makes a second import of the same
file fast and harmless.
"""

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backends

from cases.admin_search import add_to_admin_search
from cases.interchange.exporter import case_to_record
from cases.interchange.page_rows import publish_new_pages
from cases.interchange.records import (
    CaseRecord,
    Problem,
    Taxonomy,
    check_records,
    parse_lines,
)
from cases.interchange.text import paragraph_to_html, paragraphs
from cases.models import CaseIndexPage, CaseStudyPage, Organisation, Platform
from cases.models.snippets import taken_slugs, unique_slug
from cases.signals import cases_changed, cases_published, import_finished

BATCH_SIZE = 500
LOOKUP_CHUNK = 500


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    page_ids: list[int] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        return (
            f"{self.created} {verb}created, {self.updated} {verb}updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )


SAVE_ERRORS = (DatabaseError, ValidationError, ValueError)


def save_problem(record: CaseRecord, exc: Exception) -> Problem:
    reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return Problem(record.line, record.external_id, [f"could not be saved: {reason}"])


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def apply_record(page: CaseStudyPage, record: CaseRecord, organisation: Organisation) -> None:
    """Copy a record's fields (all but themes and platforms) onto a page."""
    page.title = page.draft_title = record.title
    page.summary = record.summary
    page.organisation = organisation
    page.country = record.country
    page.case_date = record.published
    page.case_date_precision = record.date_precision
    page.language = record.language
    page.body = [("paragraph", RichText(paragraph_to_html(p))) for p in paragraphs(record.body)]
    page.lessons = list(record.lessons)
    page.outcomes = [("outcome", {"label": lab, "value": val}) for lab, val in record.outcomes]
    page.result = record.result
    page.evidence = record.evidence
    page.source_event = record.source_event
    page.source_url = record.source_url
    page.authors = [("author", name) for name in record.authors]
    page.external_id = record.external_id


@contextmanager
def fewer_collections(threshold: int = 100_000):
    """Python's cyclic garbage collector, left at its defaults, walks every object the
    import holds (the records, the taxonomy, a batch's pages) again and again as a batch
    allocates its rows: an eighth of an import's time. Collected less often while it runs
    (a batch's garbage is still freed, by reference counting or the next collection); the
    process's own thresholds are put back after."""
    before = gc.get_threshold()
    gc.set_threshold(threshold, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class CaseImporter:
    def __init__(self, *, dry_run: bool = False, batch_size: int = BATCH_SIZE):
        self.dry_run = dry_run
        self.batch_size = batch_size

    def run(self, lines: Iterable[str]) -> ImportReport:
        """Import every good record; raises NotJsonLines for input that is not JSONL."""
        with fewer_collections():
            return self._run(lines)

    def _run(self, lines: Iterable[str]) -> ImportReport:
        report = ImportReport(dry_run=self.dry_run)
        objects, problems = parse_lines(lines)
        taxonomy = Taxonomy.load()
        records, bad = check_records(objects, taxonomy)
        report.problems = problems + bad

        library = CaseIndexPage.objects.get()
        existing = self._existing_pages([r.external_id for r in records])
        new, changed = [], []
        for record in records:
            page = existing.get(record.external_id)
            if page is None:
                new.append(record)
            elif page.live and self._unchanged(page, record, taxonomy):
                report.unchanged += 1
            else:
                changed.append((record, page))
        new = self._without_taken_slugs(library, new, report)
        report.problems.sort(key=lambda p: p.line)

        if self.dry_run:
            report.created, report.updated = len(new), len(changed)
            return report

        self._add_missing_taxonomy(taxonomy, [*new, *(r for r, _ in changed)])
        created = []  # ids only: a batch's pages are let go once it is written
        for batch in chunks(new, self.batch_size):
            created += [p.pk for p in self._create_batch_safely(library, batch, taxonomy, report)]
        for record, page in changed:
            self._update_safely(record, page, taxonomy, report)
        report.created = len(created)
        report.page_ids += created
        # Whatever an earlier, interrupted import left waiting for the indexes goes now.
        import_finished.send(sender=CaseImporter)
        report.problems.sort(key=lambda p: p.line)
        return report

    # Reading what is there -------------------------------------------------------------

    @staticmethod
    def _existing_pages(external_ids: list[str]) -> dict[str, CaseStudyPage]:
        found = {}
        for chunk in chunks(external_ids, LOOKUP_CHUNK):
            pages = (
                CaseStudyPage.objects.filter(external_id__in=chunk)
                .select_related("organisation")
                .prefetch_related("themes", "platforms")
            )
            found.update({page.external_id: page for page in pages})
        return found

    @staticmethod
    def _unchanged(page: CaseStudyPage, record: CaseRecord, taxonomy: Taxonomy) -> bool:
        current = CaseRecord.from_dict(case_to_record(page))
        return current.comparable(taxonomy) == record.comparable(taxonomy)

    @staticmethod
    def _without_taken_slugs(library, records: list[CaseRecord], report) -> list[CaseRecord]:
        """New cases take their external_id as slug; refuse one another page already uses."""
        taken = set()
        for chunk in chunks([r.external_id for r in records], LOOKUP_CHUNK):
            taken |= set(
                Page.objects.child_of(library)
                .filter(slug__in=chunk)
                .values_list("slug", flat=True)
            )
        for record in records:
            if record.external_id in taken:
                report.problems.append(
                    Problem(
                        record.line,
                        record.external_id,
                        [f"the address /cases/{record.external_id}/ is used by another page"],
                    )
                )
        return [r for r in records if r.external_id not in taken]

    # Writing -----------------------------------------------------------------------------

    @staticmethod
    def _add_missing_taxonomy(taxonomy: Taxonomy, records: list[CaseRecord]) -> None:
        """Create the organisations and platforms the records name that do not exist yet."""
        new_orgs, new_platforms = {}, {}
        for record in records:
            if record.organisation.lower() not in taxonomy.organisations:
                new_orgs.setdefault(record.organisation.lower(), record)
            for name in record.platforms:
                if name.lower() not in taxonomy.platforms:
                    new_platforms.setdefault(name.lower(), name)
        for model, wanted, table, build in (
            (
                Organisation,
                new_orgs,
                taxonomy.organisations,
                lambda r, slug: Organisation(name=r.organisation, slug=slug, country=r.country),
            ),
            (
                Platform,
                new_platforms,
                taxonomy.platforms,
                lambda n, slug: Platform(name=n, slug=slug),
            ),
        ):
            if not wanted:
                continue
            taken = taken_slugs(model)
            objs = []
            for value in wanted.values():
                name = value.organisation if model is Organisation else value
                slug = unique_slug(model, name, taken)
                taken.add(slug)
                objs.append(build(value, slug))
            with transaction.atomic():
                model.objects.bulk_create(objs)
            table.update({obj.name.lower(): obj for obj in objs})
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, objs)

    def _create_batch_safely(self, library, batch, taxonomy, report) -> list[CaseStudyPage]:
        """Write a batch in one transaction; if it fails, retry record by record."""
        try:
            with transaction.atomic():
                pages = self._create_batch(library, batch, taxonomy)
                page_ids = [page.pk for page in pages]
                # Queued in the batch's transaction (the database queue commits it with
                # the cases), as Wagtail queues its own index updates.
                add_to_admin_search.enqueue(page_ids)
                cases_published.send(sender=CaseImporter, pages=pages)
                # In the batch's transaction: a kill can never commit cases search lacks.
                cases_changed.send(sender=CaseImporter, page_ids=page_ids, new_cases=pages)
                return pages
        except SAVE_ERRORS as exc:
            if len(batch) == 1:
                report.problems.append(save_problem(batch[0], exc))
                return []
        created = []
        for record in batch:
            created += self._create_batch_safely(library, [record], taxonomy, report)
        return created

    @staticmethod
    def _create_batch(library, batch: list[CaseRecord], taxonomy: Taxonomy):
        pages = []
        for record in batch:
            page = CaseStudyPage(slug=record.external_id)
            apply_record(page, record, taxonomy.organisations[record.organisation.lower()])
            page.themes = [taxonomy.themes[t.lower()] for t in record.themes]
            page.platforms = taxonomy.platforms_of(record.platforms)
            pages.append(page)
        publish_new_pages(library, pages)
        return pages

    @staticmethod
    def _update_safely(record, page, taxonomy, report) -> None:
        """Wagtail's ordinary path: a new revision, published; the page keeps its history."""
        try:
            with transaction.atomic():
                apply_record(page, record, taxonomy.organisations[record.organisation.lower()])
                page.themes = [taxonomy.themes[t.lower()] for t in record.themes]
                page.platforms = taxonomy.platforms_of(record.platforms)
                page.save_revision(log_action=True).publish()
        except SAVE_ERRORS as exc:
            report.problems.append(save_problem(record, exc))
        else:
            report.updated += 1
            report.page_ids.append(page.pk)
