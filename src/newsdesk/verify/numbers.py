"""Numbers in text, reduced to values a checker can compare.

Digits ("1,500,000", "3.5"), number words ("four", "twenty-one", "two hundred"),
scales ("1.5 million", "$5bn"), percentages ("5%", "5 per cent"), money and ordinals
("2nd", "second") all become a :class:`Quantity` with a numeric value, a class
(amount, percent, ordinal) and the word it counts ("30 soldiers" -> "soldier"), so that
"3.5 years" and "four years" differ while "more than 30" and "over 30" agree.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from newsdesk.verify.text import STOPWORDS, stem

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
_SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1e9, "b": 1e9}
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "hundredth": 100,
    "thousandth": 1000,
}
# "first" is an adverb at least as often as a rank ("the group first arrived"): not checked.
_TOO_COMMON_ORDINALS = frozenset({"first"})
# Every number written in words has one of these words (compounds: their tens), bounded
# as _WORD_TOKEN bounds words (by anything but an ASCII letter).
_NUMBER_WORD = re.compile(
    r"(?<![A-Za-z])(?:"
    + "|".join(sorted({*_UNITS, *_TENS, *_SCALES, *_ORDINAL_WORDS, "dozen"}))
    + r")(?![A-Za-z])",
    re.I,
)
# The words a number in words (or a rank) can start with; compounds hold a hyphen.
_FIRST_WORDS = frozenset({*_UNITS, *_TENS, *_ORDINAL_WORDS, "a"})
# The same search without re.I, on the lower-cased text: 3x faster. It finds the same
# words unless the text holds one of the letters re.I equates with an ASCII letter that
# str.lower() leaves apart (long s, dotless i, dotted capital I): those take _NUMBER_WORD.
_NUMBER_WORD_LOWER = re.compile(_NUMBER_WORD.pattern)
_ODD_CASE = ("\u017f", "\u0131", "\u0130")
_CURRENCY_WORDS = r"dollars?|euros?|pounds?|yuan|yen|rubles?|roubles?|rupees?|francs?|pesos?"
_PERCENT = re.compile(r"\s?(?:%|percent\b|per\s?cent\b|percentage points?\b)", re.I)

_DIGITS = re.compile(
    r"(?P<cur>US\$|C\$|A\$|\$|€|£|¥|₹|₽)?\s?"
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    # a scale may be written on ("£150m", "$2.1bn", "£10million")
    r"(?P<ord>st|nd|rd|th)?(?:\b|(?=(?:thousand|million|billion|trillion|bn|mn|mln|k|m|b)\b))"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|mln|k|m|b)\b)?"
)
_ANY_DIGIT = re.compile(r"\d")  # _DIGITS needs one: most sentences have none
# Hyphens split words ("two-term" -> two, term) except inside a number ("twenty-one").
_WORD_TOKEN = re.compile(
    r"[A-Za-z]+(?:-(?:one|two|three|four|five|six|seven|eight|nine|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)\b)?",
    re.I,
)
_COMPARATORS = {
    "more than": ">",
    "over": ">",
    "above": ">",
    "at least": ">",
    "exceeding": ">",
    "less than": "<",
    "fewer than": "<",
    "under": "<",
    "below": "<",
    "up to": "<",
    "about": "~",
    "around": "~",
    "nearly": "~",
    "almost": "~",
    "roughly": "~",
    "approximately": "~",
    "some": "~",
}


@dataclass(frozen=True)
class Quantity:
    """One number in a text: its value, class and the word it counts."""

    start: int
    end: int
    surface: str
    value: float
    cls: str  # "amount" | "percent" | "ordinal"
    unit: str | None  # stemmed word counted ("soldier", "year"), or None
    comparator: str | None = None  # ">" "<" "~" from "more than", "under", "about"...


def same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def value_key(value: float) -> float:
    return round(value, 6)


# Units a span of years is counted in, with their length in years.
_YEAR_UNITS = {stem("year"): 1, stem("decade"): 10}
_AGE = re.compile(r"[\s-]*years?[\s-]+old\b", re.I)


def spans_years(q: Quantity, spans: set[int], text: str) -> bool:
    """``q``, a number of ``text``, counts one of ``spans``, whole years from a start a
    source gives to its present ("for more than 40 years", "in four decades" where a source
    of 2016 says "since 1976"); an age ("40-year-old") is no span. Without months a span
    of n years is n - 1 to n years and some months: "n years", "n - 1 years", "more than
    n - 1 years" and "more than n years" fit it; "nearly", "under" or "about" n or n + 1
    years too."""
    if not spans or q.cls != "amount" or q.unit not in _YEAR_UNITS or _AGE.match(text, q.end):
        return False
    years = q.value * _YEAR_UNITS[q.unit]
    low, high = -1, 0  # years - span
    if q.comparator == "<":
        low, high = 0, 1
    elif q.comparator == "~":
        low, high = -1, 1
    return any(low <= years - span <= high for span in spans)


def find_quantities(text: str, skip: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Every number in ``text`` outside the ``skip`` spans (dates found earlier)."""
    skip = list(skip or [])
    found: list[Quantity] = []
    for match in _DIGITS.finditer(text) if _ANY_DIGIT.search(text) else ():
        start, end = match.span()
        num_start = match.start("num")
        if _overlaps(num_start, end, skip) or _attached_to_word(text, num_start):
            continue
        value = float(match["num"].replace(",", ""))
        cls = "amount"
        if match["ord"]:
            if "." in match["num"]:
                continue
            cls = "ordinal"
        scale = match["scale"]
        if scale:
            lower = scale.lower()
            if lower in _SCALES:
                value *= _SCALES[lower]
            elif lower in ("bn", "mn", "mln") or match["cur"]:
                value *= _SHORT_SCALES[lower]
            else:  # "5m" without currency is more likely metres: leave the scale out
                end = match.end("num") + (len(match["ord"]) if match["ord"] else 0)
        end, cls = _percent_or_money(text, end, cls, bool(match["cur"]))
        found.append(_quantity(text, start, end, value, cls))
        skip.append((start, end))
    found.extend(_word_numbers(text, skip))
    found.sort(key=lambda q: q.start)
    return found


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _attached_to_word(text: str, start: int) -> bool:
    """'Covid-19', 'MH17', 'F-16', 'G7': a code, not a quantity."""
    if start == 0:
        return False
    before = text[start - 1]
    if before.isalpha():
        return True
    return before == "-" and start >= 2 and text[start - 2].isalpha()


