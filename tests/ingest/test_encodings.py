"""brotli and zstd bodies from a real server on 127.0.0.1: decoded, and bombs refused at the cap."""

from __future__ import annotations

import pytest
import zstandard

from newsdesk.ingest import http as http_mod
from newsdesk.ingest.files import Failure
from newsdesk.ingest.http import FetchError, HttpClient, fetch_page_or_failure
from tests.ingest.conftest import Reply, TestServer, loopback_config
from tests.ingest.test_truncated import BOMB, CAP, compress

HTML = "<html><body><p>Сжатая страница, brotli и zstd.</p></body></html>".encode() * 50


def test_accept_encoding_advertises_br_and_zstd(server: TestServer, client: HttpClient):
    server.routes["/a"] = Reply(200, b"<p>plain</p>")
    client.fetch(server.url("/a"))
    sent = [c.strip() for c in server.requests[-1].headers["accept-encoding"].split(",")]
    assert sent == ["gzip", "deflate", "br", "zstd"]


def test_accept_encoding_leaves_out_codecs_that_are_not_importable(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(http_mod, "brotli", None)
    assert http_mod.accept_encoding() == "gzip, deflate, zstd"
    monkeypatch.setattr(http_mod, "zstd", None)
    assert http_mod.accept_encoding() == "gzip, deflate"
    with pytest.raises(FetchError, match="brotli package is absent"):
        http_mod._CappedDecoder("br", 1000)
    with pytest.raises(FetchError, match="zstd package is absent"):
        http_mod._CappedDecoder("zstd", 1000)


@pytest.mark.parametrize("encoding", ["br", "zstd"])
def test_compressed_page_is_decoded(encoding: str, server: TestServer, client: HttpClient):
    body = compress(encoding, HTML)
    assert body != HTML and len(body) < len(HTML)
    server.routes["/p"] = Reply(200, body, {"Content-Encoding": encoding})
    page = client.fetch_page(server.url("/p"))
    assert page.content == HTML
    assert page.headers["content-encoding"] == encoding  # as the server sent it


@pytest.mark.parametrize("encoding", ["br", "zstd"])
def test_large_compressed_page_is_decoded_whole(encoding: str, server: TestServer):
    """Many decoder output buffers' worth (brotli hands out 64 KiB a call): nothing lost."""
    words = [f"word{n * 7919 % 100_003}" for n in range(200_000)]
    html = ("<html><body><p>" + " ".join(words) + "</p></body></html>").encode()
    assert len(html) > 1_000_000
    server.routes["/big"] = Reply(200, compress(encoding, html), {"Content-Encoding": encoding})
    with HttpClient(loopback_config(max_bytes=4 * 1024 * 1024)) as c:
        assert c.fetch_page(server.url("/big")).content == html


@pytest.mark.parametrize("encoding", ["br", "zstd"])
def test_compressed_page_dripped_in_small_chunks_is_decoded(encoding: str, server: TestServer):
    body = compress(encoding, HTML)
    server.routes["/p"] = Reply(200, body, {"Content-Encoding": encoding}, drip=0.001, chunk=7)
    with HttpClient(loopback_config()) as c:
        assert c.fetch_page(server.url("/p")).content == HTML


@pytest.mark.parametrize("encoding", ["br", "zstd"])
def test_bomb_is_refused_with_a_reason(encoding: str, server: TestServer):
    bomb = compress(encoding, BOMB)
    assert len(bomb) < CAP // 10  # small on the wire: only the decompressed size is over
    server.routes["/bomb"] = Reply(200, bomb, {"Content-Encoding": encoding})
    server.routes["/ok"] = Reply(200, b"<p>next page</p>")
    with HttpClient(loopback_config(max_bytes=CAP)) as c:
        item = fetch_page_or_failure(server.url("/bomb"), client=c)
        after = fetch_page_or_failure(server.url("/ok"), client=c)
    assert isinstance(item, Failure)
    assert f"larger than the {CAP:,}-byte limit once decompressed" in item.reason
    assert not isinstance(after, Failure) and after.content == b"<p>next page</p>"


@pytest.mark.parametrize("encoding", ["br", "zstd"])
def test_decoder_output_never_passes_the_cap(encoding: str):
    """Fed the whole bomb at once, the decoder stops at the cap (plus one buffer), not 40 MB."""
    decoder = http_mod._CappedDecoder(encoding, CAP)
    with pytest.raises(http_mod.BodyTooLarge, match="once decompressed"):
        decoder.feed(compress(encoding, BOMB))
    assert CAP < decoder.total <= CAP + 256 * 1024


@pytest.mark.parametrize("encoding", ["br", "zstd"])
def test_corrupt_body_is_refused_with_a_reason(encoding: str, server: TestServer):
    server.routes["/bad"] = Reply(
        200, b"this is not compressed at all" * 10, {"Content-Encoding": encoding}
    )
    with HttpClient(loopback_config()) as c:
        item = fetch_page_or_failure(server.url("/bad"), client=c)
    assert isinstance(item, Failure)
    assert f"corrupt {encoding} body" in item.reason


def test_zstd_window_over_rfc_limit_is_refused():
    """RFC 9659 caps the zstd content coding's window at 8 MiB: a larger one is refused."""
    params = zstandard.ZstdCompressionParameters.from_level(19, window_log=27)
    body = zstandard.ZstdCompressor(compression_params=params).compress(b"x" * (20 * 1024 * 1024))
    with pytest.raises(FetchError, match="corrupt zstd body"):
        http_mod._CappedDecoder("zstd", 64 * 1024 * 1024).feed(body)


def test_zstd_concatenated_frames_are_decoded():
    two = zstandard.ZstdCompressor().compress(b"first ") + zstandard.ZstdCompressor().compress(
        b"second"
    )
    decoder = http_mod._CappedDecoder("zstd", 1000)
    assert b"".join(decoder.feed(two[i : i + 3]) for i in range(0, len(two), 3)) == b"first second"
