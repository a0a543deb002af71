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
    # wordfreq's own dict of the list holds every word down to 1e-8 (634,000 German
    # words, 0.3 s to build); the prior tells those rarer than LISTED_FREQUENCY from
    # unknown words by too little to matter, so the table stops there, and so does the
    # reading of the file (its rarest buckets hold most of its words).
    buckets = _frequency_list(code, _last_bucket(LISTED_FREQUENCY))
    if buckets is None:
        return None
    table: dict[str, float] = {}
    for index, bucket in enumerate(buckets):
        table.update(dict.fromkeys(bucket, 10 ** (-index / 100)))  # buckets are centibels
    return table


def _last_bucket(frequency: float) -> int:
    """The index of the rarest centibel bucket whose words are at least this frequent."""
    return math.floor(-100 * math.log10(frequency) + 1e-9)


def _frequency_list(code: str, last_bucket: int | None = None) -> list[list[str]] | None:
    """wordfreq's best list of a language (words bucketed by centibels), or None; with
    ``last_bucket``, the buckets up to that index only (the file is read no further)."""
    path = _word_lists().get(code)
    if path is None:
        return None
    try:
        import msgpack

        with gzip.open(path, "rb") as infile:
            unpacker = msgpack.Unpacker(infile, raw=False)
            size = unpacker.read_array_header()  # the header, then one array per bucket
            header = unpacker.unpack() if size else None
            if (
                isinstance(header, dict)
                and header.get("format") == "cB"
                and header.get("version") == 1
            ):
                count = size - 1 if last_bucket is None else min(size - 1, last_bucket + 1)
                return [unpacker.unpack() for _ in range(count)]
    except Exception:  # a file cut short (OutOfData, EOFError) or of a layout we do not know
        pass
    import wordfreq  # a layout we do not know: wordfreq reads its own files

    buckets = wordfreq.get_frequency_list(code)
    return buckets if last_bucket is None else buckets[: last_bucket + 1]


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
