"""When an article's news happened, for clustering: its published time, else the best evidence.

An article's time is its published time. Without one, the best evidence there is stands in,
in this order:

1. a time the caller knows (``evidence``), or the date of the feed entry or news sitemap
   entry (``news:publication_date``) that linked the page (``Article.time_evidence`` of
   kind "feed": the publisher's own date for it);
2. the date in the article's URL (``/2019/03/14/``, ``/2004/nov/14/``, ``-20190314-``);
3. last of all, when the page was fetched: a WARC record's date (kind "warc") or the day
   of a live fetch (kind "fetched": its hour says only when our fetcher came). A
   WARC-Date is the crawl's time, that is the time a live stream would have fetched the
   page: both rank the same, after the URL's date, so an archive replayed (in any order:
   ``time_ordered`` sorts on these times) gives the stories a live stream of the same
   pages gave. A file read from disk has no fetch time at all (``Page.fetched_by`` None):
   the time it was read says nothing about the news.

An article with none of these has no time: the clusterer compares it on content alone, it
is never placed at an arbitrary epoch (1970, or the day it was read). ``TimeReading.source``
says which evidence gave the time.

A time that cannot be the news' is set aside with a reason (``TimeReading.problem``) and
the next evidence is tried: a date in the future (more than a day ahead of the clock of
this machine), one before the web (1990: mostly a zero timestamp, 1970-01-01), one that
cannot be read.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC

from newsdesk.model import Article, Page
from newsdesk.text.dates import epoch_seconds, iso_from_epoch
from newsdesk.text.dates import url_date as read_url_date

# Earliest time taken as a news time: 1990-01-01 UTC. Earlier ones are nearly always a
# zero or garbled timestamp (1970-01-01), not news.
EARLIEST = 631152000.0
# How far ahead of this machine's clock a time may be (time zones, clocks a little off).
FUTURE_SLACK = 86400.0


@dataclass(frozen=True)
class TimeReading:
    """An article's news time (epoch seconds, or None: unknown), where it came from, and
    the problem with a time that was set aside (None when there was none)."""

    seconds: float | None
    source: str  # "published" | "evidence" | "feed" | "url" | "warc" | "fetched" | "none"
    problem: str | None = None


def url_date(url: str | None) -> float | None:
    """Midnight UTC of the date a news URL holds (``newsdesk.text.dates.url_date``), or None."""
    moment = read_url_date(url)
    return None if moment is None else epoch_seconds(moment.when)


def _check(seconds: float, now: float) -> str | None:
    if seconds > now + FUTURE_SLACK:
        return f"{iso_from_epoch(seconds)} is in the future"
    if seconds < EARLIEST:
        return f"{iso_from_epoch(seconds) if seconds > -6e10 else seconds} is before 1990 (no news time)"
    return None


# The kinds of ``Article.time_evidence``: taken before the URL's date, or after it.
BEFORE_URL = ("feed",)
AFTER_URL = ("warc", "fetched")


def page_evidence(page: Page) -> tuple[str | None, str | None]:
    """The time evidence a page carries for its article, as ``(ISO 8601, kind)``: the feed
    entry's date, else the fetch time of a WARC record or a live fetch; ``(None, None)``
    for a page read from a file (its ``fetched_at`` is when it was saved, or read)."""
    if page.feed_published:
        return page.feed_published, "feed"
    if page.fetched_at is not None and page.fetched_by in ("warc", "http"):
        at = page.fetched_at
        at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # naive: UTC
        if page.fetched_by == "warc":
            return iso_from_epoch(at.timestamp()), "warc"
        # A live fetch's day only (midnight UTC, as a URL's date): the hour says when our
        # fetcher came, and a run cut short and restarted must store what one run would.
        day = at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        return iso_from_epoch(day.timestamp()), "fetched"
    return None, None


def article_time(
    article: Article, evidence: object = None, now: float | None = None
) -> TimeReading:
    """The news time of an article (see the module docstring). ``evidence``: a time known
    about the page outside the article, any form ``epoch_seconds`` reads, taken before the
    article's own ``time_evidence``; ``now``: this machine's clock unless given (tests)."""
    now = time.time() if now is None else now
    problems: list[str] = []
    own, kind = article.time_evidence, article.time_evidence_kind or "evidence"
    early = [("published", article.published), ("evidence", evidence)]
    if kind not in AFTER_URL:
        early.append((kind, own))
    found = _first(early, now, problems)
    if found is None:
        seconds = url_date(article.url)
        if seconds is not None and _check(seconds, now) is None:
            found = TimeReading(seconds, "url")
    if found is None and kind in AFTER_URL:
        found = _first([(kind, own)], now, problems)
    found = found or TimeReading(None, "none")
    return TimeReading(found.seconds, found.source, "; ".join(problems) or None)


def _first(
    candidates: list[tuple[str, object]], now: float, problems: list[str]
) -> TimeReading | None:
    """The first candidate time that can be the news', its problems noted in ``problems``."""
    for source, value in candidates:
        if value is None or value == "":
            continue
        seconds = epoch_seconds(value)
        if seconds is None or not math.isfinite(seconds):
            problems.append(f"unreadable {source} time {value!r}")
            continue
        problem = _check(seconds, now)
        if problem is None:
            return TimeReading(seconds, source)
        problems.append(f"{source} time {problem}")
    return None


def iso_or_none(seconds: float | None) -> str | None:
    """ISO 8601 text in UTC, to the second, or None for an unknown time."""
    return None if seconds is None else iso_from_epoch(seconds)
