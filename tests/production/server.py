"""gunicorn started as production runs it, for the tests and the benchmarks: the one place that
starts it (N sync workers, the environment given, a bind, a log file, an optional access
log, --preload or not), waits until it answers and all its workers exist, prints its log when
it fails to start, and stops it (SIGTERM to its process group, SIGKILL after a grace time).

It lives beside the production stack (stack.py, its main user) rather than in benchmarks/:
the stack, the page-cache processes test and benchmarks/load.py all start the production
server, and the benchmarks (which put the repository on sys.path) already import test tools,
whereas the stack's CI run should not depend on the benchmarks. benchmarks/server.py adds
the benchmark-only memory and CPU readers.

    with Gunicorn(18500, production_env({"DATABASE_URL": ...}), workers=2) as server:
        server.base_url, server.worker_pids()
"""

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(extra: dict | None = None) -> dict:
    """The environment of a production process on this machine: production settings, DEBUG
    off, plain HTTP (no TLS proxy in front), a throwaway secret; `extra` overrides it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commonground.settings.production",
        "SECRET_KEY": "throwaway-production-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
    }
    env.update(extra or {})
    return env


class ServerFailed(RuntimeError):
    pass


class Gunicorn:
    """One gunicorn master and its workers, in a process group of their own. `env` is the
    whole environment (see production_env); `health_path` must answer 200 once it is up."""

    def __init__(
        self,
        port: int,
        env: dict,
        *,
        workers: int = 2,
        preload: bool = False,
        timeout: int = 60,
        log: Path | None = None,
        access_log: Path | None = None,
        access_log_format: str | None = None,
        health_path: str = "/robots.txt",
    ):
        self.port, self.env, self.workers, self.preload = port, env, workers, preload
        self.timeout, self.health_path = timeout, health_path
        self.access_log, self.access_log_format = access_log, access_log_format
        self.base_url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        if log is None:
            handle, name = tempfile.mkstemp(prefix="cg-gunicorn-", suffix=".log")
            os.close(handle)
            log, self._own_log = Path(name), True
        else:
            self._own_log = False
        self.log_path = log

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def command(self) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "commonground.wsgi",
            "--chdir",
            str(ROOT),
            "--pythonpath",
            str(ROOT / "site"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            str(self.timeout),
            "--no-control-socket",  # several servers on one machine need none
        ]
        if self.access_log:
            command += ["--access-logfile", str(self.access_log)]
            if self.access_log_format:
                command += ["--access-logformat", self.access_log_format]
        if self.preload:
            command.append("--preload")
        return command

    def start(self, timeout: float = 90) -> None:
        with self.log_path.open("a") as out:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # stop() signals the whole group
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.fail(f"gunicorn exited with {self.process.returncode}")
            if self._answers() and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.2)
        self.fail(f"gunicorn did not answer {self.health_path} within {timeout:.0f} s")

    def _answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", self.health_path, headers={"Host": "127.0.0.1"})
            status = connection.getresponse().status
            connection.close()
        except OSError:
            return False
        if status != 200:
            self.fail(f"{self.health_path} answered {status}")
        return True

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def fail(self, why: str):
        log = self.log()
        self.stop()
        print(f"--- gunicorn log ---\n{log}--- end of log ---", file=sys.stderr)
        raise ServerFailed(why)

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self, grace: float = 30) -> None:
        """SIGTERM to the process group (the workers finish their request), SIGKILL to what
        is left after `grace` seconds; a log file of its own is removed."""
        if self.process is not None and self.process.poll() is None:
            _signal_group(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _signal_group(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._own_log:
            self.log_path.unlink(missing_ok=True)


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(pid, signum)
