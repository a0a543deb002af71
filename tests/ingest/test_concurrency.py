"""Fetching several hosts at once: overlap across hosts, never on one host, input order kept.

Each host is a real server on 127.0.0.1 on its own port (politeness counts scheme, name
and port as the host, see ``http.host_key``). Routes record how many requests they are
answering at once; a barrier that opens only when N requests wait together (with a
timeout, so a sequential fetcher fails the test instead of hanging it) shows overlap.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from newsdesk.ingest.files import Failure
from newsdesk.ingest.hostpool import HostPool
from newsdesk.ingest.http import HttpClient, MemoryHttpCache, Validators, host_key
from newsdesk.ingest.sources import iter_sources_pages
from newsdesk.model import Page
from tests.ingest.conftest import Reply, Seen, TestServer, loopback_config
from tests.ingest.test_sitemaps import urlset

BARRIER_TIMEOUT = 3.0  # seconds; only a failing (sequential) fetcher ever waits this long


class InFlight:
    """Requests being answered right now, per host and in all, and the most seen at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.total = 0
        self.most_total = 0
        self.broken = 0  # barrier waits that timed out

    def route(
        self,
        host: str,
        body: bytes,
        *,
        hold: float = 0.0,
        barrier: threading.Barrier | None = None,
        headers: dict[str, str] | None = None,
    ) -> Callable[[Seen], Reply]:
        def answer(seen: Seen) -> Reply:
            with self._lock:
                self.now[host] += 1
                self.total += 1
                self.most[host] = max(self.most[host], self.now[host])
                self.most_total = max(self.most_total, self.total)
            try:
                if barrier is not None:
                    try:
                        barrier.wait()
                    except threading.BrokenBarrierError:
                        with self._lock:
                            self.broken += 1
                        return Reply(404, b"barrier broken: requests did not overlap")
                if hold:
                    time.sleep(hold)
                return Reply(200, body, headers or {})
            finally:
                with self._lock:
                    self.now[host] -= 1
                    self.total -= 1

        return answer


@pytest.fixture
def hosts() -> Iterator[list[TestServer]]:
    """Six servers: six hosts."""
    with ExitStack() as stack:
        servers = []
        for _ in range(6):
            server = TestServer().start()
            stack.callback(server.stop)
            servers.append(server)
        yield servers


def _rss(links: list[str]) -> bytes:
    items = "".join(f"<item><link>{link}</link></item>" for link in links)
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{items}</channel></rss>"
    ).encode()


def _read(sources: list[str], cache: MemoryHttpCache | None = None, **config: object) -> list:
    values: dict[str, object] = {"timeout": 5.0, "total_timeout": 20.0, "retries": 0}
    values.update(config)
    with HttpClient(loopback_config(**values)) as client:
        return list(iter_sources_pages(sources, client.config, cache, client=client))


def _summary(items: list) -> list[tuple[str, str]]:
    return [("page", i.source) if isinstance(i, Page) else ("failure", i.source) for i in items]


def test_pages_given_as_sources_on_different_hosts_are_fetched_at_once(hosts: list[TestServer]):
    flight = InFlight()
    barrier = threading.Barrier(4, timeout=BARRIER_TIMEOUT)
    for n, server in enumerate(hosts[:4]):
        server.routes["/p"] = flight.route(f"h{n}", f"<p>page {n}</p>".encode(), barrier=barrier)
    urls = [server.url("/p") for server in hosts[:4]]
    items = _read(urls, max_connections=4)
    assert flight.broken == 0  # all four were being answered at the same moment
    assert [i.content for i in items] == [f"<p>page {n}</p>".encode() for n in range(4)]
    assert [i.source for i in items] == urls


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
def test_pages_a_feed_or_sitemap_lists_on_different_hosts_are_fetched_at_once(
    kind: str, hosts: list[TestServer]
):
    flight = InFlight()
    barrier = threading.Barrier(4, timeout=BARRIER_TIMEOUT)
    links = []
    for n, server in enumerate(hosts[1:5]):
        server.routes["/story"] = flight.route(f"h{n}", f"<p>{n}</p>".encode(), barrier=barrier)
        links.append(server.url("/story"))
    body = _rss(links) if kind == "feed" else urlset("", *links)
    hosts[0].routes["/list"] = Reply(200, body, {"Content-Type": "application/xml"})
    items = _read([hosts[0].url("/list")], max_connections=4)
    assert flight.broken == 0
    assert [i.source for i in items] == links
    assert all(isinstance(i, Page) for i in items)


