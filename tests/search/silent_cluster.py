"""A stand-in for an Elasticsearch node that accepts connections but never answers, or answers
only after a delay: a real HTTP server on 127.0.0.1 in a thread of its own, for the
wall-time bounds of search, /health/ and search_index (tests/search/test_elasticsearch_hang.py
and benchmarks/es_hang.py).

The engine talks to it through its real client, with its real timeouts and retries; only
the address is the stand-in's.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HEADERS = {
    "content-type": "application/vnd.elasticsearch+json;compatible-with=8",
    "x-elastic-product": "Elasticsearch",
}
BUSY = (
    503,
    {
        "error": {"type": "es_rejected_execution_exception", "reason": "rejected execution"},
        "status": 503,
    },
)


class SilentCluster:
    """Records each request ("METHOD /path") and then, with delay=None, holds the connection
    open without a byte in reply until stopped; with a delay in seconds, sleeps that long
    and answers reply(method, path) -> (status, JSON body), by default a 503 "busy"."""

    def __init__(self, delay: float | None = None, reply=None):
        self.delay = delay
        self.reply = reply or (lambda method, path: BUSY)
        self.requests: list[str] = []
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        cluster = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the client's connection pool

            def handle_one_request(self):
                self.raw_requestline = self.rfile.readline(65537)
                if not self.raw_requestline or not self.parse_request():
                    self.close_connection = True
                    return
                self.rfile.read(int(self.headers.get("content-length") or 0))
                cluster.requests.append(f"{self.command} {self.path.split('?')[0]}")
                if cluster.stopping.wait(cluster.delay):  # delay=None: until stopped
                    self.close_connection = True
                    return
                status, body = cluster.reply(self.command, self.path.split("?")[0])
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    for name, value in HEADERS.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                    self.wfile.flush()
                except ConnectionError:  # the client gave up waiting first
                    self.close_connection = True

            def log_message(self, format, *args):
                """Quiet: the tests read self.requests instead."""

        return Handler

    def __enter__(self) -> "SilentCluster":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
