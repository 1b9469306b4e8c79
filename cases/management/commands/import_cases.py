"""manage.py import_cases FILE: import case studies from interchange JSON Lines."""

import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from cases.interchange.importer import CaseImporter
from cases.interchange.lines import read_lines
from cases.interchange.records import NotJsonLines


@contextmanager
def opened(path: str):
    """The file (or standard input, for -) as a binary stream, or a CommandError that says
    plainly why not."""
    if path == "-":
        yield sys.stdin.buffer
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below, after the import read it)
    except FileNotFoundError as exc:
        raise CommandError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise CommandError(f"{path}: is a folder, not a JSON Lines file") from exc
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror})") from exc
    with handle:
        yield handle


class Command(BaseCommand):
    help = "Import case studies from a JSON Lines file in the interchange format."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, one case per line (- for stdin)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every record without writing anything."
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            with opened(file) as stream:
                report = CaseImporter(dry_run=dry_run).run(read_lines(stream))
        except NotJsonLines as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for problem in report.problems:
            self.stderr.write(f"skipped {problem}")
        self.stdout.write(("Dry run: " if dry_run else "") + report.summary())
        if report.skipped:
            raise CommandError(f"{report.skipped} record(s) skipped; see the reasons above.")
