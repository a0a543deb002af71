"""A URL in the one spelling its page's id is made from (``model.canonical_url``).

The rules are courlan's ``normalize_url(url, strict=True)`` (courlan 1.4, Apache-2.0),
kept here: courlan's package imports its crawler's HTTP client, locale and domain tables
(about 80 ms, once a process, for every command that makes an id), and an id must not move
when a dependency changes its rules. ``tests/text/test_urls.py`` checks the two agree.

Scheme and host are lower-cased, punycode hosts decoded, a scheme's default port dropped;
runs of slashes in the path become one and leading ``/..`` are dropped, the path is
percent-quoted; the query keeps only parameters that name the article or its page (``id``,
``p``, ``page``, ``lang``...); the fragment is dropped.

``archived_original`` reads the page a web archive's capture URL stands for
(``web.archive.org/web/20041209223649/http://www.cnn.com/...``): the writer cites the
outlet's page once where a story holds it and its capture, and a capture's site is the
outlet's, not the archive's.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

# Query parameters that say which article or page a URL is (all others are dropped).
_KEPT_PARAMS = frozenset(
    {
        "aid", "article_id", "artnr", "id", "itemid", "objectid", "p", "page", "pagenum",
        "page_id", "pid", "post", "postid", "product_id", "lang", "language",
    }
)  # fmt: skip
_DEFAULT_PORT = re.compile(r"(?<=\w):(?:80|443)")
_SLASHES = re.compile(r"/+")
_LEADING_UP = re.compile(r"^(?:/\.\.(?![^/]))+")
# Web archives whose capture URLs carry the original URL after a capture stamp: the
# Wayback Machine (a stamp of up to 14 digits, maybe a mode such as "id_" or "im_") and
# archive.today under its hosts (a stamp like "2019.03.14-123456").
_ARCHIVE_CAPTURES = (
    r"(?:web|wayback)\.archive\.org/web/\d{1,14}(?:[a-z]{2}_)?/",
    r"archive\.(?:today|ph|is|li|vn|fo|md)/\d{4}\.\d\d\.\d\d-\d{6}/",
)
_ARCHIVE_CAPTURE = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:" + "|".join(_ARCHIVE_CAPTURES) + r")(?P<original>.+)$",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^(https?):/+", re.IGNORECASE)


def normalize_url(url: str) -> str:
    """The URL in its normal spelling (see the module's docstring); raises ValueError where
    ``urllib.parse`` cannot split it."""
    parts = urlsplit(unescape(url))
    scheme = parts.scheme.lower()
    netloc = _decode_punycode(parts.netloc.lower())
    try:
        port = parts.port
    except ValueError:  # not a number
        port = None
    if (scheme == "http" and port == 80) or (scheme == "https" and port == 443):
        netloc = _DEFAULT_PORT.sub("", netloc)
    path = quote(_LEADING_UP.sub("", _SLASHES.sub("/", parts.path)), safe="/%!=:,-")
    query = _kept_query(parts.query)
    if query and not path:
        path = "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def archived_original(url: str | None) -> str | None:
    """The URL a web archive's capture URL holds (``http://`` added where the archive left
    the scheme out, a scheme's slashes made two), or None for any other URL."""
    match = _ARCHIVE_CAPTURE.match(url.strip()) if url else None
    if match is None:
        return None
    original = match.group("original")
    scheme = _SCHEME.match(original)
    if scheme is None:
        return "http://" + original
    return f"{scheme.group(1).lower()}://{original[scheme.end() :]}"


def _kept_query(query: str) -> str:
    if not query:
        return ""
    values = parse_qs(query)
    kept = {name: values[name] for name in sorted(values) if name.lower() in _KEPT_PARAMS}
    return urlencode(kept, doseq=True)


def _decode_punycode(host: str) -> str:
    if "xn--" not in host:
        return host
    return ".".join(_decode_label(label) for label in host.split("."))


def _decode_label(label: str) -> str:
    if not label.lower().startswith("xn--"):
        return label
    try:
        return label.encode("utf8").decode("idna")
    except UnicodeError:
        return label  # kept as written
