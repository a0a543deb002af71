"""Sentence splitting in any language: the one splitter every stage uses.

A regular-expression splitter rather than pysbd: pysbd is about a hundred times slower
and the extractive writer must handle dozens of stories a second. It knows Latin,
Cyrillic and Greek punctuation (a stop followed by space and a capital or digit), CJK
full stops (。！？, no space needed), common abbreviations, initials ("J. K. Rowling") and
dotted abbreviations ("U.S.", "т.е."), and closing quotes. A single lower-case letter is
no initial: "He picked option b. The rest followed." is two sentences ("v." and "p." of
"The People v. O.J. Simpson" and "p. 24" are in the list of abbreviations). An ordinal's
dot, as German and its neighbours write a day ("am 8. Mai") or a rank ("im 21.
Jahrhundert", "der 2. Bundesliga"), ends no sentence: a number of up to three digits
before a month's name in any language, before a noun that follows ordinals, or after an
article that calls for one (``ORDINAL_NOUNS``, ``ORDINAL_ARTICLES``). Elsewhere a number
ends its sentence as before ("on July 22. The tour", "Destiny 2. Google").

Every sentence returned is an exact substring of its paragraph, so a checker can find a
written sentence verbatim in its source.
"""

from __future__ import annotations

import re

from newsdesk.text.dates import is_month_name
from newsdesk.text.words import holds_cjk

# Words after which a full stop does not end a sentence (lower-cased, without the dot).
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "hon",
        "pres",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "no",
        "nos",
        "vol",
        "vs",
        "v",
        "p",
        "pp",
        "cf",
        "etc",
        "al",
        "approx",
        "dept",
        "est",
        "fig",
        "univ",
        "ave",
        "blvd",
        "rd",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "d.c",
        "z.b",
        "bzw",
        "ca",
        "nr",
        "str",
        "usw",
        "vgl",
        "sog",
        "г",
        "гг",
        "ул",
        "им",
        "т.е",
        "т.д",
        "т.п",
        "др",
        "пр",
        "проф",
        "см",
        "стр",
        "тыс",
        "млн",
        "млрд",
        "руб",
        "sra",
        "sres",
        "srta",
        "av",
        # more of the news languages' own, none an English word: German ("5 Mio. Euro"),
        # Polish ("wysłannik ds. Bliskiego Wschodu", "ok." is left out: English "OK."),
        # Danish and Norwegian ("kl. 23"), Italian, French, Spanish
        "mio",
        "mrd",
        "tsd",
        "ggf",
        "evtl",
        "inkl",
        "zzgl",
        "bzgl",
        "bspw",
        "hrsg",
        "ds",
        "tys",
        "godz",
        "pkt",
        "św",
        "ks",
        "kl",
        "sig",
        "dott",
        "avv",
        "mme",
        "mlle",
        "núm",
        "pág",
        "dña",
        "dra",
    ]
)

# Nouns an ordinal number stands before, written with a dot in German ("im 1. Obergeschoss",
# "zum 5. Mal", "die 25. Minute"): after "12." they mean "twelfth", never a new sentence.
ORDINAL_NOUNS = frozenset(
    ("jahrhundert", "jahrhunderts", "jahrtausend", "jahrtausends", "mal", "male", "platz",
     "platzes", "minute", "runde", "spieltag", "spieltags", "stockwerk",
     "obergeschoss", "untergeschoss", "etage", "klasse", "liga", "bundesliga", "geburtstag",
     "geburtstags", "todestag", "todestags", "jahrestag", "jahrestags", "lebensjahr",
     "lebensjahres", "weltkrieg", "weltkriegs", "jahrgang", "saison", "etappe", "sitzung",
     "quartal", "quartals", "halbjahr", "halbjahres", "kalenderwoche", "legislaturperiode",
     "parteitag", "parteitags", "auflage", "bezirk", "stelle", "tag", "tages", "woche")
)  # fmt: skip
# Articles and contractions ("am", "im", "zum") that, before a number with a dot, make it
# an ordinal in German and the Scandinavian languages ("am 12. Bis 13. September").
ORDINAL_ARTICLES = frozenset(
    ("am", "im", "zum", "vom", "beim", "zur", "ins", "der", "die", "das", "dem", "den", "des")
)
_ORDINAL = re.compile(r"(?:^|(?<=[\s(\[„“\"']))(\d{1,3})\.$")
_WORD_AFTER = re.compile(r"[^\W\d_]+")

