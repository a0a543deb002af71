"""Time evidence from ingest to the clusterer: a feed entry's date, the URL's date, a WARC
record's date (the crawl) and a live fetch's time stand in, in that order, for an article
without a published time; a page read from a file carries none. An archive of undated
pages replayed in any order gives the stories a live stream of the same pages gave."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecordType

from newsdesk.cluster.news_time import article_time, page_evidence
from newsdesk.ingest.config import FetchConfig
from newsdesk.model import Article, Page
from newsdesk.pipeline import RunOptions, run_pipeline
from newsdesk.pipeline.blocks import extract_page
from newsdesk.store import open_store
from tests.pipeline_support.corpus import Doc, _warc_record, html_page, story_clusters
from tests.pipeline_support.server import NewsServer

NOW = datetime(2026, 12, 6, tzinfo=UTC).timestamp()
MARCH_14 = datetime(2019, 3, 14, tzinfo=UTC).timestamp()


def _undated(url: str | None, **kwargs) -> Article:
    return Article(id="a", url=url, title="t", paragraphs=("x",), **kwargs)


def test_the_evidence_ranks_feed_then_url_then_the_fetch():
    dated_url = "https://news.example/2019/03/14/ship.html"
    feed = "2019-03-13T08:00:00+00:00"
    crawl = "2019-04-02T10:00:00+00:00"
    reading = article_time(
        _undated(dated_url, time_evidence=feed, time_evidence_kind="feed"), now=NOW
    )
    assert (reading.source, reading.seconds) == ("feed", MARCH_14 - 16 * 3600)
    # A WARC-Date or a fetch time is the crawl's: the URL's date goes before it.
    for kind in ("warc", "fetched"):
        reading = article_time(
            _undated(dated_url, time_evidence=crawl, time_evidence_kind=kind), now=NOW
        )
        assert (reading.source, reading.seconds) == ("url", MARCH_14)
        reading = article_time(
            _undated("https://news.example/ship", time_evidence=crawl, time_evidence_kind=kind),
            now=NOW,
        )
        assert reading.source == kind and reading.seconds == MARCH_14 + 19 * 86400 + 10 * 3600
    # Evidence that cannot be the news' time is set aside, with the reason.
    reading = article_time(
        _undated(None, time_evidence="2099-01-01T00:00:00Z", time_evidence_kind="warc"), now=NOW
    )
    assert reading.seconds is None and "warc time" in (reading.problem or "")
    assert article_time(_undated(None), now=NOW) == article_time(_undated(None), now=NOW)
    assert article_time(_undated(None), now=NOW).source == "none"


def test_a_page_gives_its_article_the_evidence_with_its_kind():
    html = html_page(
        "A cargo ship ran aground off the port on Saturday. " * 20, "https://x.example/a", None
    )
    when = datetime(2019, 3, 14, 9, 30, tzinfo=UTC)
    cases = [
        (Page("a.html", html, fetched_at=when), (None, None)),  # a file: read now, no evidence
        (
            Page("w.warc", html, fetched_at=when, fetched_by="warc"),
            ("2019-03-14T09:30:00+00:00", "warc"),
        ),
        (
            Page("https://x.example/a", html, fetched_at=when, fetched_by="http"),
            ("2019-03-14T00:00:00+00:00", "fetched"),
        ),
        (
            Page(
                "https://x.example/a",
                html,
                fetched_at=when,
                fetched_by="http",
                feed_published="2019-03-14T08:00:00+00:00",
            ),
            ("2019-03-14T08:00:00+00:00", "feed"),
        ),
    ]
    for page, expected in cases:
        assert page_evidence(page) == expected
        article = extract_page(page).article
        assert article is not None and article.published is None
        assert (article.time_evidence, article.time_evidence_kind) == expected
        assert Article.from_dict(article.to_dict()) == article  # stored and read back whole


def _crawl(texts_by_story: list[list[str]]) -> list[tuple[str, bytes, datetime]]:
    """Undated pages (no date on the page or in the URL), each story crawled on its own
    day of March 2019, its pages within hours of each other."""
    start = datetime(2019, 3, 1, tzinfo=UTC)
    pages = []
    for s, texts in enumerate(texts_by_story):
        for i, text in enumerate(texts[:3]):
            url = f"https://site{i}.example/news/story-{s}-{i}"
            pages.append(
                (url, html_page(text, url, None), start + timedelta(days=4 * s, hours=3 * i))
            )
    return pages


def _warc(path: Path, pages: list[tuple[str, bytes, datetime]]) -> Path:
    writer = GzipWriter(str(path), fsspec_args=False)
    for n, (url, body, when) in enumerate(pages):
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n"
        _warc_record(WarcRecordType.response, n, url, when, head.encode() + body).write(writer)
    writer.close()
    return path


def _stories(store) -> dict[str, frozenset[str]]:
    urls = {a.id: a.url for a in store.iter_articles()}
    return {
        min(urls[i] for i in s.article_ids): frozenset(urls[i] for i in s.article_ids)
        for s in store.list_stories(limit=None)
    }


def test_an_archive_of_undated_pages_in_any_order_gives_the_stories_of_the_live_stream(tmp_path):
    pages = _crawl(story_clusters(4))
    shuffled = list(pages)
    random.Random(3).shuffle(shuffled)
    with open_store(str(tmp_path / "archive.db")) as store:
        run_pipeline(
            store, RunOptions(sources=(str(_warc(tmp_path / "a.warc.gz", shuffled)),), out_dir=None)
        )
        archive = _stories(store)
        kinds = {a.time_evidence_kind for a in store.iter_articles()}
        times = {a.url: a.time_evidence for a in store.iter_articles()}
    assert kinds == {"warc"}
    assert times == {url: when.isoformat() for url, _, when in pages}
    # Live: each day's crawl into the store as it comes, the clusterer saved between.
    with open_store(str(tmp_path / "live.db")) as store:
        for day in sorted({when.date() for _, _, when in pages}):
            today = [p for p in pages if p[2].date() == day]
            warc = _warc(tmp_path / f"{day}.warc.gz", today)
            run_pipeline(store, RunOptions(sources=(str(warc),), out_dir=None))
        live = _stories(store)
    assert archive == live
    assert len(archive) < len(pages)  # the pages of a story met: stories, not singletons


def test_a_feed_entry_dates_its_undated_page_and_a_live_fetch_its_day(tmp_path):
    texts = story_clusters(1)[0][:2]
    server = NewsServer()
    docs = [
        Doc(
            f"p{i}.html",
            f"https://x.example/news/p{i}.html",
            html_page(t, f"https://x.example/news/p{i}.html", None),
            "s",
        )
        for i, t in enumerate(texts)
    ]
    server.add(docs)
    server.feed_dates["p0.html"] = "Thu, 14 Mar 2019 09:30:00 GMT"
    with server.running(), open_store(str(tmp_path / "f.db")) as store:
        fetch = FetchConfig(allow_private=True, host_interval=0.0, retries=0, timeout=5.0)
        run_pipeline(
            store, RunOptions(sources=(f"{server.base}/feed.xml",), out_dir=None, fetch=fetch)
        )
        found = {a.url.rsplit("/", 1)[-1]: a for a in store.iter_articles()}
    assert found["p0.html"].time_evidence_kind == "feed"
    assert found["p0.html"].time_evidence == "2019-03-14T09:30:00+00:00"
    today = datetime.now(UTC).date()
    fetched = found["p1.html"]
    assert fetched.time_evidence_kind == "fetched"
    assert fetched.time_evidence in {
        f"{d}T00:00:00+00:00" for d in (today, today - timedelta(days=1))
    }
