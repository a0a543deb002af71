"""Resolve a SOURCE argument to pages: file, folder, URL, feed, sitemap, WARC or sources file.

``iter_source_pages(source, config, http_cache)`` is what ``newsdesk run`` calls. It
yields ``Page`` or ``Failure`` and never raises for bad input: a dead feed, a refused
address or a broken page is a Failure with its reason, and the next one is read.

What a SOURCE string can be:

- ``-``: standard input;
- a local file or folder (folders walked recursively, see ``files``);
- a ``.warc`` / ``.warc.gz`` file: its HTML response records (``warc``);
- a ``.toml`` sources file (below);
- an ``http(s)://`` URL. It is fetched once and recognised by its content: an RSS/Atom
  feed yields the pages its entries link to; a sitemap, sitemap index or news sitemap
  (gzip too) yields the pages it lists; anything else is a page itself.

A sources file lists several sources, one ``[[source]]`` table each, with exactly one of
these keys::

    [[source]]
    url = "https://example.com/news/some-article"   # recognised as above

    [[source]]
    feed = "https://example.com/rss.xml"            # read as a feed, whatever it looks like

    [[source]]
    sitemap = "https://example.com/news-sitemap.xml"

    [[source]]
    path = "pages/"            # a file, folder, WARC or another sources file;
                               # relative paths are relative to this TOML file

    [[source]]
    warc = "crawl/CC-NEWS-20240501.warc.gz"
    max_pages = 100            # optional, on any source: read at most this many pages

Conditional GET: with an ``http_cache`` (``http.MemoryHttpCache``, ``JsonFileHttpCache``
or the store's), feeds, leaf sitemaps and pages unchanged since the last run answer 304
and are skipped without a Failure.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsdesk.errors import InputError
from newsdesk.ingest.feeds import feed_from_result, looks_like_feed
from newsdesk.ingest.files import Failure, iter_path_pages, read_stdin
from newsdesk.ingest.http import (
    ANY_SOURCE_TYPES,
    FEED_TYPES,
    PAGE_TYPES,
    SITEMAP_TYPES,
    FetchConfig,
    FetchResult,
    HttpCache,
    HttpClient,
    shared_client,
)
from newsdesk.ingest.sitemaps import iter_sitemap_entries, looks_like_sitemap
from newsdesk.ingest.warc import is_warc_path, iter_warc_pages
from newsdesk.model import Page, canonical_url

SOURCE_KINDS = ("url", "feed", "sitemap", "path", "warc")
_MAX_SOURCES_FILE_DEPTH = 3  # a sources file may name another, this deep at most


@dataclass(frozen=True)
class SourceSpec:
    """One source: its kind and where it is."""

    kind: str  # stdin | url | feed | sitemap | path | warc | sources
    location: str
    max_pages: int | None = None


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def resolve_source(source: str) -> SourceSpec:
    """What a SOURCE argument is, from its form alone (URLs are recognised after fetching)."""
    source = source.strip()
    if source == "-":
        return SourceSpec("stdin", "-")
    if is_url(source):
        return SourceSpec("url", source)
    if source.lower().endswith(".toml"):
        return SourceSpec("sources", source)
    if is_warc_path(source):
        return SourceSpec("warc", source)
    return SourceSpec("path", source)


def read_sources_file(path: str | Path) -> list[SourceSpec]:
    """The sources a TOML sources file lists; raise InputError saying what is wrong."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read sources file: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"sources file is not valid TOML ({exc})") from exc
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise InputError('sources file lists no [[source]] tables (e.g. url = "https://...")')
    specs: list[SourceSpec] = []
    for number, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise InputError(f"source #{number} is not a table")
        keys = [k for k in SOURCE_KINDS if k in table]
        unknown = sorted(set(table) - set(SOURCE_KINDS) - {"max_pages", "name"})
        if unknown:
            raise InputError(f"source #{number}: unknown key(s) {', '.join(unknown)}")
        if len(keys) != 1:
            raise InputError(f"source #{number} needs exactly one of {', '.join(SOURCE_KINDS)}")
        kind = keys[0]
        value = table[kind]
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"source #{number}: {kind} must be a non-empty string")
        max_pages = table.get("max_pages")
        if max_pages is not None and (not isinstance(max_pages, int) or max_pages < 1):
            raise InputError(f"source #{number}: max_pages must be a positive integer")
        value = value.strip()
        if kind in ("url", "feed", "sitemap") and not is_url(value):
            raise InputError(f"source #{number}: {kind} must be an http(s) URL, not {value!r}")
        if kind in ("path", "warc"):
            if is_url(value):
                raise InputError(f"source #{number}: {kind} must be a local path, not a URL")
            local = Path(value).expanduser()
            value = str(local if local.is_absolute() else path.parent / local)
            if kind == "path":
                kind = resolve_source(value).kind  # a path may be a WARC or sources file
        specs.append(SourceSpec(kind, value, max_pages))
    return specs


