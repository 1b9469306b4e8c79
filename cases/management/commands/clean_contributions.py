"""manage.py clean_contributions: remove what contributions left behind (run it daily)."""

from django.core.management.base import BaseCommand

from cases.contribute.cleanup import clean_contributions


class Command(BaseCommand):
    help = (
        "Delete images uploaded with contributions that no saved contribution uses after a "
        "day (files and renditions too), and organisations no case or revision names."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(clean_contributions()))
