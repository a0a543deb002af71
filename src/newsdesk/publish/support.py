"""Which source paragraphs support each written sentence.

For the side-by-side reading page: every sentence of a draft is matched to the
paragraph(s) of its cited articles that best support it, so the page can highlight them.
A paragraph that contains the sentence verbatim wins outright, and the quoted words are
located in it; otherwise paragraphs are scored by the share of the sentence's words they
contain, rare words counting more (IDF over the cited articles' paragraphs), which
tolerates rewording by an LLM writer, and the closest source sentence inside is located.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from newsdesk.model import Article, Sentence

_WORD = re.compile(r"\w+", re.UNICODE)

# Below this weighted overlap a paragraph is not shown as support: the sentence shares
# only a few common words with it.
MIN_SCORE = 0.35
# Other paragraphs nearly as good as the best one are highlighted too (a fact the
# sentence merges from two paragraphs).
NEAR_BEST = 0.85
MAX_PASSAGES_PER_ARTICLE = 2
# Inside a supporting paragraph, the closest source sentence is marked when it alone
# carries at least this share of the paragraph threshold.
SENTENCE_SHARE = 0.75


@dataclass(frozen=True)
class Passage:
    """One source paragraph that supports a sentence."""

    article_id: str
    paragraph: int  # index into article.paragraphs
    score: float  # 1.0 for verbatim containment, else weighted word overlap in [0, 1)
    span: tuple[int, int] | None = None  # where the sentence stands in the paragraph, if verbatim


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u2018\u2019\u201a\u201b]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f\u00ab\u00bb]", '"', text)
    return re.sub(r"\s+", " ", text).strip()


def _words(text: str) -> list[str]:
    return _WORD.findall(_normalise(text))


def _idf(paragraph_words: Iterable[set[str]]) -> dict[str, float]:
    sets = list(paragraph_words)
    df: Counter[str] = Counter()
    for words in sets:
        df.update(words)
    n = len(sets) or 1
    return {w: math.log((n + 1) / (c + 0.5)) + 1.0 for w, c in df.items()}


class SupportFinder:
    """Match sentences to the paragraphs of the articles they cite."""

    def __init__(self, articles: Mapping[str, Article]):
        self._articles = dict(articles)
        self._norm: dict[str, list[str]] = {}
        self._words: dict[str, list[set[str]]] = {}
        for aid, article in self._articles.items():
            self._norm[aid] = [_normalise(p) for p in article.paragraphs]
            self._words[aid] = [set(_words(p)) for p in article.paragraphs]
        self._idf = _idf(ws for per_article in self._words.values() for ws in per_article)
        # A word no paragraph holds weighs as much as the rarest one (computed once, not per
        # sentence and passage).
        self._default_idf = max(self._idf.values(), default=1.0)

    def passages(self, sentence: Sentence) -> list[Passage]:
        """The supporting paragraphs of one sentence, best first within each cited article."""
        needle = _normalise(sentence.text)
        words = set(_words(sentence.text))
        out: list[Passage] = []
        for aid in dict.fromkeys(sentence.citations):  # keep order, drop repeats
            if aid not in self._articles:
                continue
            out.extend(self._best_in_article(aid, needle, words, sentence.text.strip()))
        return out

    def _span(self, aid: str, index: int, raw: str) -> tuple[int, int] | None:
        start = self._articles[aid].paragraphs[index].find(raw)
        return (start, start + len(raw)) if raw and start >= 0 else None

    def _best_in_article(
        self, aid: str, needle: str, words: set[str], raw: str = ""
    ) -> list[Passage]:
        exact = [i for i, p in enumerate(self._norm[aid]) if needle and needle in p]
        if exact:
            return [
                Passage(aid, i, 1.0, self._span(aid, i, raw))
                for i in exact[:MAX_PASSAGES_PER_ARTICLE]
            ]
        if not words:
            return []
        default_idf = self._default_idf
        total = sum(self._idf.get(w, default_idf) for w in words)
        scored = []
        for i, para_words in enumerate(self._words[aid]):
            shared = words & para_words
            if shared:
                score = sum(self._idf.get(w, default_idf) for w in shared) / total
                scored.append((score, i))
        if not scored:
            return []
        scored.sort(key=lambda t: (-t[0], t[1]))
        best = scored[0][0]
        if best < MIN_SCORE:
            return []
        keep = [(s, i) for s, i in scored if s >= best * NEAR_BEST][:MAX_PASSAGES_PER_ARTICLE]
        return [
            Passage(aid, i, min(s, 0.999), self._best_sentence_span(aid, i, words, total))
            for s, i in keep
        ]

    def _best_sentence_span(
        self, aid: str, index: int, words: set[str], total: float
    ) -> tuple[int, int] | None:
        """For a reworded sentence: where, inside the paragraph, the closest source sentence is."""
        # Imported here: newsdesk.write pulls in scikit-learn, too heavy for every publish import.
        from newsdesk.text.sentences import split_sentences

        paragraph = self._articles[aid].paragraphs[index]
        default_idf = self._default_idf
        best: tuple[float, str] | None = None
        for candidate in split_sentences(paragraph):
            shared = words & set(_words(candidate))
            score = sum(self._idf.get(w, default_idf) for w in shared) / total
            if best is None or score > best[0]:
                best = (score, candidate)
        if best is None or best[0] < MIN_SCORE * SENTENCE_SHARE:
            return None
        start = paragraph.find(best[1])
        return (start, start + len(best[1])) if start >= 0 else None
