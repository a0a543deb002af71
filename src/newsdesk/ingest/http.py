"""Fetch pages over HTTP politely and safely: the one HTTP client every ingest path uses.

``HttpClient(FetchConfig(...)).fetch(url)`` returns a ``FetchResult`` or raises
``FetchError`` with a reason in words; ``fetch_page_or_failure(url)`` wraps that into
``Page | Failure`` for batch callers (``newsdesk extract URL``).

What the client does, and why:

- **timeouts**: per network operation (connect, read, write) and for the whole fetch,
  so a server that drips one byte a second cannot hold a batch forever;
- **retries** with exponential backoff on connection errors, 408, 429 (honouring
  ``Retry-After`` up to a cap) and 5xx;
- **per-host rate limit**: at least ``host_interval`` seconds between two requests to
  the same host (longer when robots.txt asks for a ``Crawl-delay``), and never two
  requests to one host in flight at once, however many threads share the client (a host
  is scheme, name and port, as in ``host_key``). Different hosts are fetched at once
  by ``hostpool.HostPool`` (``max_connections`` of them);
- **size cap** on the streamed body: reading stops past ``max_bytes``, and gzip, deflate,
  brotli and zstd bodies are decompressed by us with a cap on the OUTPUT, so a
  decompression bomb is caught (br and zstd are asked for only when their package is
  importable). A compressed body whose stream ends before its end marker (a proxy or
  server that cut it) is refused as "truncated", not taken for the whole page;
- **redirects** followed by hand, at most ``max_redirects``, loops reported;
- **robots.txt** honoured with protego, cached per host (RFC 9309: 4xx means allowed,
  5xx or unreachable means disallowed);
- **content types** checked: an image or a PDF is refused with a reason. The charset
  header is passed on in ``Page.content_type``; decoding happens in ``extract.decode``;
- **private addresses** refused (``safety``): checked before each request and again at
  connect time, where the connection is pinned to the checked address;
- **conditional GET**: ``fetch(url, etag=..., last_modified=...)`` returns a result with
  ``not_modified=True`` on 304 so callers can skip unchanged feeds and pages.

Settings come from ``FetchConfig``; ``FetchConfig.from_env()`` starts from the fetch part of
``newsdesk.settings`` (NEWSDESK_ALLOW_PRIVATE=1, NEWSDESK_HTTP_TIMEOUT, NEWSDESK_HOST_INTERVAL,
NEWSDESK_HTTP_RETRIES, NEWSDESK_FETCH_WORKERS, NEWSDESK_IGNORE_ROBOTS=1, NEWSDESK_USER_AGENT).
"""

from __future__ import annotations

import email.utils
import ssl
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import httpcore
import httpx
from protego import Protego

try:  # optional codecs: advertised in Accept-Encoding only when importable
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency; kept optional for safety
    brotli = None
# Python 3.14's compression.zstd, or its backport: like zlib's decompressobj it bounds each
# call's output (max_length) and says when the frame has ended (eof), which zstandard's
# stream writer cannot (a cut body would pass for a whole one).
try:
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:
    try:
        from backports import zstd
    except ImportError:  # pragma: no cover - a dependency before 3.14; kept optional for safety
        zstd = None

from newsdesk.errors import InputError, unexpected
from newsdesk.ingest.config import (
    ANY_SOURCE_TYPES,
    FEED_TYPES,
    PAGE_TYPES,
    PROJECT_URL,
    ROBOTS_TOKEN,
    SITEMAP_TYPES,
    BodyTooLarge,
    DisallowedByRobots,
    FetchConfig,
    Fetcher,
    FetchError,
    FetchResult,
    HttpCache,
    JsonFileHttpCache,
    MemoryHttpCache,
    Validators,
    default_user_agent,
    host_key,
)
from newsdesk.ingest.files import Failure
from newsdesk.ingest.safety import AddressPolicy
from newsdesk.model import Page, now_utc

_RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524}
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
_ZSTD_MAX_WINDOW = 8 * 1024 * 1024  # RFC 9659's limit for the zstd content coding
_BROTLI_STEP = 64 * 1024  # brotli output per call (its buffer may grow to about twice this)
_ZSTD_ERRORS: tuple[type[Exception], ...] = (zstd.ZstdError,) if zstd is not None else ()


