"""Names compared across scripts and spellings: one key for Wagner, Вагнер, Wagner-Gruppe.

A name's key is its transliteration to Latin letters (anyascii) folded to a rough spelling
and cut to its first letters, so Wagner and Вагнер, Selenskyj and Зеленский, or the Russian
case forms of a name (Путина) share one key. The clusterer counts keys as terms every
language shares; the writer finds by them a foreign-language article reporting the facts
of a sentence.

Transliteration cannot tell that Russia, Россия, Russland and Rosja are one country, or
Moscow, Москва and Moskau one city: each language has its own name for them (an exonym).
For countries and cities those names come from the Unicode CLDR (via Babel, installed
with courlan): every one-word name of a country or of a time zone's city, in the news
languages written with capitals, keys to that place (``~=RU``, ``~=Moscow``), unless its
spelling key belongs to two places (Niger and Nigeria). A name in Cyrillic or Greek is
also looked up with its case ending dropped (России, Москве, Германии), as those
languages inflect place names. The table is built from Babel's CLDR by
``scripts/build_places.py`` into ``places.json`` beside this module: reading 32 locales
takes a quarter of a second of every process's start, the file a millisecond, and the keys
stay the same whatever Babel release is installed.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

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
    """A name's key, the same across scripts and spellings (Wagner, Вагнер -> ``~vagne``;
    Russia, Россия, России -> ``~=RU``), or None for a word too short to tell apart
    (fewer than three letters)."""
    latin = anyascii(word)
    spelling = _spelling(latin)
    if spelling is None:
        return None
    places, stems = _places()
    place = places.get(spelling)
    if place is None and latin != word and not word.isascii():
        stem = _spelling(_ENDING.sub("", latin))  # Cyrillic, Greek: a case ending dropped
        place = stems.get(stem) if stem is not None else None
    return place or KEY_PREFIX + spelling


def _spelling(latin: str) -> str | None:
    """A transliterated word folded to its rough spelling, cut to ``KEY_LETTERS``."""
    text = _NOT_LETTER.sub("", latin.lower())
    for spelling, folded in _KEY_FOLDS:
        if spelling in text:
            text = text.replace(spelling, folded)
    text = _DOUBLE.sub(r"\1", text)
    if len(text) < 3:
        return None
    return text[:KEY_LETTERS]


# Case endings of Cyrillic and Greek place names as transliterated: Россия/России/Россией,
# Москва/Москве/Москвы, Германия/Германии, Αθήνα/Αθήνας.
_ENDING = re.compile(r"(?:[aeiouy]+[jmsi]?|[jy])$", re.I)
# Languages whose names of places are read (written with capitals, where name keys apply).
PLACE_LANGUAGES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "nb", "da", "fi", "pl", "cs", "sk",
    "sl", "hr", "sr", "bs", "ro", "hu", "tr", "lt", "lv", "et", "ru", "uk", "be", "bg",
    "mk", "el", "ca", "id",
)  # fmt: skip
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "ZZ", "QO"})  # unions, the unknown region


PLACES_FILE = Path(__file__).with_name("places.json")


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, str], dict[str, str]]:
    """(spelling -> place key, stem spelling -> place key): ``places.json``, or where the
    file is missing, the table built from Babel (``build_places``)."""
    try:
        table = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return build_places()
    return table["places"], table["stems"]


def build_places() -> tuple[dict[str, str], dict[str, str]]:
    """(spelling -> place key, stem spelling -> place key) of the one-word names of
    countries and time-zone cities in ``PLACE_LANGUAGES`` (CLDR); spellings of two places
    left out. Empty when Babel is not installed."""
    try:
        from babel import localedata
    except ImportError:  # pragma: no cover - installed with courlan
        return {}, {}
    named: set[tuple[str, str]] = set()  # (name, place): many names repeat across languages
    for language in PLACE_LANGUAGES:
        data = localedata.load(language, merge_inherited=False)
        for code, name in data["territories"].items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_PLACES:
                named.add((name, f"{KEY_PREFIX}={code}"))
        for zone, names in data["time_zones"].items():
            city = names.get("city")
            if city and "/" in zone and not zone.startswith("Etc/"):
                named.add((city, f"{KEY_PREFIX}={zone.rsplit('/', 1)[1]}"))
    found: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    for name, place in sorted(named):
        if " " in name or "-" in name or "." in name:
            continue  # a key is of one word: United States, Нью-Йорк have none
        latin = anyascii(name)
        spelling = _spelling(latin)
        if spelling is not None:
            found.setdefault(spelling, set()).add(place)
        if latin != name:
            stem = _spelling(_ENDING.sub("", latin))
            if stem is not None:
                stems.setdefault(stem, set()).add(place)
    return (
        {s: next(iter(p)) for s, p in found.items() if len(p) == 1},
        {s: next(iter(p)) for s, p in stems.items() if len(p) == 1},
    )


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
