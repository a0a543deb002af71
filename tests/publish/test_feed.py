"""The Atom feed agrees with the index: the same stories first, in the same order (newest
first by the story's latest source), the first ``feed_limit`` published ones; each entry's
``updated`` is when its article was written; and the feed does not depend on when or in what
order the drafts were written, as after a killed and restarted run. Parsed back with
feedparser, as a reader would."""

from __future__ import annotations

import calendar
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import lxml.html
import pytest

from newsdesk.model import Draft, Problem
from newsdesk.publish import publish_site, render_atom
from tests.publish.samples import one_report_draft

SITE = "https://news.example.org/"
START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
WRITTEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # drafts are written long after the news


def _draft(i: int, *, written_minutes: int, held: bool = False) -> Draft:
    text = f"Harbour {i} reopened on Friday after repairs costing {i} million."
    return one_report_draft(
        i,
        text,
        outlets=5,
        story_id=f"story-{i:02d}",
        headline=f"Harbour {i} reopens",
        written_at=(WRITTEN + timedelta(minutes=written_minutes)).isoformat(),
        problems=(Problem("number", text, "not in the source"),) if held else (),
    )


def _last_seen(i: int) -> str:
    """Story ``i``'s latest source came ``i`` hours after START: a higher i is newer news."""
    return (START + timedelta(hours=i)).isoformat()


def _stories(count: int, *, held: frozenset[int] = frozenset()) -> tuple[list[Draft], dict]:
    # Written in the opposite order of their news: the oldest story's draft is the newest.
    drafts = [_draft(i, written_minutes=count - i, held=i in held) for i in range(count)]
    return drafts, {d.story_id: _last_seen(i) for i, d in enumerate(drafts)}


def _entry_ids(feed: feedparser.FeedParserDict) -> list[str]:
    return [e.link.rsplit("/", 1)[1].removesuffix(".html") for e in feed.entries]


def _parse(xml: str | bytes) -> feedparser.FeedParserDict:
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.bozo_exception
    return feed


def _when(parsed: object) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)  # type: ignore[arg-type]


def test_site_feed_lists_the_index_stories_in_the_index_order(tmp_path: Path) -> None:
    drafts, last_seen = _stories(12, held=frozenset({10, 7}))
    random.Random(3).shuffle(drafts)
    publish_site(drafts, tmp_path, updated=last_seen, site_url=SITE, feed_limit=4)

    index = lxml.html.fromstring((tmp_path / "index.html").read_text(encoding="utf-8"))
    listed = [
        a.get("href").split("/")[1].removesuffix(".html") for a in index.cssselect("a.story-link")
    ]
    assert listed[:3] == ["story-11", "story-10", "story-09"]  # newest news first
    feed = _parse((tmp_path / "feed.atom").read_bytes())
    # The feed: the index's published stories (held ones left out), its first feed_limit.
    assert _entry_ids(feed) == [s for s in listed if s not in {"story-10", "story-07"}][:4]
    assert _entry_ids(feed) == ["story-11", "story-09", "story-08", "story-06"]


def test_entry_updated_is_when_the_article_was_written() -> None:
    drafts, last_seen = _stories(5)
    feed = _parse(render_atom(drafts, SITE, updated=last_seen))
    by_id = {d.story_id: d for d in drafts}
    for story_id, entry in zip(_entry_ids(feed), feed.entries, strict=True):
        assert _when(entry.updated_parsed) == datetime.fromisoformat(by_id[story_id].written_at)
    newest_write = max(datetime.fromisoformat(d.written_at) for d in drafts)
    assert _when(feed.feed.updated_parsed) == newest_write


def test_entry_published_is_when_the_news_was_first_published() -> None:
    # The news is from September; the drafts were written in November.
    drafts, last_seen = _stories(5)
    first_seen = {sid: (START - timedelta(days=2)).isoformat() for sid in last_seen}
    feed = _parse(render_atom(drafts, SITE, updated=last_seen, published=first_seen))
    for entry in feed.entries:
        assert _when(entry.published_parsed) == START - timedelta(days=2)
        assert _when(entry.updated_parsed) >= WRITTEN
    unknown = _parse(render_atom(drafts, SITE, updated=last_seen))  # no news time: none given
    assert all("published_parsed" not in entry for entry in unknown.entries)


