"""Scale benchmark: extraction pages/s over a CC-NEWS-like WARC, LocalExecutor vs RayExecutor.

The 92 real article pages of ``../shared/bench/extraction/scrapinghub/html`` are written
round-robin into one gzip WARC of ``--records`` response records (each copy under its own
URL), in a temporary folder. The same bulk path then runs twice in one process:

    iter_warc_pages(warc) -> executor.map(extract_page, pages) -> PageResult

first with ``LocalExecutor()`` (the anchor: one process, in order), then with
``RayExecutor(num_cpus=--cpus)`` on a local Ray started for the run. Ray's start-up is
timed apart and left out of its pages/s (a long crawl pays it once), and so is warming up
(each executor first extracts a few pages, so every Ray worker and the local process have
imported the extractors and loaded the language models); the ratio is Ray / local. Both runs must give the same articles (checked, printed). A last row maps a
stage that does nothing (``page_size``) over the same WARC on Ray: what reading the WARC
and moving pages to the workers costs by itself.

    python bench/scale.py [--records 2000] [--cpus 2]
"""

from __future__ import annotations

import argparse
import gzip
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType

from newsdesk.ingest.warc import iter_warc_pages
from newsdesk.model import Page
from newsdesk.pipeline import Executor, PageResult, extract_page
from newsdesk.runners.local import LocalExecutor
from newsdesk.runners.ray import RayExecutor

HTML = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "extraction"
HTML = HTML / "scrapinghub" / "html"


def load_pages() -> list[tuple[str, bytes]]:
    if not HTML.exists():
        raise SystemExit(f"benchmark data not found at {HTML}")
    paths = sorted(HTML.glob("*.html.gz"))
    return [(p.name.split(".")[0], gzip.decompress(p.read_bytes())) for p in paths]


def write_warc(path: Path, pages: list[tuple[str, bytes]], records: int) -> None:
    """``records`` HTTP response records, the pages round-robin, as a crawler writes them."""
    writer = GzipWriter(str(path), fsspec_args=False)
    for n in range(records):
        key, body = pages[n % len(pages)]
        record = WarcRecord()
        record.init_headers(
            record_type=WarcRecordType.response, record_urn=f"uuid:{n:032x}".encode()
        )
        record.headers["WARC-Target-URI"] = f"https://bench.example/{n // len(pages)}/{key}"
        record.headers["WARC-Date"] = "2024-05-01T10:00:00Z"
        record.headers["Content-Type"] = "application/http; msgtype=response"
        http = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        record.set_bytes_content(http + body)
        record.write(writer)
    writer.close()


def _pages(warc: Path) -> Iterator[Page]:
    return (item for item in iter_warc_pages(warc) if isinstance(item, Page))


def run(executor: Executor, warc: Path) -> tuple[float, list[PageResult]]:
    """Seconds to read and extract every page of the WARC, and the results in order."""
    start = time.perf_counter()
    results = list(executor.map(extract_page, _pages(warc)))  # type: ignore[arg-type]
    return time.perf_counter() - start, results


def page_size(page: Page) -> int:
    """A stage that does no work: Ray's transport cost alone."""
    return len(page.content)


def _summary(results: list[PageResult]) -> list[tuple[str, str | None, int]]:
    return [
        (r.page.url or "", r.article.title if r.article else r.reason, len(r.article.text))
        if r.article
        else (r.page.url or "", r.reason, 0)
        for r in results
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=2000, help="WARC response records")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray")
    args = parser.parse_args()

    pages = load_pages()
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "crawl.warc.gz"
        write_warc(warc, pages, args.records)
        size_mb = warc.stat().st_size / 1e6

        warmup = [Page(key, body, url=f"https://warmup.example/{key}") for key, body in pages]
        warmup = warmup[: 4 * args.cpus]
        list(LocalExecutor().map(extract_page, warmup))
        local_s, local_results = run(LocalExecutor(), warc)
        started = time.perf_counter()
        with RayExecutor(num_cpus=args.cpus) as ray_executor:
            list(ray_executor.map(extract_page, warmup))  # one page per task: every worker
            startup_s = time.perf_counter() - started
            ray_s, ray_results = run(ray_executor, warc)
            started = time.perf_counter()
            moved = sum(1 for _ in ray_executor.map(page_size, _pages(warc)))
            transport_s = time.perf_counter() - started

    same = _summary(local_results) == _summary(ray_results)
    articles = sum(r.article is not None for r in ray_results)
    n = len(local_results)
    local_rate, ray_rate = n / local_s, n / ray_s
    print(
        f"WARC: {args.records} records ({len(pages)} pages replicated), {size_mb:.1f} MB gzip; "
        f"{os.cpu_count()} CPUs on this machine, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'executor':<28} {'pages':>6} {'seconds':>8} {'pages/s':>8}")
    print(f"{'LocalExecutor (anchor)':<28} {n:>6} {local_s:>8.1f} {local_rate:>8.1f}")
    label = f"RayExecutor(num_cpus={args.cpus})"
    print(f"{label:<28} {len(ray_results):>6} {ray_s:>8.1f} {ray_rate:>8.1f}")
    label = "RayExecutor, no-op stage"
    print(f"{label:<28} {moved:>6} {transport_s:>8.1f} {moved / transport_s:>8.1f}")
    print(f"ratio Ray / local: {ray_rate / local_rate:.2f}x")
    print(f"Ray start-up and warm-up (not in its pages/s): {startup_s:.1f} s")
    end_to_end = len(ray_results) / (ray_s + startup_s)
    print(f"Ray pages/s with start-up and warm-up counted: {end_to_end:.1f}")
    print(f"same articles from both: {same} ({articles} articles, {n - articles} failed pages)")


if __name__ == "__main__":
    main()
