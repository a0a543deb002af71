"""Resolve a SOURCE argument to pages: file, folder, URL, feed, sitemap, WARC or sources file.

``iter_source_pages(source, config, http_cache)`` is what ``newsdesk run`` calls. It
yields ``Page`` or ``Failure`` and never raises for bad input: a dead feed, a refused
address or a broken page is a Failure with its reason, and the next one is read.

Up to ``FetchConfig.max_connections`` hosts (default 8, ``--fetch-workers``) are fetched
at once through ``hostpool.HostPool``, one request per host at a time with its interval
kept; the items still come out exactly as reading one page at a time would give them, in
the same order, and a page's or feed's validators are kept only once its pages are
handed on (see ``_Reader`` and ``_in_order``).

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
    path = "saved/page.html"   # one saved page, with the address it was published at:
    url = "https://example.com/news/some-article"   # its article links there

    [[source]]
    warc = "crawl/CC-NEWS-20240501.warc.gz"
    max_pages = 100            # optional, on any source: read at most this many pages

Conditional GET: with an ``http_cache`` (``http.MemoryHttpCache``, ``JsonFileHttpCache``
or the store's), feeds, leaf sitemaps and pages unchanged since the last run answer 304
and are skipped without a Failure.
"""

from __future__ import annotations

import functools
import tomllib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent import futures
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk.errors import InputError, unexpected
from newsdesk.ingest.config import (
    ANY_SOURCE_TYPES,
    FEED_TYPES,
    PAGE_TYPES,
    SITEMAP_TYPES,
    FetchConfig,
    FetchResult,
    HttpCache,
    Validators,
    host_key,
)
from newsdesk.ingest.files import Failure, iter_path_pages, read_stdin
from newsdesk.ingest.hostpool import HostPool
from newsdesk.ingest.kinds import SourceSpec, is_url, resolve_source
from newsdesk.ingest.warc import iter_warc_pages
from newsdesk.model import Page, canonical_url

if TYPE_CHECKING:
    from newsdesk.ingest.http import HttpClient

# The network stack (httpx), feedparser, lxml and fastwarc are imported only by a source
# that needs them: reading a folder of pages starts without any of them.

SOURCE_KINDS = ("url", "feed", "sitemap", "path", "warc")
_MAX_SOURCES_FILE_DEPTH = 3  # a sources file may name another, this deep at most
# Pages fetched ahead of the one handed on, per fetch worker: enough for each worker to
# be on its own host while earlier pages are handed on (a feed's pages are mostly on one
# host), few enough to hold in memory (at most this many pages of max_bytes each). The
# documents of as many sources ahead (feeds, sitemaps, URLs) may be fetched early too.
PAGES_AHEAD_PER_WORKER = 32
_HELD_BYTES = 64 * 1024 * 1024  # ready pages (files, WARC) read ahead, at most


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
        page_url = None
        if keys == ["url", "path"]:  # a saved page and the address it was published at
            page_url = table["url"]
            if not isinstance(page_url, str) or not is_url(page_url):
                raise InputError(f"source #{number}: url must be an http(s) URL")
            page_url = page_url.strip()
            keys = ["path"]
        if len(keys) != 1:
            raise InputError(
                f"source #{number} needs exactly one of {', '.join(SOURCE_KINDS)} "
                "(or path plus url)"
            )
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
            if page_url is not None and (kind != "path" or Path(value).is_dir()):
                raise InputError(
                    f"source #{number}: a url can be given to one page file only, "
                    f"not to the {'folder' if kind == 'path' else kind + ' file'} {value!r}"
                )
        specs.append(SourceSpec(kind, value, max_pages, page_url))
    return specs


@dataclass
class _Fetched:
    """A page fetch under way in the pool; it becomes a Page or a Failure in its turn."""

    url: str
    future: Future[FetchResult]
    published: str | None = None  # the date of the feed entry that linked it

    def gives_page(self) -> bool:
        """Whether it will be handed on as a Page (waits for the fetch)."""
        if self.future.exception() is not None:
            return False
        return not self.future.result().not_modified


