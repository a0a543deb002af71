"""CJK patterns compiled on first use, and skipped for texts that cannot hold CJK."""

from __future__ import annotations

import re

import pytest

from newsdesk.extract import dom, lines, stopwords
from newsdesk.extract.dom import text_weight
from newsdesk.lazy import LazyPattern
from newsdesk.text import language
from newsdesk.text.words import CJK, CJK_RUN, FIRST_CJK, holds_cjk, may_hold_cjk, tokens
from tests.conftest import lazy_patterns_compiled

BELOW_FIRST_CJK = "".join(map(chr, range(ord(FIRST_CJK))))


@pytest.mark.parametrize(
    "pattern",
    [CJK, CJK_RUN, dom._UNSPACED_CHAR, dom._CJK_EDGE, lines._CJK_CHAR, language._HAN],
)
def test_no_character_below_the_first_cjk_one_matches(pattern: LazyPattern) -> None:
    # may_hold_cjk() spares a text these patterns when its highest character is below it.
    assert pattern.search(BELOW_FIRST_CJK.replace("\x00", "")) is None
    assert pattern.search("東\x00")


def test_may_hold_cjk() -> None:
    assert not may_hold_cjk("")
    assert not may_hold_cjk("Plain words.")
    assert not may_hold_cjk("Zürich’s “café” — €5")
    assert may_hold_cjk("Tokyo 東京 talks")
    assert may_hold_cjk("a fullwidth ！")


@pytest.mark.parametrize(
    "text",
    ["", "Plain words.", "Zürich’s “café”", "a fullwidth ！", "Tokyo 東京", "서울", "カ", "\uffff"],
)
def test_holds_cjk_is_the_cjk_pattern_found(text: str) -> None:
    assert holds_cjk(text) == (CJK.search(text) is not None)


@pytest.mark.parametrize(
    "character", ["\u303f", "\u3040", "\ud800", "\ufeff", "\uffff", "\U0001f600", "\U0010ffff"]
)
def test_may_hold_cjk_is_the_highest_character_from_the_first_cjk_one(character: str) -> None:
    # Every character at or above FIRST_CJK, lone surrogates and astral ones included.
    for text in (character, f"Zürich {character} café", f"{character}ü"):
        assert may_hold_cjk(text) == (max(text) >= FIRST_CJK)


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    lazy = LazyPattern(r"[\u3040-\u30ff]+", re.I)
    assert not lazy.compiled
    compiled = re.compile(r"[\u3040-\u30ff]+", re.I)
    text = "aあいb カ c"
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.compiled  # compiled once, its methods held
    assert lazy.sub("-", text) == compiled.sub("-", text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.split(text) == compiled.split(text)
    assert lazy.match("あa").group() == "あ" and lazy.fullmatch("あい")
    assert lazy.groups == 0  # any other attribute: the compiled pattern's
    with pytest.raises(AttributeError):
        _ = lazy.no_such_attribute


def test_reading_a_latin_page_compiles_no_cjk_pattern() -> None:
    reading = (
        "import newsdesk.extract.html, newsdesk.extract.text\n"
        "from newsdesk import extract\n"
        "from newsdesk.extract import dom, lines\n"
        "from newsdesk.text import language, words\n"
        "page = '<html lang=en><body><article><p>' + 'The café’s “owner” spoke. ' * 40"
        " + '</p></article></body></html>'\n"
        "extract(page.encode())\n"
        "extract(('A title\\n\\n' + 'The café’s “owner” spoke at length. ' * 30).encode())"
    )
    patterns = (
        "[words.CJK, words.CJK_RUN, dom._UNSPACED_CHAR, dom._CJK_EDGE, lines._CJK_CHAR,"
        " language._HAN]"
    )
    assert lazy_patterns_compiled(reading, patterns) == 0


def test_weights_and_tokens_of_latin_accented_and_cjk_text() -> None:
    assert text_weight("Plain words.") == 12
    assert text_weight("Zürich’s “café” — €5") == 20
    assert text_weight("東京で会議") == 15
    assert text_weight("Tokyo 東京 talks") == 14 + 2 * 2
    assert tokens("Tokyo 東京都 talks") == ["tokyo", "東京", "京都", "talks"]
    assert stopwords._HAN_KANA.findall("東京で") == ["東", "京", "で"]
