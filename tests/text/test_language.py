"""The quick language guess: where it answers, it answers as lingua does on real articles,
and it leaves short text, close relatives and unknown languages to lingua."""

from __future__ import annotations

import json

import pytest

from newsdesk.text import language
from tests.conftest import BENCH, require_shared


def lingua(text: str) -> str | None:
    found = language._detector().detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None


def real_texts() -> list[str]:
    """Article texts of the benchmark data: the pooled Multi-News articles (English) and
    the flattened pages of many outlets and languages."""
    pooled = require_shared(BENCH / "clustering" / "multinews-longbench-pooled" / "articles.jsonl")
    texts = [json.loads(line)["text"] for line in pooled.read_text().splitlines()[:150]]
    dump = BENCH / "extraction" / "textdump"
    texts += [path.read_text(encoding="utf-8") for path in sorted(dump.glob("*.txt"))]
    return texts


def test_quick_guess_agrees_with_lingua_on_real_articles() -> None:
    answered = 0
    for text in real_texts():
        for size in (300, 600, 2000):  # the samples extract and cluster pass
            sample = text[:size].strip()
            quick = language.quick_language(sample)
            if quick is not None:
                answered += 1
                assert quick == lingua(sample), sample[:200]
    assert answered >= 300  # it answers for most of them, or it saves nothing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "서울 시민들은 오늘 아침 출근길에 큰 눈을 만났다. 기상청은 내일도 눈이 온다고 밝혔다.",
            "ko",
        ),
        ("東京都は今日、新しい公園の計画を発表しました。工事は来年の春に始まる予定です。", "ja"),
        (
            "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία και τις τιμές της ενέργειας.",
            "el",
        ),
        (
            "Правительство объявило сегодня о новых мерах для экономики, и это было решение, "
            "которое уже давно ожидали в стране, так как цены на энергию выросли после зимы, "
            "а также из-за того, что он не смог это сделать до конца года.",
            "ru",
        ),
    ],
)
def test_a_script_or_a_clear_majority_of_words_decides(text: str, expected: str) -> None:
    assert language.quick_language(text) == expected
    assert language.detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Short English line.",  # too few words to tell
        # Danish and Norwegian share most of their function words: lingua tells them apart.
        "Regeringen har i dag sagt, at den vil hæve skatten på benzin fra næste år, og det "
        "er ikke sikkert, at partierne i Folketinget vil støtte forslaget, som blev lagt "
        "frem efter et langt møde med erhvervslivet og fagbevægelsen om eftermiddagen.",
        # Welsh: no list of its own; its few words shared with others decide nothing.
        "Mae'r llywodraeth wedi cyhoeddi heddiw y bydd arian newydd ar gael i ysgolion yng "
        "Nghymru, ac mae'r gweinidog yn dweud y bydd hyn yn helpu plant a phobl ifanc i "
        "ddysgu mewn adeiladau gwell dros y blynyddoedd nesaf, er bod rhai yn amheus.",
        # Latvian: shares "par", "un" with French, which must not make it French.
        "Valdība šodien paziņoja par jauniem pasākumiem ekonomikas atbalstam, un deputāti "
        "tos apspriedīs nākamnedēļ, kad notiks Saeimas sēde par budžetu un nodokļiem "
        "nākamajam gadam, kā arī par enerģijas cenām mājsaimniecībām visā valstī.",
    ],
)
def test_unsure_text_is_left_to_lingua(text: str) -> None:
    assert language.quick_language(text) is None
