"""The documents an article's body links to on other sites: evidence of its event.

Two reports of one event often link the same documents: the court ruling, the agency's
statement, the study, the post they quote. Those links say the same in every language,
so the clusterer counts them with names and numbers (``cluster.features.link_keys``).

Only links inside the blocks chosen as the body count (not the menus, related-story lists
or share bars), each made absolute against the page's URL and written in its normal form
(``text.urls.normalize_url``). Kept: a specific document on another site. Left out: the
page's own site (``cooking.nytimes.com`` is ``nytimes.com``'s, ``kobieta.rp.pl`` is
``rp.pl``'s), a site's front page, share and follow buttons, tag, author and search pages,
ad and affiliate trackers, and anything that is not http(s). Rules are plain lists, as
for the other readers here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from newsdesk.extract.dom import Block, Page
from newsdesk.text.sites import site_host
from newsdesk.text.urls import normalize_url

MAX_LINKS = 20  # an article citing more is a link list; its first ones say enough

# Paths that are no document of their own: a site's sections, tags, people and tools.
_NOT_DOCUMENTS = re.compile(
    r"^/(?:tags?|topics?|category|categories|section|author|authors|people|profile|user|"
    r"users|search|login|signin|signup|register|subscribe|newsletter|newsletters|share|"
    r"sharer|sharearticle|submit|intent|hashtag|explore|about|contact|privacy|terms|"
    r"channel|follow)(?:/|\.|$)|/(?:sharer|share|intent|pin/create)(?:\.php)?(?:/|$)|"
    r"affiliate",
    re.IGNORECASE,
)
# One path segment names a document when it holds a digit, a hyphen, an underscore or a
# file extension ("/2024/...", "/storm-hits-coast", "/report.pdf"); "/elonmusk" does not.
_DOCUMENT_NAME = re.compile(r"[\d_.-]")
# Hosts whose links are sharing or following buttons, wherever they point.
_BUTTON_HOSTS = frozenset(
    {"addthis.com", "sharethis.com", "wa.me", "t.me", "feeds.feedburner.com", "news.google.com"}
)  # fmt: skip
# Ad and affiliate trackers' hosts (a subdomain so named: "ad.nl" is a newspaper): the
# link is a sale, not a source.
_TRACKER_HOST = re.compile(r"^(?:track|tracking|click|clicks|ad|ads|affiliate|go)\.[^.]+\.")


def body_links(page: Page, body: Iterable[Block], page_url: str | None) -> tuple[str, ...]:
    """The absolute URLs of other sites' documents that the chosen body blocks link to, in
    page order, each once, at most ``MAX_LINKS``."""
    owners = {block.owner for block in body}
    if not owners or not page.links:
        return ()
    own_host = site_host(page_url) or ""
    found: dict[str, None] = {}
    for owner, href in page.links:
        if owner not in owners:
            continue
        url = _document_url(href, page_url, own_host)
        if url is not None:
            found[url] = None
            if len(found) >= MAX_LINKS:
                break
    return tuple(found)


def _document_url(href: str, page_url: str | None, own_host: str) -> str | None:
    """``href`` as an absolute, normal URL of another site's document, or None."""
    href = href.strip()
    if len(href) > 2000:
        return None  # no real link is that long
    # Only an absolute link can lead to another site: a relative one ("/world/x", "x.html",
    # "#top", "mailto:...") is the page's own site or no page, and needs no resolving.
    start = href[:8].lower()
    if not start.startswith(("http://", "https://", "//")):
        return None
    try:
        url = urljoin(page_url, href) if page_url and start.startswith("//") else href
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")  # lower-cased by urllib
        if parts.scheme.lower() not in ("http", "https") or not host:
            return None
        if host in _BUTTON_HOSTS or _TRACKER_HOST.match(host) or _same_site(host, own_host):
            return None
        path = parts.path.strip("/")
        if not path or _NOT_DOCUMENTS.search(parts.path):
            return None
        normal = normalize_url(url)
        if "/" not in path and not _DOCUMENT_NAME.search(path) and not urlsplit(normal).query:
            # One plain word ("/elonmusk", "/world"): a profile or a section; or a page
            # named by a query the normal form drops ("/watch?v=..."), which would make
            # every video one link.
            return None
        return normal
    except ValueError:  # a link urllib cannot split ("http://[bad")
        return None


def _same_site(host: str, own: str) -> bool:
    """Whether two hosts are one outlet's: one inside the other ("kobieta.rp.pl" and
    "rp.pl") or the same domain ("money.cnn.com" and "edition.cnn.com")."""
    if not own:
        return False
    if host == own or host.endswith("." + own) or own.endswith("." + host):
        return True
    return _domain(host) == _domain(own)


def _domain(host: str) -> str:
    """The host's last two labels, three where the second is a country's second level
    ("bbc.co.uk", "abc.net.au")."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])
