"""SOURCE resolution: paths, URLs recognised by content, TOML sources files, no exceptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.errors import InputError
from newsdesk.ingest.files import Failure
from newsdesk.ingest.http import HttpClient, JsonFileHttpCache
from newsdesk.ingest.sources import (
    SourceSpec,
    iter_source_pages,
    iter_sources_pages,
    read_sources_file,
    resolve_source,
)
from newsdesk.model import Page
from tests.ingest.conftest import Reply, TestServer, loopback_config
from tests.ingest.test_sitemaps import index, urlset
from tests.ingest.test_warc import _record, write_warc

RSS = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
    "<item><link>{base}/one</link></item><item><link>{base}/two</link></item></channel></rss>"
)


def test_resolve_source_by_form():
    assert resolve_source("-") == SourceSpec("stdin", "-")
    assert resolve_source("https://x.example/rss") == SourceSpec("url", "https://x.example/rss")
    assert resolve_source("HTTP://X.example/").kind == "url"
    assert resolve_source("sources.toml").kind == "sources"
    assert resolve_source("CC-NEWS-2024.warc.gz").kind == "warc"
    assert resolve_source("pages/").kind == "path"


def test_url_recognised_as_feed_sitemap_or_page(server: TestServer):
    base = server.url("")
    server.routes["/feed"] = Reply(
        200, RSS.format(base=base).encode(), {"Content-Type": "text/xml"}
    )
    server.routes["/sitemap"] = Reply(200, index(base, "/leaf"), {"Content-Type": "text/xml"})
    server.routes["/leaf"] = Reply(200, urlset(base, "/two", "/three"))
    for path in ("/one", "/two", "/three"):
        server.routes[path] = Reply(200, f"<html><p>{path}</p></html>".encode())
    with HttpClient(loopback_config()) as client:
        pages = list(
            iter_sources_pages(
                [server.url("/feed"), server.url("/sitemap"), server.url("/one")],
                client.config,
                client=client,
            )
        )
    assert all(isinstance(p, Page) for p in pages)
    # /two is listed by both the feed and the sitemap, /one by the feed and as a URL: read once.
    assert [p.url for p in pages] == [base + "/one", base + "/two", base + "/three"]
    assert server.hits["/two"] == 1 and server.hits["/one"] == 1


def test_sources_file(tmp_path: Path, server: TestServer):
    base = server.url("")
    server.routes["/rss"] = Reply(
        200, RSS.format(base=base).encode(), {"Content-Type": "application/rss+xml"}
    )
    server.routes["/map.xml"] = Reply(
        200, urlset(base, "/three"), {"Content-Type": "application/xml"}
    )
    server.routes["/article"] = Reply(200, b"<html><p>article</p></html>")
    for path in ("/one", "/two", "/three"):
        server.routes[path] = Reply(200, f"<html><p>{path}</p></html>".encode())
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "local.html").write_bytes(b"<html><p>local</p></html>")
    write_warc(
        tmp_path / "crawl.warc.gz", [_record(1, "https://w.example/a", b"<html><p>w</p></html>")]
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f"""
[[source]]
feed = "{base}/rss"
max_pages = 1

[[source]]
sitemap = "{base}/map.xml"

[[source]]
url = "{base}/article"

[[source]]
path = "pages"

[[source]]
warc = "crawl.warc.gz"

[[source]]
url = "{base}/dead"
""",
        encoding="utf-8",
    )
    specs = read_sources_file(sources)
    assert [s.kind for s in specs] == ["feed", "sitemap", "url", "path", "warc", "url"]
    assert specs[0].max_pages == 1 and specs[3].location == str(tmp_path / "pages")
    with HttpClient(loopback_config()) as client:
        items = list(iter_source_pages(str(sources), client.config, client=client))
    pages = [i for i in items if isinstance(i, Page)]
    failures = [i for i in items if isinstance(i, Failure)]
    assert [p.url or Path(p.source).name for p in pages] == [
        base + "/one",
        base + "/three",
        base + "/article",
        "local.html",
        "https://w.example/a",
    ]
    assert [(f.source, f.reason.split(" ")[:2]) for f in failures] == [
        (base + "/dead", ["HTTP", "404"])
    ]
    assert server.hits["/two"] == 0  # max_pages = 1 on the feed


def test_a_saved_page_given_its_url(tmp_path: Path):
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "page.txt").write_bytes(b"A saved page.")
    (tmp_path / "saved" / "other.txt").write_bytes(b"Another page.")
    sources = tmp_path / "sources.toml"
    sources.write_text(
        """
