"""Dates and times in English news text, reduced to comparable facts.

"June 1", "1st of June" and "Jun. 1" are the same fact ``("day", 6, 1)``; "5 p.m.",
"5pm" and "17:00" are ``("time", 17, 0)``. A draft's date facts must each be found
among its sources' facts (including what the articles' publication dates imply, such as
the weekday of a dated event), so a moved date, weekday, month, year or time is caught.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import re
from dataclasses import dataclass

Fact = tuple  # ("year", 2025) | ("month", 6) | ("day", 6, 1) | ("date", 2025, 6, 1) | ("weekday", 0) | ("time", 17, 0) | ("season", 2)

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

# Month names are capitalised in English: that keeps the verbs "may" and "march" out.
_MONTH = (
    r"(?P<{n}>(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|"
    r"JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)"
    r"(?![a-z])\.?)"
)
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<{n}>1[6-9]\d\d|20\d\d)(?!\d)"

# What each pattern below cannot match without (checked once a text, so most sentences
# skip most scans): a digit, a month name, a weekday, "noon"/"midnight", a season word.
_DIGIT, _MONTH_WORD, _WEEKDAY_WORD, _NOON_WORD, _SEASON_WORD = range(5)

_PATTERNS = [
    # June 1, 2025 / Jun. 1 / June 1st
    re.compile(
        r"\b"
        + _MONTH.format(n="m")
        + r"\s+"
        + _DAY.format(n="d")
        + r"(?:,?\s+"
        + _YEAR.format(n="y")
        + r")?(?![\d,.]\d)"
    ),
    # 1 June 2025 / 1st of June
    re.compile(
        r"(?<![\d.,$])\b"
        + _DAY.format(n="d")
        + r"\s+(?:of\s+)?"
        + _MONTH.format(n="m")
        + r"(?:,?\s+"
        + _YEAR.format(n="y")
        + r")?"
    ),
    # June 2025 / June of 2025
    re.compile(r"\b" + _MONTH.format(n="m") + r"\s+(?:of\s+)?" + _YEAR.format(n="y")),
    # 2025-06-01
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mn>[01]\d)-(?P<d>[0-3]\d)\b"),
    # 6/1/2025 (US order, the usual one in English news)
    re.compile(r"\b(?P<mn>1[0-2]|0?[1-9])/(?P<d>[0-3]?\d)/(?P<y>(?:19|20)?\d\d)\b"),
    # a month on its own ("in June"); "May" alone is too often the verb
    re.compile(r"\b" + _MONTH.format(n="m").replace("May|", "").replace("MAY|", "")),
    # weekdays
    re.compile(r"\b(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"),
    # 5 p.m. / 5pm / 12:01am / 10:30 a.m.
    re.compile(
        r"(?<![\d:.,])\b(?P<h>[01]?\d)(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?",
        re.I,
    ),
    # 14:01 (24-hour clock)
    re.compile(r"(?<![\d:.,])\b(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?![\d:])"),
    # noon, midnight
    re.compile(r"\b(?P<noon>noon|midnight)\b", re.I),
    # decades: the 1990s, '90s
    re.compile(r"(?<![\w$.,])(?P<dec>1[89]\d0|20\d0)s\b"),
    # seasons, where a time word marks them as such ("this summer", "in the spring";
    # not "a spring in their step", "the fall of Rome")
    re.compile(
        r"\b(?:this|last|next|early|late|mid|in|during|over|throughout)(?:\s+the)?[\s-]+"
        r"(?P<season>spring|summer|autumn|winter)\b",
        re.I,
    ),
]
SEASONS = {"winter": 0, "spring": 1, "summer": 2, "autumn": 3}
# The cues each of _PATTERNS needs, in its order (all of them must be in the text).
_NEEDS: tuple[tuple[int, ...], ...] = (
    (_MONTH_WORD, _DIGIT),
    (_MONTH_WORD, _DIGIT),
    (_MONTH_WORD, _DIGIT),
    (_DIGIT,),
    (_DIGIT,),
    (_MONTH_WORD,),
    (_WEEKDAY_WORD,),
    (_DIGIT,),
    (_DIGIT,),
    (_NOON_WORD,),
    (_DIGIT,),
    (_SEASON_WORD,),
)
# Built from the same word lists as the patterns, as looser searches: every month name the
# patterns read starts with its capitalised or upper-case three-letter form ("Sept": "Sep").
_CUES = (
    re.compile(r"\d"),
    re.compile("|".join(sorted({f(m[:3]) for m in MONTHS for f in (str.capitalize, str.upper)}))),
    re.compile("|".join(w.capitalize() for w in WEEKDAYS)),
    re.compile(r"noon|midnight", re.I),
    re.compile("|".join(SEASONS), re.I),
)
# A bare year; numbers in this range followed by a unit or % are amounts, not years.
_BARE_YEAR = re.compile(
    r"(?<![\w$€£¥.,\-/:])(?P<y>1[6-9]\d\d|20\d\d)(?!\w|%|[.,]\d|\s*(?:%|percent|per cent|"
    r"thousand|million|billion|trillion)\b)"
)


# "since 1976", "since March 1976", "since early 1976": where a span running to the
# article's present starts ("the lowest since 1976" is "the lowest in 40 years" in 2016);
# not a decade ("since the 1990s") nor a season ("since 2015-16").
_SINCE_YEAR = re.compile(
    r"\b[Ss]ince\s+(?:(?:early|mid|late|(?:[0-3]?\d(?:st|nd|rd|th)?\s+)?"
    r"[A-Z][a-z]+\.?(?:\s+[0-3]?\d(?:st|nd|rd|th)?)?,?)\s+)?" + _YEAR.format(n="y") + r"(?![\w-])"
)


@dataclass(frozen=True)
class DateMention:
    """One date or time expression in a text and the facts it states."""

    start: int
    end: int
    surface: str
    facts: tuple[Fact, ...]


def find_dates(text: str) -> list[DateMention]:
    """Date and time expressions, longest first where they overlap."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    cues = [cue.search(text) is not None for cue in _CUES]
    if not any(cues):  # most sentences: nothing any pattern could match
        return found
    for pattern, needs in zip(_PATTERNS, _NEEDS, strict=True):
        if not all(cues[n] for n in needs):
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            facts = _facts(match)
            if not facts:
                continue
            taken.append((start, end))
            found.append(DateMention(start, end, match.group(0).strip(), facts))
    for match in _BARE_YEAR.finditer(text) if cues[_DIGIT] else ():
        start, end = match.span()
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        found.append(DateMention(start, end, match.group(0), (("year", int(match["y"])),)))
    found.sort(key=lambda m: m.start)
    return found


