"""Safe links: only http(s) URLs from sources ever become a link.

Source pages are untrusted; a `javascript:` or `data:` URL in an article must never
reach an ``href``. Everything else is shown as text, not linked.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None."""
    if not url:
        return None
    url = url.strip()
    # Control characters and whitespace inside a URL are how scheme filters get fooled.
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url
