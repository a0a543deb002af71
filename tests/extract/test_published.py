"""Which date a page calls published: small pages of our own.

An "Updated" time shown before the published one, a modification date named in the
markup, a date closing the title ("... | DW | 28.04.2023"), a fact check's ClaimReview
datePublished, and dates written in words in other languages, read by the one parser.
"""

from __future__ import annotations

import json
from datetime import datetime

from newsdesk import extract

PROSE = (
    "The council approved the new budget on Tuesday, after a long debate about schools, "
    "roads and the cost of public transport in the city. "
)


def published(head: str = "", top: str = "", lang: str = "en") -> str:
    page = (
        f'<html lang="{lang}"><head>{head}</head><body><article>{top}'
        f"<p>{PROSE * 3}</p><p>{PROSE * 2}</p></article></body></html>"
    )
    value = extract(page.encode()).published
    assert value is not None
    return value.isoformat() if isinstance(value, datetime) else str(value)


def test_an_updated_time_is_not_the_publication() -> None:
    top = (
        '<p class="meta"><span>Updated</span> <time datetime="2024-05-06T10:00:00Z">6 May</time></p>'
        '<p class="meta">Published <time datetime="2024-05-03T08:30:00Z">3 May</time></p>'
    )
    assert published(top=top).startswith("2024-05-03")
    top = (
        '<time class="date-modified" datetime="2024-05-06T10:00:00Z">6 May</time>'
        '<time class="date-published" datetime="2024-05-03T08:30:00Z">3 May</time>'
    )
    assert published(top=top).startswith("2024-05-03")


def test_a_date_closing_the_title() -> None:
    head = '<meta property="og:title" content="Ukrainische Gegenoffensive | DW | 28.04.2023">'
    top = '<h2>Teaser <span class="date">24.04.2023</span></h2>'
    assert published(head, top, lang="de").startswith("2023-04-28")


def test_any_json_ld_object_with_a_publication_date() -> None:
    ld = {"@type": "ClaimReview", "name": "A claim", "datePublished": "2026-05-13 15:44"}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    top = '<p class="date">Updated 22 May 2026</p>'
    assert published(head, top).startswith("2026-05-13")


def test_dates_in_words_in_other_languages() -> None:
    assert published(top='<p class="date">12 марта 2019</p>', lang="ru").startswith("2019-03-12")
    assert published(top='<p class="date">7 juin 2025</p>', lang="fr").startswith("2025-06-07")


def _page(head: str = "", top: str = "") -> bytes:
    return (
        f'<html lang="en"><head>{head}</head><body><article>{top}'
        f"<p>{PROSE * 3}</p><p>{PROSE * 2}</p></article></body></html>"
    ).encode()


def test_the_modification_time_is_kept_apart_from_the_publication() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council approves the budget",
        "datePublished": "2024-05-03T08:30:00+02:00",
        "dateModified": "2024-05-06T10:00:00+02:00",
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    article = extract(_page(head))
    assert article.published_iso == "2024-05-03T08:30:00+02:00"
    assert article.modified == "2024-05-06T10:00:00+02:00"  # the page's offset kept
    assert article.to_dict()["modified"] == "2024-05-06T10:00:00+02:00"
    # OpenGraph's names, and an element marked dateModified.
    head = (
        '<meta property="article:published_time" content="2024-05-03T08:30:00Z">'
        '<meta property="article:modified_time" content="2024-05-04T09:00:00Z">'
    )
    assert extract(_page(head)).modified == "2024-05-04T09:00:00+00:00"
    top = '<time itemprop="dateModified" datetime="2024-05-05">5 May</time>'
    assert extract(_page(top=top)).modified == "2024-05-05"


def test_a_modification_before_the_publication_is_no_modification() -> None:
    head = (
        '<meta property="article:published_time" content="2024-05-03T08:30:00Z">'
        '<meta property="article:modified_time" content="2019-01-01T00:00:00Z">'
    )
    article = extract(_page(head))
    assert article.published_iso == "2024-05-03T08:30:00+00:00"
    assert article.modified is None
    assert extract(_page()).modified is None  # a page that says nothing of it


def test_the_modification_time_travels_through_the_store(tmp_path) -> None:
    from newsdesk.store import open_store

    head = '<meta property="article:modified_time" content="2024-05-04T09:00:00Z">'
    article = extract(_page(head))
    with open_store(tmp_path / "s.db") as store:
        store.add_article(article)
        assert store.get_article(article.id).modified == "2024-05-04T09:00:00+00:00"
