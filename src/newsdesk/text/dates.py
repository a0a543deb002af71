"""Dates and times in any form, read by one parser and written back as ISO 8601.

Every date the project reads goes through ``parse_date``: ISO 8601 and HTML metadata
("2019-11-18T10:00:00+01:00", "Mon, 18 Nov 2019 10:00:00 GMT"), numeric forms
(2018-08-25, 2016.12.01, 25.08.2018, 2018年8月25日, 2018년 8월 25일), dates with a month
name in any language ("07 June 2025", "November 18, 2019", "12 марта 2019", "7 juin
2025"), and, against the time the page was fetched, relative ones ("3 hours ago", "vor 2
Tagen", "3時間前"). Numeric forms are read with regular expressions; month names and
relative dates are handed to ``dateparser``, restricted to the page's language and to the
short matched fragment only, which keeps it fast. Most need no dateparser at all (its import
and first reading cost a worker process about a third of a second): month names are looked
up in CLDR's names of the page's language (Babel), on an English page or one of unknown
language in the names of every language in ``MONTH_LANGUAGES`` (``months.json``), and
English relative dates in seconds to weeks ("3 hours ago", "yesterday") are counted back
here.

A ``Moment`` says whether only the date was written (``date_only``): ISO text keeps that
distinction ("2025-06-07" against "2025-06-07T14:01:00"). The page's timezone offset is
kept when written; a time without one stays naive, and comparisons (``as_utc``) count a
naive time as UTC and a date alone as midnight UTC.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from newsdesk.text.urls import archived_original


@dataclass(frozen=True)
class Moment:
    """A time as a page wrote it: the datetime, and whether only its date was written."""

    when: datetime  # midnight (naive) when date_only; naive when no offset was written
    date_only: bool = False

    def isoformat(self) -> str:
        """ISO 8601: the date alone when only the date is known."""
        return to_iso(self.when, self.date_only)


def to_iso(when: datetime, date_only: bool = False) -> str:
    """ISO 8601 text of a time read by ``parse_date``: the date alone when only it is known."""
    return when.date().isoformat() if date_only else when.isoformat()


def as_utc(value: str | date | datetime | None) -> datetime | None:
    """A timezone-aware datetime for ISO 8601 text (``Z`` allowed), a date or a datetime.

    ``None`` for anything that is no time. A time without an offset counts as UTC; a date
    alone as midnight UTC. (Strict ISO 8601 only: text in words goes to ``parse_date``.)
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def utc_iso(value: str | date | datetime | None, timespec: str = "microseconds") -> str | None:
    """ISO 8601 in UTC (``as_utc``), one fixed shape so that such texts compare correctly."""
    moment = as_utc(value)
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec=timespec)


def epoch_seconds(value: object) -> float | None:
    """Seconds since the epoch (UTC) for a datetime, a date, ISO 8601 text or a number.

    Numbers above 1e11 are taken as milliseconds (as news aggregators write them).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number / 1000.0 if abs(number) > 1e11 else number
    if isinstance(value, Moment):
        value = value.when
    moment = as_utc(value if isinstance(value, date) else str(value))
    return None if moment is None else moment.timestamp()


def iso_from_epoch(seconds: float) -> str:
    """ISO 8601 text in UTC, to the second, of seconds since the epoch."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


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
    r"(?<![\d:])([01]?\d|2[0-3])[:h.](\d\d)(?::(\d\d)(?:[.,]\d+)?)?(?!\d)\s*([AaPp]\.?\s?[Mm]\.?)?"
)
_OFFSET = re.compile(r"^\s*(?:UTC|GMT)?\s*([+-])(\d\d):?(\d\d)\b|^\s*(Z|UTC|GMT)\b")
# How far after a date its time may be written ("07 June 2025, updated at 14:01").
_TIME_REACH = 40
# A relative date: worth asking dateparser about only when one of these is written.
_RELATIVE = re.compile(
    r"(?:\d+|\ban?|\bone)\s*[^\W\d_]{1,20}\s+(?:ago|назад|тому|geleden|temu|fa|sedan|siden)\b"
    r"|\b(?:vor|il y a|hace|há|hai)\s+\d+\s*[^\W\d_]{1,20}"
    r"|\d+\s*(?:秒|分|分钟|分鐘|時間|小时|小時|天|日|초|분|시간|일)\s*(?:前|전)"
    r"|\b(?:yesterday|gestern|hier|ayer|ieri|ontem|вчера|вчора|gisteren|wczoraj|igår|i går)\b",
    re.I,
)
_RELATIVE_MAX_CHARS = 80


# English month names and abbreviations: read without dateparser (whose import is most of
# the start-up of a command reading one page). Every language's reading agrees on them:
# dateparser with each of 28 languages, then English, gives these months for all of them.
_ENGLISH_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ),
        start=1,
    )
    for name in names.split()
}


