"""The load benchmark's tools (benchmarks/load.py, benchmarks/server.py): both load generators
count what a real server answers, and a server that cannot start says why (the launcher,
tests/production/server.py, prints its log)."""

import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks.load import run_load
from benchmarks.server import Gunicorn, ServerFailed


class Answers(BaseHTTPRequestHandler):
    """200 on /ok, 404 elsewhere, and /drop closes the connection without an answer."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/drop":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        body = b"fine" if self.path == "/ok" else b"no such page"
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


GENERATORS = ["python"] + (["wrk"] if shutil.which("wrk") else [])


@pytest.mark.parametrize("generator", GENERATORS)
def test_both_generators_count_answers_and_failures(server, generator):
    good = run_load(server, [(1, "/ok")], 1, generator)
    assert good["requests"] > 10 and good["errors"] == 0
    assert 0 < good["p50_ms"] <= good["p95_ms"] <= good["p99_ms"]
    assert good["rps"] == pytest.approx(good["requests"] / good["seconds"], rel=0.01)

    mixed = run_load(server, [(1, "/ok"), (1, "/missing")], 1, generator)
    assert 0.2 < mixed["non2xx"] / mixed["requests"] < 0.8  # chosen by weight, half each
    assert mixed["socket_errors"] == 0 and mixed["errors"] == mixed["non2xx"]

    dropped = run_load(server, [(1, "/drop")], 1, generator)
    assert dropped["socket_errors"] > 0 and dropped["errors"] >= dropped["socket_errors"]


def test_a_server_that_cannot_start_prints_its_log(capsys):
    with pytest.raises(ServerFailed, match="exited"):
        Gunicorn(18599, env={"SECRET_KEY": ""}).start(timeout=60)
    assert "SECRET_KEY is not set" in capsys.readouterr().err
