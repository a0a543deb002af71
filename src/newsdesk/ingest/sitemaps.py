"""Sitemaps: the page URLs a site lists, from urlsets, sitemap indexes and news sitemaps.

Reads the sitemap protocol (https://www.sitemaps.org/protocol.html): ``<urlset>`` of
``<url><loc>``, ``<sitemapindex>`` of ``<sitemap><loc>`` (followed recursively, bounded
in depth and count), plain-text sitemaps (one URL a line) and gzip-compressed ones
(``sitemap.xml.gz``). Google News sitemaps add ``<news:news>`` with
``news:publication_date``, ``news:title`` and the publication's name and language;
they are kept on the entry.

Sitemaps are untrusted XML: lxml parses them with entities unresolved, no DTD, no
network access and no huge-tree mode, so an entity bomb or an external entity is inert.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from newsdesk.errors import InputError
from newsdesk.ingest.files import Failure
from newsdesk.ingest.http import (
    SITEMAP_TYPES,
    Fetcher,
    FetchResult,
    HttpCache,
    decompress_capped,
)


@dataclass(frozen=True)
class SitemapEntry:
    """One page a sitemap lists, with the news metadata when it is a news sitemap."""

    url: str
    lastmod: str | None = None
    news_title: str | None = None
    news_publication_date: str | None = None
    news_publication: str | None = None
    news_language: str | None = None


@dataclass(frozen=True)
class Sitemap:
    url: str
    kind: str  # "urlset", "sitemapindex" or "text"
    entries: tuple[SitemapEntry, ...] = ()  # pages (urlset, text)
    sitemaps: tuple[str, ...] = ()  # child sitemaps (sitemapindex)
    not_modified: bool = False


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=True,  # real sitemaps are often slightly broken; keep what parses
    )


_ROOT = re.compile(rb"<\s*([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)")


def root_element_name(content: bytes) -> str | None:
    """The lower-cased name of the first element (after prolog, comments, doctype), if any."""
    head = content[:8192]
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 8192)
        except zlib.error:
            return None
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    # Skip <?xml ...?>, <!-- ... -->, <!DOCTYPE ...> and stylesheet processing instructions.
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.S | re.I)
    match = _ROOT.search(head)
    return match.group(1).decode("ascii", "ignore").lower() if match else None


def looks_like_sitemap(content: bytes) -> bool:
    name = root_element_name(content)
    return name is not None and name.split(":")[-1] in {"urlset", "sitemapindex"}


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _find(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _is_http(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def parse_sitemap(content: bytes, url: str, max_bytes: int = 50 * 1024 * 1024) -> Sitemap:
    """Parse sitemap bytes (XML, gzip XML or plain text); raise InputError if not a sitemap."""
    if content[:2] == b"\x1f\x8b":
        content = decompress_capped(content, "gzip", max_bytes)
    if len(content) > max_bytes:
        raise InputError(f"sitemap is over the {max_bytes:,}-byte limit")
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"<"):
        return _parse_text_sitemap(stripped, url)
    try:
        root = etree.fromstring(content, _safe_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"not a sitemap: XML error ({exc})") from exc
    if root is None:
        raise InputError("not a sitemap: no XML element")
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = [_child_text(item, "loc") for item in root if _local(item.tag) == "sitemap"]
        return Sitemap(url, kind, sitemaps=tuple(c for c in children if c and _is_http(c)))
    if kind != "urlset":
        raise InputError(f"not a sitemap: root element is <{kind or '?'}>")
    entries: list[SitemapEntry] = []
    for item in root:
        if _local(item.tag) != "url":
            continue
        loc = _child_text(item, "loc")
        if not loc or not _is_http(loc):
            continue
        news = _find(item, "news")
        publication = _find(news, "publication") if news is not None else None
        entries.append(
            SitemapEntry(
                url=loc,
                lastmod=_child_text(item, "lastmod"),
                news_title=_child_text(news, "title") if news is not None else None,
                news_publication_date=(
                    _child_text(news, "publication_date") if news is not None else None
                ),
                news_publication=(
                    _child_text(publication, "name") if publication is not None else None
                ),
                news_language=(
                    _child_text(publication, "language") if publication is not None else None
                ),
            )
        )
    return Sitemap(url, kind, entries=tuple(entries))


def _parse_text_sitemap(content: bytes, url: str) -> Sitemap:
    lines = content.decode("utf-8", errors="replace").splitlines()
    urls = [line.strip() for line in lines if line.strip()]
    if not urls or not all(_is_http(u) and " " not in u for u in urls):
        raise InputError("not a sitemap: neither XML nor a list of URLs")
    return Sitemap(url, "text", entries=tuple(SitemapEntry(u) for u in urls))


def sitemap_from_result(result: FetchResult, max_bytes: int) -> Sitemap:
    if result.not_modified:
        return Sitemap(result.url, "urlset", not_modified=True)
    return parse_sitemap(result.content, result.final_url, max_bytes)


def iter_sitemap_entries(
    url: str,
    client: Fetcher,
    *,
    http_cache: HttpCache | None = None,
    first: FetchResult | None = None,
) -> Iterator[SitemapEntry | Failure]:
    """Every page a sitemap (or sitemap index, recursively) lists; a bad child is a Failure.

    Bounded by ``client.config.max_sitemap_depth`` and ``max_sitemaps``; each sitemap is
    read once even when indexes list it twice. ``first``: the already fetched top sitemap.
    """
    cfg = client.config
    queue: list[tuple[str, int]] = [(url, 0)]
    seen: set[str] = set()
    read = 0
    while queue:
        current, depth = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if read >= cfg.max_sitemaps:
            yield Failure(current, f"not read: over the limit of {cfg.max_sitemaps} sitemaps")
            continue
        read += 1
        try:
            if first is not None and current == url:
                result = first
            else:
                cached = http_cache.get(current) if http_cache else None
                result = client.fetch(
                    current,
                    etag=cached.etag if cached else None,
                    last_modified=cached.last_modified if cached else None,
                    accept=SITEMAP_TYPES,
                    max_bytes=cfg.max_sitemap_bytes,
                )
            sitemap = sitemap_from_result(result, cfg.max_sitemap_bytes)
        except InputError as exc:
            yield Failure(current, f"sitemap: {exc}")
            continue
        if sitemap.not_modified:
            continue
        if sitemap.kind == "sitemapindex":
            if depth >= cfg.max_sitemap_depth:
                yield Failure(current, f"sitemap index nested deeper than {cfg.max_sitemap_depth}")
                continue
            queue.extend((child, depth + 1) for child in sitemap.sitemaps)
            continue
        yield from sitemap.entries
        # Validators are kept for leaf sitemaps only (an unchanged index may list children
        # that changed), and only once all their entries were taken: a run cut short reads
        # the sitemap again next time.
        if http_cache is not None:
            http_cache.put(current, result.validators)
