"""The flattened-text reader on the seed page, on benchmark textdumps, and on bad input."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from newsdesk import extract
from newsdesk.errors import ExtractionError, InputError
from tests.conftest import BENCH, require_shared

SEED_FIRST = "The Russian paramilitary Wagner Group has announced its withdrawal from Mali"
SEED_LAST = "will continue to operate in Mali."
SEED_BOILERPLATE = (
    "twitter",
    "A+",
    "Views: 241",
    "Ссылка скопирована",
    "share-line",
    "Caliber.az ©",
)


@pytest.mark.parametrize("input_format", ["text", "auto"])
def test_seed_page_reads_article_and_metadata(seed_page: bytes, input_format: str) -> None:
    article = extract(seed_page, input_format=input_format)  # type: ignore[arg-type]
    assert article.input_format == "text"
    assert article.title == "Wagner group announces withdrawal from Mali"
    assert article.published_iso == "2025-06-07T14:01:00"
    assert article.authors == ("Sabina Mammadli",)
    assert article.site_name == "Caliber.Az"
    assert article.language == "en"
    assert len(article.paragraphs) == 6
    assert article.paragraphs[0].startswith(SEED_FIRST)
    assert article.paragraphs[-1].endswith(SEED_LAST)
    for junk in SEED_BOILERPLATE:
        assert junk not in article.text, junk
    # Headline, dateline and byline are metadata, not body.
    assert "07 June 2025" not in article.text
    assert "By Sabina Mammadli" not in article.text
    assert article.title not in article.paragraphs


def test_seed_site_name_falls_back_to_url_host_only_without_a_named_line(seed_page: bytes) -> None:
    article = extract(seed_page, url="https://caliber.az/en/post/wagner", input_format="text")
    assert article.site_name == "Caliber.Az"
    assert article.url == "https://caliber.az/en/post/wagner"


# The benchmark's metric: \w+ tokens, 4-token shingle multisets, precision and recall.
def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))


def _f1(pred: str, truth: str) -> float:
    p, t = _shingles(pred), _shingles(truth)
    tp = sum((p & t).values())
    precision = tp / max(1, sum(p.values()))
    recall = tp / max(1, sum(t.values()))
    return 2 * precision * recall / (precision + recall) if tp else 0.0


# (page id prefix, language, per-page F1 floor a little under what we measured)
BENCH_PAGES = [
    ("06e5123e4ef7cfb4", "en", 0.9),  # measured 0.972
    ("57d46c9d751e3fd3", "en", 0.9),  # measured 0.941
    ("3c6d3381ef52ca26", "ru", 0.85),  # measured 0.905
    ("0ec95c7261d122f3", "ko", 0.9),  # measured 0.980
    ("85439e26c41c7590", "ja", 0.8),  # measured 0.885
]


@pytest.fixture(scope="module")
def ground_truth() -> dict[str, dict[str, str]]:
    path = require_shared(BENCH / "extraction" / "scrapinghub" / "ground-truth.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("prefix", "language", "floor"), BENCH_PAGES)
def test_bench_textdump_body_matches_ground_truth(
    ground_truth: dict[str, dict[str, str]], prefix: str, language: str, floor: float
) -> None:
    page_id = next(key for key in ground_truth if key.startswith(prefix))
    dump = require_shared(BENCH / "extraction" / "textdump" / f"{page_id}.txt").read_bytes()
    article = extract(dump, input_format="auto")
    assert article.input_format == "text"
    assert article.language == language
    assert article.title
    assert _f1(article.text, ground_truth[page_id]["articleBody"]) >= floor


def test_bench_textdump_metadata_in_other_scripts(ground_truth: dict[str, dict[str, str]]) -> None:
    def read(prefix: str):
        page_id = next(key for key in ground_truth if key.startswith(prefix))
        dump = require_shared(BENCH / "extraction" / "textdump" / f"{page_id}.txt")
        return extract(dump.read_bytes(), input_format="text")

    korean = read("0ec95c7261d122f3")
    assert korean.title == "엘제이-류화영 진흙탕 싸움, 공적인 사안으로 봐야하는 이유"
    assert korean.published_iso == "2018-08-25T15:24:00"
    japanese = read("85439e26c41c7590")
    assert japanese.title == "商品の改造が商標法違反に！？"
    assert japanese.published_iso == "2016-12-01"
    assert japanese.authors == ("ライトハウス国際特許事務所",)
    reuters = read("57d46c9d751e3fd3")
    assert reuters.title == "Oversupply angst drags oil lower, stocks drift near highs"
    assert reuters.published_iso == "2019-11-19T00:21:00"


def test_one_line_text_is_one_paragraph() -> None:
    line = (
        "The city council voted on Tuesday to expand the night bus network, "
        "adding four routes that will run until two in the morning from next spring."
    )
    for input_format in ("text", "auto"):
        article = extract(line, input_format=input_format)  # type: ignore[arg-type]
        assert article.paragraphs == (line,)
        assert article.input_format == "text"


@pytest.mark.parametrize(
    "content",
    [
        "Home\nNews\nSport\nWeather\nContact us\n\n© 2025 Example Media\n",
        "Menu",
        "Share\nTweet\nA+\nA-\nViews: 241\nCopy link\n",
    ],
)
def test_text_without_article_raises_clear_error(content: str) -> None:
    for input_format in ("text", "auto"):
        with pytest.raises(ExtractionError, match=r"no article text|empty"):
            extract(content, input_format=input_format)  # type: ignore[arg-type]


def test_blank_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="empty"):
        extract("   \n\n  \n", input_format="text")


SERBIAN_PAGE = """Почетна
Вести
Спорт
Култура
Контакт

