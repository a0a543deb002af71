"""Write a static site: per story JSON, Markdown and an HTML page; index pages and an Atom feed.

Layout of ``out_dir``::

    index.html                 the most recent stories (``page_size`` of them)
    page/2.html, page/3.html   older stories, ``page_size`` a page, linked Newer / Older
    feed.atom                  Atom feed of the latest published (not held) stories
    stories/<id>.html|.json|.md
    static/newsdesk.css, static/newsdesk.js

Made to be published again after every run for months: a story whose files are current is
not rendered again (and its articles are not asked for), any other file is written only
when its text changed, and index pages beyond the current count are removed. Every file is
written to a temporary name and renamed, so a publish killed halfway leaves whole files,
and the next publish finishes the job.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.model import Article, Draft, short_hash
from newsdesk.publish.atom import render_atom
from newsdesk.publish.current import templates_mtime
from newsdesk.publish.markdown import render_markdown
from newsdesk.publish.pages import SITE_TITLE, asset_text, render_html, render_index_entries
from newsdesk.publish.view import Links, build_index_entries

DraftWithArticles = tuple[Draft, Sequence[Article]]
ArticlesFor = Callable[[Draft], Sequence[Article]]
RenderItem = tuple[Draft, Sequence[Article], str]
RenderMap = Callable[
    [Callable[[RenderItem], tuple[str, str, str]], Iterable[RenderItem]],
    Iterable[tuple[str, str, str]],
]

PAGE_SIZE = 50  # stories per index page
PAGE_DIR = "page"
_PAGE_FILE = re.compile(r"(\d+)\.html(\.tmp)?")
_STORY_TMP = re.compile(r"[A-Za-z0-9_-]+\.(html|json|md)\.tmp")


@dataclass
class SiteReport:
    """What ``publish_site`` did."""

    out_dir: Path
    stories: list[str] = field(default_factory=list)  # the stories on the site, as given
    files: list[Path] = field(default_factory=list)  # every file of the site now
    written: list[Path] = field(default_factory=list)  # the files this publish (re)wrote
    removed: list[Path] = field(default_factory=list)  # index pages of a longer, earlier site
    rendered: list[str] = field(default_factory=list)  # stories whose pages were rendered
    pages: int = 1  # index pages: index.html, then page/2.html ...


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


def render_story(item: tuple[Draft, Sequence[Article], str]) -> tuple[str, str, str]:
    """The files of one story, ``(draft, articles shown beside it, site title)``: its
    Markdown, its HTML page and its JSON (``Draft.to_dict``), in the order they are written.
    A module-level function, so worker processes can run it."""
    draft, shown, site_title = item
    page = render_html(draft, list(shown), links=_links("../"), site_title=site_title)
    data = json.dumps(draft.to_dict(), ensure_ascii=False, indent=2) + "\n"
    return render_markdown(draft), page, data


def _write(path: Path, text: str, report: SiteReport) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # readers never see half a file
    report.files.append(path)
    report.written.append(path)


def _write_changed(path: Path, text: str, report: SiteReport) -> None:
    """Write the file unless it already holds exactly this text (left untouched then)."""
    try:
        if path.read_text(encoding="utf-8") == text:
            report.files.append(path)
            return
    except (OSError, UnicodeDecodeError):  # missing or damaged: written again
        pass
    _write(path, text, report)


def _current(paths: list[Path], draft: Draft) -> bool:
    """True when a story's files exist, its JSON is this draft's, and the pages are newer
    than the templates they were rendered with (so an upgrade re-renders them)."""
    try:
        # Compared parsed: json.loads is C code, while dumps with indent is pure Python
        # and would be most of the cost of publishing a site where little changed.
        if json.loads(paths[-1].read_bytes()) != draft.to_dict():
            return False
        oldest = min(path.stat().st_mtime for path in paths)
    except (OSError, ValueError):  # missing, or half a file / not JSON: written again
        return False
    return oldest >= templates_mtime()


def page_path(number: int) -> str:
    """Where index page ``number`` (1 = the front page) lives, relative to the site root."""
    return "index.html" if number == 1 else f"{PAGE_DIR}/{number}.html"


def _page_href(number: int, *, on_page: int) -> str:
    """A link to index page ``number`` from index page ``on_page``."""
    root = "" if on_page == 1 else "../"
    return root + page_path(number)


def publish_site(
    drafts_with_articles: Iterable[DraftWithArticles | Draft],
    out_dir: str | Path,
    *,
    articles: ArticlesFor | None = None,
    updated: Mapping[str, str | None] | None = None,
    published: Mapping[str, str | None] | None = None,
    page_size: int = PAGE_SIZE,
    site_url: str | None = None,
    site_title: str = SITE_TITLE,
    feed_limit: int = 50,
    render: RenderMap | None = None,
) -> SiteReport:
    """Write the site into ``out_dir``; items are ``(draft, articles)`` pairs or bare drafts.

    ``articles``: called with a bare draft whose story pages must be rendered, for the
    articles shown beside it; never called for a story whose files are current, so a
    caller that reads articles from a store reads only those of changed stories.
    ``updated``: when each story last changed, by story id (``Story.last_seen``), for the
    order of the index and of the feed (its first ``feed_limit`` published stories); stories
    not in it go by their draft's ``written_at``. ``published``: when each story's news was
    first published (``Story.first_seen``), the feed entries' ``<published>``.
    ``page_size``: stories per index page. ``site_url`` (absolute, e.g.
    ``https://news.example.org/``) is where the site will be served, for the feed's links;
    without it the feed's links are relative to the feed (``render_atom`` says how).
    ``render``: how the stories' files are rendered, a ``map`` over ``render_story`` and its
    items (default the built-in ``map``; the pipeline gives its worker processes' ``map``),
    results in input order.
    """
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    if feed_limit < 0:
        raise ValueError(f"feed_limit must be 0 or more, not {feed_limit}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = SiteReport(out_dir=out)
    # No site URL: the feed's links relative to it ("stories/x.html"), never file:// paths.
    base = (site_url.rstrip("/") + "/") if site_url else ""
    drafts: list[Draft] = []
    stale: list[tuple[Draft, Sequence[Article] | None, list[Path]]] = []
    for item in drafts_with_articles:
        draft, given = (item, None) if isinstance(item, Draft) else item
        drafts.append(draft)
        stem = file_stem(draft.story_id)
        stories = out / "stories"
        paths = [stories / f"{stem}.{suffix}" for suffix in ("md", "html", "json")]
        if _current(paths, draft):
            report.files.extend(paths)  # unchanged since the last publish: not rendered again
        else:
            stale.append((draft, given, paths))
        report.stories.append(draft.story_id)

    def jobs() -> Iterator[tuple[Draft, tuple[Article, ...], str]]:
        for draft, given, _ in stale:  # articles read as the renderer gets to the story
            shown = given if given is not None else articles(draft) if articles else ()
            yield draft, tuple(shown), site_title

    for (draft, _, paths), files in zip(stale, (render or map)(render_story, jobs()), strict=True):
        for path, text in zip(paths, files, strict=True):
            # The JSON goes last: when it matches the draft, the pages beside it were
            # written for that draft, even if a run was killed halfway through a story.
            _write(path, text, report)
        report.rendered.append(draft.story_id)
    _write_index_pages(out, drafts, updated, page_size, site_title, report)
    feed = render_atom(
        drafts,
        base or None,
        title=site_title,
        feed_url=base + "feed.atom",
        story_url=lambda sid: f"{base}stories/{file_stem(sid)}.html",
        limit=feed_limit,
        updated=updated,  # the index's order: the feed holds the front page's stories
        published=published,
    )
    _write_changed(out / "feed.atom", feed, report)
    for name in ("newsdesk.css", "newsdesk.js"):
        _write_changed(out / "static" / name, asset_text(name), report)
    _remove_temporary(out)
    return report


def _remove_temporary(out: Path) -> None:
    """Half-written files of a publish killed while writing them (this one wrote all its own)."""
    leftovers = [out / "index.html.tmp", out / "feed.atom.tmp"]
    leftovers += [out / "static" / f"{name}.tmp" for name in ("newsdesk.css", "newsdesk.js")]
    if (out / "stories").is_dir():
        leftovers += [
            path
            for path in (out / "stories").iterdir()
            if _STORY_TMP.fullmatch(path.name) and path.is_file()
        ]
    for path in leftovers:
        path.unlink(missing_ok=True)


def _write_index_pages(
    out: Path,
    drafts: Sequence[Draft],
    updated: Mapping[str, str | None] | None,
    page_size: int,
    site_title: str,
    report: SiteReport,
) -> None:
    """index.html and page/N.html, most recent first; stale pages of a longer site go last,
    so every page a written page links to exists."""
    entries = build_index_entries(drafts, updated)
    chunks = [entries[i : i + page_size] for i in range(0, len(entries), page_size)] or [[]]
    report.pages = len(chunks)
    for number, chunk in enumerate(chunks, start=1):
        pager = None
        if len(chunks) > 1:
            pager = {
                "newer": _page_href(number - 1, on_page=number) if number > 1 else None,
                "older": _page_href(number + 1, on_page=number) if number < len(chunks) else None,
            }
        html = render_index_entries(
            chunk,
            links=_links("" if number == 1 else "../"),
            site_title=site_title,
            pager=pager,
            page=number,
        )
        _write_changed(out / page_path(number), html, report)
    _remove_stale_pages(out / PAGE_DIR, len(chunks), report)


def _remove_stale_pages(folder: Path, pages: int, report: SiteReport) -> None:
    """Delete index pages past the last one (the site had more stories before) and
    half-written ``.tmp`` pages; only names the publisher gives pages are touched."""
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        match = _PAGE_FILE.fullmatch(path.name)
        if match is None or not path.is_file():
            continue
        if match[2] or not 2 <= int(match[1]) <= pages or match[1] != str(int(match[1])):
            path.unlink(missing_ok=True)
            report.removed.append(path)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty: a one-page site has no page folder
