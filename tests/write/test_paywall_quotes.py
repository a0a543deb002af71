"""The extractive writer prefers free sources for quotes: a quotation held by a paywalled
article and a free one is taken from the free copy and cites it first; a quotation only
paywalled articles hold weighs less when the story has free sources."""

from __future__ import annotations

import dataclasses

import numpy as np

from newsdesk.extract import extract
from newsdesk.model import Article
from newsdesk.text.tfidf import tfidf_matrix
from newsdesk.write import write_extractive
from newsdesk.write.extractive import DEFAULT_SETTINGS, _candidates, _score
from tests.conftest import REPO

WALLED_PAGE = (
    REPO / "examples" / "pages" / "ashgrove-chronicle" / "2025-06-13-hydrogen-trains-order.html"
)
QUOTE = "biggest single investment in our railway"


def _walled() -> Article:
    article = extract(WALLED_PAGE.read_bytes(), url="https://ashgrove.example/hydrogen")
    assert article.access == "paywalled"
    return article


def _free_copy(article: Article) -> Article:
    """The same wire text on another outlet's free page, with curly quotation marks."""
    paragraphs = [p.replace('"', "\u201c", 1).replace('"', "\u201d", 1) for p in article.paragraphs]
    return Article.create(
        url="https://free.example/hydrogen",
        title=article.title,
        paragraphs=paragraphs,
        site_name="Free Wire",
        language=article.language,
        access="free",
    )


def _quote_sentence(articles: list[Article]):
    draft = write_extractive(articles, "hydrogen", max_words=400)
    found = [s for s in draft.sentences() if QUOTE in s.text]
    assert found, [s.text for s in draft.sentences()]
    return found[0]


def test_a_quote_is_taken_from_the_free_copy_and_cites_it_first() -> None:
    walled = _walled()
    free = _free_copy(walled)
    quote = _quote_sentence([walled, free])
    assert quote.citations[0] == free.id and walled.id in quote.citations
    assert "\u201c" in quote.text  # the free copy's text, not the paywalled one's
    # Without the flags the first article's copy is taken: the flag made the difference.
    unflagged = dataclasses.replace(walled, access="unknown")
    quote = _quote_sentence([unflagged, dataclasses.replace(free, access="unknown")])
    assert quote.citations[0] == unflagged.id and '"' in quote.text


def test_a_quote_only_paywalled_sources_hold_weighs_less() -> None:
    walled = _walled()
    other = Article.create(
        url="https://free.example/other",
        title="Hydrogen trains",
        paragraphs=["The regional railway is to buy hydrogen trains for two lines, it said."],
        language="en",
        access="free",
    )
    articles = [walled, other]

    def quote_score(walled_ids: frozenset[int]) -> float:
        candidates = _candidates(articles, [0, 1])
        for c in candidates:
            c.tokens = c.all_tokens
        matrix, _, _ = tfidf_matrix([c.tokens for c in candidates])
        similarity = (matrix @ matrix.T).toarray()
        _score(candidates, matrix, similarity, DEFAULT_SETTINGS, walled_ids)
        return next(c.score for c in candidates if QUOTE in c.sentence.text)

    plain, lowered = quote_score(frozenset()), quote_score(frozenset({0}))
    assert np.isclose(lowered, plain * DEFAULT_SETTINGS.paywalled_quote)