@dataclass
class _Later:
    """Something done only once every item planned before it was handed on: keeping a
    feed's or a page's validators, so a run cut short reads them again next time."""

    where: str
    action: Callable[[], None]


_Planned = Page | Failure | _Fetched | _Later


class _HeldPuts:
    """The reader's HTTP cache as the sitemap reader sees it: ``put`` is held back until
    the entries read before it are handed on (see ``_Reader._sitemap``)."""

    def __init__(self, cache: HttpCache) -> None:
        self.cache = cache
        self.held: list[tuple[str, Validators]] = []

    def get(self, url: str) -> Validators | None:
        return self.cache.get(url)

    def put(self, url: str, validators: Validators) -> None:
        self.held.append((url, validators))


class _PooledFetcher:
    """``HttpClient.fetch`` run in the pool (so it counts as its host's one job) and waited for."""

    def __init__(self, config: FetchConfig, client: HttpClient | None = None) -> None:
        self.config = client.config if client is not None else config
        self._client = client
        self.pool: HostPool | None = None  # set by iter_sources_pages

    @property
    def client(self) -> HttpClient:
        """The shared client, made on the first fetch (local sources never make one)."""
        if self._client is None:
            from newsdesk.ingest.http import shared_client

            self._client = shared_client(self.config)
        return self._client

    def ready_at(self, host: str) -> float:
        return self.client.ready_at(host)

    def submit(self, url: str, **kwargs: Any) -> Future[FetchResult]:
        assert self.pool is not None
        return self.pool.submit(host_key(url), functools.partial(self.client.fetch, url, **kwargs))

    def fetch(self, url: str, **kwargs: Any) -> FetchResult:  # the Fetcher protocol
        return self.submit(url, **kwargs).result()


