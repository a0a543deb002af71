"""Feeds: parsed from bytes fetched by our client, entries followed, 304 skips the feed."""

from __future__ import annotations

import gzip
import json

import pytest

from newsdesk.errors import InputError
from newsdesk.extract import extract
from newsdesk.ingest.feeds import fetch_feed, looks_like_feed, parse_feed
from newsdesk.ingest.files import Failure
from newsdesk.ingest.http import HttpClient, MemoryHttpCache, Validators
from newsdesk.ingest.sources import iter_source_pages
from newsdesk.model import Page
from tests.conftest import BENCH, require_shared
from tests.ingest.conftest import Reply, TestServer, loopback_config

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Daily Example</title><link>{base}/</link>
<item><title>Council approves budget</title><link>{base}/news/budget</link>
<pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate></item>
<item><title>Storm closes port</title><link>{base}/news/storm</link>
<pubDate>Tue, 05 Mar 2024 11:00:00 GMT</pubDate></item>
<item><title>Broken link</title><link>{base}/news/missing</link></item>
<item><title>No link at all</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>
<entry><title>Relative link</title><link rel="alternate" href="/story/1"/>
<id>tag:example.com,2024:1</id><updated>2024-03-05T10:00:00Z</updated></entry>
<entry><title>Only an id</title><id>https://example.com/story/2</id>
<updated>2024-03-06T10:00:00Z</updated></entry>
</feed>"""


def _article(title: str) -> bytes:
    paragraphs = "".join(
        f"<p>{title}: paragraph {n} of the report, with enough words to be a paragraph.</p>"
        for n in range(4)
    )
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>".encode()


def test_parse_rss_entries_with_dates():
    feed = parse_feed(RSS.format(base="https://news.example").encode(), "https://news.example/rss")
    assert feed.title == "Daily Example"
    assert [e.link for e in feed.entries] == [
        "https://news.example/news/budget",
        "https://news.example/news/storm",
        "https://news.example/news/missing",
    ]
    assert feed.entries[0].title == "Council approves budget"
    assert feed.entries[0].published == "2024-03-05T08:30:00+00:00"  # converted to UTC
    assert feed.entries[2].published is None


def test_parse_atom_resolves_relative_links_and_ids():
    feed = parse_feed(ATOM.encode(), "https://example.com/feeds/atom.xml")
    assert [e.link for e in feed.entries] == [
        "https://example.com/story/1",
        "https://example.com/story/2",
    ]
    assert feed.entries[1].published == "2024-03-06T10:00:00+00:00"


def test_not_a_feed_is_an_input_error():
    assert not looks_like_feed(b"<!doctype html><html><body><p>page</p></body></html>")
    assert looks_like_feed(RSS.encode()) and looks_like_feed(ATOM.encode())
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body><p>just a page</p></body></html>", "https://x.example/")


def test_feed_with_etag_is_skipped_when_unchanged(server: TestServer):
    base = server.url("")

    def feed(seen):
        if seen.headers.get("if-none-match") == '"feed-v1"':
            return Reply(304, b"", {"ETag": '"feed-v1"'})
        return Reply(
            200,
            RSS.format(base=base).encode(),
            {"ETag": '"feed-v1"', "Content-Type": "application/rss+xml"},
        )

    server.routes["/rss"] = feed
    server.routes["/news/budget"] = Reply(200, _article("Council approves budget"))
    server.routes["/news/storm"] = Reply(200, _article("Storm closes port"))
    cache = MemoryHttpCache()
    with HttpClient(loopback_config()) as client:
        config = client.config
        items = list(iter_source_pages(server.url("/rss"), config, cache, client=client))
        pages = [i for i in items if isinstance(i, Page)]
        failures = [i for i in items if isinstance(i, Failure)]
        assert [p.url for p in pages] == [server.url("/news/budget"), server.url("/news/storm")]
        assert [f.source for f in failures] == [server.url("/news/missing")]
        assert failures[0].reason.startswith("HTTP 404")
        assert extract(pages[1].content, url=pages[1].url).title == "Storm closes port"
        assert cache.get(server.url("/rss")) == Validators('"feed-v1"', None)

        again = list(iter_source_pages(server.url("/rss"), config, cache, client=client))
    assert again == []
    feed_requests = [r for r in server.requests if r.path == "/rss"]
    assert len(feed_requests) == 2
    assert feed_requests[1].headers["if-none-match"] == '"feed-v1"'
    assert server.hits["/news/budget"] == 1  # not fetched again


def test_fetch_feed_reports_not_modified(server: TestServer):
    server.routes["/atom"] = lambda seen: (
        Reply(304)
        if seen.headers.get("if-modified-since") == "Wed, 06 Mar 2024 10:00:00 GMT"
        else Reply(
            200,
            ATOM.encode(),
            {
                "Content-Type": "application/atom+xml",
                "Last-Modified": "Wed, 06 Mar 2024 10:00:00 GMT",
            },
        )
    )
    with HttpClient(loopback_config()) as client:
        first = fetch_feed(server.url("/atom"), client)
        assert len(first.entries) == 2 and not first.not_modified
        second = fetch_feed(server.url("/atom"), client, first.validators)
    assert second.not_modified and second.entries == ()


def test_dead_or_bogus_feed_is_a_failure_not_an_exception(server: TestServer):
    server.routes["/dead"] = Reply(410, b"gone")
    server.routes["/bogus"] = Reply(
        200, b"\x00\x01 not xml", {"Content-Type": "application/rss+xml"}
    )
    with HttpClient(loopback_config()) as client:
        for path, words in (("/dead", "HTTP 410"), ("/bogus", "not an RSS or Atom feed")):
            items = list(iter_source_pages(f"{server.url(path)}", client.config, client=client))
            assert len(items) == 1 and isinstance(items[0], Failure), items
            assert words in items[0].reason


def test_gzip_compressed_feed(server: TestServer):
    base = server.url("")
    server.routes["/rss.gz"] = Reply(
        200,
        gzip.compress(RSS.format(base=base).encode()),
        {"Content-Encoding": "gzip", "Content-Type": "text/xml"},
    )
    server.routes["/news/budget"] = Reply(200, _article("Budget"))
    with HttpClient(loopback_config()) as client:
        feed = fetch_feed(server.url("/rss.gz"), client)
    assert len(feed.entries) == 3


def test_real_news_pages_through_a_feed(server: TestServer):
    """Three benchmark pages served behind a feed come out as the articles they hold."""
    html_dir = require_shared(BENCH / "extraction" / "scrapinghub" / "html")
    truth = json.loads((BENCH / "extraction" / "scrapinghub" / "ground-truth.json").read_text())
    names = sorted(html_dir.glob("*.html.gz"))[:3]
    items = []
    for path in names:
        key = path.name.split(".")[0]
        server.routes[f"/a/{key}"] = Reply(200, gzip.decompress(path.read_bytes()))
        items.append(f"<item><title>{key}</title><link>{server.url('/a/' + key)}</link></item>")
    server.routes["/feed"] = Reply(
        200,
        f"<rss version='2.0'><channel><title>Bench</title>{''.join(items)}</channel></rss>".encode(),
        {"Content-Type": "application/rss+xml"},
    )
    with HttpClient(loopback_config()) as client:
        pages = list(iter_source_pages(server.url("/feed"), client.config, client=client))
    assert all(isinstance(p, Page) for p in pages) and len(pages) == 3
    for page, path in zip(pages, names, strict=True):
        key = path.name.split(".")[0]
        article = extract(page.content, url=page.url)
        expected = truth[key]["articleBody"]
        first_words = " ".join(expected.split()[:6])
        assert first_words.lower() in " ".join(article.text.split()).lower()


def test_feed_cut_short_is_read_again_next_time(server: TestServer):
    base = server.url("")
    server.routes["/rss"] = Reply(
        200, RSS.format(base=base).encode(), {"ETag": '"v"', "Content-Type": "text/xml"}
    )
    server.routes["/news/budget"] = Reply(200, _article("Budget"), {"ETag": '"p"'})
    cache = MemoryHttpCache()
    with HttpClient(loopback_config(max_pages_per_source=1)) as client:
        items = list(iter_source_pages(server.url("/rss"), client.config, cache, client=client))
    assert [i.url for i in items] == [base + "/news/budget"]
    assert cache.get(server.url("/rss")) is None  # not every entry was read
    assert cache.get(base + "/news/budget") == Validators('"p"', None)
