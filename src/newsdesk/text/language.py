"""Language identification (ISO 639-1) with lingua, which ships its models in the package.

Low-accuracy mode (trigram models) is fast and plenty for a whole article's text; the
detector is built once per process and its models load lazily on first use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from lingua import LanguageDetector, LanguageDetectorBuilder

# A few thousand characters decide the language; more only costs time.
_SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when it cannot tell."""
    sample = text[:_SAMPLE_CHARS].strip()
    if len(sample) < 20:
        return None
    language = _detector().detect_language_of(sample)
    if language is None:
        return None
    return language.iso_code_639_1.name.lower()


def majority_language(languages: Iterable[str | None]) -> str | None:
    """The most common known language code (the first seen on a tie), or None."""
    known = Counter(language for language in languages if language)
    return known.most_common(1)[0][0] if known else None
