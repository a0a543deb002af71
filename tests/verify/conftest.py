"""Fixtures for the verifier tests: the seed article as the only source."""

from __future__ import annotations

import pytest

from newsdesk import extract
from newsdesk.model import Article
from tests.conftest import SEED_PAGE, require_shared

FIRST = "The Russian paramilitary Wagner Group"
LAST = "will continue to operate in Mali."


def _body_paragraphs(page_text: str) -> list[str]:
    """The page's six body paragraphs, cut from the flattened page itself."""
    start = page_text.index(FIRST)
    end = page_text.index(LAST) + len(LAST)
    return [p.strip() for p in page_text[start:end].split("\n\n") if p.strip()]


@pytest.fixture(scope="session")
def seed_article() -> Article:
    """The seed page as an Article: the extractor's body when it is exactly the six
    paragraphs, else the paragraphs cut from the page (the extractor is not under test)."""
    raw = require_shared(SEED_PAGE).read_bytes()
    expected = _body_paragraphs(raw.decode("utf-8"))
    assert len(expected) == 6
    extracted = extract(raw, input_format="text")
    paragraphs = list(extracted.paragraphs)
    if paragraphs != expected:
        paragraphs = expected
    return Article.create(
        url=None,
        title="Wagner group announces withdrawal from Mali",
        paragraphs=paragraphs,
        published="2025-06-07",
        input_format="text",
    )
