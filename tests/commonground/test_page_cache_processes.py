"""Two processes, one cache: after another process's publish has committed, no worker
serves the old page.

gunicorn with two sync workers serves the site; `manage.py shell` in a third process
changes the case. They share the test's database (PostgreSQL as it is, or SQLite copied to a
file, since the in-memory test database is the test process's alone) and a file-based cache,
as production shares PostgreSQL and Redis.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from django.db import connection

from tests.production.server import Gunicorn

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 2
READS = 6  # per step, spread over both workers


def _free_port() -> int:
    for port in range(18300, 18400):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 18300-18399")


def _database_url(tmp_path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"
    pytest.skip(f"no second process can share a {connection.vendor} test database")


@pytest.fixture
def environment(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commonground.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": _database_url(tmp_path),
        "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SEARCH_EMBEDDER": "off",
        "TASKS_IMMEDIATE": "true",
        "ELASTICSEARCH_URL": "",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "site"), str(ROOT)]),
    }
    if "PGPASSWORD" in os.environ:
        env["PGPASSWORD"] = os.environ["PGPASSWORD"]
    return env


@pytest.fixture
def server(environment, tmp_path):
    with Gunicorn(_free_port(), environment, workers=2, log=tmp_path / "gunicorn.log") as server:
        yield server.base_url


def in_another_process(environment, code: str) -> None:
    """Run `code` in `manage.py shell`; it has committed when this returns."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=environment, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def read(address: str) -> str:
    request = urllib.request.Request(
        f"{address}/cases/two-processes/", headers={"User-Agent": "Mozilla/5.0"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_worker_serves_a_page_older_than_the_last_committed_publish(environment, server):
    in_another_process(
        environment,
        "from tests.factories import CaseStudyPageFactory\n"
        "CaseStudyPageFactory(title='Version 0', slug='two-processes')",
    )
    for version in range(ROUNDS):
        assert all(f"Version {version}" in read(server) for _ in range(READS))
        # A write that moves no version (as a bug would): the kept page is still what every
        # worker serves, so the reads above and below come from the shared cache.
        in_another_process(
            environment,
            "from wagtail.models import Page\n"
            "Page.objects.filter(slug='two-processes').update(title='Unannounced')",
        )
        assert not any("Unannounced" in read(server) for _ in range(READS))
        in_another_process(
            environment,
            "from cases.models import CaseStudyPage\n"
            "page = CaseStudyPage.objects.get(slug='two-processes')\n"
            f"page.title = 'Version {version + 1}'\n"
            "page.save_revision().publish()",
        )
        pages = [read(server) for _ in range(READS)]
        assert all(f"Version {version + 1}" in page for page in pages)
        assert not any(f"Version {version}<" in page for page in pages)
