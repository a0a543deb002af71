"""Draft -> JSON, Markdown, HTML pages, Atom feed; ``publish_site`` writes them all.

Everything here treats source text as untrusted: HTML is autoescaped, Markdown is
backslash-escaped, and only http(s) URLs ever become links.
"""

from newsdesk.publish.atom import render_atom
from newsdesk.publish.markdown import render_markdown
from newsdesk.publish.pages import render_html, render_index
from newsdesk.publish.site import SiteReport, publish_site
from newsdesk.publish.view import Links

__all__ = [
    "Links",
    "SiteReport",
    "publish_site",
    "render_atom",
    "render_html",
    "render_index",
    "render_markdown",
]