def _percent_or_money(text: str, end: int, cls: str, currency: bool) -> tuple[int, str]:
    match = _PERCENT.match(text, end)
    if match and cls == "amount":
        return match.end(), "percent"
    money = re.compile(r"\s(?:" + _CURRENCY_WORDS + r")\b", re.I).match(text, end)
    if money:
        return money.end(), cls
    return end, cls


def _quantity(text: str, start: int, end: int, value: float, cls: str) -> Quantity:
    return Quantity(
        start=start,
        end=end,
        surface=text[start:end].strip(),
        value=value,
        cls=cls,
        unit=_unit_after(text, end) if cls != "percent" else "%",
        comparator=_comparator_before(text, start),
    )


_UNIT_WORD = re.compile(r"[\s-]*(?:of\s+)?([A-Za-z]+)")
# A capitalised word and a lower-case one after it: "105 African migrants".
_QUALIFIED_UNIT = re.compile(r"\s+[A-Z][a-z]+\s+([a-z]+)\b")


def _unit_after(text: str, end: int) -> str | None:
    """The word a number counts: '30 soldiers' -> 'soldier', '10-year-old' -> 'year',
    '105 African migrants' -> 'migrant' (a capitalised word qualifying the noun)."""
    qualified = _QUALIFIED_UNIT.match(text, end)
    match = _UNIT_WORD.match(text, qualified.start(1) if qualified else end)
    if not match:
        return None
    word = match.group(1).lower()
    if word in STOPWORDS or word in _SCALES or word in _UNITS:
        return None
    return stem(word)


def _comparator_before(text: str, start: int) -> str | None:
    before = text[max(0, start - 20) : start].lower().split()
    for size in (2, 1):
        phrase = " ".join(before[-size:])
        if len(before) >= size and phrase in _COMPARATORS:
            return _COMPARATORS[phrase]
    return None