[[source]]
path = "saved/page.txt"
url = "https://news.example/2025/06/07/page"

[[source]]
path = "saved/other.txt"
""",
        encoding="utf-8",
    )
    specs = read_sources_file(sources)
    assert [(s.kind, s.url) for s in specs] == [
        ("path", "https://news.example/2025/06/07/page"),
        ("path", None),
    ]
    pages = list(iter_source_pages(str(sources)))
    assert [(Path(p.source).name, p.url) for p in pages] == [
        ("page.txt", "https://news.example/2025/06/07/page"),
        ("other.txt", None),
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[[source]]\npath = '.'\nurl = 'https://a.example/x'", "one page file only"),
        ("[[source]]\npath = 'a.warc.gz'\nurl = 'https://a.example/x'", "one page file only"),
        ("[[source]]\npath = 'page.html'\nurl = 'page.html'", "url must be an http(s) URL"),
        ("[[source]]\nurl = ", "not valid TOML"),
        ("title = 'x'", "no [[source]]"),
        ("[[source]]\nurl = 'https://a.example'\nfeed = 'https://b.example'", "exactly one"),
        ("[[source]]\nlink = 'https://a.example'", "unknown key"),
        ("[[source]]\nfeed = 'pages/'", "must be an http(s) URL"),
        ("[[source]]\npath = 'https://a.example/x'", "must be a local path"),
        ("[[source]]\nurl = 'https://a.example'\nmax_pages = 0", "positive integer"),
    ],
)
def test_bad_sources_files(tmp_path: Path, text: str, words: str):
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        InputError, match=words.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")
    ):
        read_sources_file(path)
    (failure,) = iter_source_pages(str(path))
    assert isinstance(failure, Failure) and words.split()[0] in failure.reason


def test_never_raises_for_bad_sources(tmp_path: Path):
    config = loopback_config(retries=0)
    with HttpClient(config) as client:
        for source in (
            str(tmp_path / "missing-folder"),
            str(tmp_path / "missing.warc.gz"),
            str(tmp_path / "missing.toml"),
            "http://127.0.0.1:9/unreachable",  # discard port: nothing listens
            "http://10.0.0.1/private",
            "https://",
        ):
            items = list(iter_source_pages(source, config, client=client))
            assert len(items) == 1 and isinstance(items[0], Failure), (source, items)


def test_json_http_cache_survives_a_restart(tmp_path: Path, server: TestServer):
    base = server.url("")

    def feed(seen):
        if seen.headers.get("if-none-match") == '"f1"':
            return Reply(304)
        return Reply(
            200, RSS.format(base=base).encode(), {"ETag": '"f1"', "Content-Type": "text/xml"}
        )

    server.routes["/rss"] = feed
    server.routes["/one"] = Reply(200, b"<p>1</p>")
    server.routes["/two"] = Reply(200, b"<p>2</p>")
    cache_path = tmp_path / "http-cache.json"
    with HttpClient(loopback_config()) as client:
        first = list(
            iter_source_pages(
                server.url("/rss"), client.config, JsonFileHttpCache(cache_path), client=client
            )
        )
        again = list(
            iter_source_pages(
                server.url("/rss"), client.config, JsonFileHttpCache(cache_path), client=client
            )
        )
    assert len(first) == 2 and again == []


def test_skip_url_avoids_fetching_known_pages(server: TestServer):
    base = server.url("")
    server.routes["/feed"] = Reply(
        200, RSS.format(base=base).encode(), {"Content-Type": "text/xml"}
    )
    server.routes["/one"] = Reply(200, b"<p>1</p>")
    server.routes["/two"] = Reply(200, b"<p>2</p>")
    known = {base + "/one"}
    with HttpClient(loopback_config()) as client:
        items = list(
            iter_source_pages(
                server.url("/feed"), client.config, client=client, skip_url=known.__contains__
            )
        )
    assert [i.url for i in items] == [base + "/two"]
    assert server.hits["/one"] == 0
