"""Names compared across scripts and spellings: one key for Wagner, Вагнер, Wagner-Gruppe.

A name's key is its transliteration to Latin letters (anyascii) folded to a rough spelling
and cut to its first letters, so Wagner and Вагнер, Selenskyj and Зеленский, or the Russian
case forms of a name (Путина) share one key. The clusterer counts keys as terms every
language shares; the writer finds by them a foreign-language article reporting the facts
of a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

# A name key's prefix: no word term starts with it.
KEY_PREFIX = "~"
KEY_LETTERS = 5  # a key keeps this many letters: case endings (Путина, Вагнера) fall away
# Spellings that transliterations and languages write differently, folded to one.
_KEY_FOLDS = (
    ("sch", "s"),
    ("sh", "s"),
    ("zh", "s"),
    ("ch", "k"),
    ("kh", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("oe", "o"),
    ("ue", "u"),
    ("ae", "a"),
    ("w", "v"),
    ("z", "s"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("j", "i"),
    ("y", "i"),
)
_NOT_LETTER = re.compile(r"[^a-z]")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def name_key(word: str) -> str | None:
    """A name's key, the same across scripts and spellings (Wagner, Вагнер -> ``~vagne``),
    or None for a word too short to tell apart (fewer than three letters)."""
    text = _NOT_LETTER.sub("", anyascii(word).lower())
    for spelling, folded in _KEY_FOLDS:
        if spelling in text:
            text = text.replace(spelling, folded)
    text = _DOUBLE.sub(r"\1", text)
    if len(text) < 3:
        return None
    return KEY_PREFIX + text[:KEY_LETTERS]


_CAPITALISED = re.compile(r"(?<![\w])[^\W\d_][\w'’-]*")


def name_keys(text: str) -> set[str]:
    """The keys of the capitalised words of ``text`` (names, mostly; a sentence's first
    word too), in any script that has capitals."""
    keys = set()
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        if word[0].isupper():
            key = name_key(word)
            if key is not None:
                keys.add(key)
    return keys
