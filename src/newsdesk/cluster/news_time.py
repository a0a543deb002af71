"""When an article's news happened, for clustering: its published time, else the best evidence.

An article's time is its published time. Without one, the best evidence there is stands in:
a time the caller knows (a WARC record's date, a feed entry's date: ``evidence``), else the
date in the article's URL (``/2019/03/14/``, ``/2004/nov/14/``, ``-20190314-``). An article
with none of these has no time: the clusterer compares it on content alone, it is never
placed at an arbitrary epoch (1970, or the day it was read).

A time that cannot be the news' is set aside with a reason (``TimeReading.problem``) and
the article counts as undated: a date in the future (more than a day ahead of the clock
of this machine), one before the web (1990: mostly a zero timestamp, 1970-01-01), one
that cannot be read.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from newsdesk.model import Article
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
    source: str  # "published" | "evidence" | "url" | "none"
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


def article_time(
    article: Article, evidence: object = None, now: float | None = None
) -> TimeReading:
    """The news time of an article (see the module docstring). ``evidence``: a time known
    about the page outside the article (a WARC record's or feed entry's date), any form
    ``epoch_seconds`` reads; ``now``: this machine's clock unless given (tests)."""
    now = time.time() if now is None else now
    problems = []
    for source, value in (("published", article.published), ("evidence", evidence)):
        if value is None or value == "":
            continue
        seconds = epoch_seconds(value)
        if seconds is None or not math.isfinite(seconds):
            problems.append(f"unreadable {source} time {value!r}")
            continue
        problem = _check(seconds, now)
        if problem is None:
            return TimeReading(seconds, source, "; ".join(problems) or None)
        problems.append(f"{source} time {problem}")
    seconds = url_date(article.url)
    if seconds is not None and _check(seconds, now) is None:
        return TimeReading(seconds, "url", "; ".join(problems) or None)
    return TimeReading(None, "none", "; ".join(problems) or None)


def iso_or_none(seconds: float | None) -> str | None:
    """ISO 8601 text in UTC, to the second, or None for an unknown time."""
    return None if seconds is None else iso_from_epoch(seconds)
