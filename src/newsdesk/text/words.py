"""Words in any language: tokens, Snowball stems, stop words and the CJK character ranges.

The only copy of each: one tokenizer (lower-cased words; runs of Chinese, Japanese or
Korean characters become overlapping character pairs, a common stand-in for words where
spaces do not separate them or particles stick to them), one Snowball stemmer per language
(PyStemmer's C implementation when installed), one stop-word list per language (English:
scikit-learn's list plus the words every news report uses; the others: stopwords-iso).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from newsdesk.lazy import LazyPattern

if TYPE_CHECKING:
    from types import ModuleType

# Unicode ranges of the East Asian scripts, written once; regexes below compose them.
HIRAGANA = "\u3040-\u309f"
KANA = "\u3040-\u30ff"  # hiragana and katakana
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs: extension A, unified, compatibility
HANGUL = "\uac00-\ud7af"  # Hangul syllables
FULLWIDTH = "\uff00-\uffef"  # fullwidth Latin, digits and punctuation of CJK text
UNSPACED = KANA + HAN  # scripts written without spaces between words (Chinese, Japanese)
CJK_CHARS = UNSPACED + HANGUL
# Compiled on first use (``LazyPattern``): most runs read no CJK text, and a text whose
# highest character is below the first CJK one needs neither (``may_hold_cjk``).
CJK = LazyPattern(f"[{CJK_CHARS}]")
CJK_RUN = LazyPattern(f"[{CJK_CHARS}]+")
FIRST_CJK = "\u3040"  # the lowest code point of the ranges above (and of FULLWIDTH)
# Any character from FIRST_CJK up: a search in C, three to five times quicker than
# max(text), which makes a string of every character it compares. Written as the
# characters it is not (1 ms to compile, against 5 ms for the range up to U+10FFFF) and
# compiled on first use.
_FROM_FIRST_CJK = LazyPattern(f"[^\\x00-\\u{ord(FIRST_CJK) - 1:04x}]")


def may_hold_cjk(text: str) -> bool:
    """Whether ``text`` has a character at or above ``FIRST_CJK``: one pass in C that spares
    most texts the CJK patterns."""
    return not text.isascii() and _FROM_FIRST_CJK.search(text) is not None


def holds_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK character (``CJK``), ``may_hold_cjk`` asked first: most
    texts never run the CJK pattern."""
    return may_hold_cjk(text) and CJK.search(text) is not None


_TOKEN = re.compile(r"[^\W_]+")

# Characters that print nothing and only hint at layout: the soft hyphen (where a word may
# break), the zero-width space, the word joiner and a byte order mark inside the text. Left
# in, they cut words in two for every tokenizer ("Bundes\u00adregierung") and travel
# unseen into quotations. Zero-width joiners and non-joiners stay: they change how
# Persian, the Indic scripts and emoji are drawn.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def visible(text: str) -> str:
    """``text`` without the characters that print nothing (soft hyphens, zero-width
    spaces, word joiners, byte order marks), its white space collapsed where one went."""
    if text.isascii() or not _INVISIBLE.search(text):
        return text
    return " ".join(_INVISIBLE.sub("", text).split())


# Words every news report uses that say nothing about its event (English).
NEWS_WORDS = frozenset(
    [
        "say",
        "says",
        "said",
        "saying",
        "told",
        "tell",
        "report",
        "reports",
        "reported",
        "according",
        "new",
        "news",
        "just",
        "like",
        "get",
        "got",
        "year",
        "years",
        "week",
        "day",
        "time",
        "update",
        "updated",
        "video",
        "photos",
        "watch",
        "read",
        "also",
        "would",
        "could",
        "one",
        "two",
        "first",
        "make",
        "made",
        "take",
        "mr",
        "mrs",
        "ms",
    ]
)

# Codes that name one language differently in stopwords-iso than in ISO 639-1 as lingua
# and the articles write them.
_STOPWORD_CODES = {"nb": "no", "nn": "no", "fil": "tl"}