def accept_encoding() -> str:
    """The content codings _CappedDecoder can undo with a cap, in preference order."""
    codings = ["gzip", "deflate"]
    if brotli is not None:
        codings.append("br")
    if zstd is not None:
        codings.append("zstd")
    return ", ".join(codings)


class GuardedNetworkBackend(httpcore.NetworkBackend):
    """Connects only to addresses the policy allows, and to exactly the address checked."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._policy.resolve(host, port)  # raises UnsafeAddressError
        last: Exception | None = None
        for ip in addresses:
            try:
                return self._inner.connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(self, *args: object, **kwargs: object) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by newsdesk")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _guarded_transport(
    policy: AddressPolicy, ca_file: str | None, connections: int
) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(retries=0)
    ssl_context = httpx.create_ssl_context()
    if ca_file:
        ssl_context.load_verify_locations(cafile=ca_file)
    # httpx has no public hook for the network backend: rebuild its connection pool with ours.
    # TLS still verifies the certificate against the host NAME (SNI), not the pinned address.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=ssl_context,
        # Room for every fetch worker: a worker waiting for a pooled connection would time out.
        max_connections=max(20, connections),
        max_keepalive_connections=max(10, connections),
        keepalive_expiry=5.0,
        network_backend=GuardedNetworkBackend(policy),
    )
    return transport


class HostRateLimiter:
    """At least ``interval`` seconds between the starts of two requests to one host."""

    def __init__(self) -> None:
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def ready_at(self, host: str) -> float:
        """The ``time.monotonic()`` from which a request to ``host`` may start at once."""
        with self._lock:
            return self._next.get(host, 0.0)

    def wait(self, host: str, interval: float) -> None:
        if interval <= 0:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + interval
        if slot > now:
            time.sleep(slot - now)


class _CappedDecoder:
    """Undo a Content-Encoding chunk by chunk, refusing output beyond ``limit`` bytes.

    gzip/deflate and zstd share one loop (their decoders alike take ``max_length`` and
    say ``eof`` and ``unused_data``), brotli uses its ``output_buffer_limit``: a bomb
    never inflates in memory. ``finish()`` at the end of the body says whether the
    compressed stream ended there too.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self.encoding = encoding
        # A zlib or zstd decoder for the current gzip member or zstd frame, and what
        # makes the decoder of the next one (concatenated members and frames).
        self._stream: Any = None
        self._next_stream: Callable[[], Any] = _gzip_member_decoder
        self._brotli: Any = None  # brotli.Decompressor
        self._fed = False  # any body bytes seen (an empty body is no stream at all)
        if encoding in ("gzip", "x-gzip"):
            self._stream = _gzip_member_decoder()
        elif encoding == "br":
            if brotli is None:
                raise FetchError("unsupported content-encoding 'br' (the brotli package is absent)")
            self._brotli = brotli.Decompressor()
        elif encoding == "zstd":
            if zstd is None:
                raise FetchError(
                    "unsupported content-encoding 'zstd' (the backports.zstd package is absent)"
                )
            self._stream = _zstd_frame_decoder()
            self._next_stream = _zstd_frame_decoder
        elif encoding not in ("identity", "", "deflate"):
            raise FetchError(f"unsupported content-encoding {encoding!r}")

    @property
    def _decompressing(self) -> bool:
        return self._stream is not None or self._brotli is not None

    def feed(self, data: bytes) -> bytes:
        self._fed = self._fed or bool(data)
        if self.encoding == "deflate" and self._stream is None and data:
            # "deflate" should be zlib-wrapped; some servers send raw deflate.
            wbits = zlib.MAX_WBITS if (data[0] & 0x0F) == 8 else -zlib.MAX_WBITS
            self._stream = zlib.decompressobj(wbits)
        if self._brotli is not None:
            return self._feed_brotli(data)
        if self._stream is None:
            self._count(len(data))
            return data
        out: list[bytes] = []
        try:
            while data:
                if self._stream.eof:
                    self._stream = self._next_stream()  # the next member or frame: same cap
                # max_length bounds the output of one call: output reaching it is past
                # the cap (_count raises), so all the input given is decoded otherwise.
                piece = self._stream.decompress(data, self.limit - self.total + 1)
                self._count(len(piece))
                out.append(piece)
                data = self._stream.unused_data if self._stream.eof else b""
        except (zlib.error, *_ZSTD_ERRORS) as exc:
            raise FetchError(f"corrupt {self.encoding} body ({exc})") from exc
        return b"".join(out)

    def _feed_brotli(self, data: bytes) -> bytes:
        decoder = self._brotli
        assert brotli is not None and decoder is not None
        out: list[bytes] = []
        try:
            # The output buffer stops growing at the step; what is left comes out on the
            # following calls with no input (until one gives nothing), each counted, so a
            # bomb stops at the cap. can_accept_more_data() may be True with output still
            # pending, so it alone does not say the input is drained.
            piece = decoder.process(data, output_buffer_limit=_BROTLI_STEP)
            while piece or not (decoder.can_accept_more_data() or decoder.is_finished()):
                self._count(len(piece))
                out.append(piece)
                piece = decoder.process(b"", output_buffer_limit=_BROTLI_STEP)
                if not piece and not decoder.can_accept_more_data():
                    raise FetchError("corrupt br body (the decoder is stuck)")
        except brotli.error as exc:
            raise FetchError(f"corrupt br body ({exc})") from exc
        return b"".join(out)

    def finish(self) -> None:
        """At the end of the body: ``FetchError`` when the compressed stream had not ended
        with it (a cut body is not the whole page)."""
        if not self._fed:
            return  # an empty body: nothing was sent, so nothing was cut
        if self._stream is not None:
            ended = self._stream.eof
        elif self._brotli is not None:
            ended = self._brotli.is_finished()
        else:
            return  # identity: the HTTP layer checks the length
        if not ended:
            raise FetchError(
                f"truncated {self.encoding} body (the body ends before the compressed stream does)"
            )

    def _count(self, n: int) -> None:
        self.total += n
        if self.total > self.limit:
            what = "once decompressed " if self._decompressing else ""
            raise BodyTooLarge(f"body is larger than the {self.limit:,}-byte limit {what}".strip())


