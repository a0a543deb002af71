"""Links as evidence across languages: two reports of one event that link the same
documents (the port authority's notice, the navy's post) join even where their words and
names cannot be compared; one shared link does not make two events one."""

from __future__ import annotations

from dataclasses import replace

from newsdesk.cluster import cluster_articles
from newsdesk.cluster.features import link_keys
from tests.cluster.test_news import EUROPA, LANDER, SHIP, _article, _stream

NOTICE = "https://www.portofklaipeda.lt/en/news/marisol-dawn-crew-rescued-2026-03-14"
POST = "https://x.com/LTNavy/status/1900112233445566778"

# The cargo ship of SHIP in Japanese: its names in katakana, which no key compares with
# the English spelling; only the numbers 18 and 240 are shared.
SHIP_JA = _article(
    "ship-ja",
    "クライペダ沖で貨物船が座礁、乗組員18人を救助",
    "リトアニアのクライペダ港の沖合2キロで土曜日、貨物船「マリソル・ドーン」が座礁し、"
    "海軍が乗組員18人全員を救助した。船長によると、嵐の中でエンジンの動力を失ったという。"
    "船には燃料240トンが積まれているが、流出は確認されていないと港湾当局は説明した。",
    language="ja",
    published="2026-03-14T13:00:00+00:00",
)


def test_a_report_joins_its_story_in_another_language_through_the_documents_both_link():
    english = SHIP[0]
    apart = dict(cluster_articles(_stream(english, SHIP_JA)))
    assert apart["ship-en"] != apart["ship-ja"]  # two numbers are too little
    linked = dict(
        cluster_articles(
            _stream(replace(english, links=(NOTICE, POST)), replace(SHIP_JA, links=(NOTICE,)))
        )
    )
    assert linked["ship-en"] == linked["ship-ja"]
    # ... and nothing else of the stream joins it.
    assert {a for a, s in linked.items() if s == linked["ship-en"]} == {"ship-en", "ship-ja"}


def test_one_shared_link_does_not_make_two_events_one():
    """Reports of two NASA events that both link NASA's programme page stay apart, in one
    language or two."""
    page = ("https://www.nasa.gov/commercial-lunar-payload-services/",)
    landers = [replace(a, links=page) for a in LANDER]
    europa_ja = _article(
        "europa-ja",
        "木星の衛星エウロパで水蒸気を確認",
        "ハワイのケック天文台の観測で、木星の衛星エウロパの表面から水蒸気が噴き出していることが"
        "確認された。毎秒2360キロの水が失われているという。",
        language="ja",
        published="2026-03-17T11:00:00+00:00",
    )
    for other in (replace(EUROPA, links=page), replace(europa_ja, links=page)):
        stories = dict(cluster_articles(_stream(*landers, other)))
        assert stories["lander-1"] == stories["lander-2"]
        assert stories[other.id] != stories["lander-1"]


def test_a_document_has_one_key_however_it_is_written():
    assert link_keys(
        [
            "https://twitter.com/LTNavy/status/1900112233445566778",
            "http://www.x.com/LTNavy/status/1900112233445566778/",
            "https://x.com/ltnavy/status/1900112233445566778",
        ]
    ) == ["~@x.com/ltnavy/status/1900112233445566778"]
    assert len(link_keys([NOTICE, POST])) == 2


def test_an_articles_first_links_count_and_no_more():
    many = [f"https://docs.example/report-{n}" for n in range(500)]
    assert link_keys(many) == link_keys(many[:20])