@lru_cache(maxsize=512)
def _month_number(name: str, language: str | None) -> int | None:
    """A month name or abbreviation in English, else in the page's language (CLDR's names),
    else in any language dateparser knows -> 1..12."""
    lower = name.lower()
    english = _ENGLISH_MONTHS.get(lower)
    if english is not None:
        return english
    if language:
        number = _cldr_months(language).get(lower)
        if number is not None:
            return number
    if language in (None, "en"):
        # An English page quoting a date in another language ("12 марта 2019"), or a page
        # of unknown language: the name in any language's CLDR names gives the month that
        # dateparser gives (compared name by name: BENCHMARKS.md), without its cost.
        number = _any_language_months().get(lower)
        if number is not None:
            return number
    import dateparser

    # Without REQUIRE_PARTS a word that is no month passes with today's month: dateparser
    # reads "set" (Italian and Portuguese September) or "mart" (Turkish March) beside
    # English as a time zone, so "15 set 2001" came out as 15 December.
    settings = {"REQUIRE_PARTS": ["day", "month", "year"]}
    text = f"15 {name} 2001"
    languages = [language, "en"] if language and language != "en" else ["en"]
    try:
        parsed = dateparser.parse(text, languages=languages, settings=settings)
    except Exception:  # dateparser rejects language codes it has no data for
        parsed = None
    if parsed is None:
        # A month named in another language than the page's ("12 марта 2019" quoted on an
        # English page): let dateparser find the language itself, slower but cached per name.
        parsed = dateparser.parse(text, settings=settings)
    if parsed is None or parsed.year != 2001 or parsed.day != 15:
        return None
    return parsed.month


@lru_cache(maxsize=128)
def _cldr_months(language: str) -> dict[str, int]:
    """The month names and abbreviations of ``language`` in CLDR (as Babel carries it: the
    form inside a date and the one standing alone, "марта" and "март"), lower-cased and
    without a closing dot -> 1..12; a name two months share is left out; {} for a language
    CLDR lacks. A few milliseconds a language, where dateparser's import and its reading
    of one language's data take a tenth of a second or more."""
    from babel import localedata

    # The language's own data, not merged with its parents: text.names.build_places reads
    # it so, and Babel keeps whichever form a process loaded first.
    if not language.isalpha() or not localedata.exists(language):
        return {}
    months = localedata.load(language, merge_inherited=False).get("months", {})
    found: dict[str, set[int]] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            names = months.get(context, {}).get(width)
            if isinstance(names, dict):  # not an alias of another form: that one is read
                for number, written in names.items():
                    found.setdefault(written.lower().rstrip("."), set()).add(number)
    return {name: next(iter(numbers)) for name, numbers in found.items() if len(numbers) == 1}


