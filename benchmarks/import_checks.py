"""The importer's reading and checking, on ordinary and on hostile lines: time and peak memory,
printed as CPU time (nothing is asserted; figures vary with the machine).

    python benchmarks/import_checks.py

Only reading, parsing and checking are measured (what `import_cases --dry-run` does before
it looks at the database); the taxonomy is built in memory, so no database is needed.
"""

import io
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings.dev")

import django  # noqa: E402

django.setup()

from benchmarks.generate import THEMES, generate  # noqa: E402
from cases.interchange.lines import read_lines  # noqa: E402
from cases.interchange.records import Taxonomy, check_records, parse_lines  # noqa: E402
from cases.limits import RECORD_BYTES  # noqa: E402
from cases.models import Theme  # noqa: E402

TAXONOMY = Taxonomy(
    themes={slug: Theme(name=slug, slug=slug) for slug in THEMES}, organisations={}, platforms={}
)


def measured(work):
    """(CPU seconds, peak MiB allocated by Python, result) of one call. CPU time, not wall
    time, so other work on a shared machine counts less; it is taken on a second call,
    without tracing, which slows Python down several times."""
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    start = time.process_time()
    result = work()
    return time.process_time() - start, peak, result


def check(lines):
    objects, problems = parse_lines(lines)
    records, bad = check_records(objects, TAXONOMY)
    return len(records), problems + bad


class Endless(io.RawIOBase):
    """`size` bytes of one line, made as they are read (never held whole)."""

    def __init__(self, size: int):
        self.left = size

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer), self.left)
        buffer[:count] = b"x" * count
        self.left -= count
        return count


def main():
    lines = list(generate(2000))
    seconds, peak, (good, problems) = measured(lambda: check(lines))
    assert good == 2000 and not problems, problems[:3]
    print(
        f"2,000 generated records: {seconds:.2f} s ({2000 / seconds:,.0f} records/s), "
        f"peak {peak:.1f} MiB"
    )

    record = {**json.loads(lines[0]), "external_id": "hostile"}
    hostile = {
        "nested 100,000 deep": "[" * 100_000,
        "a number of 5,000 digits": '{"x": ' + "9" * 5000 + "}",
        "platforms: 100,000 numbers": json.dumps({**record, "platforms": [1] * 100_000}),
        "authors: 40,000 names with NUL": json.dumps({**record, "authors": ["a\x00"] * 40_000}),
        "themes: 5 names of 100,000 chars": json.dumps({**record, "themes": ["t" * 100_000] * 5}),
        "body at 50,000 chars": json.dumps({**record, "body": "word " * 10_000}),
        "a line just over 512 KiB": json.dumps({**record, "body": "x" * RECORD_BYTES}),
    }
    for name, line in hostile.items():
        seconds, peak, (good, problems) = measured(lambda line=line: check([lines[0], line]))
        outcome = "imported" if good == 2 else "; ".join(problems[0].reasons)[:70]
        print(f"{name:34} {seconds * 1000:8.1f} ms  peak {peak:6.1f} MiB  {outcome}")

    for megabytes in (50, 500):
        seconds, peak, read = measured(
            lambda size=megabytes * 2**20: list(read_lines(io.BufferedReader(Endless(size))))
        )
        print(
            f"one line of {megabytes} MB through read_lines: {seconds:.2f} s, "
            f"peak {peak:.1f} MiB, read as: {read[0].reason}"
        )


if __name__ == "__main__":
    main()
