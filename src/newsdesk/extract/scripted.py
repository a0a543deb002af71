"""Article HTML that a page ships only inside its scripts' data, for pages a script renders.

Some pages carry no article in their markup at all: a JavaScript framework writes it from
data sent along in ``<script>`` elements. Two ways of sending it are common to many
outlets, whatever their site:

- React server components streamed by Next.js (``self.__next_f.push([1, "..."])``): the
  pushed strings form one payload in which a text chunk ``<id>:T<hex length>,`` is
  followed by that many UTF-8 bytes of text, often the article's own HTML;
- JSON data scripts (``<script type="application/json">``, Next.js's ``__NEXT_DATA__``):
  a string value holding HTML paragraphs.

``embedded_html`` returns such HTML fragments, longest first; the caller reads them as a
page of their own only where the markup itself gave too little text. Nothing here knows a
site: only the frameworks' published formats.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

# A page larger than this is not searched (the parser's own cap is 3M characters).
_MAX_SOURCE_CHARS = 6_000_000
# A fragment shorter than this (in characters of markup) is not an article.
_MIN_FRAGMENT_CHARS = 500
_MAX_FRAGMENTS = 3
_NEXT_PUSH = "self.__next_f.push([1,"
_JSON = json.JSONDecoder()
_TEXT_CHUNK = re.compile(r"(?:^|\n)[0-9a-fA-F]+:T([0-9a-fA-F]{1,8}),")
_JSON_SCRIPT = re.compile(
    r"""<script\b[^>]*\btype\s*=\s*["']?application/json["']?[^>]*>(.*?)</script\s*>""",
    re.I | re.S,
)
_PARAGRAPH_TAG = re.compile(r"<p[\s>]", re.I)
_MAX_JSON_NODES = 200_000
_MAX_JSON_CHARS = 2_000_000


def embedded_html(source: str) -> list[str]:
    """HTML fragments with paragraphs found in the page's script data, longest first."""
    if len(source) > _MAX_SOURCE_CHARS or "<script" not in source:
        return []
    found = [*_flight_chunks(source), *_json_strings(source)]
    found = [f for f in found if len(f) >= _MIN_FRAGMENT_CHARS and _PARAGRAPH_TAG.search(f)]
    found.sort(key=len, reverse=True)
    return found[:_MAX_FRAGMENTS]


def _flight_chunks(source: str) -> Iterator[str]:
    """The text chunks of a Next.js server-component payload."""
    if "__next_f" not in source:
        return
    pushed: list[str] = []
    at = source.find(_NEXT_PUSH)
    while at != -1:
        start = at + len(_NEXT_PUSH)
        while start < len(source) and source[start].isspace():
            start += 1
        # The JSON string literal read by the C decoder: a regex over a megabyte literal
        # keeps a backtracking frame per character (hundreds of MB).
        end = start
        if source.startswith('"', start):
            try:
                value, end = _JSON.raw_decode(source, start)
            except ValueError:
                value = None
            if isinstance(value, str):
                pushed.append(value)
        at = source.find(_NEXT_PUSH, max(end, start))
    payload = "".join(pushed)
    for match in _TEXT_CHUNK.finditer(payload):
        size = int(match.group(1), 16)
        if size < _MIN_FRAGMENT_CHARS:
            continue
        # The length counts UTF-8 bytes; a character takes at most 4 of them.
        head = payload[match.end() : match.end() + size]
        yield head.encode("utf-8", "replace")[:size].decode("utf-8", "ignore")


def _json_strings(source: str) -> Iterator[str]:
    """String values holding HTML paragraphs, in the page's JSON data scripts."""
    for match in _JSON_SCRIPT.finditer(source):
        if len(match.group(1)) > _MAX_JSON_CHARS:
            continue  # the decoded objects take ten times the text
        try:
            data = json.loads(match.group(1))
        except (ValueError, RecursionError):
            continue
        stack = [data]
        seen = 0
        while stack and seen < _MAX_JSON_NODES:
            node = stack.pop()
            seen += 1
            if isinstance(node, str):
                if len(node) >= _MIN_FRAGMENT_CHARS and _PARAGRAPH_TAG.search(node):
                    yield node
            elif isinstance(node, dict):
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
