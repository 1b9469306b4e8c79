"""The production stack, started for the tests: gunicorn (2 workers) with production settings
on a fresh PostgreSQL database, the Redis cache and the task worker (`manage.py db_worker`),
after migrate, collectstatic, load_demo and `search_index update`.

    python -m tests.production.stack [--port N] -- pytest -m stack

starts the stack, runs the command with STACK_URL (the site's address) and STACK_ENV (a JSON
file: the stack's environment, its mail and log folders) set, then stops everything, whatever
the command did; a failed command or start prints the logs of gunicorn, the worker and the
set-up commands. The environment names the services (PostgreSQL server, Redis database);
defaults suit a CI machine: STACK_DATABASE_URL (the database is dropped and created afresh,
and dropped at the end), STACK_CACHE_URL (the Redis database is emptied at start and end),
STACK_PORT (default: a free port), STACK_SEARCH_EMBEDDER (default off).

E-mail is delivered by the worker into files (EMAIL_URL=filemail://), which the tests read;
plain HTTP on localhost (SECURE_SSL_REDIRECT=false; Chromium keeps Secure cookies on
localhost); TRUSTED_PROXY_COUNT=1, as behind nginx, so a test can stand for its own client
address with X-Forwarded-For.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.production.server import Gunicorn

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/commonground_stack"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/15"
READY_TIMEOUT = 90  # seconds for gunicorn to answer /health/ with both workers
STOP_TIMEOUT = 15  # seconds for a graceful stop before SIGKILL
ACCESS_LOG_FORMAT = '%(p)s %(h)s "%(r)s" %(s)s %(L)s'  # worker pid first: who served it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_environment() -> dict:
    """The running stack's description, as the launcher wrote it (tests read it)."""
    return json.loads(Path(os.environ["STACK_ENV"]).read_text())


