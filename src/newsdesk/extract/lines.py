"""Lines of flattened page text and what they look like, script-aware.

Lengths are counted in "units" comparable across scripts: words where the script
separates words with spaces (Latin, Cyrillic, Greek, Hangul...), and characters / 2
for Chinese and Japanese, which do not (a Japanese word is about two characters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.lazy import LazyPattern
from newsdesk.text.words import UNSPACED, may_hold_cjk

_WORD = re.compile(r"\w+")
_CJK_CHAR = LazyPattern(f"[{UNSPACED}]")  # compiled on first use: see LazyPattern
_NON_CJK_WORD = LazyPattern(f"[^\\W{UNSPACED}]+")
# Sentence-final punctuation in many scripts, optionally followed by closing quotes/brackets.
_SENTENCE_END = re.compile(r"[.!?。！？…։؟।][\"'”’»)\]」』）]*$")
_SENTENCE_MARK = re.compile(r"[.!?。！？…؟।](?:\s|$|[\"'”’»)\]」』）])")
_NOT_ALPHA = re.compile(r"[\W\d_]")


@dataclass
class Line:
    """One non-blank line of the page and the features the classifier reads."""

    index: int  # position among the page's non-blank lines
    text: str
    units: float  # script-aware length in words
    chars: int
    sentences: int  # sentence-final marks inside the line
    ends_sentence: bool
    alpha_share: float  # letters / characters
    separated: bool  # a blank line before or after it (a paragraph, not a list item)
    stop_share: float = 0.0
    copies: tuple[int, ...] = ()  # indices of the other lines with the same text

    @property
    def repeats(self) -> int:
        """How many lines of the page have this text."""
        return len(self.copies) + 1

    block_size: int = 1  # lines in its run between blank lines (lists run long, paragraphs not)


def units_of(text: str) -> float:
    """Script-aware length: words, counting two CJK characters as one word."""
    if not may_hold_cjk(text):
        return float(len(_WORD.findall(text)))
    cjk = len(_CJK_CHAR.findall(text))
    if not cjk:
        return float(len(_WORD.findall(text)))
    return cjk / 2 + len(_NON_CJK_WORD.findall(text))


def _letters(line: str) -> int:
    """Characters that are letters (``_NOT_ALPHA`` says which are not); an ASCII line's
    counted in C, by what deleting the rest leaves."""
    if line.isascii():
        return len(line.encode("ascii").translate(None, _ASCII_NOT_LETTERS))
    return len(line) - len(_NOT_ALPHA.findall(line))


_ASCII_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())


def split_lines(text: str) -> list[Line]:
    """Non-blank, whitespace-normalised lines with their shape features."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    stripped = [" ".join(line.split()) for line in raw]
    lines: list[Line] = []
    for i, line in enumerate(stripped):
        if not line:
            continue
        blank_before = i == 0 or not stripped[i - 1]
        blank_after = i + 1 == len(stripped) or not stripped[i + 1]
        chars = len(line)
        lines.append(
            Line(
                index=len(lines),
                text=line,
                units=units_of(line),
                chars=chars,
                sentences=len(_SENTENCE_MARK.findall(line + " ")),
                ends_sentence=bool(_SENTENCE_END.search(line)),
                alpha_share=_letters(line) / chars,
                separated=blank_before or blank_after,
            )
        )
    _set_block_sizes(lines, stripped)
    where: dict[str, list[int]] = {}
    for line in lines:
        where.setdefault(line.text.lower(), []).append(line.index)
    for line in lines:
        line.copies = tuple(i for i in where[line.text.lower()] if i != line.index)
    return lines


def _set_block_sizes(lines: list[Line], stripped: list[str]) -> None:
    """Give each line the size of its block: its run of lines between blank lines."""
    sizes: list[int] = []
    run = 0
    for line in stripped:
        if line:
            run += 1
        elif run:
            sizes.extend([run] * run)
            run = 0
    if run:
        sizes.extend([run] * run)
    for line, size in zip(lines, sizes, strict=True):
        line.block_size = size
