"""The access flag: free, paywalled (a teaser behind a subscribe wall) or unknown, from the
publisher's JSON-LD and content tier, a wall element offering a subscription, or a wall's
line; on the example corpus and on pages built around a real article's paragraphs."""

from __future__ import annotations

import json

import pytest
from selectolax.lexbor import LexborHTMLParser

from newsdesk.extract import extract
from newsdesk.extract.access import (
    _WALL_SELECTOR,
    _WALL_TEXT,
    WALL_CORES,
    WALL_WORDS,
    wall_elements,
    wall_line,
)
from newsdesk.model import Article
from tests.conftest import REPO

ASHGROVE = REPO / "examples" / "pages" / "ashgrove-chronicle"
PARAGRAPHS = "".join(
    f"<p>The regional railway confirmed on Friday that it will buy twelve hydrogen trains "
    f"for the two branch lines, part {i} of a plan the council approved last year.</p>"
    for i in range(6)
)


def page(head: str = "", after: str = "", article_class: str = "story-body") -> bytes:
    return (
        f"<html><head><title>Railway orders hydrogen trains</title>{head}</head><body>"
        f'<article class="{article_class}"><h1>Railway orders hydrogen trains</h1>'
        f"{PARAGRAPHS}</article>{after}</body></html>"
    ).encode()


def json_ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_example_corpus_pages() -> None:
    walled = extract((ASHGROVE / "2025-06-13-hydrogen-trains-order.html").read_bytes())
    free = extract((ASHGROVE / "2025-06-11-elderholm-counts-cost.html").read_bytes())
    assert (walled.access, free.access) == ("paywalled", "free")
    assert walled.paragraphs  # the teaser is still the article's text
    flattened = REPO / "examples" / "pages" / "northvale-post" / "dunsford-hydrogen-trains.txt"
    assert extract(flattened.read_bytes()).access == "unknown"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (json_ld({"@type": "NewsArticle", "isAccessibleForFree": False}), "paywalled"),
        (json_ld({"@type": "NewsArticle", "isAccessibleForFree": "True"}), "free"),
        (json_ld({"@type": "NewsArticle", "isAccessibleForFree": "false"}), "paywalled"),
        # a part of the page marked not free, inside an @graph
        (
            json_ld(
                {
                    "@graph": [
                        {"@type": "WebSite", "name": "Chronicle"},
                        {
                            "@type": "NewsArticle",
                            "hasPart": [
                                {
                                    "@type": "WebPageElement",
                                    "isAccessibleForFree": False,
                                    "cssSelector": ".locked",
                                }
                            ],
                        },
                    ]
                }
            ),
            "paywalled",
        ),
        ('<meta property="article:content_tier" content="locked">', "paywalled"),
        ('<meta property="article:content_tier" content="free">', "free"),
        ('<meta property="article:content_tier" content="metered">', "unknown"),
        ("", "unknown"),
    ],
)
def test_what_the_publisher_declares(head: str, expected: str) -> None:
    assert extract(page(head=head)).access == expected


def test_the_publishers_word_wins_over_a_wall_line() -> None:
    wall = "<p>Subscribe to continue reading.</p>"
    free = json_ld({"@type": "NewsArticle", "isAccessibleForFree": True})
    assert extract(page(head=free, after=wall)).access == "free"


@pytest.mark.parametrize(
    "after",
    [
        '<div class="paywall"><h3>This article is for subscribers</h3>'
        '<a href="/subscribe">Subscribe now</a></div>',
        '<div id="regwall-offer"><p>Get unlimited access: subscribe for 1 a week.</p></div>',
        "<div><p>Subscribe to continue reading. Already a subscriber? Sign in</p></div>",
        "<section><h3>Этот материал доступен только подписчикам</h3></section>",
        "<div><p>Jetzt abonnieren und weiterlesen</p></div>",
    ],
)
def test_a_subscribe_wall_on_the_page(after: str) -> None:
    article = extract(page(after=after))
    assert article.access == "paywalled"
    assert article.paragraphs[0].startswith("The regional railway")


@pytest.mark.parametrize(
    "after",
    [
        # paywall machinery on a free page: a hidden overlay with nothing to say
        '<div class="js-paywall-overlay" hidden></div><div class="paywall-divider"></div>',
        # an article that mentions subscribers in a long paragraph is no wall
        "<p>"
        + "The railway said season ticket subscribers only pay half on the new trains, " * 6
        + "</p>",
        '<div class="newsletter"><p>Sign up for our morning newsletter.</p></div>',
    ],
)
def test_no_wall_is_unknown(after: str) -> None:
    assert extract(page(after=after)).access == "unknown"


def test_flattened_text_with_a_wall_line() -> None:
    lines = [
        "Railway orders hydrogen trains",
        *(
            f"The regional railway confirmed on Friday that it will buy twelve hydrogen "
            f"trains, part {i} of a plan the council approved last year."
            for i in range(6)
        ),
        "Subscribe to continue reading",
    ]
    article = extract("\n\n".join(lines).encode(), input_format="text")
    assert article.access == "paywalled"


def test_access_goes_through_json_and_odd_values_are_unknown() -> None:
    article = extract(page(head=json_ld({"isAccessibleForFree": False})))
    data = article.to_dict()
    assert data["access"] == "paywalled"
    assert Article.from_dict(data).access == "paywalled"
    assert Article.from_dict({**data, "access": "sometimes"}).access == "unknown"
    assert Article.from_dict({"title": "t", "text": "x"}).access == "unknown"


def test_wall_elements_are_those_of_the_full_selector() -> None:
    """The shorter query of wall cores finds a superset: every wall word holds a core."""
    assert all(any(core in word for core in WALL_CORES) for word in WALL_WORDS)
    few = (
        '<div class="PayWall-box">a</div><div id="wallpaper">b</div>'
        '<p class="is-locked">c</p><section id="x-article-locked">d</section>'
        '<span class="subscribers-only note">e</span><i class="TP-Modal">f</i>'
    )
    many = few + "".join(f'<div class="wall-{n}">w</div>' for n in range(20))
    for body in ("<p>none</p>", few, many):
        tree = LexborHTMLParser(f"<html><body>{body}</body></html>")
        expected = [node.mem_id for node in tree.css(_WALL_SELECTOR)]
        assert [node.mem_id for node in wall_elements(tree)] == expected
    tree = LexborHTMLParser(f"<html><body>{few}</body></html>")
    assert len(wall_elements(tree)) == 4


@pytest.mark.parametrize(
    "line",
    [
        "SUBSCRIBE TO CONTINUE READING",
        "To read the full article, please sign in",
        "To continue reading, log in",
        "Already a subscriber?",
        "Чтобы продолжить чтение, оформите ПОДПИСКУ",
        "Jetzt abonnieren und weiterlesen",
        "Réservé aux abonnés",
        "Exclusivo para suscriptores",
        # Letters that re.I matches and str.lower() does not map to the words' letters.
        "Subscr\u0131be to continue reading",
        "\u017fub\u017fcribers only",
        "SUBSCR\u0130BE TO CONT\u0130NUE READ\u0130NG",
        "Д\u1c82ступно только для по\u1c81писчиков",
    ],
)
def test_a_wall_line_is_found_among_others(line: str) -> None:
    """The words looked for in all the lines at once miss no line the regex reads."""
    assert _WALL_TEXT.search(line)
    others = ["Railway orders hydrogen trains", "Twelve trains – for two lines"]
    assert wall_line([*others, line, "Last line"]) == line
    assert wall_line(others) is None
