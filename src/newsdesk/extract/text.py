"""Flattened page text -> Article. Baseline: keep long sentence-like lines (to be replaced by our classifier)."""

from __future__ import annotations

from newsdesk.errors import ExtractionError
from newsdesk.model import Article


def extract_text(text: str, url: str | None = None, source: str | None = None) -> Article:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = [line for line in lines if len(line.split()) >= 15]
    if not body:
        raise ExtractionError("no article text found in the page text")
    title = next((line for line in lines if 3 <= len(line.split()) <= 20), "")
    return Article.create(url=url, title=title, paragraphs=body, input_format="text", source=source)
