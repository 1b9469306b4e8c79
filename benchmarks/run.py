"""make bench: import rate and page server times at several library sizes.

Each size runs in a fresh process on a fresh SQLite database in a temporary folder:
migrate, import N generated cases (benchmarks/generate.py) through the real importer, then
time requests in-process through Django's full request handling (server time: routing,
queries and template rendering; no network). Results are printed as a table and written
to benchmarks/out/results.json.

    python benchmarks/run.py                       # 1,000 and 10,000 cases
    BENCH_SIZES=1000,10000,100000 python benchmarks/run.py
    python benchmarks/run.py --import-only --sizes 10000,100000 --repeat 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_bench python benchmarks/run.py --import-only

With a PostgreSQL DATABASE_URL (or --postgres URL) each run gets a fresh database of that
name (dropped and created again; use a name of its own); otherwise a fresh SQLite file.
Migrations run once into a template that every run copies. --import-only times the import
alone (no pages, searches or embedding), --repeat N runs each size N times and prints
the min and median rate.
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
REQUESTS = 60
SAMPLE = 40  # cases embedded by the real model for the embedding rate


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed_requests(client, urls, before=None):
    times = []
    for url in urls:
        if before is not None:
            before()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "n": len(times),
    }


def setup_django():
    sys.path.insert(0, str(ROOT / "site"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings.dev")
    import django

    django.setup()


def migrate_only() -> dict:
    """Child: migrate the (template) database DATABASE_URL names."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return {}


def timed_import(size: int) -> dict:
    """Child: import `size` generated cases into the migrated database; the rate."""
    setup_django()
    from django.db import connection

    seconds, cpu = import_generated(size)
    return {
        "cases": size,
        "database": connection.vendor,
        "import_seconds": round(seconds, 1),
        "import_rate_per_s": round(size / seconds),
        "import_cpu_seconds": round(cpu, 1),
        "rss_mb": resident_mb(),
    }


def import_generated(size: int) -> tuple[float, float]:
    """Imports `size` generated cases through the real importer (also the load benchmark's
    libraries); returns the seconds and the CPU seconds taken."""
    from django.db import connection

    from benchmarks.generate import generate
    from cases.interchange.importer import CaseImporter

    lines = list(generate(size))
    start, cpu = time.perf_counter(), cpu_seconds(connection)
    report = CaseImporter().run(lines)
    seconds, cpu = time.perf_counter() - start, cpu_seconds(connection) - cpu
    assert report.created == size and not report.problems, report.summary()
    return seconds, cpu


