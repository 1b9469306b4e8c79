"""manage.py import_cases FILE: import case studies from interchange JSON Lines."""

from django.core.management.base import BaseCommand, CommandError

from cases.interchange.importer import CaseImporter
from cases.interchange.records import NotJsonLines


def read_lines(path: str):
    """The file's lines as text, or a CommandError that says plainly why not."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read().splitlines()
    except FileNotFoundError as exc:
        raise CommandError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise CommandError(f"{path}: is a folder, not a JSON Lines file") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"{path}: not a JSON Lines file (it is not UTF-8 text; is it a binary file?)"
        ) from exc


class Command(BaseCommand):
    help = "Import case studies from a JSON Lines file in the interchange format."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, one case per line (- for stdin)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every record without writing anything."
        )

    def handle(self, *args, file, dry_run, **options):
        if file == "-":
            import sys

            lines = sys.stdin.read().splitlines()
        else:
            lines = read_lines(file)
        try:
            report = CaseImporter(dry_run=dry_run).run(lines)
        except NotJsonLines as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for problem in report.problems:
            self.stderr.write(f"skipped {problem}")
        self.stdout.write(("Dry run: " if dry_run else "") + report.summary())
        if report.skipped:
            raise CommandError(f"{report.skipped} record(s) skipped; see the reasons above.")