def test_feeds_of_a_sources_file_on_different_hosts_are_read_at_once(
    hosts: list[TestServer], tmp_path: Path
):
    """The aggregator's case: a sources file of feeds, one per outlet."""
    flight = InFlight()
    barrier = threading.Barrier(4, timeout=BARRIER_TIMEOUT)
    tables = []
    expected = []
    for n, server in enumerate(hosts[:4]):
        links = [server.url(f"/story{k}") for k in range(2)]
        server.routes["/story0"] = flight.route(f"h{n}", f"<p>{n}.0</p>".encode(), barrier=barrier)
        server.routes["/story1"] = Reply(200, f"<p>{n}.1</p>".encode())
        server.routes["/rss"] = Reply(200, _rss(links), {"Content-Type": "application/rss+xml"})
        tables.append(f'[[source]]\nfeed = "{server.url("/rss")}"\n')
        expected += links
    sources = tmp_path / "sources.toml"
    sources.write_text("\n".join(tables), encoding="utf-8")
    items = _read([str(sources)], max_connections=4)
    assert flight.broken == 0
    assert [i.source for i in items] == expected
    assert all(isinstance(i, Page) for i in items)


def test_one_host_never_gets_two_requests_at_once(hosts: list[TestServer]):
    """Two feeds on two hosts, each listing eight of its own pages, plus pages of the first
    host given as sources: eight workers, yet each host answers one request at a time."""
    flight = InFlight()
    sources = []
    for n, server in enumerate(hosts[:2]):
        links = []
        for k in range(8):
            body = f"<p>{n}-{k}</p>".encode()
            server.routes[f"/s{k}"] = flight.route(f"h{n}", body, hold=0.03)
            links.append(server.url(f"/s{k}"))
        server.routes["/rss"] = flight.route(
            f"h{n}", _rss(links), hold=0.03, headers={"Content-Type": "application/rss+xml"}
        )
        sources.append(server.url("/rss"))
    for k in range(3):
        hosts[0].routes[f"/extra{k}"] = flight.route("h0", b"<p>extra</p>", hold=0.03)
        sources.append(hosts[0].url(f"/extra{k}"))
    items = _read(sources, max_connections=8)
    assert all(isinstance(i, Page) for i in items) and len(items) == 19
    assert flight.most["h0"] == 1 and flight.most["h1"] == 1
    assert flight.most_total == 2  # the two hosts did overlap: the check above is not idle


def test_the_host_interval_still_spaces_requests_to_one_host(hosts: list[TestServer]):
    for server in hosts[:2]:
        for k in range(3):
            server.routes[f"/p{k}"] = Reply(200, b"<p>x</p>")
    sources = [server.url(f"/p{k}") for k in range(3) for server in hosts[:2]]
    items = _read(sources, max_connections=4, host_interval=0.2)
    assert len(items) == 6
    for server in hosts[:2]:
        starts = [seen.at for seen in server.requests]  # robots.txt included: it is a request
        assert len(starts) == 4
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        # A minimum the client keeps, not a speed; seen at the server, so allow for the
        # jitter of a busy machine (with no interval the gaps are a few milliseconds).
        assert min(gaps) >= 0.2 - 0.05, gaps


def test_results_come_in_input_order_whatever_finishes_first(hosts: list[TestServer]):
    """The first sources are the slowest; failures keep their place among the pages."""
    sources = []
    for n, server in enumerate(hosts):
        server.routes["/a"] = Reply(200, f"<p>{n}a</p>".encode(), delay=0.05 * (6 - n))
        server.routes["/b"] = Reply(200, f"<p>{n}b</p>".encode())
        sources += [server.url("/a"), server.url("/missing"), server.url("/b")]
    hosts[5].routes["/rss"] = Reply(
        200,
        _rss([hosts[0].url("/b"), hosts[1].url("/c"), hosts[2].url("/a")]),
        {"Content-Type": "application/rss+xml"},
    )
    hosts[1].routes["/c"] = Reply(200, b"<p>1c</p>", delay=0.2)
    sources.insert(2, hosts[5].url("/rss"))
    concurrent = _read(sources, max_connections=6)
    one_at_a_time = _read(sources, max_connections=1)
    assert _summary(concurrent) == _summary(one_at_a_time)
    assert [i.content for i in concurrent if isinstance(i, Page)] == [
        i.content for i in one_at_a_time if isinstance(i, Page)
    ]
    expected_head = [
        ("page", hosts[0].url("/a")),
        ("failure", hosts[0].url("/missing")),
        ("page", hosts[0].url("/b")),  # from the feed: read once, here
        ("page", hosts[1].url("/c")),
        ("page", hosts[2].url("/a")),
    ]
    assert _summary(concurrent)[:5] == expected_head
    assert all("HTTP 404" in i.reason for i in concurrent if isinstance(i, Failure))


