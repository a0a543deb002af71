"""The checks stem words with the toolkit's Snowball stemmer of the word's script
(newsdesk.text.words): one stemmer per language for every stage."""

from __future__ import annotations

import pytest

from newsdesk.text.words import stem as toolkit_stem
from newsdesk.verify.text import content_terms, stem


@pytest.mark.parametrize(
    ("word", "language"),
    [("attacked", "en"), ("companies", "en"), ("солдатов", "ru"), ("στρατιώτες", "el")],
)
def test_the_checks_stem_as_the_toolkit_does(word: str, language: str) -> None:
    assert stem(word) == toolkit_stem(word, language)


def test_irregular_forms_meet_their_base_and_possessives_drop() -> None:
    assert stem("found") == stem("finds") == toolkit_stem("find")
    assert stem("Reuters's") == toolkit_stem("reuters")


def test_chinese_is_read_in_character_pairs_not_stemmed() -> None:
    assert content_terms("北京大学") == ["北京", "京大", "大学"]
