"""manage.py load_demo: the demo library, loaded through the import code; safe to re-run."""

from django.core.management.base import BaseCommand, CommandError

from wagtail import hooks

from cases.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo case library, its generated images and the demo events with their "
        "write-ups. A second run changes nothing."
    )

    def handle(self, *args, **options):
        report = load_demo()
        for problem in report.cases.problems:
            self.stderr.write(f"skipped {problem}")
        for problem in report.events.problems:
            self.stderr.write(f"events: {problem}")
        self.stdout.write(
            f"Demo library: {report.cases.summary()}; {report.images_added} image(s) added."
        )
        self.stdout.write(f"Demo events: {report.events.summary()}.")
        self.stdout.write(f"Demo replications: {report.replications_added} added.")
        # Other apps' demo content (e.g. questions and answers on cases): each "load_demo"
        # hook loads its own, idempotently, and returns a line for this report.
        for load_more in hooks.get_hooks("load_demo"):
            self.stdout.write(load_more())
        if report.cases.skipped:
            raise CommandError("The demo library has invalid records (see above).")
        if report.events.problems:
            raise CommandError("The demo events could not all be loaded (see above).")