class _Reader:
    """Reads sources with one client, one cache and one set of URLs already read."""

    def __init__(
        self,
        config: FetchConfig,
        http_cache: HttpCache | None,
        client: HttpClient,
        skip_url: Callable[[str], bool] | None = None,
    ):
        self.config = config
        self.cache = http_cache
        self.client = client
        self.skip_url = skip_url
        self.seen: set[str] = set()

    def read(self, spec: SourceSpec, depth: int = 0) -> Iterator[Page | Failure]:
        limit = spec.max_pages or self.config.max_pages_per_source
        pages = 0
        for item in self._dispatch(spec, depth):
            yield item
            if isinstance(item, Page):
                pages += 1
                if limit is not None and pages >= limit:
                    return

    def _dispatch(self, spec: SourceSpec, depth: int) -> Iterator[Page | Failure]:
        if spec.kind == "stdin":
            yield read_stdin(self.config.max_bytes)
        elif spec.kind == "path":
            yield from iter_path_pages(Path(spec.location), self.config.max_bytes)
        elif spec.kind == "warc":
            yield from iter_warc_pages(spec.location, max_bytes=self.config.max_bytes)
        elif spec.kind == "sources":
            yield from self._sources_file(spec, depth)
        elif spec.kind == "url":
            yield from self._url(spec.location, ANY_SOURCE_TYPES, sniff=True)
        elif spec.kind == "feed":
            yield from self._url(spec.location, FEED_TYPES, force="feed")
        elif spec.kind == "sitemap":
            yield from self._url(spec.location, SITEMAP_TYPES, force="sitemap")
        else:
            yield Failure(spec.location, f"unknown source kind {spec.kind!r}")

    def _sources_file(self, spec: SourceSpec, depth: int) -> Iterator[Page | Failure]:
        if depth >= _MAX_SOURCES_FILE_DEPTH:
            yield Failure(spec.location, "sources files nested too deeply")
            return
        try:
            specs = read_sources_file(spec.location)
        except InputError as exc:
            yield Failure(spec.location, str(exc))
            return
        for child in specs:
            yield from self.read(child, depth + 1)

    def _fetch(self, url: str, accept: frozenset[str], max_bytes: int | None = None) -> FetchResult:
        cached = self.cache.get(url) if self.cache else None
        return self.client.fetch(
            url,
            etag=cached.etag if cached else None,
            last_modified=cached.last_modified if cached else None,
            accept=accept,
            max_bytes=max_bytes,
        )

    def _remember(self, result: FetchResult) -> None:
        if self.cache is not None and not result.not_modified:
            self.cache.put(result.url, result.validators)

    def _url(
        self, url: str, accept: frozenset[str], *, sniff: bool = False, force: str | None = None
    ) -> Iterator[Page | Failure]:
        if sniff and canonical_url(url) in self.seen:
            return  # already read as a page of an earlier feed or sitemap
        try:
            # Sitemaps may be larger than pages; the cap for pages is applied below.
            max_bytes = self.config.max_sitemap_bytes if force != "feed" else None
            result = self._fetch(url, accept, max_bytes)
        except InputError as exc:
            what = f"{force}: " if force else ""
            yield Failure(url, f"{what}{exc}")
            return
        if result.not_modified:
            return  # unchanged since the last run: nothing new to read
        kind = force or ("page" if not sniff else self._sniff(result))
        if kind == "feed":
            yield from self._feed(result)
        elif kind == "sitemap":
            yield from self._sitemap(result)
        elif len(result.content) > self.config.max_bytes:
            yield Failure(url, f"page is over the {self.config.max_bytes:,}-byte limit")
        else:
            self._remember(result)
            first = self._first_time(url)
            if self._first_time(result.final_url) or first:
                yield result.to_page(url)

    @staticmethod
    def _sniff(result: FetchResult) -> str:
        media = (result.content_type or "").split(";", 1)[0].strip().lower()
        if media in {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}:
            return "feed"
        if looks_like_feed(result.content):
            return "feed"
        if looks_like_sitemap(result.content):
            return "sitemap"
        return "page"

    def _feed(self, result: FetchResult) -> Iterator[Page | Failure]:
        try:
            feed = feed_from_result(result)
        except InputError as exc:
            yield Failure(result.url, f"feed: {exc}")
            return
        for entry in feed.entries:
            yield from self._page(entry.link)
        # Only once every entry was read: a run cut short reads the feed again next time.
        self._remember(result)

    def _sitemap(self, result: FetchResult) -> Iterator[Page | Failure]:
        for entry in iter_sitemap_entries(
            result.url, self.client, http_cache=self.cache, first=result
        ):
            if isinstance(entry, Failure):
                yield entry
            else:
                yield from self._page(entry.url)

    def _page(self, url: str) -> Iterator[Page | Failure]:
        if not self._first_time(url):
            return
        if self.skip_url is not None and self.skip_url(url):
            return  # the caller already has it (e.g. the store holds this article)
        try:
            result = self._fetch(url, PAGE_TYPES)
        except InputError as exc:
            yield Failure(url, str(exc))
            return
        if result.not_modified:
            return
        self._remember(result)
        yield result.to_page(url)

    def _first_time(self, url: str) -> bool:
        key = canonical_url(url)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def iter_source_pages(
    source: str,
    config: FetchConfig | None = None,
    http_cache: HttpCache | None = None,
    *,
    client: HttpClient | None = None,
    skip_url: Callable[[str], bool] | None = None,
) -> Iterator[Page | Failure]:
    """Every page a SOURCE gives, as ``Page`` or ``Failure``; never raises for bad input.

    ``skip_url(url)``: return True for page URLs a feed or sitemap lists that need not be
    fetched (e.g. articles the store already holds); they are skipped without a request.
    """
    return iter_sources_pages([source], config, http_cache, client=client, skip_url=skip_url)


def iter_sources_pages(
    sources: list[str],
    config: FetchConfig | None = None,
    http_cache: HttpCache | None = None,
    *,
    client: HttpClient | None = None,
    skip_url: Callable[[str], bool] | None = None,
) -> Iterator[Page | Failure]:
    """Pages of several SOURCE arguments in turn, sharing one client (rate limits, robots)
    and reading each page URL once even when several feeds or sitemaps list it."""
    config = config or FetchConfig.from_env()
    reader = _Reader(config, http_cache, client or shared_client(config), skip_url)
    for source in sources:
        try:
            yield from reader.read(resolve_source(source))
        except Exception as exc:  # a bug of ours must not kill the batch: report its type
            yield Failure(source, f"unexpected {type(exc).__name__}: {exc}")
