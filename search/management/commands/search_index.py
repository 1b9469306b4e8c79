"""manage.py search_index rebuild|update|status|check|embed: the search indexes of every
engine, and the case vectors of meaning search.

Each action ends, against an engine that does not answer, within the engine's bounds
(search/engines/elasticsearch.py) with a CommandError that says why.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from search.engines.base import EngineUnavailable
from search.service import get_search_service
from search.synonym_check import SynonymError


class Command(BaseCommand):
    help = (
        "rebuild: index every published case from scratch; update: add what is missing and "
        "drop what is no longer published; status: print engines, counts and index names; "
        "check: exit non-zero when an index and the published cases differ or changes are "
        "still waiting to reach an index; embed: embed the cases that need it now, with progress "
        "(resumable), or with --background leave it to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "update", "status", "check", "embed"])
        parser.add_argument(
            "--background",
            action="store_true",
            help="embed: enqueue the embedding task for the worker instead of waiting",
        )

    def handle(self, *args, action, background=False, **options):
        service = get_search_service()
        if action == "embed":
            return self.embed(service, background)
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
        self.stdout.write(service.meaning())

    def check_index(self, service):
        problems = service.check()
        # Cases without vectors are still found by their words: reported, never a failure.
        self.stdout.write(service.meaning())
        if problems:
            raise CommandError("Search index out of step: " + "; ".join(problems))
        self.stdout.write("Search indexes match the published cases.")

    def embed(self, service, background):
        from search.embed import embed_pending
        from search.embedding import embed_threads, embedder
        from search.tasks import enqueue_embedding

        if background:
            enqueue_embedding()
            self.stdout.write("Embedding left to the task worker. " + service.meaning())
            return
        model = embedder(threads=embed_threads())
        if model is None:
            self.stdout.write(service.meaning())
            return
        started = time.monotonic()

        def progress(done, total, embedded):
            rate = embedded / max(time.monotonic() - started, 1e-9)
            filled = int(30 * done / max(total, 1))
            bar = "#" * filled + "." * (30 - filled)
            self.stderr.write(
                f"\r[{bar}] {done}/{total} cases, {embedded} embedded, {rate:.1f} cases/s",
                ending="",
            )
            sys.stderr.flush()

        outcome = embed_pending(model, wait=60.0, progress=progress)
        self.stderr.write("")
        if isinstance(outcome, str):
            raise CommandError(f"Not embedded: {outcome}")
        rate = outcome["embedded"] / max(outcome["seconds"], 1e-9)
        self.stdout.write(
            f"Embedded {outcome['embedded']} case(s), removed the vectors of "
            f"{outcome['removed']}, in {outcome['seconds']:.1f} s ({rate:.1f} cases/s)."
        )
