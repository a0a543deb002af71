"""A real HTTP server on 127.0.0.1 for pipeline tests: pages, an RSS feed with ETag, a dead feed.

Counts every request by path and answers ``If-None-Match`` with 304 when the feed is
unchanged, as a news site's server would.
"""

from __future__ import annotations

import hashlib
import html
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.pipeline_support.corpus import Doc


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up early (a refused 500, a size cap) is no test failure


class NewsServer:
    """Serves ``/pages/<name>``, ``/feed.xml`` (RSS of the pages listed), ``/sitemap.xml``
    (a Google News sitemap of the same pages) and ``/dead.xml`` (always 500)."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        self.feed_items: list[str] = []  # page names, in feed order
        self.feed_dates: dict[str, str] = {}  # page name -> the item's pubDate (RFC 822)
        self.hits: Counter[str] = Counter()
        self.statuses: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        self._httpd = QuietServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def add(self, docs: list[Doc], in_feed: bool = True) -> None:
        for doc in docs:
            self.pages[doc.name] = doc.body
            if in_feed:
                self.feed_items.append(doc.name)

    def page_url(self, name: str) -> str:
        return f"{self.base}/pages/{name}"

    def feed(self) -> bytes:
        items = "".join(
            f"<item><title>{html.escape(name)}</title><link>{self.page_url(name)}</link>"
            f"<guid>{self.page_url(name)}</guid>{self._pub_date(name)}</item>"
            for name in self.feed_items
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Test news</title><link>{self.base}/</link>"
            f"<description>pages</description>{items}</channel></rss>"
        ).encode()

    def _pub_date(self, name: str) -> str:
        when = self.feed_dates.get(name)
        return f"<pubDate>{when}</pubDate>" if when else ""

    def sitemap(self) -> bytes:
        urls = "".join(
            f"<url><loc>{self.page_url(name)}</loc><news:news><news:publication>"
            "<news:name>Test news</news:name><news:language>en</news:language>"
            "</news:publication><news:publication_date>2026-11-20T10:00:00Z"
            f"</news:publication_date><news:title>{html.escape(name)}</news:title>"
            "</news:news></url>"
            for name in self.feed_items
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>"
        ).encode()

    def page_hits(self) -> int:
        return sum(n for path, n in self.hits.items() if path.startswith("/pages/"))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.hits[self.path] += 1
                status, body, ctype, headers = server._answer(
                    self.path, self.headers.get("If-None-Match")
                )
                with server._lock:
                    server.statuses.append((self.path, status))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

        return Handler

    def _answer(self, path: str, if_none_match: str | None) -> tuple[int, bytes, str, dict]:
        if path == "/feed.xml":
            body = self.feed()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if if_none_match == etag:
                return 304, b"", "application/rss+xml", {"ETag": etag}
            return 200, body, "application/rss+xml", {"ETag": etag}
        if path == "/sitemap.xml":
            return 200, self.sitemap(), "application/xml", {}
        if path == "/dead.xml":
            return 500, b"server error", "text/plain", {}
        if path.startswith("/pages/") and path[7:] in self.pages:
            return 200, self.pages[path[7:]], "text/html; charset=utf-8", {}
        return 404, b"not found", "text/plain", {}

    @contextmanager
    def running(self) -> Iterator[NewsServer]:
        with serving(self._httpd):
            yield self


@contextmanager
def serving(httpd: ThreadingHTTPServer) -> Iterator[None]:
    """Serve ``httpd`` from a thread until the block ends, then shut it down and close it."""
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
