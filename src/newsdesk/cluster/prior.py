"""A prior for document frequencies from general English word frequencies (``wordfreq``).

A young stream has counted too few documents for its IDF to mean much: after a few hundred
articles, a common word seen twice and a rare name seen twice weigh the same. The prior says
how often a word turns up in English at large, so common words start light and words the
frequency lists do not know (names, mostly) start heavy; the stream's own counts take over
as it grows (see ``StreamingTfidf.idf``).
"""

from __future__ import annotations

import math
from functools import lru_cache

# Frequency (per word of running text) of a word the lists do not know: rarer than any listed.
UNKNOWN_FREQUENCY = 1e-8
# Numbers: the lists fold digits together, so give every number one middling frequency.
NUMBER_FREQUENCY = 1e-5


@lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict("en")


def word_frequency(word: str, term: str, has_digit: bool) -> float:
    """Frequency of ``word`` (lower case, as written) in English; ``term`` is its stem."""
    if has_digit:
        return NUMBER_FREQUENCY
    table = _table()
    # A stem is often a word too ("protest"), and its own count covers its inflections.
    return max(table.get(word, 0.0), table.get(term, 0.0)) or UNKNOWN_FREQUENCY


def document_share(frequency: float, length: float) -> float:
    """The share of ``length``-word documents expected to hold a word of this frequency."""
    return -math.expm1(-frequency * length)
