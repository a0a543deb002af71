"""HTML page -> Article. Baseline: trafilatura for body and metadata (to be replaced by our classifier)."""

from __future__ import annotations

import trafilatura

from newsdesk.errors import ExtractionError
from newsdesk.model import Article


def extract_html(html: str, url: str | None = None, source: str | None = None) -> Article:
    doc = trafilatura.bare_extraction(html, url=url, favor_precision=True, with_metadata=True)
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no article text found in the HTML")
    paragraphs = [p.strip() for p in (doc.text or "").split("\n") if p.strip()]
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Article.create(
        url=url or doc.url,
        title=doc.title or "",
        paragraphs=paragraphs,
        site_name=doc.sitename,
        authors=authors,
        published=doc.date,
        language=doc.language,
        input_format="html",
        source=source,
        description=doc.description,
    )
