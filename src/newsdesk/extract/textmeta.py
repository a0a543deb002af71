"""Read an article's metadata from flattened page text: headline, date, byline, site name.

The lines around the article's first paragraph carry the headline, the dateline and
the byline; the lines just after its last paragraph often carry a byline too, and the
page's footer a copyright line naming the site. Each finder returns the line it read
so that those lines are kept out of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from newsdesk.extract.lines import Line
from newsdesk.text.dates import Moment, parse_date
from newsdesk.text.sites import site_host
from newsdesk.text.words import stop_words

# How far above the first paragraph the headline and dateline may sit (non-blank lines).
HEAD_WINDOW = 12
# How far past the last paragraph a byline may sit.
TAIL_WINDOW = 5
# A dateline or byline is short; a longer line with a date is prose that mentions one.
MAX_META_UNITS = 16
# ...and short in characters too: a megabyte "word" is junk, and date patterns backtrack on it.
MAX_META_CHARS = 400

# "By" in the languages of the world's larger news sites, as a byline opens.
_BYLINE = re.compile(
    r"^(?:by|written by|posted by|words by|author|authors|reporter|von|par|por|di|door|av|af|"
    r"de|przez|από|автор|авторы|текст|yazar|oleh|bởi|作者|記者|기자|글)\s*[:：]?\s+(.+)$",
    re.I,
)
_BYLINE_SUFFIX = re.compile(r"^(.+?)\s*(?:기자|記者|특파원)$")
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bи\b|、)\s*")
_SEPARATOR = re.compile(r"\s+[|/／·•–—-]\s+|\s*[|／]\s*")
_COPYRIGHT = re.compile(r"©|ⓒ|\([cс]\)|\bcopyright\b|\bкопирайт\b", re.I)
_RIGHTS = re.compile(r"\ball rights reserved\b.*|\btous droits\b.*|\bвсе права\b.*", re.I)
_YEARS = re.compile(r"\b(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\b")
_DATE_START = re.compile(
    r"\b(?:19|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.I,
)
_DOMAIN_LINE = re.compile(r"^[^\W_][\w-]*(?:\.[^\W\d_]{2,})+$")


@dataclass
class TextMeta:
    """What the text says about its article, and which lines said it."""

    title: str = ""
    published: Moment | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    lines: set[int] = field(default_factory=set)  # indices of title/date/byline lines


_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d\d(?!\d)")
_HANDLE = re.compile(r"\S@\w|(?<!\S)@\w")


def _looks_like_headline(line: Line) -> bool:
    return (
        3 <= line.units <= 30
        and line.alpha_share >= 0.5
        and not line.text.endswith(":")
        and not _CLOCK.search(line.text)  # a time of day makes it a dateline
        and not _HANDLE.search(line.text)
    )


def _slug_overlap(line: Line, slug_words: set[str]) -> float:
    """Share of the line's words found in the URL's path (sites build slugs from headlines)."""
    words = {w for w in re.findall(r"\w+", line.text.lower()) if len(w) > 2}
    return len(words & slug_words) / len(words) if words else 0.0


def _slug_words(url: str | None) -> set[str]:
    if not url:
        return set()
    try:
        path = urlsplit(url).path.lower()
    except ValueError:  # "http://[bad": urllib refuses it
        return set()
    return {w for w in re.findall(r"[^\W\d_]+", path) if len(w) > 2}


def _headline_score(
    line: Line, i: int, start: int, date_index: int | None, slug: set[str]
) -> float:
    """How much a line near the article's start looks like its headline."""
    score = -0.2 * (start - i)  # nearer the first paragraph is likelier
    score += 6 * _slug_overlap(line, slug)
    if date_index is not None and abs(i - date_index) <= 2:
        score += 3 if abs(i - date_index) == 1 else 1.5  # headline and dateline sit together
    if line.block_size == 1:
        score += 2  # a heading stands alone between blank lines; menu items run together
    if 5 <= line.units <= 25:
        score += 2
    if line.text.endswith("."):
        score -= 3  # captions and sentences end with a full stop, headlines seldom do
    if line.repeats > 1:
        score += 1  # pages print the headline twice (breadcrumb, share text, h1)
    return score


def _date_of(line: Line, language: str | None, fetched_at: datetime | None = None) -> Moment | None:
    if line.units > MAX_META_UNITS or line.chars > MAX_META_CHARS:
        return None
    return parse_date(line.text, language, fetched_at)