def decompress_capped(data: bytes, encoding: str, limit: int) -> bytes:
    """A whole compressed document (a ``.xml.gz`` sitemap, say) decoded with the same cap
    as a body: ``BodyTooLarge`` past ``limit`` bytes, ``FetchError`` when corrupt or cut."""
    decoder = _CappedDecoder(encoding, limit)
    out = decoder.feed(data)
    decoder.finish()
    return out


def _gzip_member_decoder() -> Any:
    return zlib.decompressobj(16 + zlib.MAX_WBITS)


def _zstd_frame_decoder() -> Any:
    """A decoder for one zstd frame. RFC 9659: the zstd content coding uses a window of
    8 MiB at most; a larger one would only make us reserve memory for a stranger."""
    assert zstd is not None
    window_log = _ZSTD_MAX_WINDOW.bit_length() - 1
    return zstd.ZstdDecompressor(options={zstd.DecompressionParameter.window_log_max: window_log})


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def _retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _headers_dict(headers: httpx.Headers) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers.multi_items():
        name = name.lower()
        if name == "set-cookie":  # never kept: not ours to store
            continue
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def _caused_by_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# ---------------------------------------------------------------- robots.txt


@dataclass
class _Robots:
    parser: Protego | None  # None: everything allowed
    disallow_all_reason: str | None  # set: everything disallowed, for this reason
    expires: float  # time.monotonic() after which robots.txt is read again

    def allows(self, url: str, agent: str) -> bool:
        if self.disallow_all_reason is not None:
            return False
        return self.parser is None or self.parser.can_fetch(url, agent)

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


# ---------------------------------------------------------------- the client


@dataclass(frozen=True)
class _Request:
    """What one fetch asks for: the same on every hop of its redirect chain."""

    original: str  # the URL asked for; the result names it beside the final URL
    headers: dict[str, str]
    accept: frozenset[str] | None
    max_bytes: int
    deadline: float  # time.monotonic() by which the whole fetch, redirects and retries, ends