def start_in_stack(argv: list[str]) -> subprocess.Popen:
    """Starts `python <argv>` in the repository with the running stack's environment (its
    database, cache, settings), as an operator's `manage.py` command would run; text pipes
    to its stdin and stdout, its stderr shared with the caller's."""
    return subprocess.Popen(
        [PYTHON, *argv],
        cwd=REPO,
        env={**os.environ, **load_environment()["env"]},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


class Stack:
    def __init__(self, port: int, database_url: str, cache_url: str, keep: bool = False):
        self.port = port
        self.url = f"http://localhost:{port}"
        self.database_url = database_url
        self.cache_url = cache_url
        self.keep = keep
        self.folder = Path(tempfile.mkdtemp(prefix="commonground-stack-"))
        self.logs = self.folder / "logs"
        self.mail = self.folder / "mail"
        for folder in (self.logs, self.mail):
            folder.mkdir()
        self.processes: dict[str, subprocess.Popen] = {}
        self.gunicorn: Gunicorn | None = None
        self.env = {
            "DJANGO_SETTINGS_MODULE": "commonground.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "BASE_URL": self.url,
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "60",
            "CACHE_URL": cache_url,
            "EMAIL_URL": "filemail:///" + str(self.mail),  # filemail:////abs/path
            "STATIC_ROOT": str(self.folder / "static"),
            "MEDIA_ROOT": str(self.folder / "media"),
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_LEVEL": "INFO",
            "TASKS_IMMEDIATE": "false",
            "ELASTICSEARCH_URL": "",
            # Embedding the demo library would keep the one task worker busy for half a
            # minute of CPU (and delay the e-mails under test); meaning search has its own
            # tests (tests/search/test_meaning.py).
            "SEARCH_EMBEDDER": os.environ.get("STACK_SEARCH_EMBEDDER", "off"),
        }

    # -- the services the stack uses ------------------------------------------------------

    def _fresh_database(self, create: bool = True) -> None:
        import psycopg

        parts = urlsplit(self.database_url)
        name = parts.path.lstrip("/")
        server = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                connection.execute(f'CREATE DATABASE "{name}"')

    def _empty_cache(self) -> None:
        import redis

        redis.Redis.from_url(self.cache_url).flushdb()

    # -- processes --------------------------------------------------------------------------

    def _environment(self) -> dict:
        return {**os.environ, **self.env}

    def manage(self, *args: str, **env: str) -> None:
        """One set-up command, its output kept in logs/<command>.log; stops on failure."""
        log = self.logs / f"{args[0]}.log"
        started = time.monotonic()
        with log.open("a") as out:
            result = subprocess.run(
                [PYTHON, "manage.py", *args],
                cwd=REPO,
                env={**self._environment(), **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        print(f"   manage.py {' '.join(args)}: {time.monotonic() - started:.1f} s", flush=True)
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode})")

    def _spawn(self, name: str, argv: list[str]) -> None:
        """A long-running process, its output kept in logs/<name>.log."""
        out = (self.logs / f"{name}.log").open("a")
        # A session of its own: stopping the stack signals its whole process group.
        self.processes[name] = subprocess.Popen(
            argv,
            cwd=REPO,
            env=self._environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self) -> None:
        started = time.monotonic()
        print(f"== Production stack in {self.folder}", flush=True)
        self._fresh_database()
        self._empty_cache()
        # collectstatic needs no database: it runs beside migrate.
        self._spawn("collectstatic", [PYTHON, "manage.py", "collectstatic", "--noinput"])
        self.manage("migrate", "--noinput")
        if self.processes.pop("collectstatic").wait():
            raise RuntimeError("manage.py collectstatic --noinput failed")
        # The demo's own tasks (Wagtail's reference index, ~300 of them) run inside the
        # command, so the worker starts with an empty queue and the tests' e-mails do not
        # wait behind them.
        self.manage("load_demo", TASKS_IMMEDIATE="true")
        self.manage("search_index", "update", TASKS_IMMEDIATE="true")
        self._spawn("worker", [PYTHON, "manage.py", "db_worker", "--interval", "0.5"])
        self.gunicorn = Gunicorn(
            self.port,
            self._environment(),
            workers=2,
            timeout=30,
            log=self.logs / "gunicorn.log",
            access_log=self.logs / "access.log",
            access_log_format=ACCESS_LOG_FORMAT,
            health_path="/health/",
        )
        self.gunicorn.start(timeout=READY_TIMEOUT)
        if (code := self.processes["worker"].poll()) is not None:
            raise RuntimeError(f"worker exited with {code} while starting")
        self.describe()
        print(f"   ready at {self.url} after {time.monotonic() - started:.1f} s", flush=True)

    def describe(self) -> Path:
        path = self.folder / "stack.json"
        path.write_text(
            json.dumps(
                {
                    "url": self.url,
                    "env": self.env,
                    "mail": str(self.mail),
                    "logs": str(self.logs),
                    "pids": {name: p.pid for name, p in self._running().items()},
                },
                indent=2,
            )
        )
        return path

    def _running(self) -> dict[str, subprocess.Popen]:
        gunicorn = self.gunicorn and self.gunicorn.process
        return {**({"gunicorn": gunicorn} if gunicorn else {}), **self.processes}

    def stop(self) -> None:
        if self.gunicorn:
            self.gunicorn.stop(grace=STOP_TIMEOUT)
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if not self.keep:
            self._fresh_database(create=False)
            self._empty_cache()
            shutil.rmtree(self.folder, ignore_errors=True)

    def print_logs(self, lines: int = 80) -> None:
        for log in sorted(self.logs.glob("*.log")):
            text = log.read_text(errors="replace").splitlines()
            print(f"\n---- {log.name} (last {min(lines, len(text))} of {len(text)} lines)")
            print("\n".join(text[-lines:]))


def run_command(command: list[str], env: dict) -> int:
    """Runs the tests' command in a process group of its own; if the launcher is stopped,
    the whole group (pytest, Playwright's driver, chromium) goes too."""
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        return process.wait()
    except BaseException:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        raise


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("STACK_PORT", 0)))
    parser.add_argument("--keep", action="store_true", help="keep database, cache and logs")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the command to run")
    options = parser.parse_args(argv)
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    if not command:
        parser.error("give the command to run against the stack after --")

    # SIGTERM (a CI timeout, a kill) stops the stack like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    stack = Stack(
        port=options.port or free_port(),
        database_url=os.environ.get("STACK_DATABASE_URL", DEFAULT_DATABASE_URL),
        cache_url=os.environ.get("STACK_CACHE_URL", DEFAULT_CACHE_URL),
        keep=options.keep,
    )
    code = 1
    try:
        stack.start()
        started = time.monotonic()
        code = run_command(
            command, {**os.environ, "STACK_URL": stack.url, "STACK_ENV": str(stack.describe())}
        )
        print(f"== {' '.join(command)}: exit {code} in {time.monotonic() - started:.1f} s")
    except BaseException as exc:
        print(f"== Production stack failed: {exc!r}", file=sys.stderr, flush=True)
        raise
    finally:
        if code:
            stack.print_logs()
        stack.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