class _Reader:
    """Plans the reading of sources with one client, one cache and one set of URLs read.

    The reader runs in the caller's thread (the cache and ``skip_url`` may use a store
    that belongs to it) and yields a plan in output order: pages and failures known at
    once, fetches under way in the pool (``_Fetched``) and actions for later (``_Later``).
    ``_in_order`` turns the plan into pages and failures, running ahead of its consumer
    by a bounded number of fetches, so different hosts are fetched at once.
    """

    def __init__(
        self,
        config: FetchConfig,
        http_cache: HttpCache | None,
        fetcher: _PooledFetcher,
        skip_url: Callable[[str], bool] | None = None,
        ahead: int = 0,
    ):
        self.config = config
        self.cache = http_cache
        self.fetcher = fetcher
        self.skip_url = skip_url
        self.seen: set[str] = set()
        # Documents (feeds, sitemaps, URLs) of the next sources, fetched while earlier
        # sources are read; the key says how each was asked for.
        self._docs: dict[tuple[str, str], Future[FetchResult]] = {}
        # What a URL document fetched ahead turned out to be, sniffed once: every source
        # start rescans the documents ahead, and _url needs the same answer.
        self._kinds: dict[tuple[str, str], str] = {}
        self._sources_ahead = ahead
        self._where: tuple[list[SourceSpec], int] | None = None  # the list being read, and where

    def read_list(self, specs: list[SourceSpec], depth: int = 0) -> Iterator[_Planned]:
        """Sources in turn; a bug of ours on one is reported and the next is read."""
        outer = self._where
        try:
            for number, spec in enumerate(specs):
                self._where = (specs, number)
                self._prefetch_ahead(specs, number)
                try:
                    yield from self.read(spec, depth)
                except Exception as exc:  # a bug of ours must not kill the batch: say which
                    yield Failure(spec.location, unexpected(exc))
        finally:
            self._where = outer  # a sources file read, or cut short: back to the outer list

    def read(self, spec: SourceSpec, depth: int = 0) -> Iterator[_Planned]:
        limit = spec.max_pages or self.config.max_pages_per_source
        if limit is None:
            yield from self._dispatch(spec, depth)
            return
        # Exactly the items reading one page at a time would give: the next item is
        # planned only while the pages given plus the fetches under way are under the limit.
        pages = 0
        under_way: deque[_Fetched] = deque()
        items = self._dispatch(spec, depth)
        while True:
            while under_way and pages + len(under_way) >= limit:
                pages += under_way.popleft().gives_page()
            if pages >= limit:
                items.close()
                return
            item = next(items, None)
            if item is None:
                return
            yield item
            if isinstance(item, Page):
                pages += 1
            elif isinstance(item, _Fetched):
                under_way.append(item)

    def _dispatch(self, spec: SourceSpec, depth: int) -> Iterator[_Planned]:
        if spec.kind == "stdin":
            yield read_stdin(self.config.max_bytes)
        elif spec.kind == "path":
            for item in iter_path_pages(Path(spec.location), self.config.max_bytes):
                yield replace(item, url=spec.url) if spec.url and isinstance(item, Page) else item
        elif spec.kind == "warc":
            yield from iter_warc_pages(spec.location, max_bytes=self.config.max_bytes)
        elif spec.kind == "sources":
            yield from self._sources_file(spec, depth)
        elif spec.kind in ("url", "feed", "sitemap"):
            yield from self._url(spec)
        else:
            yield Failure(spec.location, f"unknown source kind {spec.kind!r}")

    def _sources_file(self, spec: SourceSpec, depth: int) -> Iterator[_Planned]:
        if depth >= _MAX_SOURCES_FILE_DEPTH:
            yield Failure(spec.location, "sources files nested too deeply")
            return
        try:
            specs = read_sources_file(spec.location)
        except InputError as exc:
            yield Failure(spec.location, str(exc))
            return
        yield from self.read_list(specs, depth + 1)

    def _submit(
        self, url: str, accept: frozenset[str], max_bytes: int | None = None
    ) -> Future[FetchResult]:
        cached = self.cache.get(url) if self.cache else None
        return self.fetcher.submit(
            url,
            etag=cached.etag if cached else None,
            last_modified=cached.last_modified if cached else None,
            accept=accept,
            max_bytes=max_bytes,
        )

    def _remember(self, result: FetchResult) -> None:
        if self.cache is not None and not result.not_modified:
            self.cache.put(result.url, result.validators)

    def _later_remember(self, result: FetchResult) -> _Later:
        return _Later(result.url, functools.partial(self._remember, result))

    def _prefetch_ahead(self, specs: list[SourceSpec], number: int) -> None:
        """Start fetching the documents of the sources after ``specs[number]``.

        A URL source is skipped when an earlier feed or sitemap listed it, which is known
        only once those are read. So a URL is fetched ahead only if no source before it,
        not read yet, on the same host may list pages: each is a feed, a sitemap or a URL
        not fetched yet (a site's feed lists its own pages; and one host's requests run
        one after another anyway). Called as each source starts, so a list of pages
        grouped by site has every site's next page under way. A feed on one host listing
        a page of another, given later as a source too, may thus be requested twice; it
        is still read once. Nothing is fetched ahead past a sources file.
        """
        may_list: set[str] = set()  # hosts with a source before this one that may list pages
        for spec in specs[number : number + 1 + self._sources_ahead]:
            if spec.kind == "sources":
                return
            if spec.kind not in ("url", "feed", "sitemap"):
                continue
            host = host_key(spec.location)
            key = (spec.kind, spec.location)
            if key not in self._docs and (
                spec.kind != "url"
                or (host not in may_list and canonical_url(spec.location) not in self.seen)
            ):
                self._docs[key] = self._submit_doc(spec)
            if host not in may_list and self._may_list(spec, self._docs.get(key)):
                may_list.add(host)

    def _wait(self, doc: Future[FetchResult]) -> FetchResult:
        """The document's result; meanwhile, as other documents come in, the next pages of
        their hosts are fetched ahead (a page known to list nothing frees its host)."""
        while not doc.done() and self._where is not None:
            others = [f for f in self._docs.values() if not f.done()]
            futures.wait([doc, *others], return_when=futures.FIRST_COMPLETED)
            self._prefetch_ahead(*self._where)
        return doc.result()

    def _may_list(self, spec: SourceSpec, doc: Future[FetchResult] | None) -> bool:
        """Whether reading this source may mark page URLs as read (False: a plain page)."""
        if spec.kind != "url":
            return True
        if doc is None or not doc.done():
            return True  # not known yet
        if doc.exception() is not None:
            return False  # a Failure lists nothing
        result = doc.result()
        if result.not_modified:
            return False
        key = (spec.kind, spec.location)
        if key not in self._kinds:
            self._kinds[key] = self._sniff(result)
        return self._kinds[key] != "page"

    def _submit_doc(self, spec: SourceSpec) -> Future[FetchResult]:
        accept = {"url": ANY_SOURCE_TYPES, "feed": FEED_TYPES, "sitemap": SITEMAP_TYPES}
        # Sitemaps may be larger than pages; the cap for pages is applied in _url.
        max_bytes = None if spec.kind == "feed" else self.config.max_sitemap_bytes
        return self._submit(spec.location, accept[spec.kind], max_bytes)

    def _url(self, spec: SourceSpec) -> Iterator[_Planned]:
        url = spec.location
        force = None if spec.kind == "url" else spec.kind
        key = (spec.kind, url)
        if force is None and canonical_url(url) in self.seen:
            self._docs.pop(key, None)
            self._kinds.pop(key, None)
            return  # already read as a page of an earlier feed or sitemap
        if key not in self._docs:
            self._docs[key] = self._submit_doc(spec)
        try:
            result = self._wait(self._docs[key])  # kept in _docs meanwhile: not asked twice
        except InputError as exc:
            what = f"{force}: " if force else ""
            yield Failure(url, f"{what}{exc}")
            return
        finally:
            self._docs.pop(key, None)
            sniffed = self._kinds.pop(key, None)
        if result.not_modified:
            return  # unchanged since the last run: nothing new to read
        kind = force or sniffed or self._sniff(result)
        if kind == "feed":
            yield from self._feed(result)
        elif kind == "sitemap":
            yield from self._sitemap(result)
        elif len(result.content) > self.config.max_bytes:
            yield Failure(url, f"page is over the {self.config.max_bytes:,}-byte limit")
        else:
            yield self._later_remember(result)
            first = self._first_time(url)
            if self._first_time(result.final_url) or first:
                yield result.to_page(url)

    @staticmethod
    def _sniff(result: FetchResult) -> str:
        media = (result.content_type or "").split(";", 1)[0].strip().lower()
        if media in {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}:
            return "feed"
        from newsdesk.ingest.feeds import looks_like_feed
        from newsdesk.ingest.sitemaps import looks_like_sitemap

        if looks_like_feed(result.content):
            return "feed"
        if looks_like_sitemap(result.content):
            return "sitemap"
        return "page"

    def _feed(self, result: FetchResult) -> Iterator[_Planned]:
        try:
            from newsdesk.ingest.feeds import feed_from_result

            feed = feed_from_result(result)
        except InputError as exc:
            yield Failure(result.url, f"feed: {exc}")
            return
        for entry in feed.entries:
            yield from self._page(entry.link, entry.published)
        # Only once every entry was read: a run cut short reads the feed again next time.
        yield self._later_remember(result)

    def _sitemap(self, result: FetchResult) -> Iterator[_Planned]:
        from newsdesk.ingest.sitemaps import iter_sitemap_entries

        held = _HeldPuts(self.cache) if self.cache is not None else None
        for entry in iter_sitemap_entries(result.url, self.fetcher, http_cache=held, first=result):
            # A leaf sitemap's validators are put once its last entry was taken: they go
            # out after that entry's page, in order.
            yield from self._release(held)
            if isinstance(entry, Failure):
                yield entry
            else:
                # A news sitemap's publication date is the publisher's own date for the
                # page, as a feed entry's is: time evidence for an undated article.
                yield from self._page(entry.url, entry.news_publication_date)
        yield from self._release(held)

    def _release(self, held: _HeldPuts | None) -> Iterator[_Later]:
        if held is None or self.cache is None:
            return
        cache = self.cache
        for url, validators in held.held:
            yield _Later(url, functools.partial(cache.put, url, validators))
        held.held.clear()

    def _page(self, url: str, published: str | None = None) -> Iterator[_Planned]:
        """A page to fetch; ``published``: the date the feed entry (or news sitemap entry)
        linking it gave."""
        if not self._first_time(url):
            return
        if self.skip_url is not None and self.skip_url(url):
            return  # the caller already has it (e.g. the store holds this article)
        yield _Fetched(url, self._submit(url, PAGE_TYPES), published)

    def finish(self, item: _Fetched) -> Iterator[Page | Failure]:
        """A page fetch in its turn: the Page (its validators kept), a Failure, or nothing."""
        try:
            result = item.future.result()
        except InputError as exc:
            yield Failure(item.url, str(exc))
            return
        except Exception as exc:  # a bug of ours must not kill the batch: report its type
            yield Failure(item.url, unexpected(exc))
            return
        if result.not_modified:
            return
        try:
            self._remember(result)
        except Exception as exc:  # e.g. the store refused: say so, go on
            yield Failure(item.url, unexpected(exc))
            return
        page = result.to_page(item.url)
        yield replace(page, feed_published=item.published) if item.published else page

    def _first_time(self, url: str) -> bool:
        key = canonical_url(url)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def _in_order(plan: Iterator[_Planned], reader: _Reader, ahead: int) -> Iterator[Page | Failure]:
    """Pages and failures in plan order, the plan read up to ``ahead`` items beyond the
    one being handed on (0: one item at a time), so that many fetches run meanwhile.
    Pages read ahead from files, WARC or stdin start no fetch: at most ``_HELD_BYTES`` of
    them are held (a folder of large files is not read into memory to reach a URL)."""
    window: deque[_Planned] = deque()
    held = 0  # bytes of ready pages in the window
    done = False
    while True:
        while not done and (not window or (len(window) < ahead and held < _HELD_BYTES)):
            item = next(plan, None)
            if item is None:
                done = True
            else:
                window.append(item)
                held += len(item.content) if isinstance(item, Page) else 0
        if not window:
            return
        item = window.popleft()
        if isinstance(item, Page):
            held -= len(item.content)
        if isinstance(item, _Fetched):
            yield from reader.finish(item)
        elif isinstance(item, _Later):
            try:
                item.action()
            except Exception as exc:  # e.g. the store refused: say so, go on
                yield Failure(item.where, unexpected(exc))
        else:
            yield item


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
    and reading each page URL once even when several feeds or sitemaps list it.

    Up to ``config.max_connections`` hosts are fetched at once (one request per host at
    a time, its interval kept); items come out in the order of reading one at a time,
    with at most ``PAGES_AHEAD_PER_WORKER`` pages per worker read ahead and held.
    ``skip_url`` and ``http_cache`` are only called from the caller's thread.
    """
    config = config or FetchConfig.from_env()
    fetcher = _PooledFetcher(config, client)
    workers = max(1, config.max_connections)
    with HostPool(workers, ready_at=fetcher.ready_at) as pool:
        fetcher.pool = pool
        ahead = PAGES_AHEAD_PER_WORKER * workers if workers > 1 else 0
        reader = _Reader(config, http_cache, fetcher, skip_url, ahead)
        specs = [resolve_source(source) for source in sources]
        yield from _in_order(reader.read_list(specs), reader, ahead)
