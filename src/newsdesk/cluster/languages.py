"""Which language an article is in, for clustering: its own label, else a cheap guess.

Extraction labels most articles (``Article.language``); this module normalises that label
("de-DE" -> "de") and, for an unlabelled article, guesses from title and lead. The guess
must be cheap: a headline stream runs at thousands of articles per second, and the
project's detector (``newsdesk.text.language.detect_language``, lingua over all its
languages) costs about 0.5 ms on a headline and 1.5 to 2.5 ms on 150 to 300 characters of
prose on this machine, more than the whole clustering of an article. On headlines alone it
is also unreliable: it called 15% of the UCI English headlines another language.

So the guess is a vote first: each lower-case word of the sample counts for the languages
whose stopwords-iso list holds it (running prose is half function words, and the lists of
different languages share few of them). Capitalised words are left out, as some lists hold
names ("china" is a Malay stopword); a long text that its lower-case words leave unclear
(prose in capitals) votes again with all its words. A clear winner is the answer. When
the vote cannot tell, the project's detector decides, but only where it is reliable: on
prose of some length, or on a short text in a script other than Latin (where only a few
languages compete). Otherwise the language stays unknown (``None``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import stopwordsiso

from newsdesk.text.language import detect_language

# Words of title and lead the vote reads: enough for prose, cheap for a headline.
VOTE_WORDS = 60
# The project's detector is asked only about this much text (its cost grows with length).
DETECT_CHARS = 300
# Prose shorter than this (title and lead together) is too short for the detector's guess
# to be trusted when it is written in the Latin script.
DETECT_MIN_CHARS = 150

_VOTE_WORD = re.compile(r"[^\W\d_]{2,}")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")


def normalise_code(code: str | None) -> str | None:
    """The ISO 639-1 (or 639-3 when there is none) code of a label, lower case, or None."""
    if not code:
        return None
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    if not primary.isalpha() or not 2 <= len(primary) <= 3:
        return None
    return "nb" if primary == "no" else primary


@lru_cache(maxsize=1)
def _voters() -> dict[str, tuple[str, ...]]:
    """word -> the languages whose stopwords-iso list holds it (words of two letters or more)."""
    index: dict[str, list[str]] = {}
    for code in stopwordsiso.langs():
        if code in ("zh", "ja", "ko", "th"):
            continue  # not written in words separated by spaces: the vote cannot read them
        language = "nb" if code == "no" else code
        for word in stopwordsiso.stopwords(code):
            word = word.lower()
            if len(word) >= 2:
                index.setdefault(word, []).append(language)
    return {word: tuple(languages) for word, languages in index.items()}


def vote(text: str, capitals: bool = False) -> str | None:
    """The language whose function words the text's first words are, when that is clear.

    Capitalised words count only with ``capitals`` (for prose in capitals, say).
    """
    voters = _voters()
    counts: dict[str, int] = {}
    for words, match in enumerate(_VOTE_WORD.finditer(text), 1):
        if words > VOTE_WORDS:
            break
        word = match.group(0)
        if word[0].isupper():
            if not capitals:
                continue  # function words are written in lower case; "China", "GLOBAL" are not
            word = word.lower()
        for language in voters.get(word, ()):
            counts[language] = counts.get(language, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    best, hits = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    # Two hits more than the next language, and twice its count: lists share many words.
    if hits >= runner_up + 2 and hits >= 2 * runner_up:
        return best
    return None


def guess_language(title: str, lead: str) -> str | None:
    """The language of an unlabelled article from its title and lead, or None if unclear."""
    sample = f"{title}\n{lead[:DETECT_CHARS]}".strip()
    language = vote(sample)
    if language is not None:
        return language
    long = len(sample) >= DETECT_MIN_CHARS
    if long:  # prose of some length is enough to count its capitalised words too
        language = vote(sample, capitals=True)
        if language is not None:
            return language
    if long or _non_latin(sample):
        return normalise_code(detect_language(sample[:DETECT_CHARS]))
    return None


def _non_latin(text: str) -> bool:
    """Whether most of the text's letters are outside the Latin script."""
    letters = len(_LETTER.findall(text))
    return letters > 0 and len(_LATIN.findall(text)) < 0.5 * letters


def article_language(label: str | None, title: str, lead: str, guess: bool = True) -> str | None:
    """An article's language: its label when it has one, else (with ``guess``) the guess."""
    language = normalise_code(label)
    if language is None and guess:
        language = guess_language(title, lead)
    return language