def test_feed_does_not_depend_on_when_or_in_what_order_drafts_were_written() -> None:
    drafts, last_seen = _stories(9)
    first = render_atom(drafts, SITE, updated=last_seen, limit=5)
    # A killed and restarted run: the same drafts, given in another order, written at
    # other moments and in another order than in the uninterrupted run.
    shuffled = list(drafts)
    random.Random(7).shuffle(shuffled)
    rewritten = [
        replace(d, written_at=(WRITTEN + timedelta(hours=2, minutes=k)).isoformat())
        for k, d in enumerate(shuffled)
    ]
    assert render_atom(shuffled, SITE, updated=last_seen, limit=5) == first  # byte for byte
    again = _parse(render_atom(rewritten, SITE, updated=last_seen, limit=5))
    assert _entry_ids(again) == _entry_ids(_parse(first))
    assert _entry_ids(again) == ["story-08", "story-07", "story-06", "story-05", "story-04"]


def test_without_story_times_the_feed_goes_by_written_at_and_undated_go_last() -> None:
    drafts, _ = _stories(4)
    undated = replace(_draft(9, written_minutes=0), written_at=None)
    feed = _parse(render_atom([undated, *drafts], SITE))
    # _stories writes the oldest story last, so by written_at story-00 is the newest.
    assert _entry_ids(feed) == ["story-00", "story-01", "story-02", "story-03", "story-09"]
    # An entry with no written_at takes its story's time, not the clock.
    dated = _parse(render_atom([undated], SITE, updated={"story-09": _last_seen(9)}))
    assert _when(dated.entries[0].updated_parsed) == START + timedelta(hours=9)


def test_a_story_of_undated_articles_goes_after_the_dated_ones() -> None:
    # The store knows every story and gives no time to one whose articles are undated: the
    # feed (and the index, in the same order) puts it last, as the store lists it, however
    # recently its draft was written.
    drafts, last_seen = _stories(3)
    undated = _draft(9, written_minutes=500)
    feed = _parse(render_atom([undated, *drafts], SITE, updated={**last_seen, "story-09": None}))
    assert _entry_ids(feed) == ["story-02", "story-01", "story-00", "story-09"]


def test_one_entry_per_story() -> None:
    old, new = _draft(1, written_minutes=0), _draft(1, written_minutes=30)
    new = replace(new, headline="Harbour 1 reopens early")
    feed = _parse(render_atom([old, new, _draft(2, written_minutes=5)], SITE))
    assert len({e.id for e in feed.entries}) == len(feed.entries) == 2
    assert "Harbour 1 reopens early" in [e.title for e in feed.entries]


def test_feed_limit_is_kept_and_a_negative_one_is_refused(tmp_path: Path) -> None:
    drafts, last_seen = _stories(6)
    assert len(_parse(render_atom(drafts, SITE, updated=last_seen, limit=2)).entries) == 2
    assert _parse(render_atom(drafts, SITE, updated=last_seen, limit=0)).entries == []
    with pytest.raises(ValueError, match="limit must be 0 or more"):
        render_atom(drafts, SITE, limit=-1)
    with pytest.raises(ValueError, match="feed_limit must be 0 or more"):
        publish_site(drafts, tmp_path, feed_limit=-1)


def test_control_characters_of_source_text_leave_the_feed_valid() -> None:
    """XML 1.0 forbids most control characters and U+FFFE/U+FFFF; a page may carry them."""
    drafts, last_seen = _stories(2)
    dirty = replace(drafts[0], headline="Harbour\x0b 0 re\x00opens\ufffe\tnow \u00e9t\u00e9")
    feed = _parse(render_atom([dirty, drafts[1]], SITE, updated=last_seen))
    titles = {e.link.rsplit("/", 1)[1].removesuffix(".html"): e.title for e in feed.entries}
    assert titles[dirty.story_id] == "Harbour 0 reopens\tnow \u00e9t\u00e9"
