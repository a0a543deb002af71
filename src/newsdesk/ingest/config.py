"""What fetching is told and gives back, without the HTTP machinery: ``FetchConfig``,
``FetchResult``, conditional-GET ``Validators`` and caches, the media types each kind of
fetch accepts, the fetch errors and ``host_key``.

Kept apart from ``http`` (httpx, httpcore, protego) so that reading local files, folders
and WARC archives never imports the network stack; ``http`` re-exports every name here.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from newsdesk import settings
from newsdesk.errors import InputError
from newsdesk.ingest.safety import AddressPolicy
from newsdesk.model import Page
from newsdesk.settings import FetchSettings, Settings

# Where a site owner who sees us in their logs can read what we are.
PROJECT_URL = "https://github.com/newsdesk/newsdesk"
ROBOTS_TOKEN = "newsdesk"  # the product token robots.txt rules are matched against


def default_user_agent() -> str:
    """``newsdesk/<version> (+<project URL>)``, the version as installed (read from the
    package's metadata, not by importing the package, which would load every stage)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("newsdesk")
    except PackageNotFoundError:  # run from a source tree that was never installed
        installed = "0"
    return f"newsdesk/{installed} (+{PROJECT_URL})"


# Media types each kind of fetch accepts. A missing Content-Type is accepted: the bytes
# are sniffed downstream (extract.decode refuses binary data with a reason).
PAGE_TYPES: frozenset[str] = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "application/xml",
        "text/xml",
        "application/octet-stream",  # mis-configured servers; decode sniffs the bytes
    }
)
FEED_TYPES: frozenset[str] = PAGE_TYPES | {
    "application/rss+xml",
    "application/x-rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
}
SITEMAP_TYPES: frozenset[str] = PAGE_TYPES | {"application/gzip", "application/x-gzip"}
ANY_SOURCE_TYPES: frozenset[str] = FEED_TYPES | SITEMAP_TYPES


class FetchError(InputError):
    """A URL that could not be fetched, with the reason in words."""

    def __init__(
        self,
        reason: str,
        url: str = "",
        *,
        retryable: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.retryable = retryable
        self.status = status  # the HTTP status that caused it, if any
        self.retry_after = retry_after  # seconds the server asked us to wait, if it did


class BodyTooLarge(FetchError):
    """The body (or its decompressed form) is over the size cap."""


class DisallowedByRobots(FetchError):
    """robots.txt disallows the URL for our user agent."""


@dataclass(frozen=True)
class FetchConfig:
    """How the HTTP client behaves. Frozen and hashable, so clients can be shared per config."""

    timeout: float = 10.0  # seconds per network operation (connect, each read, write)
    total_timeout: float = 60.0  # seconds for a whole fetch, body included
    max_bytes: int = settings.MAX_PAGE_BYTES  # body cap, AFTER content-encoding decompression
    max_sitemap_bytes: int = 50 * 1024 * 1024  # the sitemap protocol's own limit
    max_redirects: int = 5
    retries: int = 3  # further attempts after the first
    backoff: float = 0.5  # seconds before the first retry, doubled each time
    max_backoff: float = 30.0
    max_retry_after: float = 120.0  # a Retry-After longer than this fails the fetch instead
    retry_on_read_timeout: bool = False  # a slow server rarely gets faster
    host_interval: float = 1.0  # minimum seconds between two requests to one host
    max_crawl_delay: float = 30.0  # robots.txt Crawl-delay honoured up to this
    respect_robots: bool = True
    robots_ttl: float = 24 * 3600.0
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()  # private networks allowed anyway, e.g. "127.0.0.0/8"
    user_agent: str = field(default_factory=default_user_agent)
    ca_file: str | None = None  # extra trusted CAs (PEM), e.g. a company proxy; default: certifi
    max_pages_per_source: int | None = None  # cap on pages read from one feed/sitemap/WARC
    max_sitemaps: int = 50  # sitemap files read for one sitemap source (indexes included)
    max_sitemap_depth: int = 3  # nesting of sitemap indexes
    # Requests in flight at once, each to a different host (1: one after another).
    max_connections: int = 8

    @property
    def address_policy(self) -> AddressPolicy:
        return AddressPolicy(self.allow_private, self.allowed_networks)

    @classmethod
    def from_env(cls, **overrides: object) -> FetchConfig:
        """Defaults, overridden by the environment's fetch settings, then by ``overrides``."""
        return cls.from_settings(Settings.from_env().fetch, **overrides)

    @classmethod
    def from_settings(cls, fetch: FetchSettings, **overrides: object) -> FetchConfig:
        """Defaults, overridden by ``fetch`` (see ``newsdesk.settings``), then by ``overrides``."""
        values: dict[str, object] = {}
        if fetch.allow_private:
            values["allow_private"] = True
        if fetch.ignore_robots:
            values["respect_robots"] = False
        for key, value in (
            ("timeout", fetch.timeout),
            ("host_interval", fetch.host_interval),
            ("retries", fetch.retries),
            ("max_connections", fetch.workers),
            ("user_agent", fetch.user_agent),
        ):
            if value is not None:
                values[key] = value
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class FetchResult:
    """What one fetch brought back (after redirects)."""

    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    content: bytes
    headers: dict[str, str]  # lower-case names
    fetched_at: datetime

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)

    def to_page(self, source: str | None = None) -> Page:
        return Page(
            source=source or self.url,
            content=self.content,
            url=self.final_url,
            content_type=self.content_type,
            fetched_at=self.fetched_at,
            headers=dict(self.headers),
            fetched_by="http",
        )


# ---------------------------------------------------------------- conditional GET cache


@dataclass(frozen=True)
class Validators:
    """What a server said about a version of a URL, to ask "changed since?" next time."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


class HttpCache(Protocol):
    """Where conditional-GET validators are kept between runs (memory, a file, the store)."""

    def get(self, url: str) -> Validators | None: ...

    def put(self, url: str, validators: Validators) -> None: ...


class MemoryHttpCache:
    """Validators in a dict: enough for one process."""

    def __init__(self) -> None:
        self._data: dict[str, Validators] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> Validators | None:
        with self._lock:
            return self._data.get(url)

    def put(self, url: str, validators: Validators) -> None:
        if validators:
            with self._lock:
                self._data[url] = validators

    def __len__(self) -> int:
        return len(self._data)


class JsonFileHttpCache(MemoryHttpCache):
    """Validators kept in a JSON file, so a feed unchanged since the last run is skipped."""

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        if isinstance(raw, dict):
            for url, item in raw.items():
                if isinstance(item, dict):
                    self._data[url] = Validators(item.get("etag"), item.get("last_modified"))

    def put(self, url: str, validators: Validators) -> None:
        super().put(url, validators)
        self.save()

    def save(self) -> None:
        with self._lock:
            data = {
                u: {"etag": v.etag, "last_modified": v.last_modified} for u, v in self._data.items()
            }
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)  # atomic: a crash never leaves half a file


class Fetcher(Protocol):
    """What readers of feeds and sitemaps need: an ``HttpClient``, or one run in a pool."""

    config: FetchConfig

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: frozenset[str] | None = PAGE_TYPES,
        max_bytes: int | None = None,
    ) -> FetchResult: ...


def host_key(url: str) -> str:
    """What politeness counts as one host: scheme, name and port (``https://a.example:8443``)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"
