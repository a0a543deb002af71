"""The page's JSON-LD scripts, parsed once: the metadata and the access flags both read them."""

from __future__ import annotations

import json
from typing import Any

from selectolax.lexbor import LexborHTMLParser


def json_ld_documents(tree: LexborHTMLParser) -> list[Any]:
    """The parsed JSON of each ``<script type="application/ld+json">`` that parses, in
    page order (lenient: control characters inside strings are allowed)."""
    documents = []
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            documents.append(json.loads(node.text(deep=True) or "", strict=False))
        except ValueError:
            continue
    return documents
