"""Sitemaps: urlsets, indexes (recursive, bounded), news sitemaps, gzip, hostile XML."""

from __future__ import annotations

import gzip

import pytest

from newsdesk.errors import InputError
from newsdesk.ingest.files import Failure
from newsdesk.ingest.http import HttpClient, MemoryHttpCache
from newsdesk.ingest.sitemaps import (
    SitemapEntry,
    iter_sitemap_entries,
    looks_like_sitemap,
    parse_sitemap,
)
from newsdesk.ingest.sources import iter_source_pages
from newsdesk.model import Page
from tests.ingest.conftest import Reply, TestServer, loopback_config

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def news_sitemap(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {NS} {NEWS_NS}>
 <url><loc>{base}/world/flood</loc>
  <news:news><news:publication><news:name>The Example Times</news:name>
   <news:language>en</news:language></news:publication>
   <news:publication_date>2024-05-01T08:00:00+00:00</news:publication_date>
   <news:title>Floods reach the capital</news:title></news:news></url>
 <url><loc>{base}/world/vote</loc><lastmod>2024-05-01</lastmod></url>
</urlset>""".encode()


def index(base: str, *children: str) -> bytes:
    items = "".join(f"<sitemap><loc>{base}{c}</loc></sitemap>" for c in children)
    return f'<?xml version="1.0"?><sitemapindex {NS}>{items}</sitemapindex>'.encode()


def urlset(base: str, *paths: str) -> bytes:
    items = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return f"<urlset {NS}>{items}</urlset>".encode()


def test_parse_news_sitemap():
    sitemap = parse_sitemap(news_sitemap("https://t.example"), "https://t.example/news.xml")
    assert sitemap.kind == "urlset"
    flood, vote = sitemap.entries
    assert flood == SitemapEntry(
        url="https://t.example/world/flood",
        news_title="Floods reach the capital",
        news_publication_date="2024-05-01T08:00:00+00:00",
        news_publication="The Example Times",
        news_language="en",
    )
    assert vote.lastmod == "2024-05-01" and vote.news_title is None


def test_parse_gzip_and_text_sitemaps():
    gz = gzip.compress(urlset("https://t.example", "/a", "/b"))
    assert looks_like_sitemap(gz)
    assert [e.url for e in parse_sitemap(gz, "x").entries] == [
        "https://t.example/a",
        "https://t.example/b",
    ]
    text = parse_sitemap(b"https://t.example/a\nhttps://t.example/b\n", "x")
    assert text.kind == "text" and len(text.entries) == 2
    with pytest.raises(InputError):
        parse_sitemap(b"hello world", "x")
    with pytest.raises(InputError, match="root element"):
        parse_sitemap(b"<html><body>page</body></html>", "x")


def test_gzip_bomb_sitemap_refused():
    bomb = gzip.compress(b" " * (5 * 1024 * 1024))
    with pytest.raises(InputError, match="limit"):
        parse_sitemap(bomb, "x", max_bytes=1024 * 1024)


def test_hostile_xml_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">
 <!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<urlset {NS}><url><loc>https://t.example/&xxe;</loc></url>
<url><loc>https://t.example/&d;</loc></url><url><loc>https://t.example/ok</loc></url></urlset>"""
    sitemap = parse_sitemap(xxe.encode(), "x")
    urls = [e.url for e in sitemap.entries]
    assert "https://t.example/ok" in urls
    assert not any("TOP-SECRET" in u or "aaaa" in u for u in urls)


def test_cut_or_corrupt_gzip_sitemap_refused_with_the_reason():
    whole = gzip.compress(urlset("https://t.example", "/a", "/b"))
    with pytest.raises(InputError, match="truncated gzip"):
        parse_sitemap(whole[: len(whole) // 2], "x")
    with pytest.raises(InputError, match="corrupt gzip"):
        parse_sitemap(whole[:10] + b"\x00" * 40, "x")


def test_sitemap_index_with_news_and_gzip_children(server: TestServer):
    base = server.url("")
    server.routes["/sitemap_index.xml"] = Reply(
        200,
        index(base, "/news.xml", "/archive.xml.gz", "/missing.xml", "/news.xml"),
        {"Content-Type": "application/xml"},
    )
    server.routes["/news.xml"] = Reply(200, news_sitemap(base), {"Content-Type": "text/xml"})
    server.routes["/archive.xml.gz"] = Reply(
        200,
        gzip.compress(urlset(base, "/old/1", "/world/vote")),
        {"Content-Type": "application/x-gzip"},
    )
    for path in ("/world/flood", "/world/vote", "/old/1"):
        server.routes[path] = Reply(200, f"<html><p>{path}</p></html>".encode())
    with HttpClient(loopback_config()) as client:
        items = list(
            iter_source_pages(server.url("/sitemap_index.xml"), client.config, client=client)
        )
    pages = [i for i in items if isinstance(i, Page)]
    failures = [i for i in items if isinstance(i, Failure)]
    assert [p.url for p in pages] == [base + "/world/flood", base + "/world/vote", base + "/old/1"]
    # The news entry's publication date travels with its page (time evidence, as a feed
    # entry's date); a plain entry's lastmod is no publication date.
    assert [p.feed_published for p in pages] == ["2024-05-01T08:00:00+00:00", None, None]
    assert len(failures) == 1 and failures[0].source == base + "/missing.xml"
    assert "HTTP 404" in failures[0].reason
    assert server.hits["/news.xml"] == 1 and server.hits["/world/vote"] == 1  # each read once


def test_index_recursion_is_bounded(server: TestServer):
    base = server.url("")
    # An index that lists itself and a chain of indexes deeper than allowed.
    server.routes["/self.xml"] = Reply(200, index(base, "/self.xml", "/leaf.xml"))
    server.routes["/leaf.xml"] = Reply(200, urlset(base, "/p"))
    for n in range(6):
        server.routes[f"/i{n}.xml"] = Reply(200, index(base, f"/i{n + 1}.xml"))
    with HttpClient(loopback_config(max_sitemap_depth=3, max_sitemaps=20)) as client:
        entries = list(iter_sitemap_entries(server.url("/self.xml"), client))
        assert entries == [SitemapEntry(base + "/p")]
        assert server.hits["/self.xml"] == 1
        chain = list(iter_sitemap_entries(server.url("/i0.xml"), client))
    assert len(chain) == 1 and isinstance(chain[0], Failure)
    assert "nested deeper than 3" in chain[0].reason
    assert server.hits["/i4.xml"] == 0


def test_sitemap_count_is_bounded(server: TestServer):
    base = server.url("")
    children = [f"/s{n}.xml" for n in range(5)]
    server.routes["/index.xml"] = Reply(200, index(base, *children))
    for n, child in enumerate(children):
        server.routes[child] = Reply(200, urlset(base, f"/p{n}"))
    with HttpClient(loopback_config(max_sitemaps=3)) as client:
        items = list(iter_sitemap_entries(server.url("/index.xml"), client))
    entries = [i for i in items if isinstance(i, SitemapEntry)]
    assert len(entries) == 2  # the index itself counts as one of the three
    assert sum(isinstance(i, Failure) for i in items) == 3


def test_leaf_sitemap_conditional_get(server: TestServer):
    base = server.url("")

    def leaf(seen):
        if seen.headers.get("if-none-match") == '"s1"':
            return Reply(304)
        return Reply(200, urlset(base, "/p"), {"ETag": '"s1"', "Content-Type": "text/xml"})

    server.routes["/index.xml"] = Reply(200, index(base, "/leaf.xml"), {"ETag": '"i1"'})
    server.routes["/leaf.xml"] = leaf
    cache = MemoryHttpCache()
    with HttpClient(loopback_config()) as client:
        first = list(iter_sitemap_entries(server.url("/index.xml"), client, http_cache=cache))
        second = list(iter_sitemap_entries(server.url("/index.xml"), client, http_cache=cache))
    assert first == [SitemapEntry(base + "/p")] and second == []
    assert cache.get(server.url("/index.xml")) is None  # an index is always read in full
    assert server.hits["/index.xml"] == 2
