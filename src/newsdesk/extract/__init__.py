"""Page -> Article: read a news page (HTML or flattened page text) into a clean article.

``extract(content, url=None, input_format="auto")`` is the library entry point. It
decodes bytes safely (``decode``), tells HTML from flattened text (``sniff``), and hands
the page to the HTML reader (``html``) or the flattened-text reader (``text``).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Literal

from newsdesk.errors import ExtractionError, InputError
from newsdesk.extract.decode import decode_page_report
from newsdesk.extract.sniff import (
    HTML_OPENING_CHARS,
    HTML_SAMPLE_CHARS,
    looks_like_html,
    opens_like_html,
)
from newsdesk.model import Article

InputFormatArg = Literal["auto", "html", "text"]

__all__ = ["ExtractionError", "InputError", "extract"]


def extract(
    content: bytes | str,
    url: str | None = None,
    input_format: InputFormatArg = "auto",
    *,
    source: str | None = None,
    declared_charset: str | None = None,
    max_bytes: int | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Read one page into an Article, or raise InputError/ExtractionError with a reason.

    ``Article.warnings`` says what was read only in part (bytes invalid in the page's
    encoding, with the first one's offset). The article's date is read here, once
    (``newsdesk.text.dates``); ``fetched_at``, when the page was fetched, dates a page that
    says only "3 hours ago".
    """
    if input_format not in ("auto", "html", "text"):
        raise ValueError(f"input_format must be auto, html or text, not {input_format!r}")
    if isinstance(content, str):
        content = content.encode("utf-8", errors="surrogatepass")
    decoded = decode_page_report(content, declared_charset=declared_charset, max_bytes=max_bytes)
    fmt = input_format
    if fmt == "auto":
        # Read from the page's start: a page read as UTF-8 is decoded whole only if needed.
        opens = opens_like_html(decoded.prefix(HTML_OPENING_CHARS))
        fmt = "html" if opens or looks_like_html(decoded.prefix(HTML_SAMPLE_CHARS)) else "text"
    if fmt == "html":
        from newsdesk.extract.html import extract_html

        article = extract_html(decoded, url=url, source=source, fetched_at=fetched_at)
    else:
        from newsdesk.extract.access import with_wall_text
        from newsdesk.extract.budget import bounded_text
        from newsdesk.extract.text import extract_text

        # memory and time per page bounded (budget.py)
        text, cut = bounded_text(decoded.text)
        article = extract_text(text, url=url, source=source, fetched_at=fetched_at)
        access = with_wall_text("unknown", text.splitlines())  # a subscribe wall's line
        article = dataclasses.replace(article, warnings=article.warnings + cut, access=access)
    if decoded.warnings:
        # Bytes that were not valid in the page's encoding: the article says so.
        article = dataclasses.replace(article, warnings=article.warnings + decoded.warnings)
    return article
