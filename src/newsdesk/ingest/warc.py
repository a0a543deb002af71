"""Pages from WARC archives (``.warc``, ``.warc.gz``), such as Common Crawl's CC-NEWS.

Reads ``response`` records with fastwarc (resiliparse) and yields one ``Page`` per
successful (HTTP 200) HTML response: ``url`` from WARC-Target-URI, ``fetched_at`` from
WARC-Date (``fetched_by`` "warc": the crawl's time), the HTTP headers, and the body. Other records (requests, metadata, images,
redirects) are skipped quietly: they are not pages. A record too large, or an archive
that breaks half-way, is a ``Failure`` with a reason, and the pages before it are kept.

The archive is only ever opened as a local file (fsspec is disabled): a WARC "path"
that is really a URL is never fetched from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk import settings
from newsdesk.ingest.files import Failure
from newsdesk.model import Page, now_utc

if TYPE_CHECKING:
    from fastwarc.warc import WarcRecord

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def is_warc_path(path: str | Path) -> bool:
    name = str(path).lower()
    return name.endswith((".warc", ".warc.gz", ".warc.zst", ".warc.lz4"))


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _record_page(
    record: WarcRecord, path: Path, max_bytes: int, html_only: bool
) -> Page | Failure | None:
    uri = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>") or None
    http = record.http_headers
    if http is None or http.status_code != 200:
        return None  # redirects, errors and non-HTTP records are not pages
    headers = {str(k).lower(): str(v) for k, v in http.items()}
    headers.pop("set-cookie", None)
    content_type = headers.get("content-type")
    media = content_type.split(";", 1)[0].strip().lower() if content_type else None
    if html_only and media is not None and media not in HTML_TYPES:
        return None
    body = record.reader.read(max_bytes + 1)
    if len(body) > max_bytes:
        return Failure(
            f"{path} ({uri or 'record'})", f"record body is over the {max_bytes:,}-byte limit"
        )
    if "transfer-encoding" not in headers and len(body) < record.content_length:
        # fastwarc stops quietly at the end of a cut archive; a short body is how it shows.
        return Failure(
            f"{path} ({uri or 'record'})",
            f"record truncated ({len(body):,} of {record.content_length:,} bytes): "
            "the archive is damaged",
        )
    if html_only and media is None and not _looks_like_html(body):
        return None
    return Page(
        source=str(path),
        content=body,
        url=uri,
        content_type=content_type,
        fetched_at=record.record_date or now_utc(),
        headers=headers,
        fetched_by="warc" if record.record_date else None,  # no WARC-Date: no evidence
    )


def iter_warc_pages(
    path: str | Path,
    *,
    max_bytes: int | None = None,
    max_pages: int | None = None,
    html_only: bool = True,
) -> Iterator[Page | Failure]:
    """Every HTML page of a WARC file, in archive order."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    path = Path(path)
    limit = settings.MAX_PAGE_BYTES if max_bytes is None else max_bytes
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield Failure(str(path), f"cannot read WARC file: {exc.strerror or exc}")
        return
    pages = records = 0
    with stream:
        iterator = ArchiveIterator(
            stream,
            record_types=WarcRecordType.response,
            parse_http=True,
            auto_decode="transfer",  # undo chunking; content-encoding is left to decode.py
            fsspec_args=False,
        )
        try:
            for record in iterator:
                records += 1
                item = _record_page(record, path, limit, html_only)
                if item is None:
                    continue
                yield item
                if isinstance(item, Page):
                    pages += 1
                    if max_pages is not None and pages >= max_pages:
                        return
        except Exception as exc:  # fastwarc raises OSError/ValueError on corrupt data
            if records == 0:
                yield Failure(str(path), f"not a WARC file ({exc})")
            else:
                yield Failure(str(path), f"corrupt WARC after {records} records ({exc})")
            return
    if records == 0:
        yield Failure(str(path), "no WARC response records (not a WARC file?)")