class HttpClient:
    """A polite, size-capped, SSRF-guarded HTTP client. Thread-safe; use one per run."""

    def __init__(
        self, config: FetchConfig | None = None, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.config = config or FetchConfig.from_env()
        c = self.config
        self._policy = c.address_policy
        self._client = httpx.Client(
            transport=transport
            or _guarded_transport(self._policy, c.ca_file, c.max_connections + 1),
            timeout=httpx.Timeout(c.timeout),
            follow_redirects=False,  # we follow by hand: cap, loop report, safety per hop
            trust_env=False,  # no proxies from the environment: they would bypass the guard
            headers={
                "User-Agent": c.user_agent,
                "Accept-Encoding": accept_encoding(),  # only what _CappedDecoder can cap
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            },
        )
        self._limiter = HostRateLimiter()
        self._robots: OrderedDict[str, _Robots] = OrderedDict()
        self._robots_lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._host_locks_lock = threading.Lock()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- public API

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: frozenset[str] | None = PAGE_TYPES,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """Fetch ``url`` (following redirects) or raise FetchError with the reason.

        ``accept``: media types allowed (None: any). ``etag``/``last_modified``: send a
        conditional GET; a 304 answer gives a result with ``not_modified`` True and no body.
        """
        return self._fetch(
            url,
            etag=etag,
            last_modified=last_modified,
            accept=accept,
            max_bytes=max_bytes or self.config.max_bytes,
            check_robots=self.config.respect_robots,
        )

    def fetch_page(self, url: str, *, source: str | None = None) -> Page:
        """Fetch one web page as a Page, or raise FetchError."""
        return self.fetch(url).to_page(source)

    def ready_at(self, host: str) -> float:
        """When the rate limit lets a request to ``host`` (a ``host_key``) start."""
        return self._limiter.ready_at(host)

    def robots_allow(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets us fetch it (fetches robots.txt once)."""
        return self._robots_for(url).allows(url, self.config.user_agent)

    # -- internals

    def _fetch(
        self,
        url: str,
        *,
        etag: str | None,
        last_modified: str | None,
        accept: frozenset[str] | None,
        max_bytes: int,
        check_robots: bool,
    ) -> FetchResult:
        deadline = time.monotonic() + self.config.total_timeout
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = _Request(url, headers, accept, max_bytes, deadline)
        current = url
        seen: list[str] = []
        for _hop in range(self.config.max_redirects + 1):
            self._check_url(current)
            if check_robots:
                robots = self._robots_for(current)
                if not robots.allows(current, self.config.user_agent):
                    why = robots.disallow_all_reason or "disallowed by robots.txt"
                    raise DisallowedByRobots(why, current)
            seen.append(current)
            result = self._fetch_one(current, request)
            if isinstance(result, FetchResult):
                return result
            location = result  # a redirect target
            target = urljoin(current, location)
            if target in seen:
                raise FetchError(
                    f"redirect loop: {' -> '.join([*seen, target])}"
                    if len(seen) <= 4
                    else f"redirect loop after {len(seen)} redirects (back to {target})",
                    url,
                )
            current = target
        raise FetchError(f"more than {self.config.max_redirects} redirects (last: {current})", url)

    def _check_url(self, url: str) -> None:
        try:
            parts = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL ({exc})", url) from exc
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"unsupported URL scheme {parts.scheme!r} (only http and https)", url)
        if not parts.host:
            raise FetchError("URL has no host", url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        # Checked here for a clear, early reason; the transport checks again when connecting.
        try:
            self._policy.resolve(parts.raw_host.decode("ascii"), port)
        except InputError as exc:
            raise FetchError(str(exc), url) from None

    def _fetch_one(self, url: str, request: _Request) -> FetchResult | str:
        """One hop, with retries. Returns the result, or the Location of a redirect."""
        c = self.config
        host = host_key(url)
        attempt = 0
        while True:
            # One request per host at a time: the rate limit spaces the starts, the lock
            # keeps a slow answer from overlapping the next request to the same host.
            with self._host_lock(host):
                self._limiter.wait(host, self._interval_for(url))
                try:
                    return self._attempt(url, request)
                except FetchError as caught:
                    exc = caught
            delay = exc.retry_after
            if not exc.retryable or attempt >= c.retries:
                if exc.retryable and attempt:
                    exc = FetchError(
                        f"{exc.reason} (after {attempt + 1} attempts)", url, status=exc.status
                    )
                raise exc from None
            if delay is None:
                delay = min(c.max_backoff, c.backoff * (2**attempt))
            if time.monotonic() + delay > request.deadline:
                raise FetchError(
                    f"{exc.reason} (no time left to retry within {c.total_timeout:g} s)", url
                ) from None
            attempt += 1
            time.sleep(delay)

    def _host_lock(self, host: str) -> threading.Lock:
        with self._host_locks_lock:
            lock = self._host_locks.get(host)
            if lock is None:
                lock = self._host_locks[host] = threading.Lock()
            return lock

    def _attempt(self, url: str, request: _Request) -> FetchResult | str:
        c = self.config
        try:
            with self._client.stream("GET", url, headers=request.headers) as response:
                status = response.status_code
                if status in _REDIRECT_STATUSES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(
                            f"HTTP {status} redirect without a Location", url, status=status
                        )
                    return location
                if status == 304:
                    return FetchResult(
                        request.original, url, 304, b"", _headers_dict(response.headers), now_utc()
                    )
                if status in _RETRY_STATUSES:
                    wait = _retry_after_seconds(response.headers.get("retry-after"))
                    if wait is not None and wait > c.max_retry_after:
                        raise FetchError(
                            f"HTTP {status}: server asks to retry after {wait:.0f} s, "
                            f"over the {c.max_retry_after:g} s limit",
                            url,
                            status=status,
                        )
                    raise FetchError(
                        f"HTTP {status} {response.reason_phrase}".strip(),
                        url,
                        retryable=True,
                        status=status,
                        retry_after=wait,
                    )
                if status >= 400 or status < 200:
                    raise FetchError(
                        f"HTTP {status} {response.reason_phrase}".strip(), url, status=status
                    )
                media = _media_type(response.headers.get("content-type"))
                accept = request.accept
                if accept is not None and media is not None and media not in accept:
                    raise FetchError(f"content type {media} is not {_kind_words(accept)}", url)
                body = self._read_body(response, url, request.max_bytes, request.deadline)
                return FetchResult(
                    request.original, url, status, body, _headers_dict(response.headers), now_utc()
                )
        except FetchError:
            raise
        except InputError as exc:  # the address guard, raised at connect time
            raise FetchError(str(exc), url) from None
        except httpx.ConnectTimeout as exc:
            raise FetchError(
                f"connection timed out after {c.timeout:g} s", url, retryable=True
            ) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(
                f"timed out after {c.timeout:g} s waiting for the server",
                url,
                retryable=c.retry_on_read_timeout,
            ) from exc
        except httpx.ConnectError as exc:
            if _caused_by_tls(exc):  # a bad certificate does not get better by retrying
                raise FetchError(f"TLS failed ({exc})", url) from exc
            raise FetchError(f"cannot connect ({exc})", url, retryable=True) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise FetchError(
                f"connection broken ({exc or type(exc).__name__})", url, retryable=True
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"HTTP error ({type(exc).__name__}: {exc})", url) from exc

    def _read_body(
        self, response: httpx.Response, url: str, max_bytes: int, deadline: float
    ) -> bytes:
        declared = response.headers.get("content-length")
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise BodyTooLarge(
                f"body is {int(declared):,} bytes, over the {max_bytes:,}-byte limit", url
            )
        try:
            decoder = _CappedDecoder(encoding, max_bytes)
        except FetchError as exc:
            raise FetchError(exc.reason, url) from None
        raw_total = 0
        parts: list[bytes] = []
        try:
            for chunk in response.iter_raw():  # as the network gives it: no re-chunking
                raw_total += len(chunk)
                if raw_total > max_bytes:
                    raise BodyTooLarge(f"body is larger than the {max_bytes:,}-byte limit", url)
                parts.append(decoder.feed(chunk))
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"took longer than {self.config.total_timeout:g} s to download", url
                    )
            decoder.finish()
        except FetchError as exc:
            raise type(exc)(exc.reason, url) from None
        return b"".join(parts)

    def _interval_for(self, url: str) -> float:
        interval = self.config.host_interval
        with self._robots_lock:
            robots = self._robots.get(host_key(url))
        if robots is not None:
            delay = robots.crawl_delay(self.config.user_agent)
            if delay:
                interval = max(interval, min(delay, self.config.max_crawl_delay))
        return interval

    def _robots_for(self, url: str) -> _Robots:
        key = host_key(url)
        with self._robots_lock:
            cached = self._robots.get(key)
            if cached and time.monotonic() < cached.expires:
                self._robots.move_to_end(key)
                return cached
        robots = self._load_robots(key + "/robots.txt")
        with self._robots_lock:
            self._robots[key] = robots
            while len(self._robots) > 4096:  # bounded: a crawl may meet many hosts
                self._robots.popitem(last=False)
        return robots

    def _load_robots(self, robots_url: str) -> _Robots:
        expires = time.monotonic() + self.config.robots_ttl
        try:
            result = self._fetch(
                robots_url,
                etag=None,
                last_modified=None,
                accept=None,
                max_bytes=_ROBOTS_MAX_BYTES,
                check_robots=False,
            )
        except BodyTooLarge:  # a robots.txt over 500 KiB is not one a site meant: ignore it
            return _Robots(None, None, expires)
        except FetchError as exc:
            if exc.status is None:
                raise  # the host is unreachable: the page fetch fails for the same reason
            if 400 <= exc.status < 500 and exc.status != 429:
                return _Robots(None, None, expires)  # RFC 9309: "unavailable" means allowed
            # RFC 9309: a server error on robots.txt means assume complete disallow; keep that
            # only briefly, the server may recover.
            reason = f"robots.txt unreachable ({exc.reason}): not fetching, as RFC 9309 asks"
            return _Robots(None, reason, time.monotonic() + min(600.0, self.config.robots_ttl))
        text = result.content.decode("utf-8", errors="replace")
        return _Robots(Protego.parse(text), None, expires)


def _kind_words(accept: frozenset[str]) -> str:
    if accept == PAGE_TYPES:
        return "a web page (HTML or text)"
    if accept == FEED_TYPES:
        return "a feed or web page"
    if accept == SITEMAP_TYPES:
        return "a sitemap (XML, text or gzip)"
    return "an accepted type"


# ---------------------------------------------------------------- module-level helpers

_shared_clients: dict[FetchConfig, HttpClient] = {}
_shared_lock = threading.Lock()


def shared_client(config: FetchConfig | None = None) -> HttpClient:
    """One client per config for the process, so rate limits and robots.txt are shared."""
    config = config or FetchConfig.from_env()
    with _shared_lock:
        client = _shared_clients.get(config)
        if client is None:
            client = _shared_clients[config] = HttpClient(config)
        return client


def fetch_page_or_failure(
    url: str, config: FetchConfig | None = None, *, client: HttpClient | None = None
) -> Page | Failure:
    """Fetch one page for a batch: a Page, or a Failure saying why (never an exception)."""
    client = client or shared_client(config)
    try:
        return client.fetch_page(url)
    except InputError as exc:
        return Failure(url, str(exc))
    except Exception as exc:  # a bug of ours must not kill the batch: report it with its type
        return Failure(url, unexpected(exc))


__all__ = [
    "ANY_SOURCE_TYPES",
    "FEED_TYPES",
    "PAGE_TYPES",
    "PROJECT_URL",
    "ROBOTS_TOKEN",
    "SITEMAP_TYPES",
    "BodyTooLarge",
    "DisallowedByRobots",
    "FetchConfig",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "HttpCache",
    "HttpClient",
    "JsonFileHttpCache",
    "MemoryHttpCache",
    "Validators",
    "default_user_agent",
    "fetch_page_or_failure",
    "host_key",
    "shared_client",
]
