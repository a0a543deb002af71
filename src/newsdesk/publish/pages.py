"""HTML pages from drafts: one story page (written article beside its sources) and an index.

Jinja2 with autoescape on for every template: headlines, sentences and source text are
untrusted and are always shown as text. Only our own CSS/JS (package files) are inlined raw.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from newsdesk.model import Article, Draft
from newsdesk.publish.view import IndexEntry, Links, build_index_entries, build_story_view

SITE_TITLE = "newsdesk"


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("newsdesk.publish", "templates"),
        autoescape=True,  # every template, whatever its file name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def asset_text(name: str) -> str:
    """One of the package's static files (newsdesk.css, newsdesk.js)."""
    return (files("newsdesk.publish") / "static" / name).read_text(encoding="utf-8")


def _common(links: Links, site_title: str, lang: str | None) -> dict[str, Any]:
    return {
        "links": links,
        "site_title": site_title,
        "lang": lang,
        # Our own files, trusted; they contain no "</style>" or "</script>".
        "inline_css": Markup(asset_text("newsdesk.css")),
        "inline_js": Markup(asset_text("newsdesk.js")),
    }


def render_html(
    draft: Draft,
    articles: Sequence[Article] | None = None,
    *,
    links: Links | None = None,
    site_title: str = SITE_TITLE,
    notice: str | None = None,
) -> str:
    """One story page. With the articles, their text is shown and cited passages highlight.

    By default the page is self-contained (CSS and JS inline); pass ``links`` to place it
    in a site.
    """
    view = build_story_view(draft, articles)
    template = environment().get_template("story.html")
    return template.render(
        view=view, notice=notice, **_common(links or Links(), site_title, draft.language)
    )


def render_index(
    drafts: Iterable[Draft],
    *,
    links: Links | None = None,
    site_title: str = SITE_TITLE,
) -> str:
    """The list of stories, newest first, on one page."""
    return render_index_entries(build_index_entries(drafts), links=links, site_title=site_title)


def render_index_entries(
    entries: Sequence[IndexEntry],
    *,
    links: Links | None = None,
    site_title: str = SITE_TITLE,
    pager: dict[str, str | None] | None = None,
    page: int = 1,
) -> str:
    """An index page from ready rows (the server builds them from stored stories).

    ``pager``: the ``newer`` and ``older`` page URLs (None where there is none); ``page``:
    this page's number, shown in the title and heading from page 2 on.
    """
    template = environment().get_template("index.html")
    return template.render(
        entries=entries, pager=pager, page=page, **_common(links or Links(), site_title, None)
    )


def render_feed_content(draft: Draft) -> str:
    """The HTML body of a story for an Atom entry (citations link straight to sources)."""
    view = build_story_view(draft, None)
    return environment().get_template("feed_entry.html").render(view=view).strip()
