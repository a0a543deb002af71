"""Draft -> JSON, Markdown, HTML pages, Atom feed; ``publish_site`` writes them all.

Everything here treats source text as untrusted: HTML is autoescaped, Markdown is
backslash-escaped, and only http(s) URLs ever become links.

Names are imported on first use, so ``newsdesk.publish.article_text`` (used by
``newsdesk extract``) does not load Jinja2 and lxml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdesk.lazy import lazy_exports

if TYPE_CHECKING:
    from newsdesk.publish.atom import render_atom
    from newsdesk.publish.markdown import render_markdown
    from newsdesk.publish.pages import render_html, render_index
    from newsdesk.publish.site import SiteReport, publish_site
    from newsdesk.publish.view import Links

_WHERE = {
    "Links": "view",
    "SiteReport": "site",
    "publish_site": "site",
    "render_atom": "atom",
    "render_html": "pages",
    "render_index": "pages",
    "render_markdown": "markdown",
}

__all__ = [
    "Links",
    "SiteReport",
    "publish_site",
    "render_atom",
    "render_html",
    "render_index",
    "render_markdown",
]


__getattr__ = lazy_exports(__name__, _WHERE)