def _authors_of(line: Line, language: str | None = None) -> list[str]:
    """Names in a byline line ("By X and Y", "Автор: X", "by X ／ 2016.12.01"), else []."""
    if line.units > MAX_META_UNITS or line.chars > MAX_META_CHARS:
        return []
    text = line.text.strip()
    match = _BYLINE.match(text)
    if match:
        text = match[1]
    else:
        suffix = _BYLINE_SUFFIX.match(text)
        if not suffix or len(suffix[1].split()) > 3:
            return []
        text = suffix[1]
    # Keep the part before a separator, where dates and outlet names follow the names.
    text = _SEPARATOR.split(text)[0]
    # A date often follows the names ("By X on Monday, November 18th, 2019"): cut before it.
    text = _cut_before_date(text)
    stops = stop_words(language)
    names = []
    for name in _NAME_SPLIT.split(text):
        name = _trim_name(name.strip(" .,:;"), stops)
        if (
            name
            and not parse_date(name)
            and len(name.split()) <= 5
            and not any(c.isdigit() for c in name)
            and not _DOMAIN_LINE.match(name)
            and not (len(name) <= 3 and name.isupper())  # credentials: MD, MS, PhD
            and not name[0].islower()  # names are capitalised where the script has case
        ):
            names.append(name)
    return names


_WEEKDAY = re.compile(r"^[A-Z][a-z]+day,?$")


def _trim_name(name: str, stops: frozenset[str] = frozenset()) -> str:
    """Drop a handle, and trailing link words and weekday names, from a name."""
    words = name.split("@", 1)[0].split()
    while len(words) > 1 and (
        words[-1][:1].islower() or words[-1].lower() in stops or _WEEKDAY.match(words[-1])
    ):
        words.pop()
    return " ".join(words)


def _cut_before_date(text: str) -> str:
    match = _DATE_START.search(text)
    return text[: match.start()] if match and match.start() > 0 else text


def _copyright_brand(text: str) -> str | None:
    if not _COPYRIGHT.search(text):
        return None
    before = _COPYRIGHT.split(text, maxsplit=1)[0].strip(" .,|-")
    if before and len(before.split()) <= 4 and not _YEARS.fullmatch(before):
        return _YEARS.sub("", before).strip(" .,|-") or None
    rest = _COPYRIGHT.sub(" ", text)
    rest = _RIGHTS.sub("", _YEARS.sub(" ", rest))
    rest = re.split(r"\.\s|\s[|–-]\s|\|", rest)[0]
    rest = re.sub(r"\s+", " ", rest).strip(" .,|-")
    if (
        not rest
        or len(rest.split()) > 6
        or not rest[0].isalnum()
        or rest[0].islower()
        or rest.lower().startswith("all ")
    ):
        return None
    return rest


def site_name_of(lines: list[Line], url: str | None) -> str | None:
    """The site's name: a domain-like line the footer or URL confirms, the copyright holder, the host."""
    host = site_host(url)
    brands = [b for b in (_copyright_brand(line.text) for line in lines if line.units <= 30) if b]
    known = {b.lower() for b in brands}
    if host:
        known.add(host.lower())
    for line in lines:
        if _DOMAIN_LINE.match(line.text) and line.text.lower() in known:
            return line.text
    if brands:
        return brands[-1]
    return host


def read_meta(
    lines: list[Line],
    start: int,
    end: int,
    language: str | None,
    url: str | None = None,
    fetched_at: datetime | None = None,
) -> TextMeta:
    """Metadata around the body, which runs over lines [start, end).

    A date relative to ``fetched_at`` ("3 hours ago") is read only where no line near the
    body gives one in full.
    """
    meta = TextMeta(site_name=site_name_of(lines, url))
    # The first lines of the body may still be a dateline or byline, but not a sentence.
    head = [
        i
        for i in range(max(0, start - HEAD_WINDOW), min(len(lines), start + 3))
        if i < start or not lines[i].ends_sentence
    ]
    date_index = None
    for relative_to in (None, fetched_at) if fetched_at else (None,):
        for i in sorted(head, key=lambda i: abs(i - start + 0.5)):
            published = _date_of(lines[i], language, relative_to)
            if published:
                meta.published, date_index = published, i
                meta.lines.add(i)
                break
        if meta.published:
            break
    for i in head:
        names = _authors_of(lines[i], language)
        if names:
            meta.authors, _ = names, meta.lines.add(i)
            break
    if not meta.authors:
        for i in range(end, min(len(lines), end + TAIL_WINDOW)):
            names = _authors_of(lines[i], language)
            if names:
                meta.authors, _ = names, meta.lines.add(i)
                break
    # The headline sits next to the dateline, or else a little above the first paragraph.
    low = max(0, min(start, date_index if date_index is not None else start) - HEAD_WINDOW)
    slug = _slug_words(url)
    best, best_score = None, float("-inf")
    for i in range(low, start):
        line = lines[i]
        if i in meta.lines or not _looks_like_headline(line) or _date_of(line, language):
            continue
        score = _headline_score(line, i, start, date_index, slug)
        if score > best_score:
            best, best_score = i, score
    if best is not None:
        meta.title = lines[best].text
        meta.lines.add(best)
    return meta
