"""Imports interchange records as published case study pages.

Records are checked first, all of them, so a bad record is skipped whole and reported with
every reason. New cases are then written in batches, each batch in one transaction: the
pages' rows, a revision for each (which is also its live revision), their themes and
platforms and audit log entries, with bulk inserts. Search and reference indexing run once
at the end, after the data is committed. Changed cases take Wagtail's ordinary path
(save_revision then publish) so editors see a normal history. Unchanged records write
nothing, which is what makes a second import of the same file fast and harmless.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from cases.interchange.exporter import case_to_record
from cases.interchange.records import (
    CaseRecord,
    Problem,
    Taxonomy,
    check_records,
    parse_lines,
)
from cases.interchange.text import paragraph_to_html, paragraphs
from cases.models import CaseIndexPage, CaseStudyPage, Organisation, Platform
from cases.models.snippets import unique_slug
from cases.signals import cases_changed, import_finished

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


class CaseImporter:
    def __init__(self, *, dry_run: bool = False, batch_size: int = BATCH_SIZE):
        self.dry_run = dry_run
        self.batch_size = batch_size

    def run(self, lines: Iterable[str]) -> ImportReport:
        """Import every good record; raises NotJsonLines for input that is not JSONL."""
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
        created = []
        for batch in chunks(new, self.batch_size):
            created += self._create_batch_safely(library, batch, taxonomy, report)
        for record, page in changed:
            self._update_safely(record, page, taxonomy, report)
        report.created = len(created)
        report.page_ids += [page.pk for page in created]
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
            taken = set(model.objects.values_list("slug", flat=True))
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
            with transaction.atomic(), disable_reference_index_auto_update():
                pages = self._create_batch(library, batch, taxonomy)
                # In the batch's transaction: a kill can never commit cases the indexes lack.
                self._index(pages)
                cases_changed.send(sender=CaseImporter, page_ids=[page.pk for page in pages])
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
        now = timezone.now()
        case_type = ContentType.objects.get_for_model(CaseStudyPage)
        page_type = ContentType.objects.get_for_model(Page)
        depth = library.depth + 1
        # Asked of the database, not treebeard's get_last_child(), which trusts the
        # in-memory numchild that earlier batches left stale.
        last_path = (
            Page.objects.filter(path__startswith=library.path, depth=depth)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        step = CaseStudyPage._str2int(last_path[-library.steplen :]) if last_path else 0

        pages = []
        for offset, record in enumerate(batch, start=1):
            page = CaseStudyPage(
                slug=record.external_id,
                path=CaseStudyPage._get_path(library.path, depth, step + offset),
                depth=depth,
                numchild=0,
                locale_id=library.locale_id,
                content_type=case_type,
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                latest_revision_created_at=now,
            )
            apply_record(page, record, taxonomy.organisations[record.organisation.lower()])
            page._cached_parent_obj = library  # treebeard's cache: saves a query per page
            page.save(clean=False, log_action=None)  # log entries are bulk-inserted below
            # Held in memory for the revision's content; the rows are bulk-inserted below.
            page.themes = [taxonomy.themes[t.lower()] for t in record.themes]
            page.platforms = [taxonomy.platforms[p.lower()] for p in record.platforms]
            pages.append(page)

        revisions = Revision.objects.bulk_create(
            Revision(
                content_type=case_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                object_str=page.title,
                created_at=now,
                content=page.serializable_data(),
            )
            for page in pages
        )
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
        Page.objects.bulk_update(pages, ["latest_revision", "live_revision"])

        themes_through = CaseStudyPage.themes.through
        platforms_through = CaseStudyPage.platforms.through
        themes_through.objects.bulk_create(
            themes_through(casestudypage_id=page.pk, theme_id=theme.pk)
            for page in pages
            for theme in page.themes.all()
        )
        platforms_through.objects.bulk_create(
            platforms_through(casestudypage_id=page.pk, platform_id=platform.pk)
            for page in pages
            for platform in page.platforms.all()
        )
        PageLogEntry.objects.bulk_create(
            PageLogEntry(
                content_type=case_type,
                page_id=page.pk,
                label=page.title,
                action=action,
                timestamp=now,
                revision=revision if action == "wagtail.publish" else None,
                content_changed=True,
                data={},
            )
            for page, revision in zip(pages, revisions, strict=True)
            for action in ("wagtail.create", "wagtail.publish")
        )
        Page.objects.filter(pk=library.pk).update(numchild=F("numchild") + len(pages))
        return pages

    @staticmethod
    def _update_safely(record, page, taxonomy, report) -> None:
        """Wagtail's ordinary path: a new revision, published; the page keeps its history."""
        try:
            with transaction.atomic():
                apply_record(page, record, taxonomy.organisations[record.organisation.lower()])
                page.themes = [taxonomy.themes[t.lower()] for t in record.themes]
                page.platforms = [taxonomy.platforms[p.lower()] for p in record.platforms]
                page.save_revision(log_action=True).publish()
        except SAVE_ERRORS as exc:
            report.problems.append(save_problem(record, exc))
        else:
            report.updated += 1
            report.page_ids.append(page.pk)

    @staticmethod
    def _index(pages: list[CaseStudyPage]) -> None:
        """Wagtail's admin search and reference indexing for the new pages, in one pass.

        New pages have no reference rows yet, so rows are built with the same extraction
        ReferenceIndex.create_or_update_for_object uses and inserted in bulk instead of
        being read, compared and written page by page.
        """
        case_type = ContentType.objects.get_for_model(CaseStudyPage)
        page_type = ContentType.objects.get_for_model(Page)
        for batch in chunks(pages, BATCH_SIZE):
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(CaseStudyPage, batch)
            ReferenceIndex.objects.bulk_create(
                (
                    ReferenceIndex(
                        content_type=case_type,
                        base_content_type=page_type,
                        object_id=page.pk,
                        to_content_type_id=to_type,
                        to_object_id=to_id,
                        model_path=model_path,
                        content_path=content_path,
                        content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                    )
                    for page in batch
                    for to_type, to_id, model_path, content_path in set(
                        ReferenceIndex._extract_references_from_object(page)
                    )
                ),
                ignore_conflicts=True,
            )