# Languages whose CLDR month names ``months.json`` holds: those the language guess knows
# (``text.language``) and a few more of the commonest in news.
MONTH_LANGUAGES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "nb", "nn", "da", "fi", "pl", "cs", "sk",
    "sl", "hr", "sr", "bs", "ro", "hu", "tr", "lt", "lv", "et", "ru", "uk", "be", "bg", "mk",
    "el", "ca", "gl", "id", "ms", "af", "sq", "eu", "is", "sw", "tl", "vi", "ar", "fa", "ur",
    "he", "hi",
)  # fmt: skip
MONTHS_FILE = Path(__file__).with_name("months.json")
_ONE_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _any_language_months() -> dict[str, int]:
    """``months.json``'s names -> 1..12, or where the file is missing, ``build_months()``."""
    try:
        table = json.loads(MONTHS_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return build_months()
    return table["months"]


def is_month_name(word: str) -> bool:
    """Whether a word is a month's name or abbreviation in any language of ``months.json``
    (three letters or more: the shortest forms, "ag" or "api", are words elsewhere)."""
    lower = word.lower().rstrip(".")
    return len(lower) >= 3 and lower in _any_language_months()


def build_months() -> dict[str, int]:
    """The month names and abbreviations of every language in ``MONTH_LANGUAGES`` (CLDR, as
    ``_cldr_months`` reads them) -> 1..12; a name two months share (Polish "listopad" is
    November, Croatian October) is left out, and so is one no date pattern reads as one word
    (Catalan "de juny", Vietnamese "tháng 6")."""
    found: dict[str, set[int]] = {}
    for language in MONTH_LANGUAGES:
        for name, number in _cldr_months(language).items():
            if _ONE_WORD.fullmatch(name):
                found.setdefault(name, set()).add(number)
    return {name: min(numbers) for name, numbers in sorted(found.items()) if len(numbers) == 1}


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _find_day(text: str, language: str | None) -> tuple[date, int] | None:
    """The first date written in the text and the index where it ends."""
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


def _time_after(day: date, tail: str) -> datetime | None:
    """The time written just after a date ("14:01", "T14:01:00+02:00", "at 9:45 am")."""
    match = _TIME.search(tail)
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    meridiem = (match[4] or "").lower().replace(".", "").replace(" ", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    zone = None
    offset = _OFFSET.match(tail[match.end() :])
    if offset and offset[1]:
        delta = timedelta(hours=int(offset[2]), minutes=int(offset[3]))
        if delta < timedelta(hours=15):
            zone = timezone(-delta if offset[1] == "-" else delta)
    elif offset and offset[4]:
        zone = UTC
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)


def _relative(text: str, language: str | None, relative_to: datetime) -> Moment | None:
    """A relative date ("3 hours ago", "vor 2 Tagen", "yesterday") against ``relative_to``."""
    match = _RELATIVE.search(text)
    if not match:
        return None
    base = relative_to.replace(tzinfo=None)
    parsed = _english_relative(match[0], base) if language in (None, "en") else None
    if parsed is None:
        import dateparser

        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        try:
            parsed = dateparser.parse(
                match[0], languages=[language] if language else None, settings=settings
            )
        except Exception:  # dateparser rejects language codes it has no data for
            parsed = None
    if parsed is None or parsed > base:
        return None
    moment = parsed.replace(tzinfo=relative_to.tzinfo)
    # "2 days ago", "yesterday": the day is known, not the hour.
    if (base - parsed) % timedelta(days=1) == timedelta(0):
        return Moment(datetime(moment.year, moment.month, moment.day), date_only=True)
    return Moment(moment.replace(microsecond=0))


# "3 hours ago", "an hour ago", "yesterday": English in units of fixed length, counted back
# here as dateparser counts them (tests/text/test_dates.py holds the two together); months
# and years (of varying length) and every other language are dateparser's.
_ENGLISH_AGO = re.compile(
    r"(\d{1,4}|an?|one)\s*(second|sec|minute|min|hour|day|week)s?\s+ago", re.IGNORECASE
)
_UNIT_SECONDS = {
    "second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "day": 86400, "week": 604800,
}  # fmt: skip


def _english_relative(phrase: str, base: datetime) -> datetime | None:
    """``base`` less the English relative date ``phrase`` (``_RELATIVE``'s match), or None
    where it is not one this reads."""
    if phrase.lower() == "yesterday":
        return base - timedelta(days=1)
    match = _ENGLISH_AGO.fullmatch(phrase)
    if match is None:
        return None
    count = int(match[1]) if match[1].isdigit() else 1
    return base - timedelta(seconds=count * _UNIT_SECONDS[match[2].lower()])


_MONTH_ABBREVIATIONS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
# /2019/03/14/ or /2004/nov/14/ (also with - or _ between), then 20190314 in a path segment.
_URL_YMD = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[/_-](\d{1,2}|[a-z]{3})[/_-](\d{1,2})(?!\d)", re.IGNORECASE
)
_URL_COMPACT = re.compile(r"(?<![\d])((?:19|20)\d\d)(\d\d)(\d\d)(?![\d])")


def url_date(url: str | None) -> Moment | None:
    """The date a news URL's path holds (``/2019/03/14/``, ``/2004/nov/14/``, ``-20190314``),
    date only, or None. The host never holds it; a web archive's capture stamp is skipped."""
    if not url:
        return None
    # A web archive's capture stamp is the capture's date, not the article's.
    path = (archived_original(url) or url).split("://", 1)[-1]
    path = path.split("/", 1)[1] if "/" in path else ""
    for pattern in (_URL_YMD, _URL_COMPACT):
        for match in pattern.finditer(path):
            year, month, day = match.groups()
            number = int(month) if month.isdigit() else _MONTH_ABBREVIATIONS.get(month.lower())
            found = number and _valid(int(year), number, int(day))
            if found:
                return Moment(datetime(found.year, found.month, found.day), date_only=True)
    return None


def parse_date(
    text: str | None, language: str | None = None, relative_to: datetime | None = None
) -> Moment | None:
    """The first date (with its time and offset when written) in a text, or None.

    ``language`` (ISO 639-1) helps read month names and tells 05/06/2019 (day first
    everywhere but in US English); ``relative_to``, the time the page was fetched, lets
    "3 hours ago" be read (without it relative dates are not dates).
    """
    if not text:
        return None
    found = _find_day(text, language)
    if found is None:
        if relative_to is not None and len(text) <= _RELATIVE_MAX_CHARS:
            return _relative(text, language, relative_to)
        return None
    day, end = found
    when = _time_after(day, text[end : end + _TIME_REACH])
    if when is None:
        return Moment(datetime(day.year, day.month, day.day), date_only=True)
    return Moment(when)


def from_iso(text: str | None) -> Moment | None:
    """A Moment for ISO 8601 text as the project writes it ("2025-06-07", "...T14:01:00+02:00").

    Other forms go through ``parse_date``: this is the fast path for what was written by
    ``Moment.isoformat``, falling back to ``parse_date`` for anything else.
    """
    if not text:
        return None
    text = text.strip()
    if len(text) == 10:
        try:
            return Moment(datetime.combine(date.fromisoformat(text), datetime.min.time()), True)
        except ValueError:
            pass
    try:
        return Moment(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")))
    except ValueError:
        return parse_date(text)
