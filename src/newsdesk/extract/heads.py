"""The page elements several readers need, found in one pass over the parsed tree.

The metadata (``metadata.py``) reads the <meta> tags, the JSON-LD scripts and the <h1>
headings; the access reader (``access.py``) the JSON-LD again and the content-tier
<meta>. Each CSS query walks the whole tree, so they are asked for together, once, and
each JSON-LD script is parsed once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

_JSON_LD = 'script[type="application/ld+json"]'


@dataclass(frozen=True)
class Heads:
    metas: list[LexborNode]  # every <meta>, in page order
    json_ld: list[Any]  # the parsed JSON of each JSON-LD script that parses, in page order
    h1s: list[LexborNode]  # every <h1>, in page order


def find_heads(tree: LexborHTMLParser) -> Heads:
    """The page's <meta> tags, JSON-LD documents and <h1> headings."""
    metas: list[LexborNode] = []
    scripts: list[LexborNode] = []
    h1s: list[LexborNode] = []
    # One query for the three: the selectors name three different tags, so each node
    # found belongs to one of them, and each list keeps the page's order.
    for node in tree.css(f"meta, {_JSON_LD}, h1"):
        tag = (node.tag or "").lower()
        if tag == "meta":
            metas.append(node)
        elif tag == "h1":
            h1s.append(node)
        else:
            scripts.append(node)
    documents = []
    for node in scripts:
        try:
            # Lenient: control characters inside strings are allowed.
            documents.append(json.loads(node.text(deep=True) or "", strict=False))
        except ValueError:
            continue
    return Heads(metas, documents, h1s)
