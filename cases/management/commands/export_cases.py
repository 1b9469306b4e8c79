"""manage.py export_cases [-o FILE]: every published case as interchange JSON Lines."""

import sys

from django.core.management.base import BaseCommand

from cases.interchange.exporter import iter_lines


class Command(BaseCommand):
    help = "Export every published case study as JSON Lines (the interchange format)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write (default: standard output)")

    def handle(self, *args, output=None, **options):
        count = 0
        handle = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        try:
            for line in iter_lines():
                handle.write(line)
                count += 1
        finally:
            if output:
                handle.close()
        if output:
            self.stderr.write(f"Exported {count} case(s) to {output}")
