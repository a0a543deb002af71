"""The HTTP client against a real server on 127.0.0.1: failures, caps, robots, guard, 304."""

from __future__ import annotations

import gzip
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from newsdesk import __version__
from newsdesk.extract import extract
from newsdesk.ingest import http as http_mod
from newsdesk.ingest.files import Failure
from newsdesk.ingest.http import (
    FetchConfig,
    FetchError,
    HostRateLimiter,
    HttpClient,
    fetch_page_or_failure,
)
from newsdesk.model import Page
from tests.ingest.conftest import Reply, TestServer, loopback_config

ARTICLE_RU = """<!doctype html><html lang="ru"><head><title>Москва готовится к зиме</title></head>
<body><nav><a href="/">Главная</a> | <a href="/news">Новости</a></nav>
<article><h1>Москва готовится к зиме</h1>
<p>Городские службы Москвы начали подготовку к зимнему сезону: на улицы выйдут более
десяти тысяч единиц снегоуборочной техники, сообщили в мэрии в понедельник.</p>
<p>По словам представителей коммунальных служб, в этом году закуплено на двадцать процентов
больше реагентов, чем в прошлом, а дворники получили новую форму и инструменты.</p>
<p>Синоптики обещают, что первый снег выпадет в столице уже в конце ноября, а морозы
установятся к середине декабря, когда температура опустится ниже десяти градусов.</p>
</article><footer>© 2024 Новости города</footer></body></html>"""


def test_fetches_a_page_with_headers_and_user_agent(server: TestServer, client: HttpClient):
    server.routes["/a"] = Reply(200, b"<html><p>hello</p></html>", {"ETag": '"v1"'})
    page = client.fetch_page(server.url("/a"))
    assert page.content == b"<html><p>hello</p></html>"
    assert page.url == server.url("/a")
    assert page.content_type == "text/html; charset=utf-8"
    assert page.headers["etag"] == '"v1"'
    assert page.fetched_at is not None
    agent = server.requests[-1].headers["user-agent"]
    assert agent.startswith(f"newsdesk/{__version__} (+http")


def test_loopback_refused_by_default_without_a_request(server: TestServer):
    server.routes["/a"] = Reply(200, b"<p>secret</p>")
    with HttpClient(FetchConfig()) as default_client:
        item = fetch_page_or_failure(server.url("/a"), client=default_client)
    assert isinstance(item, Failure)
    assert "loopback" in item.reason
    assert server.requests == []  # refused before any connection


def test_localhost_name_is_resolved_and_refused(server: TestServer):
    with HttpClient(FetchConfig()) as default_client:
        item = fetch_page_or_failure(f"http://localhost:{server.port}/a", client=default_client)
    assert isinstance(item, Failure)
    assert "localhost resolves to" in item.reason
    assert server.requests == []


def test_private_address_refused_without_connecting(monkeypatch: pytest.MonkeyPatch):
    def no_connection(*args: object, **kwargs: object):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    with HttpClient(FetchConfig(retries=0)) as default_client:
        for url in ("http://10.0.0.1/news", "http://169.254.169.254/latest/meta-data/"):
            item = fetch_page_or_failure(url, client=default_client)
            assert isinstance(item, Failure)
            assert "refused" in item.reason
    with HttpClient(FetchConfig(retries=0)) as default_client:
        item = fetch_page_or_failure("http://[::ffff:10.0.0.1]/", client=default_client)
        assert isinstance(item, Failure) and "refused" in item.reason


def test_redirect_to_private_address_refused(server: TestServer, client: HttpClient):
    server.routes["/go"] = Reply(302, b"", {"Location": "http://10.0.0.1/internal"})
    item = fetch_page_or_failure(server.url("/go"), client=client)
    assert isinstance(item, Failure)
    assert "10.0.0.1" in item.reason and "private" in item.reason


def test_allow_private_from_environment(monkeypatch: pytest.MonkeyPatch, server: TestServer):
    server.routes["/a"] = Reply(200, b"<p>local</p>")
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE", "1")
    config = FetchConfig.from_env(host_interval=0.0)
    assert config.allow_private
    with HttpClient(config) as c:
        assert isinstance(fetch_page_or_failure(server.url("/a"), client=c), Page)


