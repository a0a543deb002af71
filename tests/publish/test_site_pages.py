"""The static site's index in pages: newest first, linked Newer / Older, escaped, written
only when changed, no stale page left reachable, and whole again after a killed publish."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest

import newsdesk.publish.site as site
from newsdesk.model import Article, Draft
from newsdesk.publish import publish_site
from tests.publish.samples import HOSTILE_TITLE, one_report_draft

START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)


def _story(i: int, headline: str | None = None, *, minutes: int | None = None) -> Draft:
    """Story ``i``, its latest source ``i`` hours after START (so a higher i is newer)."""
    when = START + timedelta(hours=i) + timedelta(minutes=minutes or 0)
    return one_report_draft(
        i,
        f"Council {i} met on Tuesday and approved budget {i}.",
        outlets=7,
        story_id=f"story-{i:03d}",
        headline=headline or f"Council {i} approves its budget",
        written_at=when.isoformat(),
    )


def _stories(count: int, **kw: object) -> list[Draft]:
    drafts = [_story(i, **kw) for i in range(count)]  # type: ignore[arg-type]
    random.Random(count).shuffle(drafts)  # the order given must not matter
    return drafts


def _pages(out: Path) -> list[tuple[Path, lxml.html.HtmlElement]]:
    """The index pages a reader reaches from index.html by following "Older" links."""
    path, seen = out / "index.html", []
    while True:
        doc = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        seen.append((path, doc))
        older = doc.cssselect("nav.pager a[rel=next]")
        if not older:
            return seen
        path = (path.parent / older[0].get("href")).resolve()
        assert path.is_file(), f"{seen[-1][0]} links to a missing page {path}"
        assert len(seen) < 100, "the Older links go round in a circle"


def _listed(page: Path, doc: lxml.html.HtmlElement) -> list[str]:
    """Story ids a page lists, checking each link reaches the story's page."""
    ids = []
    for link in doc.cssselect("a.story-link"):
        target = (page.parent / link.get("href")).resolve()
        assert target.is_file(), f"{page} links to a missing story {target}"
        ids.append(target.stem)
    return ids


def _all_listed(pages: list[tuple[Path, lxml.html.HtmlElement]]) -> list[str]:
    return [story_id for path, doc in pages for story_id in _listed(path, doc)]


def _stamps(out: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}


def test_120_stories_make_three_pages_newest_first_with_links_between_them(
    tmp_path: Path,
) -> None:
    report = publish_site(_stories(120), tmp_path, page_size=50)

    assert report.pages == 3
    pages = _pages(tmp_path)
    assert [p for p, _ in pages] == [
        (tmp_path / name).resolve() for name in ("index.html", "page/2.html", "page/3.html")
    ]
    assert not (tmp_path / "page" / "4.html").exists()
    listed = [_listed(path, doc) for path, doc in pages]
    assert [len(ids) for ids in listed] == [50, 50, 20]
    assert [sid for ids in listed for sid in ids] == [f"story-{i:03d}" for i in range(119, -1, -1)]
    # Newer links lead back the same way, page by page.
    for (path, doc), (newer_path, _) in zip(pages[1:], pages[:-1], strict=True):
        (newer,) = doc.cssselect("nav.pager a[rel=prev]")
        assert (path.parent / newer.get("href")).resolve() == newer_path.resolve()
    assert not pages[0][1].cssselect("nav.pager a[rel=prev]")
    # Every page looks like the front page: the same stylesheet, feed and home links.
    for path, doc in pages:
        (css,) = doc.cssselect("link[rel=stylesheet]")
        assert (path.parent / css.get("href")).resolve() == (tmp_path / "static/newsdesk.css")
        home = doc.cssselect("header.site a.brand")[0].get("href")
        assert (path.parent / home).resolve() == (tmp_path / "index.html")
        feed = doc.cssselect("link[rel=alternate]")[0].get("href")
        assert (path.parent / feed).resolve() == (tmp_path / "feed.atom")
    assert pages[1][1].findtext(".//title") == "newsdesk: stories, page 2"
    assert pages[0][1].findtext(".//h1") == "Stories"


