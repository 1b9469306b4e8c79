"""Send the digests that are due; for cron or a systemd timer (docs/deployment.md)."""

from django.core.management.base import BaseCommand

from commonground.following.digests import send_digests
from commonground.following.tasks import send_digests_task


class Command(BaseCommand):
    help = (
        "Send each member whose daily or weekly digest is due the cases, replications, "
        "questions and answers new in what they follow. Safe to run as often as you like: a "
        "member's digest goes at most once per period, and a run that was killed is finished "
        "by the next one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Leave the work to the task worker instead of doing it here.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_digests_task.enqueue()
            self.stdout.write(f"Digests queued as task {result.id}.")
            return
        report = send_digests()
        self.stdout.write(
            f"{report.due} member(s) due: {report.sent} digest(s) sent with {report.cases} "
            f"case(s) and {report.extras} replication(s), question(s) or answer(s), "
            f"{report.nothing_new} with nothing new, {report.skipped} sent by another run."
        )
