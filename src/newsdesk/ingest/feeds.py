"""RSS and Atom feeds: the links (with titles and dates) of a site's latest articles.

The feed is fetched through our own ``HttpClient`` (timeouts, size cap, robots.txt,
address guard, conditional GET) and feedparser only parses the bytes: feedparser is
never given a URL, so it never opens a network connection of its own.

``fetch_feed(url, client, validators)`` returns a ``Feed``; when the server answers
304 Not Modified to the ETag/Last-Modified of the previous fetch, ``Feed.not_modified``
is True and there are no entries to read.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from newsdesk.errors import InputError
from newsdesk.ingest.http import FEED_TYPES, FetchResult, HttpClient, Validators


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: the article's link, and what the feed says about it."""

    link: str
    title: str | None = None
    published: str | None = None  # ISO 8601, UTC


@dataclass(frozen=True)
class Feed:
    url: str
    title: str | None
    entries: tuple[FeedEntry, ...]
    not_modified: bool = False
    validators: Validators = field(default_factory=Validators)


def _iso(parsed: Any) -> str | None:
    """feedparser's UTC struct_time -> ISO 8601."""
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()
    except (OverflowError, ValueError, TypeError):
        return None


def looks_like_feed(content: bytes) -> bool:
    """A cheap test on the first bytes: an RSS, RDF or Atom root element."""
    from newsdesk.ingest.sitemaps import root_element_name

    return root_element_name(content) in {"rss", "feed", "rdf:rdf", "rdf"}


def parse_feed(content: bytes, url: str, content_type: str | None = None) -> Feed:
    """Parse feed bytes; raise InputError when they are not a feed.

    Relative links are resolved against ``url``.
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers, sanitize_html=False)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise InputError(f"not an RSS or Atom feed{f' ({problem})' if problem else ''}")
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = _entry_link(item)
        if not link or link in seen:
            continue
        seen.add(link)
        entries.append(
            FeedEntry(
                link=link,
                title=(item.get("title") or "").strip() or None,
                published=_iso(item.get("published_parsed") or item.get("updated_parsed")),
            )
        )
    title = (parsed.feed.get("title") or "").strip() or None
    return Feed(url=url, title=title, entries=tuple(entries))


def _entry_link(item: Any) -> str | None:
    """The article link of an entry: ``link``, else the first alternate/HTML link, else the id."""
    candidates = [item.get("link")]
    for link in item.get("links") or ():
        if link.get("rel", "alternate") == "alternate":
            candidates.append(link.get("href"))
    candidates.append(item.get("id"))  # Atom ids are often the permalink
    for candidate in candidates:
        if candidate and str(candidate).strip().lower().startswith(("http://", "https://")):
            return str(candidate).strip()
    return None


def feed_from_result(result: FetchResult) -> Feed:
    """A Feed from an already fetched response (used when a URL turned out to be a feed)."""
    if result.not_modified:
        return Feed(result.url, None, (), not_modified=True, validators=result.validators)
    feed = parse_feed(result.content, result.final_url, result.content_type)
    return Feed(feed.url, feed.title, feed.entries, validators=result.validators)


def fetch_feed(url: str, client: HttpClient, validators: Validators | None = None) -> Feed:
    """Fetch and parse one feed; raise InputError (FetchError) with a reason if it fails."""
    validators = validators or Validators()
    result = client.fetch(
        url, etag=validators.etag, last_modified=validators.last_modified, accept=FEED_TYPES
    )
    return feed_from_result(result)
