"""manage.py search_index rebuild|update|status|check: the search indexes of every engine.

Each action ends, against an engine that does not answer, within the engine's bounds
(search/engines/elasticsearch.py) with a CommandError that says why.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from search.engines.base import EngineUnavailable
from search.service import get_search_service
from search.synonyms import SynonymError


class Command(BaseCommand):
    help = (
        "rebuild: index every published case from scratch; update: add what is missing and "
        "drop what is no longer published; status: print engines, counts and index names; "
        "check: exit non-zero when an index and the published cases differ or changes are "
        "still waiting to reach an index."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "update", "status", "check"])

    def handle(self, *args, action, **options):
        service = get_search_service()
        try:
            getattr(self, f"{action}_index")(service)
        except EngineUnavailable as exc:
            raise CommandError(f"The search engine is unavailable: {exc}") from exc
        except SynonymError as exc:
            raise CommandError(f"Fix the synonym list, then run this again. {exc}") from exc

    def rebuild_index(self, service):
        start = time.perf_counter()
        failed = []
        for engine, count in service.rebuild().items():
            if isinstance(count, str):
                failed.append(f"{engine}: {count}")
            else:
                self.stdout.write(f"{engine}: indexed {count} case(s)")
        self.stdout.write(f"Rebuilt in {time.perf_counter() - start:.1f} s")
        if failed:
            raise CommandError("Not rebuilt: " + "; ".join(failed))

    def update_index(self, service):
        failed = []
        for engine, outcome in service.update().items():
            if isinstance(outcome, str):
                failed.append(f"{engine}: {outcome}")
                continue
            added, removed = outcome
            self.stdout.write(f"{engine}: {added} added, {removed} removed")
        if failed:
            raise CommandError("Not updated: " + "; ".join(failed))

    def status_index(self, service):
        for status in service.status():
            details = ", ".join(f"{k}: {v}" for k, v in status.items() if k != "engine")
            self.stdout.write(f"{status['engine']}: {details}")

    def check_index(self, service):
        problems = service.check()
        if problems:
            raise CommandError("Search index out of step: " + "; ".join(problems))
        self.stdout.write("Search indexes match the published cases.")