# US states as datelines abbreviate them ("MIAMI, Fla."): an abbreviation only right after a
# dateline's city in capitals, as "ill", "mass" and "wash" end sentences elsewhere.
_STATES = frozenset(
    ("ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan",
     "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla",
     "ore", "pa", "tenn", "vt", "va", "wash", "wis", "wyo")
)  # fmt: skip
_DATELINE_STATE = re.compile(r"^[\"'“(]?[A-Z][A-Z'’.-]*(?: [A-Z][A-Z'’.-]*)*, [A-Z][a-z]{1,4}\.$")
# A stop, then optional closing quotes/brackets, then space, then what can open a sentence.
_BOUNDARY = re.compile(r"""(?<=[.!?…])["'”’»)\]]*\s+(?=["'“‘«„(\[]?[\d\w])""")
# CJK stops end a sentence whatever follows (no spaces in those scripts).
_CJK_BOUNDARY = re.compile(r"(?<=[。！？!?])[」』）)”\"]*")
# A stop glued to the next sentence ("...the end.Share this"), as flattened pages write them.
_GLUED = re.compile(r"(?<=[a-z][.!?])(?=[A-Z][a-z])")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # letters only: "rose to 0.4." ends its sentence
_COMPOUND = re.compile(r"[-/–]")
_OPENERS = "\"'“‘«„(["


def split_sentences(text: str, glued: bool = False) -> list[str]:
    """Split a paragraph into sentences; every piece is an exact substring of ``text``.

    Line breaks always end a sentence. With ``glued``, a stop with no space before a
    capitalised word ("end.Share") ends one too, as in text flattened from a page's menus.
    """
    pieces: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for chunk in _split_cjk(line):
            for sentence in _split_latin(chunk):
                pieces.extend(_GLUED.split(sentence) if glued else (sentence,))
    return [p for p in (piece.strip() for piece in pieces) if p]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of ``split_sentences(text)`` starts and ends in ``text``."""
    spans: list[tuple[int, int]] = []
    position = 0
    for sentence in split_sentences(text):
        start = text.index(sentence, position)
        position = start + len(sentence)
        spans.append((start, position))
    return spans


def _split_cjk(line: str) -> list[str]:
    if not holds_cjk(line):
        return [line]
    out, start = [], 0
    for match in _CJK_BOUNDARY.finditer(line):
        end = match.end()
        if start < end < len(line):
            out.append(line[start:end])
            start = end
    out.append(line[start:])
    return out


def _split_latin(chunk: str) -> list[str]:
    out, start = [], 0
    for match in _BOUNDARY.finditer(chunk):
        candidate = chunk[start : match.start()]
        if (
            _ends_with_abbreviation(candidate)
            or _next_is_lowercase(chunk, match.end())
            or _ordinal_dot(candidate, chunk, match.end())
        ):
            continue
        out.append(candidate)
        start = match.end()
    out.append(chunk[start:])
    return out


def _ends_with_abbreviation(candidate: str) -> bool:
    if not candidate.endswith("."):
        return False
    head = candidate[:-1]
    last = head.rsplit(None, 1)[-1] if head.strip() else ""
    original = last.lstrip(_OPENERS)
    last = original.lower()
    if not last:
        return False
    # A compound's last part is the word that took the dot ("the Japan-U.S. alliance",
    # "–Sen. Amy Klobuchar"); an initial is a whole word ("into Loop-B. As a result").
    part = _COMPOUND.split(last)[-1]
    if last in ABBREVIATIONS or part in ABBREVIATIONS:
        return True
    if last in _STATES and _DATELINE_STATE.match(candidate):
        return True  # "AUGUSTA, Ga. (AP) - ...": a dateline's state, no sentence's end
    # Initials are capitals ("J. K. Rowling"); "option b." ends its sentence.
    if len(original) == 1 and original.isupper():
        return True
    return bool(_DOTTED.fullmatch(part))  # "U.S.", "т.е.", "Japan-U.S."


def _ordinal_dot(candidate: str, chunk: str, index: int) -> bool:
    """Whether the candidate ends in an ordinal's dot ("am 8." before "Mai"), no stop."""
    if not candidate[-2:-1].isdigit():
        return False  # most stops follow a word: no number to look at
    number = _ORDINAL.search(candidate[-8:])
    if number is None:
        return False
    after = _WORD_AFTER.match(chunk, index)
    following = after.group(0).lower() if after else ""
    if following and int(number.group(1)) <= 31 and is_month_name(following):
        return True
    if following in ORDINAL_NOUNS:
        return True
    before = candidate[: len(candidate) - len(number.group(0))].rsplit(None, 1)
    return bool(before) and before[-1].lower() in ORDINAL_ARTICLES


def _next_is_lowercase(chunk: str, index: int) -> bool:
    rest = chunk[index:].lstrip(_OPENERS)
    return bool(rest) and rest[0].islower()