def _group(match: re.Match[str], name: str) -> str | None:
    try:
        return match.group(name)
    except IndexError:
        return None


def _facts(match: re.Match[str]) -> tuple[Fact, ...]:
    facts: list[Fact] = []
    month_name = _group(match, "m")
    month = MONTHS.get(month_name.rstrip(".").lower()) if month_name else None
    if _group(match, "mn"):
        month = int(match["mn"])
    day = int(match["d"]) if _group(match, "d") else None
    year_text = _group(match, "y")
    if year_text:
        year = int(year_text)
        if year < 100:
            year += 2000 if year < 50 else 1900
        facts.append(("year", year))
    if month and day:
        if not 1 <= day <= 31:
            return ()
        facts.append(("day", month, day))
        if year_text:
            facts.append(("date", facts[0][1], month, day))
    elif month:
        facts.append(("month", month))
    if _group(match, "w"):
        facts.append(("weekday", WEEKDAYS[match["w"].lower()]))
    if _group(match, "h"):
        hour = int(match["h"])
        minute = int(match["mi"] or 0)
        ap = (_group(match, "ap") or "").lower()
        if ap:
            if hour > 12:
                return ()
            hour = hour % 12 + (12 if ap == "p" else 0)
        facts.append(("time", hour, minute))
    if _group(match, "noon"):
        facts.append(("time", 12 if match["noon"].lower() == "noon" else 0, 0))
    if _group(match, "dec"):
        facts.append(("decade", int(match["dec"])))
    if _group(match, "season"):
        facts.append(("season", _season(match["season"])))
    return tuple(facts)


