"""make bench: real HTTP load against gunicorn (2 sync workers, production settings).

For each library size (34 = the demo library; other sizes are generated cases imported by
benchmarks/run.py's importer) the database is prepared once and kept in benchmarks/out/load/
(SQLite), or in PostgreSQL databases <name>_<size> when DATABASE_URL is set; CACHE_URL
(Redis) is passed to the server and flushed before each start. Each round starts gunicorn
afresh and measures:

  cold   the first request to each page after the start, then again after a change (one
         case published again in another process);
  warm   every address of the workloads asked four times first (each worker then holds the
         pages in its cache), then `wrk` (2 threads, 10 connections) on each page for
         --duration seconds, then on a
         mixed browse / search / feed workload (without wrk, a Python generator of threads
         and keep-alive http.client connections prints the same figures); also the
         workers' CPU time per request (from /proc), which other work on a shared machine
         barely moves: cores / CPU per request is what a quiet machine could serve.

Then, per size, memory: RSS / PSS of the master and each worker, and of the search model's
mapped files, after the same searches, with and without gunicorn --preload.

The figures printed are the median of the rounds; every round is in the JSON written to
benchmarks/out/load/results.json. The warm figures are checked against the floors of
issue 13 (PASS / UNDER), and the exit status is 1 when one is under or a request failed.

    python benchmarks/load.py                              # LOAD_SIZES or 34,10000,100000
    python benchmarks/load.py --sizes 34 --duration 10     # a quick re-run
    LOAD_SIZES=34,10000 make bench                         # skip the 100,000-case import
"""

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.server import Gunicorn, production_env  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "load"
DEMO = 34  # the demo library's size: that size is `load_demo`, any other is generated
WRK = shutil.which("wrk")
# Requests per second each warm page must reach, with no failed request (issue 13).
FLOORS = {"case page": 300, "library": 200, "search API": 200}
PAGES = ["case page", "home", "library", "theme", "search page", "search API", "feed"]


# --- the load generators: both return the same figures --------------------------------------


def run_load(base_url: str, paths: list[tuple[int, str]], duration: float, generator: str):
    """Load on `paths` ((weight, path) pairs) for `duration` seconds: requests, req/s,
    p50/p95/p99 latency in ms, non-2xx responses and socket errors."""
    if generator == "wrk":
        result = _wrk(base_url, paths, duration)
    else:
        result = _python_load(base_url, paths, duration)
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    result["errors"] = result["non2xx"] + result["socket_errors"]
    return result


def _wrk(base_url, paths, duration):
    with tempfile.NamedTemporaryFile("w", suffix=".paths") as listing:
        listing.write("".join(f"{weight} {path}\n" for weight, path in paths))
        listing.flush()
        completed = subprocess.run(
            [WRK, "-t2", "-c10", f"-d{int(duration)}s", "--timeout", "10s", "--latency"]
            + ["-s", str(ROOT / "benchmarks" / "load.lua"), base_url],
            env={**os.environ, "LOAD_PATHS": listing.name},
            capture_output=True,
            text=True,
        )
    for line in completed.stdout.splitlines():
        if line.startswith("LOAD-RESULT "):
            return json.loads(line.removeprefix("LOAD-RESULT "))
    raise RuntimeError(f"wrk gave no result:\n{completed.stdout}\n{completed.stderr}")


def _python_load(base_url, paths, duration, connections=10):
    """wrk's measurement in Python: `connections` threads, each with one keep-alive
    connection, sending the next request as soon as the last is read."""
    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    weights = [weight for weight, _ in paths]
    latencies, counts = [], {"non2xx": 0, "socket_errors": 0}
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + duration

    def client(seed):
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(host, port, timeout=10)
        mine, non2xx, failed = [], 0, 0
        while time.perf_counter() < deadline:
            path = rng.choices(paths, weights)[0][1]
            sent = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                continue
            mine.append((time.perf_counter() - sent) * 1000)
            non2xx += not 200 <= response.status <= 299
        connection.close()
        with lock:
            latencies.extend(mine)
            counts["non2xx"] += non2xx
            counts["socket_errors"] += failed

    workers = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "seconds": round(seconds, 3),
        **{f"p{p}_ms": round(percentile(latencies, p), 2) for p in (50, 95, 99)},
        **counts,
    }