def test_a_dead_slow_or_failing_host_does_not_lose_the_others(hosts: list[TestServer]):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    dead_url = f"http://127.0.0.1:{listener.getsockname()[1]}/p"
    listener.close()  # nothing listens there now: every connection is refused
    hosts[0].routes["/slow"] = Reply(200, b"<p>late</p>", delay=2.0)  # past the 0.5 s timeout
    hosts[1].routes["/broken"] = Reply(500, b"down")
    sources = [hosts[0].url("/slow"), dead_url, hosts[1].url("/broken")]
    for n, server in enumerate(hosts[2:]):
        server.routes["/ok"] = Reply(200, f"<p>ok {n}</p>".encode())
        sources.append(server.url("/ok"))
    items = _read(sources, max_connections=4, timeout=0.5, retries=1, backoff=0.01)
    assert [type(i).__name__ for i in items] == ["Failure"] * 3 + ["Page"] * 4
    slow, refused, broken = items[:3]
    assert "timed out" in slow.reason
    assert "cannot connect" in refused.reason
    assert "HTTP 500" in broken.reason and "after 2 attempts" in broken.reason
    assert [i.content for i in items[3:]] == [f"<p>ok {n}</p>".encode() for n in range(4)]


def test_workers_bound_the_requests_in_flight(hosts: list[TestServer]):
    flight = InFlight()
    barrier = threading.Barrier(3, timeout=BARRIER_TIMEOUT)
    for n, server in enumerate(hosts):
        server.routes["/p"] = flight.route(f"h{n}", b"<p>x</p>", barrier=barrier, hold=0.02)
    items = _read([server.url("/p") for server in hosts], max_connections=3)
    assert flight.broken == 0 and len(items) == 6
    assert flight.most_total == 3


def test_one_worker_fetches_one_page_at_a_time(hosts: list[TestServer]):
    flight = InFlight()
    for n, server in enumerate(hosts):
        server.routes["/p"] = flight.route(f"h{n}", b"<p>x</p>", hold=0.02)
    items = _read([server.url("/p") for server in hosts], max_connections=1)
    assert len(items) == 6 and flight.most_total == 1


def test_page_limit_makes_the_same_requests_as_one_at_a_time(hosts: list[TestServer]):
    """max_pages: the pages fetched ahead never go past the limit, failures count for none."""
    links = []
    for n, server in enumerate(hosts[1:]):
        server.routes["/ok"] = Reply(200, f"<p>{n}</p>".encode())
        links += [server.url("/gone"), server.url("/ok")]
    hosts[0].routes["/rss"] = Reply(200, _rss(links), {"Content-Type": "application/rss+xml"})
    runs = {}
    for workers in (1, 8):
        before = [Counter(server.hits) for server in hosts]
        items = _read([hosts[0].url("/rss")], max_connections=workers, max_pages_per_source=2)
        hits = [server.hits - old for server, old in zip(hosts, before, strict=True)]
        runs[workers] = (_summary(items), [sorted(h.elements()) for h in hits])
    assert runs[8] == runs[1]
    summary, hits = runs[8]
    assert summary == [
        ("failure", hosts[1].url("/gone")),
        ("page", hosts[1].url("/ok")),
        ("failure", hosts[2].url("/gone")),
        ("page", hosts[2].url("/ok")),
    ]
    assert all(h == [] for h in hits[3:])  # hosts past the limit were never asked


def test_validators_are_kept_only_for_pages_handed_on(hosts: list[TestServer]):
    """Pages fetched ahead but not yet handed on must not be marked as read: a run cut
    short reads them (and their feed) again next time."""
    links = []
    for n, server in enumerate(hosts[1:]):
        server.routes["/p"] = Reply(200, f"<p>{n}</p>".encode(), {"ETag": f'"p{n}"'})
        links.append(server.url("/p"))
    feed = hosts[0].url("/rss")
    hosts[0].routes["/rss"] = Reply(
        200, _rss(links), {"Content-Type": "application/rss+xml", "ETag": '"feed"'}
    )
    cache = MemoryHttpCache()
    with HttpClient(loopback_config(max_connections=8)) as client:
        items = iter_sources_pages([feed], client.config, cache, client=client)
        first = next(items)
        deadline = time.monotonic() + BARRIER_TIMEOUT
        while sum(s.hits["/p"] for s in hosts[1:]) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)  # the other pages are being fetched ahead meanwhile
        items.close()
    assert first.source == links[0]
    assert sum(s.hits["/p"] for s in hosts[1:]) == 5  # all fetched ahead...
    assert cache.get(links[0]) == Validators('"p0"', None)
    assert [cache.get(link) for link in links[1:]] == [None] * 4  # ...but only one handed on
    assert cache.get(feed) is None


