"""Stopword share of a line in any language, the strongest sign of running prose.

Word-spaced languages use the project's stop-word list of their language
(``newsdesk.text.words.stop_words``: stopwords-iso's, 58 languages, by ISO 639-1 code).
Japanese and Chinese are not written with spaces, so there the share is measured on
characters instead: hiragana for Japanese (particles and inflections are written in it),
a small set of function characters for Chinese. The page adds its own
list: the words its longer lines use most are its language's function words, whatever
the language, so a language without a list (or none detected) is still covered.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from newsdesk.lazy import LazyPattern
from newsdesk.text.words import HANGUL, HIRAGANA, UNSPACED, has_stop_words, stop_words

_WORD = re.compile(r"\w+")
# Compiled on first use (see LazyPattern): only pages in these languages need them.
_HIRAGANA = LazyPattern(f"[{HIRAGANA}]")
_HAN_KANA = LazyPattern(f"[{UNSPACED}]")
# The commonest Chinese function characters (particles, copula, prepositions).
_ZH_FUNCTION = frozenset("的了是在和有也就不都而与及或被把从对但这那其之以为于所则着过个们很将")
# Korean attaches particles and endings to words, so a list of whole stopwords misses them;
# prose shows as words ending in a particle or verb ending, menus as bare nouns.
_HANGUL_WORD = LazyPattern(f"[{HANGUL}]+")
_KO_ENDINGS = frozenset("은는이가을를에의로도와과고서며다요만게면니지한된할던해여")
# How many of a page's most used words stand in for a missing stopword list.
PAGE_STOPWORDS = 30


def lower_words(text: str) -> list[str]:
    """The text's words, lower-cased: what the shares and the page's list count."""
    return _WORD.findall(text.lower())


def page_stopwords(
    texts: Iterable[str], min_words: int = 8, words_of: Iterable[list[str]] | None = None
) -> frozenset[str]:
    """The words a page's longer lines use most: its language's function words.
    ``words_of``: each text's ``lower_words``, where already read."""
    counts: Counter[str] = Counter()
    for words in (lower_words(t) for t in texts) if words_of is None else words_of:
        if len(words) >= min_words:
            counts.update(words)  # counted in C; the numbers are taken out below
    for number in [word for word in counts if word.isdigit()]:
        del counts[number]
    return frozenset(word for word, n in counts.most_common(PAGE_STOPWORDS) if n >= 3)


def has_list(language: str | None) -> bool:
    """Whether the language has a stopword list or a script rule here."""
    return bool(language) and (language in ("ja", "zh", "ko") or has_stop_words(language))


def stopwords_for_page(
    language: str | None, texts: Iterable[str], words_of: Iterable[list[str]] | None = None
) -> frozenset[str]:
    """The language's list together with the page's own most used words (``words_of``:
    each text's ``lower_words``, where already read)."""
    return stop_words(language) | page_stopwords(texts, words_of=words_of)


def stopword_share(
    text: str,
    language: str | None,
    stops: frozenset[str],
    short_words: bool = False,
    words: list[str] | None = None,
) -> float:
    """Share of the line's words (or CJK characters) that are function words.

    ``stops`` is the word list for word-spaced scripts (``stopwords_for_page``). With
    ``short_words`` (a language without a list) words of one to three letters count as
    function words too: in alphabetic scripts most function words are that short.
    ``words``: the text's ``lower_words``, where already read.
    """
    if language in ("ja", "zh"):
        chars = _HAN_KANA.findall(text)
        if len(chars) >= 5:
            if language == "ja":
                return len(_HIRAGANA.findall(text)) / len(chars)
            return sum(1 for c in chars if c in _ZH_FUNCTION) / len(chars)
    if language == "ko":
        hangul = _HANGUL_WORD.findall(text)
        if len(hangul) >= 3:
            return sum(1 for word in hangul if word[-1] in _KO_ENDINGS) / len(hangul)
    if words is None:
        words = lower_words(text)
    if not words:
        return 0.0
    if short_words:
        return sum(1 for word in words if word in stops or len(word) <= 3) / len(words)
    return sum(map(stops.__contains__, words)) / len(words)
