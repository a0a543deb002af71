"""Test corpora for ``newsdesk run``, written into a test's tmp folder from the shared bench.

Multi-News clusters give several articles about one story (each document becomes a small
HTML page with a made-up canonical URL and a publication date); ScrapingHub pages give
single, unrelated stories; the seed page is a flattened-text page. ``write_warc`` packs
pages into a gzipped WARC as CC-NEWS does (a request and a response record per page).
"""

from __future__ import annotations

import gzip
import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType

from tests.conftest import BENCH, SEED_PAGE, require_shared

CLUSTERS = BENCH / "synthesis" / "multinews-longbench" / "clusters.jsonl"
SCRAPINGHUB = BENCH / "extraction" / "scrapinghub" / "html"


@dataclass(frozen=True)
class Doc:
    """One page of the corpus: where it lives (relative name), its URL and its bytes."""

    name: str
    url: str
    body: bytes
    story: str  # the Multi-News cluster id, or the page's own name for single stories


def story_clusters(count: int, min_docs: int = 3, skip: int = 0) -> list[list[str]]:
    """Texts of the non-boilerplate documents of ``count`` Multi-News clusters."""
    found: list[list[str]] = []
    with require_shared(CLUSTERS).open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts = [d["text"] for d in record["documents"] if not d.get("boilerplate")]
            texts = [t for t in texts if len(t.split()) >= 150]
            if len(texts) >= min_docs:
                found.append(texts)
    return found[skip : skip + count]


def _title(text: str) -> str:
    first = next((ln.strip() for ln in text.splitlines() if len(ln.split()) >= 6), text[:80])
    words = re.sub(r"\s+", " ", first).split()[:14]
    return " ".join(words).rstrip(".,;:")


def html_page(text: str, url: str, published: datetime | None) -> bytes:
    """A small news page: title, canonical link, date, one <article> of paragraphs."""
    title = _title(text)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    meta = (
        f'<meta property="article:published_time" content="{published.isoformat()}">'
        if published
        else ""
    )
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        f'<link rel="canonical" href="{html.escape(url)}">{meta}</head>'
        f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>"
    ).encode()


def cluster_docs(
    cluster: int, texts: list[str], first: int, last: int, published: datetime
) -> list[Doc]:
    """Pages ``first..last-1`` of one cluster, each from a different made-up site."""
    docs = []
    for i in range(first, last):
        url = f"https://site{i}.example/news/story-{cluster}-{i}"
        when = published + timedelta(hours=i)
        docs.append(
            Doc(f"c{cluster:02d}-d{i}.html", url, html_page(texts[i], url, when), f"c{cluster}")
        )
    return docs


def single_docs(count: int) -> list[Doc]:
    """ScrapingHub pages (one unrelated story each), as they were crawled."""
    paths = sorted(require_shared(SCRAPINGHUB).glob("*.html.gz"))[:count]
    return [
        Doc(
            f"sh-{p.name[:12]}.html",
            f"https://shub.example/{p.name[:12]}",
            gzip.decompress(p.read_bytes()),
            p.name[:12],
        )
        for p in paths
    ]


def seed_doc() -> Doc:
    return Doc(
        "seed.txt", "https://caliber.example/seed", require_shared(SEED_PAGE).read_bytes(), "seed"
    )


def base_time() -> datetime:
    """Dates near now, so ``--since`` windows in days keep them."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)


def write_docs(folder: Path, docs: list[Doc]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (folder / doc.name).write_bytes(doc.body)
    return folder


def mixed_corpus(folder: Path) -> Path:
    """~20 pages: four multi-source stories, a few single stories, the seed page."""
    start = base_time()
    docs = []
    for i, texts in enumerate(story_clusters(4)):
        docs += cluster_docs(i, texts, 0, min(3, len(texts)), start + timedelta(hours=6 * i))
    docs += [*single_docs(6), seed_doc()]
    return write_docs(folder, docs)


def _warc_record(kind: WarcRecordType, n: int, url: str, when: datetime, http: bytes) -> WarcRecord:
    record = WarcRecord()
    record.init_headers(record_type=kind, record_urn=f"uuid:{n:032x}".encode())
    record.headers["WARC-Target-URI"] = url
    record.headers["WARC-Date"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    msgtype = "response" if kind == WarcRecordType.response else "request"
    record.headers["Content-Type"] = f"application/http; msgtype={msgtype}"
    record.set_bytes_content(http)
    return record


def write_warc(path: Path, docs: list[Doc], fetched: datetime) -> Path:
    """A gzipped WARC of ``docs`` (each crawled a minute after the one before), CC-NEWS
    style: a request and an HTTP 200 response record per page, plus an image response."""
    records = []
    for i, doc in enumerate(docs):
        when = fetched + timedelta(minutes=i)
        host = urlsplit(doc.url).netloc
        request = f"GET {doc.url} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
        records.append(_warc_record(WarcRecordType.request, 2 * i, doc.url, when, request))
        head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        http = f"{head}Content-Length: {len(doc.body)}\r\n\r\n".encode() + doc.body
        records.append(_warc_record(WarcRecordType.response, 2 * i + 1, doc.url, when, http))
    logo = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n"
    records.append(
        _warc_record(
            WarcRecordType.response, 2 * len(docs), "https://shub.example/logo.png", fetched, logo
        )
    )
    writer = GzipWriter(str(path), fsspec_args=False)
    for record in records:
        record.write(writer)
    writer.close()
    return path