def test_host_pool_runs_one_job_per_host_in_order_and_reports_errors():
    running: Counter[str] = Counter()
    most: Counter[str] = Counter()
    order: list[tuple[str, int]] = []
    lock = threading.Lock()

    def job(host: str, n: int) -> int:
        with lock:
            running[host] += 1
            most[host] = max(most[host], running[host])
            order.append((host, n))
        time.sleep(0.005)
        with lock:
            running[host] -= 1
        if n == 3:
            raise ValueError(f"job {n} of {host} failed")
        return n

    with HostPool(4) as pool:
        futures = [
            (host, n, pool.submit(host, lambda h=host, k=n: job(h, k)))
            for n in range(6)
            for host in ("a", "b")
        ]
        for host, n, future in futures:
            if n == 3:
                with pytest.raises(ValueError, match=f"job 3 of {host}"):
                    future.result(timeout=BARRIER_TIMEOUT)
            else:
                assert future.result(timeout=BARRIER_TIMEOUT) == n
    assert most == Counter({"a": 1, "b": 1})
    for host in ("a", "b"):
        assert [n for h, n in order if h == host] == list(range(6))


def test_host_pool_waits_for_a_host_slot_and_cancels_on_close():
    slots = {"slow": time.monotonic() + 60.0}  # this host may not be asked for a minute
    pool = HostPool(2, ready_at=lambda host: slots.get(host, 0.0))
    later = pool.submit("slow", lambda: "slow")
    now = pool.submit("fast", lambda: "fast")
    assert now.result(timeout=BARRIER_TIMEOUT) == "fast"  # not stuck behind the slow host
    assert not later.done()
    pool.close()
    assert later.cancelled()


def test_host_key_counts_scheme_name_and_port():
    assert host_key("http://127.0.0.1:8001/a") != host_key("http://127.0.0.1:8002/a")
    assert host_key("https://Example.com/a") == host_key("https://example.com/b?q=1")
    assert host_key("http://example.com/") != host_key("https://example.com/")


def _article(title: str) -> bytes:
    paragraphs = "".join(
        f"<p>{title}: paragraph {n} of the report, with enough words to be a paragraph.</p>"
        for n in range(4)
    )
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode()


@pytest.mark.parametrize("workers", ["1", "3"])
def test_extract_command_fetch_workers(
    workers: str, hosts: list[TestServer], monkeypatch: pytest.MonkeyPatch
):
    """`newsdesk extract --fetch-workers N`: N hosts at once, articles in the order given."""
    from typer.testing import CliRunner

    from newsdesk.cli import app

    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("NEWSDESK_HOST_INTERVAL", "0")
    flight = InFlight()
    # Three at once: they meet at a barrier; one at a time: each is held a while instead.
    barrier = threading.Barrier(3, timeout=BARRIER_TIMEOUT) if workers == "3" else None
    titles = ["Harbour reopens", "Council votes", "Rail strike ends"]
    for n, (server, title) in enumerate(zip(hosts[:3], titles, strict=True)):
        server.routes["/a"] = flight.route(f"h{n}", _article(title), hold=0.02, barrier=barrier)
    urls = [server.url("/a") for server in hosts[:3]]
    result = CliRunner().invoke(app, ["extract", "--fetch-workers", workers, *urls])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [line["title"] for line in lines] == titles
    assert flight.broken == 0
    assert flight.most_total == (1 if workers == "1" else 3)


def test_fetch_workers_must_be_positive():
    from typer.testing import CliRunner

    from newsdesk.cli import app

    result = CliRunner().invoke(app, ["extract", "--fetch-workers", "0", "x.html"])
    assert result.exit_code == 2 and "fetch-workers" in result.output


def test_pages_from_files_are_not_read_ahead_past_the_byte_budget(
    monkeypatch: pytest.MonkeyPatch,
):
    """Ready pages (files, WARC) start no fetch: reading far ahead of them only costs memory."""
    from newsdesk.ingest import sources

    monkeypatch.setattr(sources, "_HELD_BYTES", 3 * 1024 * 1024)
    pulled = 0

    def plan() -> Iterator[Page]:
        nonlocal pulled
        for n in range(100):
            pulled += 1
            yield Page(source=f"file{n}.html", content=b"x" * 1024 * 1024)

    out = sources._in_order(plan(), reader=None, ahead=256)  # type: ignore[arg-type]
    first = next(out)
    assert first.source == "file0.html"
    assert pulled == 3  # three 1 MiB pages held, not a hundred
    assert [p.source for p in out] == [f"file{n}.html" for n in range(1, 100)]
