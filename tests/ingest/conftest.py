"""A real HTTP server on 127.0.0.1 that each ingest test starts, with routes the test sets.

A route is a function ``(request) -> Reply`` (or a plain ``Reply``); the server records
every request (path, headers, time) so tests can check what the client really sent.
``/robots.txt`` answers 404 unless a test sets it.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsdesk.ingest.http import FetchConfig, HttpClient


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering at all
    drip: float = 0.0  # seconds between body chunks (slow download)
    chunk: int = 0  # bytes per dripped chunk


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


Route = Callable[["Seen"], Reply] | Reply


class TestServer:
    __test__ = False  # not a test class for pytest

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.time())
                with server._lock:
                    server.requests.append(seen)
                    server.hits[self.path] += 1
                route = server.routes.get(self.path)
                if route is None:
                    reply = Reply(404, b"not found", {"Content-Type": "text/plain"})
                else:
                    reply = route(seen) if callable(route) else route
                # The client may give up (timeouts, size caps): that is the point.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send(reply)

            def _send(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
                if "Content-Length" not in headers and reply.status != 304:
                    headers["Content-Length"] = str(len(reply.body))
                if headers.get("Content-Length", "") is None:
                    # No length: the body ends when the connection closes.
                    headers["Connection"] = "close"
                    self.close_connection = True
                for name, value in headers.items():
                    if value is not None:
                        self.send_header(name, value)
                self.end_headers()
                if reply.status == 304:
                    return
                if reply.drip:
                    size = reply.chunk or 1
                    for start in range(0, len(reply.body), size):
                        self.wfile.write(reply.body[start : start + size])
                        self.wfile.flush()
                        time.sleep(reply.drip)
                else:
                    self.wfile.write(reply.body)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients that hang up early are part of these tests

        self._server = Server(("127.0.0.1", 0), Handler)
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

        self.scheme = "https" if tls is not None else "http"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def start(self) -> TestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def server() -> Iterator[TestServer]:
    srv = TestServer().start()
    try:
        yield srv
    finally:
        srv.stop()


def loopback_config(**overrides: object) -> FetchConfig:
    """Small timeouts and loopback explicitly allowed: what these tests need."""
    values: dict[str, object] = dict(
        allowed_networks=("127.0.0.0/8",),
        timeout=0.5,
        total_timeout=5.0,
        retries=2,
        backoff=0.05,
        max_backoff=0.2,
        max_retry_after=3.0,
        host_interval=0.0,
    )
    values.update(overrides)
    return FetchConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(loopback_config()) as c:
        yield c
