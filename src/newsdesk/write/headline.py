"""Headlines: clean source titles of site names and pick the one that fits the story best."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# Separators sites put between the headline and their own name.
_SEPARATORS = re.compile(r"\s+(?:[-|–—·•»«]|::|\|\|)\s+")
_DOMAIN = re.compile(
    r"\b[\w-]+\.(?:com|net|org|co\.uk|co|ru|de|fr|az|info|news|io|tv|ua|kz|jp|in)\b", re.I
)
_LEADING_TAGS = re.compile(
    r"^(?:BREAKING|UPDATE|UPDATED|LIVE|WATCH|VIDEO|PHOTOS?|EXCLUSIVE)\s*[:|-]\s*", re.I
)


def clean_headline(title: str, site_name: str | None = None) -> str:
    """A source title without its site suffix ("... - Reuters", "... | BBC News") or tags."""
    title = re.sub(r"\s+", " ", title or "").strip()
    title = _LEADING_TAGS.sub("", title)
    parts = _SEPARATORS.split(title)
    while len(parts) > 1 and _looks_like_site(
        parts[-1], site_name, len(" ".join(parts[:-1]).split())
    ):
        parts.pop()
    while len(parts) > 1 and _looks_like_site(parts[0], site_name, 0):
        parts.pop(0)
    return " - ".join(parts).strip(" -|") if len(parts) > 1 else parts[0].strip(" -|")


def _looks_like_site(part: str, site_name: str | None, words_before: int) -> bool:
    part = part.strip()
    if not part:
        return True
    if (
        site_name
        and _norm(site_name)
        and (_norm(site_name) in _norm(part) or _norm(part) in _norm(site_name))
    ):
        return True
    if _DOMAIN.search(part):
        return True
    words = part.split()
    # A short tail in title case ("BBC News", "The Guardian", "Reuters") is a site name;
    # a short tail with a verb in lower case ("Mali says") is part of the headline.
    # Only trusted when what remains is itself a full headline.
    return (
        words_before >= 4
        and len(words) <= 3
        and all(w[:1].isupper() or not w[:1].isalpha() for w in words)
    )


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def is_usable_headline(title: str, shares_words: Callable[[str], bool]) -> bool:
    """A headline is usable if it reads like one and is about the story's text."""
    words = title.split()
    if not 3 <= len(words) <= 25:
        return False
    letters = [ch for ch in title if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) > 0.7 * len(letters) and len(words) > 3:
        return False  # menus and shouted page furniture ("WHAT ARE YOU LOOKING FOR ?")
    return shares_words(title)


def choose_headline(
    titles: Sequence[tuple[str, str | None]],
    score: Callable[[str], float],
    shares_words: Callable[[str], bool],
) -> str | None:
    """The cleaned title (of ``(title, site_name)`` pairs) scoring best, or None if none is usable."""
    best: tuple[float, str] | None = None
    for title, site in titles:
        cleaned = clean_headline(title, site)
        if not is_usable_headline(cleaned, shares_words):
            continue
        value = score(cleaned)
        if best is None or value > best[0]:
            best = (value, cleaned)
    return best[1] if best else None


def headline_from_sentence(sentence: str, max_words: int = 14) -> str:
    """A headline cut from a lead sentence when no source title is usable: its main clause."""
    text = sentence.strip().rstrip(".!?。！？")
    clause = re.split(
        r",\s+(?:citing|saying|according|who|which|after|as|while|amid)\b|[;:—–]", text
    )[0]
    if len(clause.split()) < 5:  # the cut left too little: keep the sentence
        clause = text
    words = clause.split()
    if len(words) > max_words:
        cut = clause.split(",")[0].split()
        words = cut if 4 <= len(cut) <= max_words else words[:max_words]
    return " ".join(words).strip(" ,")
