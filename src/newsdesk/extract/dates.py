"""Find a publication date (and time) written in a line of page text, in many formats.

Numeric forms (2018-08-25, 2016.12.01, 25.08.2018, 2018年8月25日, 2018년 8월 25일) are read
with regular expressions; forms with a month name in any language ("07 June 2025",
"November 18, 2019", "12 марта 2019") are handed to ``dateparser`` restricted to the
page's language, on the short matched fragment only, which keeps it fast.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_YEAR = r"(?:19[7-9]\d|20\d\d)"
_YMD = re.compile(
    rf"(?<!\d)({_YEAR})\s*(?:[-./]|年|년)\s*(\d{{1,2}})\s*(?:[-./]|月|월)\s*(\d{{1,2}})(?!\d)"
)
_DMY = re.compile(rf"(?<!\d)(\d{{1,2}})[./-](\d{{1,2}})[./-]({_YEAR})(?!\d)")
_WORD = r"[^\W\d_]{3,20}\.?"  # bounded: a megabyte word must not backtrack
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?({_WORD})\s+(?:de\s+)?,?\s*({_YEAR})"
)
_MONTH_DAY_YEAR = re.compile(rf"({_WORD})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+({_YEAR})")
_TIME = re.compile(
    r"(?<![\d:])([01]?\d|2[0-3])[:h.](\d\d)(?::(\d\d))?(?!\d)\s*([AaPp]\.?\s?[Mm]\.?)?"
)
_OFFSET = re.compile(r"^\s*(?:UTC|GMT)?\s*([+-])(\d\d):?(\d\d)\b|^\s*(Z|UTC|GMT)\b")


@lru_cache(maxsize=512)
def _month_number(name: str, language: str | None) -> int | None:
    """A month name or abbreviation in the page's language (or English) -> 1..12."""
    import dateparser

    text = f"15 {name} 2001"
    languages = [language, "en"] if language and language != "en" else ["en"]
    try:
        parsed = dateparser.parse(text, languages=languages)
    except Exception:  # dateparser rejects language codes it has no data for
        parsed = None
    if parsed is None and language and language != "en":
        # Let dateparser find the language itself: slower, but cached per month name.
        parsed = dateparser.parse(text)
    if parsed is None or parsed.year != 2001 or parsed.day != 15:
        return None
    return parsed.month


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _find_date(text: str, language: str | None) -> tuple[date, int] | None:
    """The first date in the text and the index where it ends."""
    found: list[tuple[int, date, int]] = []
    for match in _YMD.finditer(text):
        d = _valid(int(match[1]), int(match[2]), int(match[3]))
        if d:
            found.append((match.start(), d, match.end()))
    for match in _DMY.finditer(text):
        first, second = int(match[1]), int(match[2])
        # Day first everywhere but in US English, where month/day/year is the custom.
        month, day = (first, second) if language == "en" and "/" in match[0] else (second, first)
        d = _valid(int(match[3]), month, day) or _valid(int(match[3]), first, second)
        if d:
            found.append((match.start(), d, match.end()))
    for match in _DAY_MONTH_YEAR.finditer(text):
        month = _month_number(match[2].rstrip("."), language)
        d = month and _valid(int(match[3]), month, int(match[1]))
        if d:
            found.append((match.start(), d, match.end()))
    for match in _MONTH_DAY_YEAR.finditer(text):
        month = _month_number(match[1].rstrip("."), language)
        d = month and _valid(int(match[3]), month, int(match[2]))
        if d:
            found.append((match.start(), d, match.end()))
    if not found:
        return None
    _, d, end = min(found, key=lambda item: item[0])
    return d, end


def parse_date(text: str, language: str | None = None) -> str | None:
    """An ISO 8601 date (with time, and offset when written) found in the text, or None."""
    found = _find_date(text, language)
    if found is None:
        return None
    day, end = found
    # The time, when given, follows the date closely ("07 June 2025 14:01", "at 9:45 am").
    tail = text[end : end + 40]
    match = _TIME.search(tail)
    if not match:
        return day.isoformat()
    hour, minute = int(match[1]), int(match[2])
    meridiem = (match[4] or "").lower().replace(".", "").replace(" ", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return day.isoformat()
    stamp = datetime(day.year, day.month, day.day, hour, minute).isoformat(timespec="minutes")
    offset = _OFFSET.match(tail[match.end() :])
    if offset and offset[1]:
        stamp += f"{offset[1]}{offset[2]}:{offset[3]}"
    elif offset and offset[4]:
        stamp += "+00:00"
    return stamp
