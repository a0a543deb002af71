"""Ingest benchmark: what our safety and politeness cost against bare libraries.

Two measurements, each run side by side in one process on the 92 real article pages of
``../shared/bench/extraction/scrapinghub/html``:

- ``http``: fetch every page from a local HTTP server on 127.0.0.1 (sequential, one
  connection pool), first with ``newsdesk.ingest.http.HttpClient`` (address guard,
  robots.txt, streamed size cap, our own capped decoding, rate limiter with a 0 s
  interval), then with a bare ``httpx.Client`` (the anchor, which decodes gzip, br and
  zstd itself). Pages are served with ``--encoding`` (gzip, br or zstd; ``--gzip`` is
  ``--encoding gzip``). Both must return the same bytes.
- ``warc``: write the pages ``--copies`` times into a gzip WARC in a temporary folder, then
  read it with ``newsdesk.ingest.warc.iter_warc_pages`` and with a bare fastwarc
  ``ArchiveIterator`` loop that reads each body (the anchor).
- ``hosts``: the pages spread over ``--hosts`` local servers (one port each: one host each
  for politeness), every answer delayed by ``--latency`` seconds as a distant site's would
  be, read through ``iter_sources_pages`` (the path ``newsdesk run`` takes) with
  ``--workers`` fetch workers, against the same with one worker (the anchor: how ingest
  fetched before). Twice: the page URLs given as sources, and one RSS feed per host
  listing that host's pages. Same pages, same order, both ways.

    python bench/ingest.py [--rounds 3] [--copies 20] [--gzip | --encoding br|zstd]
        [--only http|warc|hosts] [--hosts 8] [--latency 0.05] [--workers 8]

Figures are pages per second (best of ``--rounds``); the ratio is ours / anchor.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli
import httpx
import zstandard
from fastwarc.stream_io import GzipWriter
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from newsdesk.ingest.http import FetchConfig, HttpClient
from newsdesk.ingest.sources import iter_sources_pages
from newsdesk.ingest.warc import iter_warc_pages
from newsdesk.model import Page

HTML = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "extraction"
HTML = HTML / "scrapinghub" / "html"


def load_pages() -> dict[str, bytes]:
    if not HTML.exists():
        raise SystemExit(f"benchmark data not found at {HTML}")
    return {
        p.name.split(".")[0]: gzip.decompress(p.read_bytes())
        for p in sorted(HTML.glob("*.html.gz"))
    }


ENCODERS = {
    "identity": lambda data: data,
    "gzip": lambda data: gzip.compress(data, 6),
    "br": lambda data: brotli.compress(data, quality=5),  # a server compressing on the fly
    "zstd": lambda data: zstandard.ZstdCompressor(level=3).compress(data),
}


def serve(pages: dict[str, bytes], encoding: str, latency: float = 0.0) -> ThreadingHTTPServer:
    """Pages at /KEY (and whatever is added to the returned server's ``bodies``)."""
    bodies = {f"/{k}": ENCODERS[encoding](v) for k, v in pages.items()}
    pages_paths = set(bodies)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if latency:
                time.sleep(latency)  # a distant server: the round trip and its think time
            body = bodies.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if encoding != "identity" and self.path in pages_paths:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.bodies = bodies  # type: ignore[attr-defined]
    server.daemon_threads = True
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


def bench_http(pages: dict[str, bytes], rounds: int, encoding: str) -> tuple[float, float]:
    server = serve(pages, encoding)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [f"{base}/{k}" for k in pages]
    config = FetchConfig(allowed_networks=("127.0.0.0/8",), host_interval=0.0, retries=0)
    ours: list[float] = []
    anchor: list[float] = []
    try:
        for _ in range(rounds):
            with HttpClient(config) as client:
                start = time.perf_counter()
                got = [client.fetch(u).content for u in urls]
                ours.append(len(urls) / (time.perf_counter() - start))
            assert got == list(pages.values())
            with httpx.Client(headers={"Accept-Encoding": encoding}) as bare:
                start = time.perf_counter()
                got = [bare.get(u).content for u in urls]
                anchor.append(len(urls) / (time.perf_counter() - start))
            assert got == list(pages.values())
    finally:
        server.shutdown()
        server.server_close()
    return max(ours), max(anchor)


def write_warc(path: Path, pages: dict[str, bytes], copies: int) -> int:
    writer = GzipWriter(str(path), fsspec_args=False)
    n = 0
    for copy in range(copies):
        for key, body in pages.items():
            record = WarcRecord()
            record.init_headers(
                record_type=WarcRecordType.response, record_urn=f"uuid:{n:032x}".encode()
            )
            record.headers["WARC-Target-URI"] = f"https://bench.example/{copy}/{key}"
            record.headers["WARC-Date"] = "2024-05-01T10:00:00Z"
            record.headers["Content-Type"] = "application/http; msgtype=response"
            head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
            record.set_bytes_content(head.encode() + body)
            record.write(writer)
            n += 1
    writer.close()
    return n


def _ours(path: Path) -> int:
    return sum(1 for _ in iter_warc_pages(path))


def _anchor(path: Path) -> int:
    count = 0
    with path.open("rb") as stream:
        for record in ArchiveIterator(
            stream, record_types=WarcRecordType.response, parse_http=True, fsspec_args=False
        ):
            record.reader.read()
            count += 1
    return count


def bench_warc(pages: dict[str, bytes], rounds: int, copies: int) -> tuple[float, float, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.warc.gz"
        records = write_warc(path, pages, copies)
        ours: list[float] = []
        anchor: list[float] = []
        for round_ in range(rounds):
            # Alternate which runs first, so file-cache warmth favours neither side.
            order = (_ours, _anchor) if round_ % 2 == 0 else (_anchor, _ours)
            for fn in order:
                start = time.perf_counter()
                count = fn(path)
                rate = count / (time.perf_counter() - start)
                (ours if fn is _ours else anchor).append(rate)
                assert count == records
        return max(ours), max(anchor), records, path.stat().st_size


def _rss(links: list[str]) -> bytes:
    items = "".join(f"<item><link>{link}</link></item>" for link in links)
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()


def bench_hosts(
    pages: dict[str, bytes], rounds: int, hosts: int, latency: float, workers: int
) -> list[tuple[str, float, float]]:
    """(label, pages/s with ``workers``, pages/s with one worker) for URLs and for feeds."""
    keys = list(pages)
    shares = [keys[n::hosts] for n in range(hosts)]  # host n serves every n-th page
    servers = [serve({k: pages[k] for k in share}, "identity", latency) for share in shares]
    try:
        bases = [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
        for server, base, share in zip(servers, bases, shares, strict=True):
            server.bodies["/feed.xml"] = _rss([f"{base}/{k}" for k in share])  # type: ignore[attr-defined]
        page_urls = [f"{bases[n]}/{k}" for n, share in enumerate(shares) for k in share]
        feed_urls = [f"{base}/feed.xml" for base in bases]
        expected = [pages[k] for share in shares for k in share]
        rows = []
        for label, sources in (
            (f"pages given as URLs, {hosts} hosts", page_urls),
            (f"one feed per host, {hosts} hosts", feed_urls),
        ):
            rates: dict[int, list[float]] = {workers: [], 1: []}
            for _ in range(rounds):
                for n in (workers, 1):
                    config = FetchConfig(
                        allowed_networks=("127.0.0.0/8",),
                        host_interval=0.0,
                        retries=0,
                        max_connections=n,
                    )
                    with HttpClient(config) as client:  # a new client: robots.txt read again
                        start = time.perf_counter()
                        got = list(iter_sources_pages(sources, config, client=client))
                        rates[n].append(len(got) / (time.perf_counter() - start))
                    assert all(isinstance(p, Page) for p in got), got
                    assert [p.content for p in got] == expected
            rows.append((label, max(rates[workers]), max(rates[1])))
        return rows
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--gzip", action="store_true", help="same as --encoding gzip")
    parser.add_argument("--encoding", choices=list(ENCODERS), default="identity")
    parser.add_argument("--only", choices=["http", "warc", "hosts"], help="one measurement")
    parser.add_argument("--hosts", type=int, default=8, help="local servers for 'hosts'")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per answer")
    parser.add_argument("--workers", type=int, default=8, help="fetch workers for 'hosts'")
    args = parser.parse_args()
    pages = load_pages()
    size = statistics.mean(len(v) for v in pages.values())
    print(f"{len(pages)} pages, mean {size / 1024:.0f} KiB; best of {args.rounds} rounds")
    print(f"\n{'measure':56} {'newsdesk':>10} {'anchor':>10} {'ratio':>6}")
    if args.only in (None, "http"):
        enc = "gzip" if args.gzip else args.encoding
        ours, anchor = bench_http(pages, args.rounds, enc)
        label = f"http pages/s (127.0.0.1, {enc}) vs bare httpx"
        print(f"{label:56} {ours:10.1f} {anchor:10.1f} {ours / anchor:6.2f}")
    if args.only in (None, "warc"):
        w_ours, w_anchor, records, nbytes = bench_warc(pages, args.rounds, args.copies)
        label = f"warc pages/s ({records} records, {nbytes / 2**20:.0f} MiB gz) vs fastwarc"
        print(f"{label:56} {w_ours:10.1f} {w_anchor:10.1f} {w_ours / w_anchor:6.2f}")
    if args.only in (None, "hosts"):
        rows = bench_hosts(pages, args.rounds, args.hosts, args.latency, args.workers)
        for what, ours, anchor in rows:
            label = f"{what}, {args.latency * 1000:.0f} ms: {args.workers} workers vs 1"
            print(f"{label:56} {ours:10.1f} {anchor:10.1f} {ours / anchor:6.2f}")


if __name__ == "__main__":
    main()
