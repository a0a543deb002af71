"""WARC archives: HTML response records become Pages; the rest is skipped; damage is a Failure."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType

from newsdesk.extract import extract
from newsdesk.ingest.files import Failure
from newsdesk.ingest.sources import iter_source_pages
from newsdesk.ingest.warc import iter_warc_pages
from newsdesk.model import Page
from tests.conftest import BENCH, require_shared

RU_PAGE = """<html><head><meta charset="windows-1251"><title>Выборы в городской совет</title></head>
<body><article><h1>Выборы в городской совет</h1>
<p>В воскресенье жители города выбрали новый состав городского совета; явка составила
сорок два процента, сообщила избирательная комиссия.</p>
<p>Новый совет соберётся на первое заседание в начале декабря и утвердит бюджет на
следующий год, включая расходы на ремонт дорог и школ.</p>
<p>Наблюдатели отметили, что голосование прошло спокойно и без серьёзных нарушений.</p>
</article></body></html>""".encode("cp1251")


def _record(
    n: int,
    uri: str,
    body: bytes,
    *,
    content_type: str = "text/html",
    status: str = "200 OK",
    chunked: bool = False,
    kind: WarcRecordType = WarcRecordType.response,
) -> WarcRecord:
    record = WarcRecord()
    record.init_headers(
        record_type=kind, record_urn=f"uuid:00000000-0000-0000-0000-{n:012d}".encode()
    )
    record.headers["WARC-Target-URI"] = uri
    record.headers["WARC-Date"] = f"2024-05-01T10:00:{n:02d}Z"
    if kind == WarcRecordType.response:
        record.headers["Content-Type"] = "application/http; msgtype=response"
        if chunked:  # some archives keep the transfer encoding as it came over the wire
            length = "Transfer-Encoding: chunked"
            half = len(body) // 2
            body = (
                b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:half], body[half:]))
                + b"0\r\n\r\n"
            )
        else:
            length = f"Content-Length: {len(body)}"
        http = (
            f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"{length}\r\nSet-Cookie: id=1\r\n\r\n"
        ).encode() + body
    else:
        record.headers["Content-Type"] = "application/http; msgtype=request"
        http = f"GET {uri} HTTP/1.1\r\nHost: news.example\r\n\r\n".encode()
    record.set_bytes_content(http)
    return record


def write_warc(path: Path, records: list[WarcRecord]) -> Path:
    if path.suffix == ".gz":
        writer = GzipWriter(str(path), fsspec_args=False)
        for record in records:
            record.write(writer)
        writer.close()
    else:
        with path.open("wb") as stream:
            for record in records:
                record.write(stream)
    return path


def _sample_records() -> list[WarcRecord]:
    return [
        _record(0, "https://news.example/vote", b"", kind=WarcRecordType.request),
        _record(
            1, "https://news.example/vote", RU_PAGE, content_type="text/html; charset=windows-1251"
        ),
        _record(2, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        _record(3, "https://news.example/old", b"", status="301 Moved Permanently"),
        _record(
            4,
            "https://news.example/plain",
            b"<!DOCTYPE html><html><p>x</p></html>",
            content_type="",
        ),
        _record(
            5, "https://news.example/chunked", b"<html><p>chunked body</p></html>", chunked=True
        ),
    ]


@pytest.mark.parametrize("name", ["sample.warc", "sample.warc.gz"])
def test_html_responses_become_pages(tmp_path: Path, name: str):
    path = write_warc(tmp_path / name, _sample_records())
    items = list(iter_warc_pages(path))
    assert all(isinstance(i, Page) for i in items)
    assert [p.url for p in items] == [
        "https://news.example/vote",
        "https://news.example/plain",
        "https://news.example/chunked",
    ]
    assert items[2].content == b"<html><p>chunked body</p></html>"
    page = items[0]
    assert page.source == str(path)
    assert page.fetched_at == datetime(2024, 5, 1, 10, 0, 1, tzinfo=UTC)
    assert page.content_type == "text/html; charset=windows-1251"
    assert page.headers["content-type"] == page.content_type and "set-cookie" not in page.headers
    article = extract(page.content, url=page.url, source=page.source)
    assert article.title == "Выборы в городской совет"
    assert "избирательная комиссия" in article.text


def test_warc_through_iter_source_pages_and_caps(tmp_path: Path):
    path = write_warc(tmp_path / "crawl.warc.gz", _sample_records())
    pages = list(iter_source_pages(str(path)))
    assert [p.url for p in pages if isinstance(p, Page)] == [
        "https://news.example/vote",
        "https://news.example/plain",
        "https://news.example/chunked",
    ]
    assert len(list(iter_warc_pages(path, max_pages=1))) == 1
    capped = list(iter_warc_pages(path, max_bytes=100))
    assert isinstance(capped[0], Failure) and "limit" in capped[0].reason


def test_damaged_or_foreign_files_are_failures(tmp_path: Path):
    path = write_warc(tmp_path / "crawl.warc.gz", _sample_records())
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    items = list(iter_warc_pages(broken))
    assert isinstance(items[-1], Failure), items
    not_warc = tmp_path / "page.warc"
    not_warc.write_bytes(b"<html><p>not an archive</p></html>")
    (only,) = iter_warc_pages(not_warc)
    assert isinstance(only, Failure) and "not a WARC" in only.reason
    (missing,) = iter_warc_pages(tmp_path / "nope.warc.gz")
    assert isinstance(missing, Failure) and "cannot read" in missing.reason


def test_real_news_page_in_a_warc(tmp_path: Path):
    html_dir = require_shared(BENCH / "extraction" / "scrapinghub" / "html")
    source = sorted(html_dir.glob("*.html.gz"))[0]
    body = gzip.decompress(source.read_bytes())
    path = write_warc(tmp_path / "bench.warc.gz", [_record(1, "https://bench.example/a", body)])
    (page,) = iter_warc_pages(path)
    assert isinstance(page, Page) and page.content == body
