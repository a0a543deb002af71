"""Compressed bodies cut short (a proxy or server that stopped mid-stream) are refused as
"truncated", from a real server on 127.0.0.1, in every content coding the client asks for;
whole bodies, however they arrive, are still read whole, and the bomb cap still comes first.

HTTP itself sees a complete message here (the Content-Length is the cut body's, or the body
ends with the connection): only the compressed stream shows that the page is not all there.
"""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
import zstandard

from newsdesk.ingest.files import Failure
from newsdesk.ingest.http import BodyTooLarge, HttpClient, fetch_page_or_failure
from newsdesk.ingest.sources import iter_sources_pages
from newsdesk.model import Page
from tests.ingest.conftest import Reply, TestServer, loopback_config

ENCODINGS = ["gzip", "deflate", "br", "zstd"]
# Varied text, so every coding makes several blocks and a cut lands inside the stream.
HTML = (
    "<html><body>"
    + "".join(f"<p>Paragraph {n}: a report on item {n * 7919 % 10007}.</p>" for n in range(3000))
    + "</body></html>"
).encode()
BOMB = b"\0" * (40 * 1024 * 1024)  # 40 MB of zeros: a few KB compressed
CAP = 1024 * 1024


def compress(encoding: str, data: bytes) -> bytes:
    if encoding == "gzip":
        return gzip.compress(data)
    if encoding == "deflate":
        return zlib.compress(data)
    if encoding == "br":
        return brotli.compress(data, quality=5)
    # A content checksum, as many servers send: a cut inside it is a cut too.
    return zstandard.ZstdCompressor(level=3, write_checksum=True).compress(data)


def _cuts(body: bytes) -> dict[str, bytes]:
    return {"header only": body[:4], "half": body[: len(body) // 2], "last byte": body[:-1]}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("cut", ["header only", "half", "last byte"])
def test_truncated_body_is_a_failure_with_a_reason(
    encoding: str, cut: str, server: TestServer, client: HttpClient
) -> None:
    body = _cuts(compress(encoding, HTML))[cut]
    server.routes["/cut"] = Reply(200, body, {"Content-Encoding": encoding})
    item = fetch_page_or_failure(server.url("/cut"), client=client)
    assert isinstance(item, Failure), f"a {cut} {encoding} body was taken for a page"
    assert f"truncated {encoding} body" in item.reason


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_body_cut_by_a_closed_connection_is_a_failure(
    encoding: str, server: TestServer, client: HttpClient
) -> None:
    """No Content-Length: the connection closing ends the body, wherever the stream is."""
    body = compress(encoding, HTML)
    headers = {"Content-Encoding": encoding, "Content-Length": None}
    server.routes["/cut"] = Reply(200, body[: len(body) * 2 // 3], headers)  # type: ignore[dict-item]
    server.routes["/whole"] = Reply(200, body, headers)  # type: ignore[dict-item]
    cut = fetch_page_or_failure(server.url("/cut"), client=client)
    assert isinstance(cut, Failure) and f"truncated {encoding} body" in cut.reason
    whole = fetch_page_or_failure(server.url("/whole"), client=client)
    assert isinstance(whole, Page) and whole.content == HTML


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_batch_goes_on_after_a_truncated_page(encoding: str, server: TestServer) -> None:
    body = compress(encoding, HTML)
    server.routes["/cut"] = Reply(200, body[:-1], {"Content-Encoding": encoding})
    server.routes["/next"] = Reply(200, body, {"Content-Encoding": encoding})
    sources = [server.url("/cut"), server.url("/next")]
    items = list(iter_sources_pages(sources, loopback_config()))
    assert [type(i) for i in items] == [Failure, Page]
    failure, page = items
    assert isinstance(failure, Failure) and failure.source == sources[0]
    assert f"truncated {encoding} body" in failure.reason
    assert isinstance(page, Page) and page.content == HTML


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_whole_body_dripped_in_small_chunks_is_not_taken_for_a_cut_one(
    encoding: str, server: TestServer
) -> None:
    body = compress(encoding, HTML[:20_000])
    server.routes["/p"] = Reply(200, body, {"Content-Encoding": encoding}, drip=0.0005, chunk=97)
    with HttpClient(loopback_config()) as c:
        assert c.fetch_page(server.url("/p")).content == HTML[:20_000]


@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
def test_concatenated_members_ending_whole_are_read_whole(
    encoding: str, server: TestServer, client: HttpClient
) -> None:
    """Two gzip members or zstd frames back to back: the body ends where the second does."""
    first, second = HTML[:5000], HTML[5000:9000]
    body = compress(encoding, first) + compress(encoding, second)
    server.routes["/two"] = Reply(200, body, {"Content-Encoding": encoding})
    server.routes["/cut"] = Reply(200, body[:-3], {"Content-Encoding": encoding})
    assert client.fetch_page(server.url("/two")).content == first + second
    cut = fetch_page_or_failure(server.url("/cut"), client=client)
    assert isinstance(cut, Failure) and f"truncated {encoding} body" in cut.reason


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_empty_body_is_an_empty_page_not_a_cut_stream(
    encoding: str, server: TestServer, client: HttpClient
) -> None:
    """Some servers label an empty body with a coding; nothing was sent, nothing was cut."""
    server.routes["/empty"] = Reply(200, b"", {"Content-Encoding": encoding})
    assert client.fetch_page(server.url("/empty")).content == b""


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_cut_bomb_is_still_refused_for_its_size(encoding: str, server: TestServer) -> None:
    """The cap is checked as the body is read, so a bomb cut short is refused as a bomb."""
    bomb = compress(encoding, BOMB)
    server.routes["/bomb"] = Reply(200, bomb[: len(bomb) * 3 // 4], {"Content-Encoding": encoding})
    with HttpClient(loopback_config(max_bytes=CAP)) as c:
        item = fetch_page_or_failure(server.url("/bomb"), client=c)
        with pytest.raises(BodyTooLarge):
            c.fetch(server.url("/bomb"))
    assert isinstance(item, Failure) and "limit" in item.reason
