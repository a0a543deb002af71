"""Write a static site: per story JSON, Markdown and an HTML page; an index and an Atom feed.

Layout of ``out_dir``::

    index.html                 the stories, newest first
    feed.atom                  Atom feed of the latest published (not held) stories
    stories/<id>.html|.json|.md
    static/newsdesk.css, static/newsdesk.js
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.model import Article, Draft, short_hash
from newsdesk.publish.atom import render_atom
from newsdesk.publish.markdown import render_markdown
from newsdesk.publish.pages import SITE_TITLE, asset_text, render_html, render_index
from newsdesk.publish.view import Links

DraftWithArticles = tuple[Draft, Sequence[Article]]


@dataclass
class SiteReport:
    """What ``publish_site`` wrote."""

    out_dir: Path
    stories: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def file_stem(story_id: str) -> str:
    """A file name for a story id: the id itself when it is plain, else a readable hash."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,100}", story_id):
        return story_id
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", story_id)[:60].strip("_")
    return f"{cleaned}-{short_hash(story_id, length=10)}" if cleaned else short_hash(story_id)


def _links(root: str) -> Links:
    # Story ids in URLs go through file_stem so links match the written file names.
    return _StaticLinks(root=root, static="static/")


class _StaticLinks(Links):
    def story_url(self, story_id: str) -> str:
        return f"{self.root}stories/{file_stem(story_id)}.html"

    def json_url(self, story_id: str) -> str:
        return f"{self.root}stories/{file_stem(story_id)}.json"

    def markdown_url(self, story_id: str) -> str:
        return f"{self.root}stories/{file_stem(story_id)}.md"


def _write(path: Path, text: str, report: SiteReport) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # readers never see half a file
    report.files.append(path)


def _current(paths: list[Path], data: str) -> bool:
    """True when a story's files exist, its JSON is this draft's, and the pages are newer
    than the templates they were rendered with (so an upgrade re-renders them)."""
    try:
        if paths[-1].read_text(encoding="utf-8") != data:
            return False
        oldest = min(path.stat().st_mtime for path in paths)
    except OSError:
        return False
    return oldest >= _templates_mtime()


@functools.lru_cache(maxsize=1)
def _templates_mtime() -> float:
    here = Path(__file__).parent
    files = [*here.glob("templates/*"), *here.glob("static/*"), *here.glob("*.py")]
    return max(path.stat().st_mtime for path in files)


def publish_site(
    drafts_with_articles: Iterable[DraftWithArticles | Draft],
    out_dir: str | Path,
    *,
    site_url: str | None = None,
    site_title: str = SITE_TITLE,
    feed_limit: int = 50,
) -> SiteReport:
    """Write the site into ``out_dir``; items are ``(draft, articles)`` pairs or bare drafts.

    ``site_url`` (absolute, e.g. ``https://news.example.org/``) is where the site will be
    served, for the feed's links; by default the output folder's ``file://`` URL.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = SiteReport(out_dir=out)
    base = site_url or out.resolve().as_uri() + "/"
    if not base.endswith("/"):
        base += "/"
    story_links = _links("../")
    drafts: list[Draft] = []
    for item in drafts_with_articles:
        draft, articles = (item, ()) if isinstance(item, Draft) else item
        drafts.append(draft)
        stem = file_stem(draft.story_id)
        stories = out / "stories"
        data = json.dumps(draft.to_dict(), ensure_ascii=False, indent=2) + "\n"
        paths = [stories / f"{stem}.{suffix}" for suffix in ("md", "html", "json")]
        if _current(paths, data):
            report.files.extend(paths)  # unchanged since the last publish: not rendered again
        else:
            _write(paths[0], render_markdown(draft), report)
            page = render_html(draft, list(articles), links=story_links, site_title=site_title)
            _write(paths[1], page, report)
            # The JSON goes last: when it matches the draft, the pages beside it were
            # written for that draft, even if a run was killed halfway through a story.
            _write(paths[2], data, report)
        report.stories.append(draft.story_id)
    _write(
        out / "index.html", render_index(drafts, links=_links(""), site_title=site_title), report
    )
    feed = render_atom(
        drafts,
        base,
        title=site_title,
        feed_url=base + "feed.atom",
        story_url=lambda sid: f"{base}stories/{file_stem(sid)}.html",
        limit=feed_limit,
    )
    _write(out / "feed.atom", feed, report)
    for name in ("newsdesk.css", "newsdesk.js"):
        _write(out / "static" / name, asset_text(name), report)
    return report