def _word_numbers(text: str, skip: list[tuple[int, int]]) -> list[Quantity]:
    """Numbers written as words: 'four', 'twenty-one', 'two hundred', 'a dozen', 'second'."""
    if not _has_number_word(text):  # most sentences have none: no need to read them
        return []
    tokens = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD_TOKEN.finditer(text)]
    out: list[Quantity] = []
    i = 0
    while i < len(tokens):
        start, end, word = tokens[i]
        if (word not in _FIRST_WORDS and "-" not in word) or _overlaps(start, end, skip):
            i += 1
            continue
        if word in _ORDINAL_WORDS or _compound_ordinal(word) is not None:
            value = _ORDINAL_WORDS.get(word) or _compound_ordinal(word)
            if word not in _TOO_COMMON_ORDINALS and not _is_fraction(tokens, i):
                out.append(_quantity(text, start, end, float(value or 0), "ordinal"))
            i += 1
            continue
        parsed = _parse_number_words(tokens, i)
        if parsed is None:
            i += 1
            continue
        value, j = parsed
        half = [t[2] for t in tokens[j : j + 3]] == ["and", "a", "half"]
        if half:  # "three and a half years" is 3.5 years
            j += 3
        q_end = tokens[j - 1][1]
        q_end, cls = _percent_or_money(text, q_end, "amount", False)
        out.append(_quantity(text, start, q_end, value + 0.5 * half, cls))
        i = j
    return out


def _has_number_word(text: str) -> bool:
    if text.isascii() or not any(odd in text for odd in _ODD_CASE):
        return _NUMBER_WORD_LOWER.search(text.lower()) is not None
    return _NUMBER_WORD.search(text) is not None


def _is_fraction(tokens: list[tuple[int, int, str]], i: int) -> bool:
    """'a third of', 'two fifths': a share, not a rank."""
    before = tokens[i - 1][2] if i else ""
    after = tokens[i + 1][2] if i + 1 < len(tokens) else ""
    return (before in ("a", "one") or before in _UNITS) and after == "of"


def _compound_ordinal(word: str) -> int | None:
    """'twenty-first' -> 21."""
    if "-" not in word:
        return None
    head, _, tail = word.partition("-")
    if head in _TENS and tail in _ORDINAL_WORDS and _ORDINAL_WORDS[tail] < 10:
        return _TENS[head] + _ORDINAL_WORDS[tail]
    return None


def _word_value(word: str) -> int | None:
    if word in _UNITS:
        return _UNITS[word]
    if word in _TENS:
        return _TENS[word]
    if "-" in word:
        head, _, tail = word.partition("-")
        if head in _TENS and tail in _UNITS and _UNITS[tail] < 10:
            return _TENS[head] + _UNITS[tail]
    return None


def _parse_number_words(tokens: list[tuple[int, int, str]], i: int) -> tuple[int, int] | None:
    """Parse a run of number words from token ``i``: (value, index after the run)."""
    total, current, j, seen = 0, 0, i, 0
    first = tokens[i][2]
    if first == "a" and i + 1 < len(tokens) and tokens[i + 1][2] in (*_SCALES, "dozen"):
        current, j = 1, i + 1
    while j < len(tokens):
        word = tokens[j][2]
        value = _word_value(word)
        if value is not None:
            # "two hundred five", "twenty five": a unit may follow a round tens or hundreds
            if not (
                current % 100 == 0 or (current % 10 == 0 and current % 100 >= 20 and value < 10)
            ):
                break
            current += value
        elif word == "dozen" and (seen or current):
            current = (current or 1) * 12
        elif word in _SCALES and (seen or current):
            scale = _SCALES[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        elif word == "and" and seen and j + 1 < len(tokens) and _word_value(tokens[j + 1][2]):
            j += 1
            continue
        else:
            break
        seen += 1
        j += 1
    if not seen:
        return None
    value = total + current
    # "one" on its own is a pronoun far more often than a count ("one of the", "no one").
    if seen == 1 and tokens[i][2] == "one":
        return None
    return value, j
