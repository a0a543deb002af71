"""A block's weight: Latin-equivalent characters, a CJK character counting three."""

from __future__ import annotations

from newsdesk.extract.dom import _FIRST_CJK, text_weight
from newsdesk.text.words import CJK


def test_no_character_below_the_first_cjk_one_is_cjk() -> None:
    # text_weight skips the CJK count when a text's highest character is below it.
    below = "".join(map(chr, range(ord(_FIRST_CJK))))
    assert CJK.search(below) is None
    assert CJK.match(_FIRST_CJK)


def test_weights_of_latin_accented_and_cjk_text() -> None:
    assert text_weight("Plain words.") == 12
    assert text_weight("Zürich’s “café” — €5") == 20
    assert text_weight("東京で会議") == 15
    assert text_weight("Tokyo 東京 talks") == 14 + 2 * 2
