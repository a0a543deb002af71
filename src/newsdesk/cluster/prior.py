"""A prior for document frequencies from general word frequencies (``wordfreq``), per language.

A young stream has counted too few documents for its IDF to mean much: after a few hundred
articles, a common word seen twice and a rare name seen twice weigh the same. The prior says
how often a word turns up in the article's language at large, so common words start light
and words the frequency lists do not know (names, mostly) start heavy; the stream's own
counts take over as it grows (see ``StreamingTfidf.idf``). wordfreq covers about 40
languages; for the others there is no prior and the stream's counts decide from the start.

The lists are read from wordfreq's data files (its documented "cBpack" format) without
importing wordfreq, whose tokenizers and language-code tables cost 0.15 s of every run's
start; where the files are not as expected, wordfreq itself reads them.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
from functools import lru_cache
from pathlib import Path

# Frequency (per word of running text) of a word the lists do not know: rarer than any listed.
UNKNOWN_FREQUENCY = 1e-8
# Rarer listed words count as unknown (see _table).
LISTED_FREQUENCY = 10**-7.0
# Numbers: the lists fold digits together, so give every number one middling frequency.
NUMBER_FREQUENCY = 1e-5


# wordfreq's code for languages it files under another name.
_WORDFREQ_CODES = {"no": "nb", "nn": "nb", "hr": "sh", "sr": "sh", "bs": "sh", "tl": "fil"}


@lru_cache(maxsize=64)  # wordfreq has about 40 languages
def _table(language: str = "en") -> dict[str, float] | None:
    """wordfreq's frequency table of a language (loaded once, on first use), or None."""
    code = _WORDFREQ_CODES.get(language, language)
    buckets = _frequency_list(code)
    if buckets is None:
        return None
    # wordfreq's own dict of the list holds every word down to 1e-8 (634,000 German
    # words, 0.3 s to build); the prior tells those rarer than LISTED_FREQUENCY from
    # unknown words by too little to matter, so the table stops there.
    table: dict[str, float] = {}
    for index, bucket in enumerate(buckets):
        frequency = 10 ** (-index / 100)  # wordfreq's buckets are centibels
        if frequency < LISTED_FREQUENCY:
            break
        for word in bucket:
            table[word] = frequency
    return table


def _frequency_list(code: str) -> list[list[str]] | None:
    """wordfreq's best list of a language (words bucketed by centibels), or None."""
    path = _word_lists().get(code)
    if path is None:
        return None
    try:
        import msgpack

        with gzip.open(path, "rb") as infile:
            data = msgpack.load(infile, raw=False)
        header = data[0]
        if isinstance(header, dict) and header.get("format") == "cB" and header.get("version") == 1:
            return data[1:]
    except (ImportError, OSError, ValueError):
        pass
    import wordfreq  # a layout we do not know: wordfreq reads its own files

    return wordfreq.get_frequency_list(code)


@lru_cache(maxsize=1)
def _word_lists() -> dict[str, Path]:
    """wordfreq's list files by language: its "large" list where it has one, else "small"
    (what it calls the best); empty when wordfreq is not installed."""
    spec = importlib.util.find_spec("wordfreq")  # finds the package without importing it
    if spec is None or spec.origin is None:
        return {}
    lists: dict[str, Path] = {}
    for kind in ("small", "large"):  # large, read second, wins
        for path in (Path(spec.origin).parent / "data").glob(f"{kind}_*.msgpack.gz"):
            lists[path.name.split(".")[0].split("_", 1)[1]] = path
    return lists


def word_frequency(word: str, term: str, has_digit: bool, language: str = "en") -> float | None:
    """Frequency of ``word`` (lower case, as written) in ``language``; ``term`` is its stem.

    None when wordfreq has no table for the language: no prior for its words.
    """
    table = _table(language)
    if table is None:
        return None
    if has_digit:
        return NUMBER_FREQUENCY
    # A stem is often a word too ("protest"), and its own count covers its inflections.
    return max(table.get(word, 0.0), table.get(term, 0.0)) or UNKNOWN_FREQUENCY


def document_share(frequency: float, length: float) -> float:
    """The share of ``length``-word documents expected to hold a word of this frequency."""
    return -math.expm1(-frequency * length)