def test_slow_answer_times_out(server: TestServer, client: HttpClient):
    server.routes["/slow"] = Reply(200, b"<p>late</p>", delay=1.5)
    item = fetch_page_or_failure(server.url("/slow"), client=client)
    assert isinstance(item, Failure)
    assert "timed out" in item.reason
    assert server.hits["/slow"] == 1  # a read timeout is not retried by default


def test_dripping_body_stops_at_total_timeout(server: TestServer):
    server.routes["/drip"] = Reply(200, b"x" * 200, drip=0.1, chunk=1)
    with HttpClient(loopback_config(total_timeout=0.6)) as c:
        item = fetch_page_or_failure(server.url("/drip"), client=c)
    assert isinstance(item, Failure)
    assert "took longer than" in item.reason


@pytest.mark.parametrize("status", [404, 410])
def test_client_errors_fail_at_once(server: TestServer, client: HttpClient, status: int):
    server.routes["/gone"] = Reply(status, b"no")
    item = fetch_page_or_failure(server.url("/gone"), client=client)
    assert isinstance(item, Failure)
    assert item.reason.startswith(f"HTTP {status}")
    assert server.hits["/gone"] == 1


def test_server_error_is_retried_then_fails(server: TestServer, client: HttpClient):
    server.routes["/broken"] = Reply(500, b"oops")
    item = fetch_page_or_failure(server.url("/broken"), client=client)
    assert isinstance(item, Failure)
    assert "HTTP 500" in item.reason and "after 3 attempts" in item.reason
    assert server.hits["/broken"] == 3


def test_503_then_success(server: TestServer, client: HttpClient):
    answers = iter([Reply(503, b"busy"), Reply(200, b"<p>ok</p>")])
    server.routes["/flaky"] = lambda seen: next(answers)
    page = client.fetch_page(server.url("/flaky"))
    assert page.content == b"<p>ok</p>"


def test_429_honours_retry_after_then_succeeds(
    server: TestServer, client: HttpClient, monkeypatch: pytest.MonkeyPatch
):
    answers = iter([Reply(429, b"slow down", {"Retry-After": "2"}), Reply(200, b"<p>ok</p>")])
    server.routes["/limited"] = lambda seen: next(answers)
    slept: list[float] = []
    monkeypatch.setattr(http_mod.time, "sleep", slept.append)
    page = client.fetch_page(server.url("/limited"))
    assert page.content == b"<p>ok</p>"
    assert server.hits["/limited"] == 2
    assert slept == [2.0]  # the wait the server asked for, not the client's own backoff


def test_429_with_too_long_retry_after_fails_without_waiting(
    server: TestServer, client: HttpClient
):
    server.routes["/limited"] = Reply(429, b"", {"Retry-After": "3600"})
    item = fetch_page_or_failure(server.url("/limited"), client=client)
    assert isinstance(item, Failure)
    assert "retry after 3600 s" in item.reason
    assert server.hits["/limited"] == 1


def test_retry_after_as_http_date():
    later = datetime.now(UTC) + timedelta(seconds=30)
    seconds = http_mod._retry_after_seconds(format_datetime(later, usegmt=True))
    assert seconds is not None and 25 <= seconds <= 31
    assert http_mod._retry_after_seconds("soon") is None


def test_redirects_followed_and_loops_capped(server: TestServer, client: HttpClient):
    server.routes["/old"] = Reply(301, b"", {"Location": "/new"})
    server.routes["/new"] = Reply(200, b"<p>moved</p>")
    page = client.fetch_page(server.url("/old"))
    assert page.url == server.url("/new") and page.source == server.url("/old")

    server.routes["/a"] = Reply(302, b"", {"Location": "/b"})
    server.routes["/b"] = Reply(302, b"", {"Location": "/a"})
    item = fetch_page_or_failure(server.url("/a"), client=client)
    assert isinstance(item, Failure) and "redirect loop" in item.reason

    for n in range(10):
        server.routes[f"/r{n}"] = Reply(302, b"", {"Location": f"/r{n + 1}"})
    item = fetch_page_or_failure(server.url("/r0"), client=client)
    assert isinstance(item, Failure) and "more than 5 redirects" in item.reason
    assert server.hits["/r6"] == 0