def cpu_seconds(connection) -> float:
    """CPU time of this process and, on PostgreSQL, of its server process (same machine):
    on a shared machine wall time says more about the other work than about the import."""
    total = time.process_time()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(size: int) -> dict:
    """Child: the import, then timed pages and searches on the library it made."""
    imported = timed_import(size)
    from django.test import Client

    from benchmarks.generate import THEMES
    from cases.models import CaseStudyPage

    rng = random.Random(1)
    client = Client(HTTP_HOST="localhost")
    slugs = list(CaseStudyPage.objects.values_list("slug", flat=True))
    pages = max(1, size // 20)
    library_urls = [
        rng.choice(
            [
                f"/cases/?theme={rng.choice(THEMES)}",
                f"/cases/?theme={rng.choice(THEMES)}&country=GB",
                f"/cases/?year={rng.randrange(2008, 2026)}&sort=oldest",
                f"/cases/?platform=twitter&result=worked&page={rng.randrange(1, 5)}",
                f"/cases/?page={rng.randrange(1, pages + 1)}",
            ]
        )
        for _ in range(REQUESTS)
    ]
    case_urls = [f"/cases/{rng.choice(slugs)}/" for _ in range(REQUESTS)]
    words = ["police", "social media", "flood", "manhunt", "recruitment video", "crisis trust"]
    search_urls = [
        rng.choice(
            [
                f"/search/?q={rng.choice(words)}",
                f"/search/?q={rng.choice(words)}&theme={rng.choice(THEMES)}",
                f"/search/?q={rng.choice(words)}&country=GB&sort=newest",
                f"/search/?q={rng.choice(words)}&page={rng.randrange(2, 6)}",
                f"/search/?theme={rng.choice(THEMES)}&year={rng.randrange(2008, 2026)}",
            ]
        )
        for _ in range(REQUESTS)
    ]
    from search.service import get_search_service

    start = time.perf_counter()
    get_search_service().rebuild()
    rebuild_seconds = time.perf_counter() - start
    meaning = prepare_meaning(slugs)
    # Warm the process (connections, the facet snapshot, the full-text module) with pages
    # and one search that is not in the timed mix; every timed query meets its own match
    # and ranking caches cold, as the first search for it after a change does.
    timed_requests(client, library_urls[:5] + case_urls[:5] + ["/search/?q=warm+up"])
    api_urls = [url.replace("/search/?", "/api/search/?") for url in search_urls]
    return {
        "meaning": meaning,
        "search_api_cold_question": timed_requests(client, api_urls, before=forget_questions),
        "search": timed_requests(client, search_urls),
        "search_common_word": timed_requests(client, ["/search/?q=police"] * 10),
        "rebuild_seconds": round(rebuild_seconds, 1),
        **{k: imported[k] for k in ("cases", "import_seconds", "import_rate_per_s")},
        "library_filtered": timed_requests(client, library_urls),
        "case_page": timed_requests(client, case_urls),
        "home_page": timed_requests(client, ["/"] * 20),
        "rss_mb": resident_mb(),
    }


def prepare_meaning(slugs, sample: int = SAMPLE) -> dict:
    """Meaning search at this size: the real model embeds a sample of cases (the rate), and
    every other case gets random unit vectors, as many passages as a demo case has (chunk
    0, two body passages, five lessons), so the timed searches pay the real question
    embedding and the real top-k over as many vectors as the library would hold
    (embedding 10,000 generated cases for real would take hours)."""
    import numpy as np

    from cases.models import CaseStudyPage
    from search.documents import LESSON_CHUNKS
    from search.embed import embed_batch
    from search.embedding import embedder
    from search.models import CaseVector
    from search.vectors import vectors_changed

    model = embedder()
    if model is None:
        return {"embedder": None}
    ids = list(CaseStudyPage.objects.live().order_by("pk").values_list("pk", flat=True))
    sample = ids[:sample]
    start = time.perf_counter()
    embed_batch(model, sample)
    rate = len(sample) / (time.perf_counter() - start)
    sampled_rows = CaseVector.objects.filter(model=model.name).count()
    chunks = [0, 1, 2, *range(LESSON_CHUNKS, LESSON_CHUNKS + 5)]
    rng = np.random.default_rng(1)
    batch = CaseVector.objects.next_batch()
    rest = ids[len(sample) :]
    for at in range(0, len(rest), 2000):
        chunk_ids = rest[at : at + 2000]
        vectors = rng.standard_normal((len(chunk_ids) * len(chunks), model.dim)).astype("<f4")
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        rows = (
            CaseVector(
                page_id=pk,
                chunk=chunk,
                model=model.name,
                text_digest="bench-random",
                vector=vectors[i * len(chunks) + j].tobytes(),
                batch=batch,
            )
            for i, pk in enumerate(chunk_ids)
            for j, chunk in enumerate(chunks)
        )
        CaseVector.objects.bulk_create(rows, batch_size=2000)
    vectors_changed()
    return {
        "embedder": model.name,
        "embed_rate_per_s": round(rate, 2),
        "sampled": len(sample),
        "passages_per_sampled_case": round(sampled_rows / max(1, len(sample)), 1),
        "vectors": CaseVector.objects.filter(model=model.name).count(),
    }


def forget_questions():
    """Every timed API search embeds its question cold (no query-vector cache)."""
    from search.embedding import embedder

    model = embedder()
    if model is not None:
        model.query._vectors.clear()


def resident_mb() -> float:
    """This process's resident memory (the model loaded, after the timed requests)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


class FreshDatabases:
    """A migrated template, copied for every run: a fresh SQLite file, or with a PostgreSQL
    URL a fresh database of that name (CREATE DATABASE ... TEMPLATE)."""

    def __init__(self, postgres_url: str | None, folder: str):
        self.postgres_url = postgres_url
        self.folder = folder
        if postgres_url:
            self.base, self.name = postgres_url.rstrip("/").rsplit("/", 1)
            self.template = f"{self.name}_template"
            self._sql(f"DROP DATABASE IF EXISTS {self.template}")
            self._sql(f"CREATE DATABASE {self.template}")
            self.template_url = f"{self.base}/{self.template}"
        else:
            self.template_url = f"sqlite:///{folder}/template.sqlite3"
        child(self.template_url, folder, "--migrate")

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as conn:
            conn.execute(statement)

    def fresh(self) -> str:
        if self.postgres_url:
            self._sql(f"DROP DATABASE IF EXISTS {self.name}")
            self._sql(f"CREATE DATABASE {self.name} TEMPLATE {self.template}")
            return self.postgres_url
        path = f"{self.folder}/bench.sqlite3"
        shutil.copyfile(f"{self.folder}/template.sqlite3", path)
        return f"sqlite:///{path}"

    def close(self) -> None:
        if self.postgres_url:
            self._sql(f"DROP DATABASE IF EXISTS {self.name}")
            self._sql(f"DROP DATABASE IF EXISTS {self.template}")


def child(database_url: str, folder: str, *args) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": folder, "DEBUG": "false"}
    output = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def import_rates(sizes, repeat, databases) -> list[dict]:
    rows = []
    for size in sizes:
        runs = [child(databases.fresh(), databases.folder, "--import", str(size))]
        runs += [
            child(databases.fresh(), databases.folder, "--import", str(size))
            for _ in range(repeat - 1)
        ]
        seconds = [r["import_seconds"] for r in runs]
        cpu = [r["import_cpu_seconds"] for r in runs]
        row = {
            "cases": size,
            "database": runs[0]["database"],
            "runs": len(runs),
            "seconds": seconds,
            "cpu_seconds": cpu,
            "rate_median": round(size / statistics.median(seconds)),
            "rate_best": round(size / min(seconds)),
            "cpu_rate_median": round(size / statistics.median(cpu)),
            "rss_mb_max": max(r["rss_mb"] for r in runs),
        }
        print(
            f"{size:>8,} {row['database']:>10} {len(runs)} run(s): wall {seconds} s, median"
            f" {row['rate_median']}/s (best {row['rate_best']}/s); CPU {cpu} s (importer"
            f" and database server), median {row['cpu_rate_median']}/s of CPU;"
            f" peak RSS {row['rss_mb_max']} MB",
            flush=True,
        )
        rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000,10000"))
    parser.add_argument("--import-only", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("DATABASE_URL", "")
        if "postgres" in os.environ.get("DATABASE_URL", "")
        else "",
        help="a PostgreSQL URL whose database each run creates afresh",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    database = "PostgreSQL" if args.postgres else "SQLite"
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as folder:
        databases = FreshDatabases(args.postgres or None, folder)
        try:
            if args.import_only:
                print(f"Import rate on {machine}, {database}")
                rows = import_rates(sizes, args.repeat, databases)
                OUT.mkdir(exist_ok=True)
                (OUT / "import.json").write_text(
                    json.dumps({"machine": machine, "results": rows}, indent=2)
                )
                return
            report_pages(sizes, machine, database, databases)
        finally:
            databases.close()


def report_pages(sizes, machine, database, databases):
    print(f"Common Ground benchmarks on {machine}, {database}, server time in-process")
    header = (
        f"{'cases':>8} {'import':>16} {'library (filtered)':>22} {'case page':>18} {'home':>18}"
        f" {'search (mixed)':>20} {'search police':>18} {'rebuild':>8}"
    )
    print(header)
    results = []
    for size in sizes:
        r = child(databases.fresh(), databases.folder, str(size))
        results.append(r)
        lib, case, home = r["library_filtered"], r["case_page"], r["home_page"]
        common = r["search_common_word"]
        print(
            f"{size:>8,} {r['import_seconds']:>6}s {r['import_rate_per_s']:>5}/s "
            f"  p50 {lib['p50_ms']:>5} p95 {lib['p95_ms']:>6} ms"
            f"  p50 {case['p50_ms']:>4} p95 {case['p95_ms']:>5} ms"
            f"  p50 {home['p50_ms']:>4} p95 {home['p95_ms']:>5} ms"
            f"  p50 {r['search']['p50_ms']:>5} p95 {r['search']['p95_ms']:>6} ms"
            f"  p50 {common['p50_ms']:>5} p95 {common['p95_ms']:>6}"
            f"  {r['rebuild_seconds']:>6}s"
        )
        api, meaning = r["search_api_cold_question"], r["meaning"]
        if meaning.get("embedder"):
            print(
                f"{'':>8} search API, each question embedded cold: p50 {api['p50_ms']} p95"
                f" {api['p95_ms']} ms; embedding {meaning['embed_rate_per_s']} cases/s"
                f" ({meaning['sampled']} cases); process {r['rss_mb']} MB resident"
            )
        else:
            print(f"{'':>8} meaning search off: words alone")
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(
        json.dumps({"machine": machine, "results": results}, indent=2)
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        if sys.argv[2] == "--migrate":
            print(json.dumps(migrate_only()))
        elif sys.argv[2] == "--import":
            print(json.dumps(timed_import(int(sys.argv[3]))))
        else:
            print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main()
