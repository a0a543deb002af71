"""Repetition: a paragraph or sentence said twice (near-duplicates too), the headline repeated.

Two texts are near-duplicates when their word sets overlap almost entirely (Jaccard) or
the shorter one is almost wholly contained in the longer. A repeated paragraph is
reported once, not once per sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsdesk.verify.text import words

MIN_JACCARD = 0.75
MIN_CONTAINMENT = 0.9
MIN_WORDS = 4
_TERMINAL = re.compile(r"""[.!?…。！？]["'”’»)\]」』）]*\s*$""")


@dataclass(frozen=True)
class Repeat:
    """One repetition found: what is repeated and how to say it."""

    text: str
    why: str
    sentence_keys: tuple[tuple[int, int], ...]  # (paragraph, sentence) positions it covers


@lru_cache(maxsize=4096)  # every pair of a draft's sentences is compared: each read once
def _word_set(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in words(text))


def near_duplicate(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` say the same thing in (almost) the same words."""
    wa, wb = _word_set(a), _word_set(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    if min(len(wa), len(wb)) < MIN_WORDS:
        return False
    overlap = len(wa & wb)
    if overlap / len(wa | wb) >= MIN_JACCARD:
        return True
    return (
        min(len(wa), len(wb)) >= 2 * MIN_WORDS
        and overlap / min(len(wa), len(wb)) >= MIN_CONTAINMENT
    )


def looks_like_headline(text: str) -> bool:
    """A short line without a closing stop: how headlines look inside free text."""
    return not _TERMINAL.search(text) and 0 < len(text.split()) <= 20


def find_repeats(paragraphs: list[list[str]], headline: str = "") -> list[Repeat]:
    """Repeated paragraphs, then repeated sentences outside them, then the headline in the body."""
    repeats: list[Repeat] = []
    covered: set[tuple[int, int]] = set()
    joined = [" ".join(p) for p in paragraphs]
    for i, text in enumerate(joined):
        if not text.strip():
            continue
        for j in range(i):
            if near_duplicate(text, joined[j]):
                keys = tuple((i, k) for k in range(len(paragraphs[i])))
                covered.update(keys)
                if looks_like_headline(text) and len(paragraphs[i]) == 1:
                    why = "the headline is printed twice"
                else:
                    why = f"paragraph {i + 1} repeats paragraph {j + 1}"
                repeats.append(Repeat(text, why, keys))
                break
    seen: list[tuple[tuple[int, int], str]] = []
    for i, paragraph in enumerate(paragraphs):
        for k, sentence in enumerate(paragraph):
            if (i, k) in covered:
                seen.append(((i, k), sentence))
                continue
            for _, earlier in seen:
                if near_duplicate(sentence, earlier):
                    repeats.append(
                        Repeat(sentence, f"repeats an earlier sentence: {earlier!r}", ((i, k),))
                    )
                    covered.add((i, k))
                    break
            seen.append(((i, k), sentence))
    if headline.strip():
        for i, paragraph in enumerate(paragraphs):
            for k, sentence in enumerate(paragraph):
                if (i, k) not in covered and near_duplicate(headline, sentence):
                    repeats.append(
                        Repeat(sentence, "the headline is repeated in the body", ((i, k),))
                    )
                    covered.add((i, k))
    return repeats
