"""A line's share of letters, counted in C for ASCII lines: the same as the pattern's count."""

from __future__ import annotations

import pytest

from newsdesk.extract.lines import _NOT_ALPHA, _letters


def test_the_ascii_table_deletes_what_the_pattern_calls_no_letter() -> None:
    for code in range(128):
        char = chr(code)
        assert _letters(char) == (0 if _NOT_ALPHA.match(char) else 1), repr(char)


@pytest.mark.parametrize(
    "line",
    [
        "Plain words, 42 of them_and more!",
        "Zürich’s café: ½ of the ² — Ⅻ",
        "東京で会議 2024",
        "",
    ],
)
def test_letters_agree_with_the_pattern(line: str) -> None:
    assert _letters(line) == len(line) - len(_NOT_ALPHA.findall(line))