Град добија четири нове ноћне аутобуске линије

12. марта 2024. 08:15

Градско веће је у уторак усвојило нови план јавног превоза, који предвиђа четири нове ноћне линије од пролећа.

Према плану, аутобуси ће саобраћати од поноћи до четири сата ујутру, а полазак ће бити на сваких тридесет минута.

Председник већа је рекао да је одлука донета након што су грађани у анкети тражили бољу везу са приградским насељима.

Превозник ће за ове линије набавити десет нових возила, а цена карте биће иста као и током дана.

Подели
Штампај
© 2024 Градски портал
"""


def test_language_without_a_stopword_list_uses_the_pages_own_words() -> None:
    # stopwords-iso has no Serbian list: the page's most used words stand in for it.
    article = extract(SERBIAN_PAGE, input_format="auto")
    assert article.language == "sr"
    assert article.title == "Град добија четири нове ноћне аутобуске линије"
    assert article.published_iso == "2024-03-12T08:15:00"
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("Градско веће")
    assert "Подели" not in article.text and "©" not in article.text


COMMENTED_PAGE = """Home
News

Library opens a reading room for night owls

March 3, 2025

The city library will keep its main reading room open until midnight from next month, the director said on Monday.

The change follows a survey in which students asked for a quiet place to work after evening classes end.

Two librarians will staff the room, and the café on the ground floor will also stay open later than before.

The library expects about two hundred visitors a night during the exam season, when demand is highest.

3 comments

Anna K.
March 3, 2025 at 9:14 pm
Finally! I have been asking for this for years and I am glad they listened to the students.

Reply

Tom
March 4, 2025 at 7:02 am
Will the parking lot stay open as well, or do we have to find a place on the street?

Reply
"""


def test_comment_thread_after_the_article_is_not_body() -> None:
    article = extract(COMMENTED_PAGE, input_format="text")
    assert article.title == "Library opens a reading room for night owls"
    assert article.published_iso == "2025-03-03"
    assert len(article.paragraphs) == 4
    assert article.paragraphs[-1].startswith("The library expects")
    assert "Finally!" not in article.text and "parking lot" not in article.text


def test_a_first_paragraph_mentioning_a_date_stays_in_the_body() -> None:
    page = (
        "Home\nNews\n\nCouncil approves budget\n\n"
        "The council voted on 12 March 2019.\n\n"
        "It approved a budget of two million for the new school building, after a long "
        "debate that lasted until late evening.\n\n"
        "Mayor Ana Silva said the vote was a good day for the families of the district "
        "and thanked the opposition for its support.\n"
    )
    article = extract(page, input_format="text")
    assert article.title == "Council approves budget"
    assert article.paragraphs[0] == "The council voted on 12 March 2019."
    assert len(article.paragraphs) == 3
