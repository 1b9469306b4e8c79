"""Kill an import with SIGKILL part-way, re-run it, and check that search misses nothing.

    python benchmarks/import_kill.py                 # 2,000 cases, SQLite in a temporary folder
    IMPORT_KILL_SIZE=5000 python benchmarks/import_kill.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/killtest python benchmarks/import_kill.py

It starts `manage.py import_cases` on generated records, polls the database until at least
one batch has committed, sends SIGKILL, and reports what was committed and what the search
API and `search_index check` say; then it re-runs the same import and reports the same
again. On PostgreSQL the named database is dropped and created afresh.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZE = int(os.environ.get("IMPORT_KILL_SIZE", "2000"))


def manage(env, *args, check=True):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        check=check,
    )  # fmt: skip


def state(env) -> dict:
    """Published cases, what the search API counts, and search_index check's verdict."""
    script = (
        "import json, django; django.setup()\n"
        "from django.test import Client\n"
        "from cases.models import CaseStudyPage\n"
        "api = Client(HTTP_HOST='localhost').get('/api/search/', {'page_size': 1}).json()\n"
        "print(json.dumps({'published': CaseStudyPage.objects.live().count(),"
        " 'api_count': api['count']}))\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env={**env, "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = json.loads(result.stdout)
    check = manage(env, "search_index", "check", check=False)
    figures["search_index check"] = "ok" if check.returncode == 0 else check.stderr.strip()
    return figures


def live_count(env) -> int:
    return state(env)["published"]


def fresh_database(env) -> None:
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = urlsplit(url).path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", admin, "-c", sql], check=True, capture_output=True)
    manage(env, "migrate", "--noinput")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "commonground.settings.dev"}
        env.setdefault("DATABASE_URL", f"sqlite:///{folder}/kill.sqlite3")
        env["MEDIA_ROOT"] = folder
        fresh_database(env)
        records = Path(folder) / "cases.jsonl"
        records.write_text("".join(line + "\n" for line in generate(SIZE)), encoding="utf-8")

        process = subprocess.Popen(
            [PYTHON, "manage.py", "import_cases", str(records)], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        while live_count(env) < SIZE // 2 and process.poll() is None:
            time.sleep(0.2)
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed = state(env)

        start = time.perf_counter()
        rerun = manage(env, "import_cases", str(records), check=False)
        seconds = time.perf_counter() - start
        after = state(env)

    print(f"{SIZE} records, database {env['DATABASE_URL'].split(':')[0]}")
    print(f"after SIGKILL: {killed}")
    print(f"re-run ({seconds:.1f} s): {rerun.stdout.strip() or rerun.stderr.strip()}")
    print(f"after the re-run: {after}")
    ok = after["published"] == after["api_count"] == SIZE and after["search_index check"] == "ok"
    print("complete" if ok else "INCOMPLETE")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
