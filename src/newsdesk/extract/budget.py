"""Bound the memory and time one page can take: what the DOM parser gets is capped.

A page raised past the size cap (or a large one under it) is mostly markup nobody reads:
inline scripts and styles, ``data:`` URIs, JSON state in attributes, or thousands of reader
comments after the article. ``bounded_markup`` drops the first kinds with a few linear
regex passes (in C, before any tree exists) and then cuts what is left at ``max_chars``
characters, at a tag boundary, saying so in a warning. The DOM parser, the block walk and
the trafilatura fallback all grow with what they are given, so this bounds each page's
memory and time whatever its size: an article is read from the first ``max_chars`` of its
markup (its scripts and styles not counted), far more than any article's text needs.

JSON-LD (``<script type="application/ld+json">``) is kept: metadata and the access flag
read it. Flattened page text is cut the same way (``bounded_text``), at a line's end.
"""

from __future__ import annotations

import re

# What the parser gets at most, in characters of markup once scripts and styles are gone.
# Real article pages hold well under 1 MB of markup then (see tests/extract/test_budget.py).
MAX_PARSE_CHARS = 3_000_000
# Flattened page text is read line by line in Python: its cap is lower (real flattened
# article pages hold about 100 kB at most).
MAX_TEXT_CHARS = 1_000_000
# An attribute value longer than this (a data: URI, serialised state) is emptied.
MAX_ATTRIBUTE_CHARS = 2048

# The opening of an element dropped with its content, or of a comment.
_DROPPED_START = re.compile(r"<(script|style|svg|template|noscript)\b([^>]*)>|<!--", re.I)
_END = {
    tag: re.compile(rf"</{tag}\s*>", re.I)
    for tag in ("script", "style", "svg", "template", "noscript")
}
_COMMENT_END = re.compile(r"-->")
_JSON_LD = re.compile(r"""type\s*=\s*["']?application/ld\+json""", re.I)
# A JSON-LD script longer than this is dropped too (metadata takes a few kB).
MAX_JSON_LD_CHARS = 1_000_000
# A quoted attribute value (after "="), over MAX_ATTRIBUTE_CHARS long.
_LONG_ATTRIBUTE = re.compile(
    f"""(=\\s*)(?:"[^"]{{{MAX_ATTRIBUTE_CHARS},}}"|'[^']{{{MAX_ATTRIBUTE_CHARS},}}')"""
)


def without_scripts(html: str) -> str:
    """``html`` without scripts (JSON-LD kept), styles, SVG, templates, noscript and comments.

    One pass: each opening is found once and its end searched from there; one left open
    runs to the end of the page, as a browser reads it. Linear in the page's length even
    for a page of unclosed openings.
    """
    kept: list[str] = []
    at = 0
    while (start := _DROPPED_START.search(html, at)) is not None:
        tag = (start.group(1) or "").lower()
        end = (_END[tag] if tag else _COMMENT_END).search(html, start.end())
        stop = end.end() if end else len(html)
        json_ld = tag == "script" and _JSON_LD.search(start.group(2))
        if json_ld and stop - start.start() <= MAX_JSON_LD_CHARS:
            kept.append(html[at:stop])
        else:
            kept.append(html[at : start.start()])
        at = stop
    kept.append(html[at:])
    return "".join(kept)


def bounded_markup(html: str, max_chars: int = MAX_PARSE_CHARS) -> tuple[str, tuple[str, ...]]:
    """``html`` without scripts, styles, comments and huge attribute values, cut to at most
    ``max_chars`` characters; and a warning when it had to be cut."""
    if len(html) <= max_chars:
        return html, ()  # the parser takes it as it is (every real article page so far)
    slim = _LONG_ATTRIBUTE.sub(r'\1""', without_scripts(html))
    if len(slim) <= max_chars:
        return slim, ()
    cut = slim.rfind("<", 0, max_chars)
    if cut <= 0:
        cut = max_chars
    warning = (
        f"page markup of {len(slim):,} characters (scripts and styles left out) was cut at "
        f"{cut:,} for the parser: text after that was not read"
    )
    return slim[:cut], (warning,)


def bounded_text(text: str, max_chars: int = MAX_TEXT_CHARS) -> tuple[str, tuple[str, ...]]:
    """Flattened page text cut to at most ``max_chars`` characters, at a line's end; and a
    warning when it had to be cut."""
    if len(text) <= max_chars:
        return text, ()
    cut = text.rfind("\n", 0, max_chars)
    if cut <= 0:
        cut = max_chars
    warning = (
        f"page text of {len(text):,} characters was cut at {cut:,}: text after that was not read"
    )
    return text[:cut], (warning,)