def _season(word: str) -> int:
    """The season a word the (case-blind) pattern matched names: "Summer", and "ſummer",
    which re.I reads as "summer" but str.lower() leaves as it is."""
    return SEASONS.get(word.lower()) or next(
        number for name, number in SEASONS.items() if re.fullmatch(name, word, re.I)
    )


def implied_facts(facts: set[Fact], published: dt.date | None) -> set[Fact]:
    """Facts a reader can infer: a full date implies its day, month, year and weekday; a
    day without a year is taken to be in the publication year (``published``, the date
    the source gave, as it wrote it)."""
    out = set(facts)
    pub_year: int | None = None
    if published:
        pub_year = published.year
        out.add(("date", published.year, published.month, published.day))
    for fact in list(out):
        if fact[0] == "day" and pub_year:
            out.add(("date", pub_year, fact[1], fact[2]))
    for fact in list(out):
        if fact[0] == "date":
            with contextlib.suppress(ValueError):
                out.add(("weekday", dt.date(fact[1], fact[2], fact[3]).weekday()))
            out.update({("year", fact[1]), ("month", fact[2]), ("day", fact[2], fact[3])})
        elif fact[0] == "day":
            out.add(("month", fact[1]))
    for fact in list(out):
        if fact[0] == "year":
            out.add(("decade", fact[1] // 10 * 10))
        elif fact[0] == "month":  # its season (northern: June to August is summer)
            out.add(("season", fact[1] % 12 // 3))
    return out


def since_years(text: str) -> list[int]:
    """Years ``text`` starts a span at: "the lowest figure since 1976" -> [1976]."""
    if "ince" not in text:  # most sentences: no need to scan them
        return []
    return [int(m["y"]) for m in _SINCE_YEAR.finditer(text)]


def present_year(facts: set[Fact], published: dt.date | None) -> int | None:
    """The year an article is written in: its publication year, else the year of the latest
    full date it gives (``facts``, its date facts: "As of 31 March 2016"; a bare year is
    as often a plan as the present: "by 2030")."""
    if published:
        return published.year
    return max((f[1] for f in facts if f[0] == "date"), default=None)


def describe(fact: Fact) -> str:
    """A fact in words, for the report."""
    kind = fact[0]
    if kind == "day":
        return f"{_month_name(fact[1])} {fact[2]}"
    if kind == "date":
        return f"{_month_name(fact[2])} {fact[3]}, {fact[1]}"
    if kind == "month":
        return _month_name(fact[1])
    if kind == "weekday":
        return next(k for k, v in WEEKDAYS.items() if v == fact[1]).capitalize()
    if kind == "time":
        return f"{fact[1]:02d}:{fact[2]:02d}"
    if kind == "decade":
        return f"the {fact[1]}s"
    if kind == "season":
        return next(k for k, v in SEASONS.items() if v == fact[1])
    return str(fact[1])


def _month_name(month: int) -> str:
    return next(k for k, v in MONTHS.items() if v == month).capitalize()


def weekday_mismatches(mentions: list[DateMention], text: str) -> list[str]:
    """'Monday, May 15, 2013' when May 15, 2013 was a Wednesday: the text contradicts itself."""
    out = []
    for first, second in itertools.pairwise(mentions):
        if text[first.end : second.start].strip(" ,") or len(text[first.end : second.start]) > 3:
            continue
        weekdays = [f[1] for f in first.facts if f[0] == "weekday"]
        dates = [f for f in second.facts if f[0] == "date"]
        if weekdays and dates:
            try:
                actual = dt.date(dates[0][1], dates[0][2], dates[0][3]).weekday()
            except ValueError:
                continue
            if actual != weekdays[0]:
                out.append(
                    f"'{first.surface}, {second.surface}': that date was a "
                    f"{describe(('weekday', actual))}"
                )
    return out