def percentile(values, pct):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))]


def first_request_ms(base_url: str, path: str) -> tuple[float, int]:
    """One request on a new connection: (milliseconds, status)."""
    split = urlsplit(base_url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=60)
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return round((time.perf_counter() - start) * 1000, 1), response.status


# --- the libraries ---------------------------------------------------------------------------


def database_url(size: int) -> str:
    base = os.environ.get("DATABASE_URL")
    if not base:
        return f"sqlite:///{OUT / f'cases-{size}.sqlite3'}"
    split = urlsplit(base)
    return urlunsplit(split._replace(path=f"{split.path.rstrip('/')}_{size}"))


def server_env(size: int) -> dict:
    env = {
        "DATABASE_URL": database_url(size),
        "STATIC_ROOT": str(OUT / "static"),
        "MEDIA_ROOT": str(OUT / f"media-{size}"),
    }
    if os.environ.get("CACHE_URL"):
        env["CACHE_URL"] = os.environ["CACHE_URL"]
    return env


def prepare(size: int, fresh: bool) -> dict:
    """The library of `size` cases, made once (or again with --fresh), and the pages to load."""
    OUT.mkdir(parents=True, exist_ok=True)
    url = database_url(size)
    if url.startswith("sqlite:") and fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(urlsplit(url).path + suffix).unlink(missing_ok=True)
    elif url.startswith("postgres"):
        _create_postgres_database(url, fresh)
    completed = subprocess.run(
        [sys.executable, __file__, "--prepare-child", str(size)],
        env=production_env(server_env(size)),
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        sys.exit(f"preparing {size} cases failed:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _create_postgres_database(url: str, fresh: bool) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare_child(size: int) -> dict:
    """In a child process with the server's settings: migrate, collect static files, load
    the library unless it is there, and choose the pages."""
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.run import import_generated, prepare_meaning
    from cases.models import CaseStudyPage, Theme

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    live = CaseStudyPage.objects.live()
    if live.count() != size:
        if live.exists():
            raise SystemExit(f"the database holds {live.count()} cases, not {size}: --fresh")
        if size == DEMO:
            call_command("load_demo", verbosity=0)
        else:
            import_generated(size)
        # Meaning search on every case: the demo library embedded by the model, generated
        # cases given random vectors (benchmarks/run.py; embedding them would take hours).
        prepare_meaning(None, sample=DEMO if size == DEMO else 0)
        assert live.count() == size, f"{live.count()} cases after loading, not {size}"
    rng = random.Random(1)
    ids = list(live.order_by("pk").values_list("pk", flat=True))
    case_urls = [page.url for page in CaseStudyPage.objects.filter(pk__in=rng.sample(ids, 20))]
    theme = Theme.objects.order_by("pk").first().slug
    organisation = live.order_by("pk").values_list("organisation__slug", flat=True).first()
    library = [f"/cases/?theme={theme}", f"/cases/?theme={theme}&country=GB", "/cases/?page=2"]
    searches = ["police", "flood appeal", "recruitment video", "crisis trust"]
    pages = {
        "case page": [(1, url) for url in case_urls],
        "home": [(1, "/")],
        "library": [(1, url) for url in library],
        "theme": [(1, f"/themes/{theme}/")],
        "search page": [(1, "/search/?q=police")],
        "search API": [(1, "/api/search/?q=police")],
        "feed": [(1, "/feeds/cases/")],
    }
    pages["mixed"] = (
        [(6, url) for url in case_urls]  # 120: browsing cases
        + [(40, "/"), (20, "/cases/")]
        + [(15, url) for url in library]
        + [(10, f"/themes/{theme}/"), (10, "/countries/GB/")]
        + [(5, f"/organisations/{organisation}/")]
        + [(10, f"/search/?q={q.replace(' ', '+')}") for q in searches]
        + [(10, f"/api/search/?q={q.replace(' ', '+')}") for q in searches]
        + [(10, "/feeds/cases/"), (5, f"/feeds/themes/{theme}/"), (5, "/feeds/search/?q=police")]
    )
    return {"cases": size, "pages": pages}


def republish_child() -> None:
    """A change: one case published again, as an editor's publish would."""
    import django

    django.setup()
    from cases.models import CaseStudyPage

    page = CaseStudyPage.objects.live().order_by("pk").first().specific
    page.save_revision().publish()


def flush_cache() -> None:
    if os.environ.get("CACHE_URL", "").startswith("redis"):
        import redis

        redis.Redis.from_url(os.environ["CACHE_URL"]).flushdb()


# --- a round and the report ------------------------------------------------------------------


def first_views(server, pages) -> dict:
    """Each page's first request, in PAGES order (the very first pays the workers' own warm-up)."""
    views = {}
    for name in PAGES:
        ms, status = first_request_ms(server.base_url, pages[name][0][1])
        views[name] = {"ms": ms, "status": status}
    return views


def warm_up(server, pages, times: int = 4) -> None:
    """Every address of every workload asked `times` times on new connections, so that under
    load each worker answers from its own cache (the default cache is each process's memory)
    rather than rendering a page for the first time: "warm" means warm, and "cold" and
    "after a change" measure first views."""
    addresses = sorted({path for weighted in pages.values() for _, path in weighted})
    for _ in range(times):
        for path in addresses:
            first_request_ms(server.base_url, path)


def one_round(size, pages, args) -> dict:
    flush_cache()
    with Gunicorn(args.port, server_env(size)) as server:
        cold = first_views(server, pages)
        changed = subprocess.run(
            [sys.executable, __file__, "--republish-child"],
            env=production_env(server_env(size)),
            capture_output=True,
            text=True,
        )
        if changed.returncode:
            sys.exit(f"publishing a case again failed:\n{changed.stdout}\n{changed.stderr}")
        time.sleep(1.5)  # LIBRARY_VERSION_MAX_AGE: every worker has seen the change
        after_change = first_views(server, pages)
        warm_up(server, pages)
        warm = {}
        for name in [*PAGES, "mixed"]:
            cpu = server.workers_cpu_seconds()
            warm[name] = run_load(server.base_url, pages[name], args.duration, args.generator)
            cpu = server.workers_cpu_seconds() - cpu
            warm[name]["cpu_ms"] = round(cpu * 1000 / max(1, warm[name]["requests"]), 1)
        memory = server.memory()
    return {
        "cold": cold,
        "after_change": after_change,
        "warm": warm,
        "memory": memory,
        "load_average": [round(load, 1) for load in os.getloadavg()],
    }


def memory_after_searches(size, pages, args, preload: bool) -> dict:
    """The processes' memory, with or without gunicorn --preload, after the same searches
    (10 s at least: on a busy machine both workers then have loaded the model and the
    library's vectors)."""
    flush_cache()
    with Gunicorn(args.port, server_env(size), preload=preload) as server:
        searches = pages["search API"] + pages["search page"]
        run_load(server.base_url, searches, max(10, args.duration), args.generator)
        return server.memory()


def median(rounds, *keys):
    values = []
    for r in rounds:
        for key in keys:
            r = r[key]
        values.append(r)
    return round(statistics.median(values), 1)


def describe_memory(memory) -> str:
    master, workers, model = memory["master"], memory["workers"], memory["model"]
    return (
        f"master RSS {master['rss_mb']} / PSS {master['pss_mb']} MB; "
        + "; ".join(f"worker RSS {w['rss_mb']} / PSS {w['pss_mb']} MB" for w in workers)
        + f"; PSS of all {memory['total_pss_mb']} MB; the model's files in each worker "
        + ", ".join(f"RSS {m['rss_mb']} / PSS {m['pss_mb']} MB" for m in model[1:])
        + f" (master: RSS {model[0]['rss_mb']} MB)"
    )


def report_size(size, rounds, memory) -> list[str]:
    """Prints one size's table; returns the floors it is under."""
    loads = ", ".join(str(r["load_average"][1]) for r in rounds)
    print(f"\n{size:,} cases, median of {len(rounds)} round(s) (load average over 5 min: {loads})")
    print(f"{'page':<12} {'cold first':>10} {'after change':>12} {'req/s':>7} "
          f"{'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6} {'CPU/req':>8}  floor")  # fmt: skip
    under = []
    for name in [*PAGES, "mixed"]:
        errors = sum(r["warm"][name]["errors"] for r in rounds)
        rps = median(rounds, "warm", name, "rps")
        floor = FLOORS.get(name)
        verdict = ""
        if floor:
            ok = rps >= floor and errors == 0
            verdict = f"{'PASS' if ok else 'UNDER'} (≥ {floor} req/s, 0 errors)"
            if not ok:
                under.append(f"{name} at {size:,}")
        cold = f"{median(rounds, 'cold', name, 'ms')} ms" if name in PAGES else ""
        change = f"{median(rounds, 'after_change', name, 'ms')} ms" if name in PAGES else ""
        print(
            f"{name:<12} {cold:>10} {change:>12} {rps:>7} "
            + " ".join(f"{median(rounds, 'warm', name, f'p{p}_ms'):>5}ms" for p in (50, 95, 99))
            + f" {errors:>6} {median(rounds, 'warm', name, 'cpu_ms'):>6}ms  {verdict}"
        )
    bad = [
        f"{view} {name} {r[view][name]['status']}"
        for r in rounds
        for view in ("cold", "after_change")
        for name in PAGES
        if r[view][name]["status"] != 200
    ]
    if bad:
        print("first views that failed:", ", ".join(bad))
        under.append(f"first views at {size:,}")
    for label, figures in memory.items():
        print(f"memory, {label}: " + describe_memory(figures))
    return under


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("LOAD_SIZES", "34,10000,100000"))
    parser.add_argument("--duration", type=int, default=10, help="seconds per warm page")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("LOAD_ROUNDS", 3)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 18500)))
    parser.add_argument(
        "--generator", choices=["wrk", "python"], default="wrk" if WRK else "python"
    )
    parser.add_argument("--fresh", action="store_true", help="make the libraries again")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    cache = "Redis" if os.environ.get("CACHE_URL") else "local memory per process"
    print(
        f"Load on gunicorn (2 sync workers, production settings) on {machine}; {backend}, "
        f"cache {cache}; {args.generator}, 10 connections, {args.duration:g} s per page"
    )
    results, under = [], []
    for size in sizes:
        started = time.perf_counter()
        library = prepare(size, args.fresh)
        print(f"{size:,} cases ready in {time.perf_counter() - started:.0f} s", flush=True)
        rounds = [one_round(size, library["pages"], args) for _ in range(args.rounds)]
        memory = {
            label: memory_after_searches(size, library["pages"], args, preload)
            for label, preload in (("no preload", False), ("--preload", True))
        }
        under += report_size(size, rounds, memory)
        results.append({"cases": size, "rounds": rounds, "memory": memory})
        sys.stdout.flush()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    summary = {
        "machine": machine,
        "commit": commit,
        "database": backend,
        "cache": cache,
        "generator": args.generator,
        "duration": args.duration,
        "results": results,
    }
    (OUT / "results.json").write_text(json.dumps(summary, indent=2))
    print("\nUNDER: " + ", ".join(under) if under else "\nAll floors PASS")
    return 1 if under else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--prepare-child"]:
        print(json.dumps(prepare_child(int(sys.argv[2]))))
    elif sys.argv[1:2] == ["--republish-child"]:
        republish_child()
    else:
        sys.exit(main())