def test_the_index_follows_the_stories_last_update_when_given(tmp_path: Path) -> None:
    drafts = _stories(5)
    # Story 1's latest source came in after all the others; story 3's articles are undated
    # (the store gives it no time): it goes last, as the store lists it; stories the
    # mapping does not know go by their drafts' write times.
    updated = {"story-001": (START + timedelta(days=3)).isoformat(), "story-003": None}
    publish_site(drafts, tmp_path, updated=updated, page_size=2)
    listed = _all_listed(_pages(tmp_path))
    assert listed == ["story-001", "story-004", "story-002", "story-000", "story-003"]
    undated = [Draft(**{**d.__dict__, "written_at": None}) for d in drafts]
    publish_site(undated, tmp_path, updated=updated, page_size=2)
    listed = _all_listed(_pages(tmp_path))
    assert listed == ["story-001", "story-000", "story-002", "story-003", "story-004"]


def test_one_more_story_rewrites_the_pages_it_moves_and_nothing_else(tmp_path: Path) -> None:
    drafts = _stories(120)
    asked: list[str] = []

    def articles(draft: Draft) -> Sequence[Article]:
        asked.append(draft.story_id)
        return ()

    first = publish_site(drafts, tmp_path, articles=articles, page_size=50)
    assert sorted(asked) == sorted(d.story_id for d in drafts) == sorted(first.rendered)
    before = _stamps(tmp_path)
    old_page3 = (tmp_path / "page/3.html").read_text(encoding="utf-8")

    asked.clear()
    again = publish_site(drafts, tmp_path, articles=articles, page_size=50)
    assert again.written == [] and again.rendered == [] and asked == []
    assert _stamps(tmp_path) == before
    assert set(again.files) == set(before)

    newest = _story(120)
    grown = publish_site([*drafts, newest], tmp_path, articles=articles, page_size=50)
    assert asked == grown.rendered == ["story-120"]
    stories = tmp_path / "stories"
    assert set(grown.written) == {
        stories / "story-120.md",
        stories / "story-120.html",
        stories / "story-120.json",
        tmp_path / "index.html",
        tmp_path / "page/2.html",
        tmp_path / "page/3.html",
        tmp_path / "feed.atom",
    }
    after = _stamps(tmp_path)
    for path, stamp in before.items():
        if path not in grown.written:
            assert after[path] == stamp, f"{path} was touched"
    listed = [_listed(p, d) for p, d in _pages(tmp_path)]
    assert [len(ids) for ids in listed] == [50, 50, 21]
    assert listed[0][0] == "story-120"
    assert listed[1][0] == "story-070" and listed[2][0] == "story-020"
    assert "story-020" not in old_page3 and listed[2][-1] == "story-000"

    # A story far down changes its headline but not its place: its page and its index
    # page are written again; the front page and the feed (latest 50) are not.
    asked.clear()
    renamed = [d if d.story_id != "story-005" else _story(5, "Council 5 reverses") for d in drafts]
    changed = publish_site([*renamed, newest], tmp_path, articles=articles, page_size=50)
    assert asked == ["story-005"]
    assert set(changed.written) == {
        stories / "story-005.md",
        stories / "story-005.html",
        stories / "story-005.json",
        tmp_path / "page/3.html",
    }
    assert "Council 5 reverses" in (tmp_path / "page/3.html").read_text(encoding="utf-8")


def test_a_script_headline_stays_text_on_every_page(tmp_path: Path) -> None:
    hostile = f"{HOSTILE_TITLE} <img src=x onerror=alert(2)>"
    publish_site(_stories(120, headline=hostile), tmp_path, page_size=50)
    pages = _pages(tmp_path)
    assert len(pages) == 3
    for path, doc in pages:
        assert not doc.cssselect("script") and not doc.cssselect("img"), path
        links = doc.cssselect("a.story-link")
        assert links and all(a.text_content() == hostile for a in links), path
        assert "<script>alert" not in path.read_text(encoding="utf-8")


