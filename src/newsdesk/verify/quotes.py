"""Quotations: text in quotation marks must be found verbatim in a cited source.

Any quoting style counts: “ ” " " « » „ “ ‚ ‘ ‘ ’ ' ' 「 」 『 』. Comparison ignores
the quote marks themselves, case, spacing and the punctuation at either end (a
quotation may close on a comma the source put elsewhere); an ellipsis or a bracketed
insertion splits a quotation into pieces, each of which must be found (an editor's
insertion too: "[the sun]" must name what the source names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.verify.text import nfkc

_QUOTE_MARKS = "\"'“”„‟‘’‚‛«»‹›「」『』〝〞＂"
_PAIRS = [
    re.compile(r"“([^“”]+)[”“]"),
    re.compile(r"„([^„“”]+)[“”]"),
    re.compile(r"«([^«»]+)»"),
    re.compile(r"»([^«»]+)«"),
    re.compile(r"‚([^‚‘’]+)[‘’](?!\w)"),
    re.compile(r"(?<!\w)‘([^‘’]+)’(?!\w)"),
    re.compile(r"「([^「」]+)」"),
    re.compile(r"『([^『』]+)』"),
    re.compile(r'"([^"]+)"'),
    # straight single quotes: only around two or more words, so apostrophes stay apostrophes
    re.compile(r"(?<![\w'])'(\w[^']*?\s[^']*?[\w.,!?])'(?![\w'])"),
]
# An ellipsis or brackets split a quotation; what brackets hold must be found too.
_SPLITTERS = re.compile(r"\.\s?\.\s?\.|…|[\[\]]")
_EDGE_PUNCTUATION = " \t\n.,;:!?-—–"
_STRIP = re.compile("[" + re.escape(_QUOTE_MARKS) + r"\s]+")
_DASHES = re.compile(r"[‐‑‒–—―]")


@dataclass(frozen=True)
class Quotation:
    """A quoted span of a text: its words as written and the pieces to look up."""

    surface: str
    pieces: tuple[str, ...]  # normalised with :func:`normalise_quote`


def normalise_quote(text: str) -> str:
    """Lower-case, quote marks and all spacing removed, dashes unified."""
    text = _DASHES.sub("-", nfkc(text).lower())
    return _STRIP.sub("", text)


def find_quotations(text: str) -> list[Quotation]:
    """Quoted spans in ``text``; nested quotations are covered by their outer span."""
    text = nfkc(text)
    taken: list[tuple[int, int]] = []
    found: list[Quotation] = []
    for pattern in _PAIRS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s <= start and end <= e for s, e in taken):
                continue
            inner = match.group(1)
            if not re.search(r"\w", inner):
                continue
            pieces = []
            for piece in _SPLITTERS.split(inner):
                piece = piece.strip(_EDGE_PUNCTUATION + _QUOTE_MARKS)
                if re.search(r"\w", piece):
                    pieces.append(normalise_quote(piece))
            if pieces:
                taken.append((start, end))
                found.append(Quotation(match.group(0), tuple(pieces)))
    return found


def missing_pieces(quotation: Quotation, normalised_sources: list[str]) -> list[str]:
    """The pieces of a quotation that no source contains (empty: quoted faithfully)."""
    return [p for p in quotation.pieces if not any(p in source for source in normalised_sources)]
