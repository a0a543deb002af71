"""Tell an HTML page from a page already flattened to text."""

from __future__ import annotations

import re

_HTML_START = re.compile(
    r"^\s*(<!--.*?-->\s*)*(<\?xml[^>]*>\s*)?<(!doctype\s+html|html|head|body|meta|title)\b",
    re.I | re.S,
)
_MARKUP_START = re.compile(
    r"^\s*(<!--.*?-->\s*)*(<\?xml[^>]*>\s*|<(p|div|article|section|main|h[1-6]|table|ul|ol|"
    r"span|a|b|i|strong|em|blockquote|figure|header|nav|rss|feed|rdf:rdf)\b[^>]*>)",
    re.I | re.S,
)
_TAG = re.compile(
    r"</?(p|div|span|a|br|li|ul|table|td|tr|h[1-6]|article|section|script|img|meta|link)\b[^>]*>",
    re.I,
)


# The characters whose opening is read, and those whose tags are counted.
HTML_OPENING_CHARS = 5000
HTML_SAMPLE_CHARS = 100_000


def opens_like_html(text: str) -> bool:
    """True when the text opens as markup: an HTML start, a page fragment that opens with a
    tag, or an XML document (feeds: the HTML reader refuses them by name)."""
    head = text[:HTML_OPENING_CHARS]
    return bool(_HTML_START.search(head) or _MARKUP_START.search(head))


def looks_like_html(text: str) -> bool:
    """True when the text is markup: it opens as markup (``opens_like_html``), or its tags
    are dense enough to be a page."""
    if opens_like_html(text):
        return True
    sample = text[:HTML_SAMPLE_CHARS]
    tags = len(_TAG.findall(sample))
    lines = max(1, sample.count("\n") + 1)
    # Flattened text may quote a tag or two; real markup has several per line of text.
    return tags >= 5 and tags >= lines * 0.2
