"""The one sentence splitter and the one tokenizer, stemmer and stop-word list per language."""

from __future__ import annotations

import pytest

from newsdesk.text.sentences import sentence_spans, split_sentences
from newsdesk.text.words import CJK, has_stop_words, stem, stop_words, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He picked option b. The rest followed.", ["He picked option b.", "The rest followed."]),
        ("U.S. officials said so. Talks went on.", ["U.S. officials said so.", "Talks went on."]),
        ("Officials in the U.S. Senate agreed.", ["Officials in the U.S. Senate agreed."]),
        (
            "He would revise the Japan-U.S. Security Treaty. Talks went on.",
            ["He would revise the Japan-U.S. Security Treaty.", "Talks went on."],
        ),
        (
            "Reprezentował go specjalny wysłannik ds. Bliskiego Wschodu. Rozmowy trwały.",
            ["Reprezentował go specjalny wysłannik ds. Bliskiego Wschodu.", "Rozmowy trwały."],
        ),
        (
            "Der Bau kostet 5 Mio. Euro. Er beginnt bald.",
            ["Der Bau kostet 5 Mio. Euro.", "Er beginnt bald."],
        ),
        # a decimal ends its sentence; an initial after a hyphen does too ("Loop-B.")
        (
            "The rate rose to 0.4. Then it fell into Loop-B. As a result, it held.",
            ["The rate rose to 0.4.", "Then it fell into Loop-B.", "As a result, it held."],
        ),
        (
            "J. K. Rowling wrote it. Dr. Smith read it.",
            ["J. K. Rowling wrote it.", "Dr. Smith read it."],
        ),
        ('"We won," he said. "Now we rest."', ['"We won," he said.', '"Now we rest."']),
        ("Он пришёл, т.е. вернулся. Потом ушёл.", ["Он пришёл, т.е. вернулся.", "Потом ушёл."]),
        (
            "東京で会議が開かれた。参加者は百人だった。",
            ["東京で会議が開かれた。", "参加者は百人だった。"],
        ),
        ("정부가 발표했다. 시민들은 환영했다.", ["정부가 발표했다.", "시민들은 환영했다."]),
        # a dateline's state ("Ga.") is no sentence's end; elsewhere "ill." and "Ga." are
        (
            "AUGUSTA, Ga. (WRDW/WAGT) – Two boys are recovering. One family mourns.",
            ["AUGUSTA, Ga. (WRDW/WAGT) – Two boys are recovering.", "One family mourns."],
        ),
        ("He fell ill. Then he left.", ["He fell ill.", "Then he left."]),
        (
            "She lives in Augusta, Ga. She moved in May.",
            ["She lives in Augusta, Ga.", "She moved in May."],
        ),
        # an ordinal's dot (a day before its month, a rank before its noun, a number after
        # "am" or "der") ends no sentence; a number ending a sentence still does
        (
            "Die WHO betonte am 8. Mai 2026, dass keine Gefahr besteht. Das ist gut.",
            ["Die WHO betonte am 8. Mai 2026, dass keine Gefahr besteht.", "Das ist gut."],
        ),
        ("Am 12. Bis 13. September startet es.", ["Am 12. Bis 13. September startet es."]),
        (
            "Es geschah im 21. Jahrhundert. Fortuna spielt in der 2. Bundesliga.",
            ["Es geschah im 21. Jahrhundert.", "Fortuna spielt in der 2. Bundesliga."],
        ),
        ("Die Zahl stieg auf 12. Die Polizei kam.", ["Die Zahl stieg auf 12.", "Die Polizei kam."]),
        (
            "The tour ends on July 22. The band plays. They won 3-2. March Madness starts.",
            [
                "The tour ends on July 22.",
                "The band plays.",
                "They won 3-2.",
                "March Madness starts.",
            ],
        ),
        # a list's number stays apart: the writer's sentences never open on "7."
        ("1. Ditch the diet. Eat well.", ["1.", "Ditch the diet.", "Eat well."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    pieces = split_sentences(text)
    assert pieces == expected
    assert all(piece in text for piece in pieces)


def test_glued_sentences_of_flattened_menus() -> None:
    assert split_sentences("Read the end.Share this page") == ["Read the end.Share this page"]
    assert split_sentences("Read the end.Share this page", glued=True) == [
        "Read the end.",
        "Share this page",
    ]


def test_one_stemmer_and_stop_list_per_language() -> None:
    assert stem("attacks") == stem("attacked") == stem("attacking") == "attack"
    assert stem("солдаты", "ru") == stem("солдатов", "ru")
    assert stem("東京", "ja") == "東京"  # no Snowball for Japanese: words stay as written
    assert {"the", "said"} <= stop_words("en")
    assert "и" in stop_words("ru") and "der" in stop_words("de")
    assert stop_words(None) == frozenset() and not has_stop_words(None)
    assert stop_words("nb") == stop_words("no")


def test_cjk_ranges_include_hangul_and_tokens_pair_them() -> None:
    assert CJK.search("한") and CJK.search("東") and CJK.search("ア") and not CJK.search("A")
    assert tokens("Seoul 정부가 발표 東京都") == ["seoul", "정부", "부가", "발표", "東京", "京都"]


def test_a_page_in_decomposed_unicode_gives_the_composed_tokens() -> None:
    """A letter and its accent stored apart ("u" + U+0308) split "Gründerväter" into three
    tokens; the clusterer then found no word in common with the article spelt with "ü"."""
    import unicodedata

    text = "Die Gründerväter erzählten"
    assert tokens(unicodedata.normalize("NFD", text)) == tokens(text)
    assert tokens(text) == ["die", "gründerväter", "erzählten"]


def test_sentence_spans_locate_each_sentence() -> None:
    text = "He picked option b. The rest followed.\nU.S. officials agreed."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == split_sentences(text)