def test_gzip_bomb_is_capped(server: TestServer):
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=9)  # 20 MB -> ~20 KB
    server.routes["/bomb"] = Reply(200, bomb, {"Content-Encoding": "gzip"})
    with HttpClient(loopback_config(max_bytes=1024 * 1024)) as c:
        item = fetch_page_or_failure(server.url("/bomb"), client=c)
    assert isinstance(item, Failure)
    assert "once decompressed" in item.reason


def test_gzip_page_is_decompressed(server: TestServer, client: HttpClient):
    html = "<html><p>сжатая страница</p></html>".encode()
    server.routes["/gz"] = Reply(200, gzip.compress(html), {"Content-Encoding": "gzip"})
    assert client.fetch_page(server.url("/gz")).content == html
    assert "gzip" in server.requests[-1].headers["accept-encoding"]


def test_oversized_body_refused(server: TestServer):
    server.routes["/big"] = Reply(200, b"<p>" + b"a" * 5000 + b"</p>")
    with HttpClient(loopback_config(max_bytes=1000)) as c:
        item = fetch_page_or_failure(server.url("/big"), client=c)
        assert isinstance(item, Failure) and "1,000-byte limit" in item.reason
        # A lying (absent) Content-Length is caught while streaming.
        server.routes["/big2"] = Reply(200, b"a" * 5000, {"Content-Length": None})
        item = fetch_page_or_failure(server.url("/big2"), client=c)
        assert isinstance(item, Failure) and "limit" in item.reason


@pytest.mark.parametrize(
    ("media", "body"),
    [("image/png", b"\x89PNG\r\n\x1a\n...."), ("application/pdf", b"%PDF-1.7 ...")],
)
def test_wrong_content_types_refused(server: TestServer, client: HttpClient, media, body):
    server.routes["/file"] = Reply(200, body, {"Content-Type": media})
    item = fetch_page_or_failure(server.url("/file"), client=client)
    assert isinstance(item, Failure)
    assert item.reason == f"content type {media} is not a web page (HTML or text)"


def test_misdeclared_charset_still_decodes(server: TestServer, client: HttpClient):
    body = ARTICLE_RU.encode("cp1251")
    server.routes["/ru"] = Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})
    page = client.fetch_page(server.url("/ru"))
    assert page.content == body  # bytes passed on untouched, header kept
    assert page.content_type == "text/html; charset=utf-8"
    article = extract(page.content, url=page.url, source=page.source)
    assert article.title == "Москва готовится к зиме"
    assert "снегоуборочной техники" in article.text


def test_robots_txt_disallow_and_cache(server: TestServer, client: HttpClient):
    server.routes["/robots.txt"] = Reply(
        200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}
    )
    server.routes["/private/a"] = Reply(200, b"<p>no</p>")
    server.routes["/public/a"] = Reply(200, b"<p>yes</p>")
    item = fetch_page_or_failure(server.url("/private/a"), client=client)
    assert isinstance(item, Failure) and item.reason == "disallowed by robots.txt"
    assert isinstance(fetch_page_or_failure(server.url("/public/a"), client=client), Page)
    assert server.hits["/private/a"] == 0
    assert server.hits["/robots.txt"] == 1  # cached per host
    with HttpClient(loopback_config(respect_robots=False)) as rude:
        assert isinstance(fetch_page_or_failure(server.url("/private/a"), client=rude), Page)


