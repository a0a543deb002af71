"""JSON-LD ``articleBody`` as evidence about the body the block classifier chose.

Many pages repeat their article's text in their JSON-LD. It is not trusted as the body
itself (it is often cut short, or carries captions and teasers), but where it is long and
the chosen blocks disagree with it, it tells which way they are wrong:

- cut: the blocks hold a small part of a much longer ``articleBody`` (an unfamiliar
  template split the article into many containers): the page's own blocks that
  ``articleBody`` contains are taken instead, in page order, or ``articleBody`` itself
  when the page's blocks do not hold it (text rendered by a script);
- padded: the blocks hold all of ``articleBody`` and more at the edges (teasers, a
  "read more" box, a caption above the lead): paragraphs at either edge that share
  nothing with ``articleBody`` are dropped.

Texts are compared as sets of word trigrams, lower-cased, so markup, spacing and
punctuation do not matter.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from newsdesk.extract.dom import Block

_TOKEN = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]{0,500}>")
# Longer than any article: the rest of a hostile articleBody is not read (memory).
_MAX_EVIDENCE_CHARS = 300_000
# articleBody shorter than this many words says too little to overrule the classifier.
_MIN_EVIDENCE_WORDS = 150
# "Cut": the blocks hold under this share of articleBody's trigrams...
_CUT_RECALL = 0.6
# ...and articleBody has this many times the blocks' words.
_CUT_RATIO = 1.5
# A page block counts as article text when this share of its trigrams is in articleBody.
_BLOCK_IN_BODY = 0.6
# "Padded": the blocks hold this share of articleBody's trigrams.
_PADDED_RECALL = 0.85
# An edge paragraph with under this share of its trigrams in articleBody is not article.
_EDGE_IN_BODY = 0.15
_MIN_EDGE_WORDS = 4


def _trigrams(text: str) -> set[tuple[str, str, str]]:
    return _trigrams_of(_TOKEN.findall(text.lower()))


def _trigrams_of(words: list[str]) -> set[tuple[str, str, str]]:
    if len(words) < 3:
        return {(*words, "", "")[:3]} if words else set()  # type: ignore[misc]
    return set(zip(words, words[1:], words[2:], strict=False))


def _share_in(text: str, body: set[tuple[str, str, str]]) -> float:
    grams = _trigrams(text)
    return len(grams & body) / len(grams) if grams else 0.0


def clean_article_body(value: str) -> str:
    """articleBody as text: entities decoded, tags dropped, blank lines kept as breaks."""
    text = _TAG.sub(" ", html.unescape(value)) if "<" in value or "&" in value else value
    return text.strip()


def reconcile(
    paragraphs: list[str],
    blocks: Iterable[Block],
    article_body: str | None,
    split: Callable[[list[Block]], list[str]],
) -> list[str]:
    """The paragraphs, corrected by articleBody where it shows them cut or padded."""
    if not article_body:
        return paragraphs
    body_text = clean_article_body(article_body[:_MAX_EVIDENCE_CHARS])
    words = _TOKEN.findall(body_text.lower())  # read once: counted, then its trigrams
    # Lower case keeps every character's word-ness but İ's ("i" and a combining dot): only
    # a text that holds one is counted as written.
    body_words = len(words) if "\u0130" not in body_text else len(_TOKEN.findall(body_text))
    if body_words < _MIN_EVIDENCE_WORDS:
        return paragraphs
    body = _trigrams_of(words)
    ours = _trigrams(" ".join(paragraphs))
    recall = len(ours & body) / len(body)
    if recall < _CUT_RECALL and body_words > _CUT_RATIO * _words(paragraphs):
        return _rescue(blocks, body, body_text, recall, split) or paragraphs
    if recall >= _PADDED_RECALL:
        return _trim(paragraphs, body)
    return paragraphs


def _words(paragraphs: list[str]) -> int:
    return sum(len(_TOKEN.findall(p)) for p in paragraphs)


def _rescue(
    blocks: Iterable[Block],
    body: set[tuple[str, str, str]],
    body_text: str,
    recall: float,
    split: Callable[[list[Block]], list[str]],
) -> list[str]:
    """The page's blocks that articleBody contains, or articleBody's own paragraphs."""
    chosen: list[Block] = []
    seen: set[str] = set()
    for block in blocks:
        if block.text in seen or len(_TOKEN.findall(block.text)) < _MIN_EDGE_WORDS:
            continue
        if _share_in(block.text, body) >= _BLOCK_IN_BODY:
            chosen.append(block)
            seen.add(block.text)
    paragraphs = split(chosen)
    found = _trigrams(" ".join(paragraphs))
    if len(found & body) / len(body) >= max(0.75, recall + 0.25):
        return paragraphs
    # The blocks do not hold it (a script renders the text): articleBody's paragraphs.
    lines = [re.sub(r"\s+", " ", line).strip() for line in re.split(r"\n\s*", body_text)]
    return [line for line in lines if line]


def _trim(paragraphs: list[str], body: set[tuple[str, str, str]]) -> list[str]:
    """Drop leading and trailing paragraphs that share nothing with articleBody."""

    def foreign(text: str) -> bool:
        return (
            len(_TOKEN.findall(text)) >= _MIN_EDGE_WORDS and _share_in(text, body) < _EDGE_IN_BODY
        )

    start, end = 0, len(paragraphs)
    while start < end and foreign(paragraphs[start]):
        start += 1
    while end > start and foreign(paragraphs[end - 1]):
        end -= 1
    return paragraphs[start:end] if end > start else paragraphs