def test_shrinking_leaves_no_stale_page_reachable(tmp_path: Path) -> None:
    publish_site(_stories(120), tmp_path, page_size=50)
    (tmp_path / "page" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "page" / "7.html.tmp").write_text("half a page", encoding="utf-8")

    kept = _stories(60)
    report = publish_site(kept, tmp_path, page_size=50)
    assert report.pages == 2
    assert set(report.removed) == {tmp_path / "page/3.html", tmp_path / "page/7.html.tmp"}
    assert not (tmp_path / "page/3.html").exists()
    assert (tmp_path / "page/notes.txt").read_text(encoding="utf-8") == "mine"
    pages = _pages(tmp_path)
    assert len(pages) == 2 and not pages[1][1].cssselect("nav.pager a[rel=next]")
    listed = _all_listed(pages)
    assert sorted(listed) == sorted(d.story_id for d in kept)

    (tmp_path / "page" / "notes.txt").unlink()
    one_page = publish_site(_stories(30), tmp_path, page_size=50)
    assert one_page.pages == 1 and not (tmp_path / "page").exists()
    (front,) = _pages(tmp_path)
    assert not front[1].cssselect("nav.pager")
    assert len(_listed(*front)) == 30

    empty = publish_site([], tmp_path, page_size=50)
    assert empty.pages == 1
    doc = lxml.html.fromstring((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert doc.cssselect("p.empty") and not doc.cssselect("a.story-link")


def test_a_page_size_below_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="page_size"):
        publish_site(_stories(3), tmp_path, page_size=0)
    assert not (tmp_path / "index.html").exists()


def _site(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_a_publish_killed_at_any_write_is_finished_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed before each write in turn, as a site of 12 stories becomes one of 9, two of
    them changed: publishing again gives byte for byte the site of an unbroken publish."""
    earlier = _stories(12)
    later = [d for d in _stories(9) if d.story_id not in ("story-002", "story-007")]
    later += [_story(2, "Council 2 changes course"), _story(7, minutes=30)]
    options = {"page_size": 4, "site_url": "https://news.example.org/"}

    reference = tmp_path / "reference"
    publish_site(earlier, reference, **options)
    writes_needed = len(publish_site(later, reference, **options).written)
    expected = _site(reference)
    assert {"page/2.html", "page/3.html"} <= set(expected) and "page/4.html" not in expected

    real_write = site._write
    kill_at = 0
    while True:
        out = tmp_path / f"killed-{kill_at}"
        publish_site(earlier, out, **options)
        writes = 0

        def dying_write(
            path: Path, text: str, report: site.SiteReport, kill_at: int = kill_at
        ) -> None:
            nonlocal writes
            if writes == kill_at:
                # As a SIGKILL halfway through a file: the temporary file is left behind.
                path.with_name(path.name + ".tmp").write_text(text[: len(text) // 2])
                raise KeyboardInterrupt
            writes += 1
            real_write(path, text, report)

        monkeypatch.setattr(site, "_write", dying_write)
        try:
            publish_site(later, out, **options)
            finished = True
        except KeyboardInterrupt:
            finished = False
        monkeypatch.setattr(site, "_write", real_write)
        if finished:
            break
        publish_site(later, out, **options)
        assert _site(out) == expected, f"killed before write {kill_at}"
        kill_at += 1
    assert kill_at == writes_needed > 8  # killed before each write the publish makes


def test_half_written_files_of_a_killed_publish_go_even_when_nothing_changed(
    tmp_path: Path,
) -> None:
    drafts = _stories(3)
    publish_site(drafts, tmp_path)
    leftovers = ["feed.atom.tmp", "index.html.tmp", "static/newsdesk.css.tmp"]
    leftovers += ["stories/story-001.json.tmp", "stories/story-gone.html.tmp"]
    for name in [*leftovers, "stories/notes.txt.tmp"]:
        (tmp_path / name).write_text("half", encoding="utf-8")
    report = publish_site(drafts, tmp_path)
    assert report.written == []
    assert not [name for name in leftovers if (tmp_path / name).exists()]
    assert (tmp_path / "stories/notes.txt.tmp").read_text(encoding="utf-8") == "half"