def test_robots_txt_rules_for_our_agent(server: TestServer, client: HttpClient):
    server.routes["/robots.txt"] = Reply(
        200, b"User-agent: newsdesk\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    )
    server.routes["/a"] = Reply(200, b"<p>x</p>")
    assert not client.robots_allow(server.url("/a"))


def test_robots_txt_server_error_means_disallowed(server: TestServer):
    server.routes["/robots.txt"] = Reply(503, b"down")
    server.routes["/a"] = Reply(200, b"<p>x</p>")
    with HttpClient(loopback_config(retries=0)) as c:
        item = fetch_page_or_failure(server.url("/a"), client=c)
    assert isinstance(item, Failure) and "robots.txt unreachable" in item.reason
    assert server.hits["/a"] == 0


def test_conditional_get_with_etag(server: TestServer, client: HttpClient):
    def page(seen):
        if seen.headers.get("if-none-match") == '"abc"':
            return Reply(304, b"", {"ETag": '"abc"'})
        return Reply(200, b"<p>v1</p>", {"ETag": '"abc"', "Last-Modified": "Mon, 01 Jan 2024"})

    server.routes["/p"] = page
    first = client.fetch(server.url("/p"))
    assert first.status == 200 and not first.not_modified and first.etag == '"abc"'
    second = client.fetch(server.url("/p"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content == b""
    assert server.requests[-1].headers["if-modified-since"] == "Mon, 01 Jan 2024"


def test_rate_limiter_spaces_requests(monkeypatch: pytest.MonkeyPatch):
    slept: list[float] = []
    monkeypatch.setattr(http_mod.time, "sleep", slept.append)
    limiter = HostRateLimiter()
    limiter.wait("http://a", 2.0)
    limiter.wait("http://b", 2.0)  # another host: no wait
    limiter.wait("http://a", 2.0)
    limiter.wait("http://a", 2.0)
    assert len(slept) == 2
    assert 1.9 <= slept[0] <= 2.0 and 3.9 <= slept[1] <= 4.0


def test_crawl_delay_raises_the_interval(server: TestServer, client: HttpClient):
    server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nCrawl-delay: 7\n")
    assert client.robots_allow(server.url("/x"))
    assert client._interval_for(server.url("/x")) == 7.0


def test_fetch_error_is_an_input_error(server: TestServer, client: HttpClient):
    from newsdesk.errors import InputError

    with pytest.raises(FetchError) as info:
        client.fetch(server.url("/nothing"))
    assert isinstance(info.value, InputError) and info.value.status == 404
    for bad in ("ftp://example.com/x", "file:///etc/passwd", "http:///nohost"):
        item = fetch_page_or_failure(bad, client=client)
        assert isinstance(item, Failure)


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server with a self-signed certificate for localhost (made with openssl)."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    srv = TestServer(tls=context).start()
    try:
        yield srv, str(cert)
    finally:
        srv.stop()


def test_https_checks_the_host_name_on_a_pinned_address(tls_server):
    srv, cert = tls_server
    srv.routes["/secure"] = Reply(200, b"<p>over TLS</p>")
    with HttpClient(loopback_config(ca_file=cert)) as c:
        page = c.fetch_page(srv.url("/secure", host="localhost"))
        assert page.content == b"<p>over TLS</p>"
        # The certificate names localhost, not 127.0.0.1: verification is by host name.
        item = fetch_page_or_failure(srv.url("/secure"), client=c)
        assert isinstance(item, Failure) and "TLS failed" in item.reason
    with HttpClient(loopback_config()) as untrusting:  # certifi does not know our CA
        item = fetch_page_or_failure(srv.url("/secure", host="localhost"), client=untrusting)
        assert isinstance(item, Failure) and "certificate" in item.reason.lower()


def test_capped_decoder_handles_members_and_raw_deflate():
    import zlib

    decoder = http_mod._CappedDecoder("gzip", 1000)
    two_members = gzip.compress(b"first ") + gzip.compress(b"second")
    assert decoder.feed(two_members[:7]) + decoder.feed(two_members[7:]) == b"first second"
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    deflated = raw.compress(b"raw deflate body") + raw.flush()
    assert http_mod._CappedDecoder("deflate", 1000).feed(deflated) == b"raw deflate body"
    assert (
        http_mod._CappedDecoder("deflate", 1000).feed(zlib.compress(b"zlib body")) == b"zlib body"
    )
    with pytest.raises(FetchError, match="unsupported content-encoding"):
        http_mod._CappedDecoder("compress", 1000)
    with pytest.raises(FetchError, match="once decompressed"):
        http_mod._CappedDecoder("gzip", 1000).feed(gzip.compress(b"x" * 5000))


def test_connection_errors_retried_with_exponential_backoff(monkeypatch: pytest.MonkeyPatch):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now: every connection is refused
    slept: list[float] = []
    monkeypatch.setattr(http_mod.time, "sleep", slept.append)
    config = loopback_config(retries=3, backoff=0.5, max_backoff=10.0, respect_robots=False)
    with HttpClient(config) as c:
        item = fetch_page_or_failure(f"http://127.0.0.1:{port}/a", client=c)
    assert isinstance(item, Failure)
    assert "cannot connect" in item.reason and "after 4 attempts" in item.reason
    assert slept == [0.5, 1.0, 2.0]