# Snowball's algorithm for an ISO 639-1 code (snowballstemmer.algorithms()).
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "eo": "esperanto", "es": "spanish", "et": "estonian",
    "eu": "basque", "fa": "persian", "fi": "finnish", "fr": "french", "ga": "irish",
    "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "st": "sesotho", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip


def stopword_code(language: str) -> str:
    """The stopwords-iso code of an ISO 639-1 language code."""
    return _STOPWORD_CODES.get(language, language)


@lru_cache(maxsize=128)
def stop_words(language: str | None) -> frozenset[str]:
    """The stop words of a language (lower case); empty for None or a language without a list.

    English: scikit-learn's list and the words of attribution every report has
    (``NEWS_WORDS``); every other language: its stopwords-iso list.
    """
    if not language:
        return frozenset()
    if language == "en":
        return _english_stop_words() | NEWS_WORDS
    code = stopword_code(language)
    lists = _stopwordsiso()
    if not lists.has_lang(code):
        return frozenset()
    return frozenset(word.lower() for word in lists.stopwords(code))


def _stopwordsiso() -> ModuleType:
    """stopwords-iso, imported on first use: it reads its package's metadata (about 15 ms),
    and reading an HTML page never needs a stop word."""
    import stopwordsiso

    return stopwordsiso


def _english_stop_words() -> frozenset[str]:
    """scikit-learn's English list, read from the one small module that holds it:
    importing scikit-learn for it would load scipy and take a second of CPU."""
    import importlib.util

    found = importlib.util.find_spec("sklearn")  # finds the package without importing it
    for folder in (found and found.submodule_search_locations) or ():
        spec = importlib.util.spec_from_file_location(
            "newsdesk.text._sklearn_stop_words",
            os.path.join(folder, "feature_extraction", "_stop_words.py"),
        )
        if spec is not None and spec.loader is not None:
            try:
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                return frozenset(module.ENGLISH_STOP_WORDS)
            except (OSError, AttributeError):  # moved in another version: import it whole
                break
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def has_stop_words(language: str | None) -> bool:
    """Whether ``stop_words`` has a list for the language."""
    return bool(language) and (
        language == "en" or _stopwordsiso().has_lang(stopword_code(language))
    )


def _identity(word: str) -> str:
    return word


@lru_cache(maxsize=256)
def stemmer(language: str | None) -> Callable[[str], str]:
    """The Snowball stemmer of a language (a cached function of one lower-case word).

    English for None (as the project read every text before languages were told apart);
    the identity for a language Snowball does not know.
    """
    algorithm = SNOWBALL.get(language or "en")
    if algorithm is None:
        return _identity
    import snowballstemmer

    # A cache per language: the same words are stemmed again and again across a stream.
    return lru_cache(maxsize=200_000)(snowballstemmer.stemmer(algorithm).stemWord)


def stem(word: str, language: str | None = "en") -> str:
    """The Snowball stem of a lower-case word in a language (English by default)."""
    return stemmer(language)(word)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; runs of CJK characters become overlapping character pairs.
    A page stored in decomposed Unicode ("a" + U+0308) gives the tokens of the composed
    spelling ("ä"), which other pages use."""
    if text.isascii():
        return _TOKEN.findall(text.lower())
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    words = _TOKEN.findall(text.lower())
    if not holds_cjk(text):
        return words
    out: list[str] = []
    for word in words:
        if CJK.search(word):
            for run in CJK_RUN.findall(word):
                out.extend(cjk_pairs(run))
            out.extend(CJK_RUN.sub(" ", word).split())
        else:
            out.append(word)
    return out


def cjk_pairs(run: str) -> list[str]:
    """Overlapping character pairs of a run of CJK characters (the run itself when it is one)."""
    return [run[i : i + 2] for i in range(max(1, len(run) - 1))]
