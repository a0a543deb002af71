"""The documents a body links to on other sites (``Article.links``): read from the blocks
picked as the body only, absolute, in their normal form, without the page's own site,
front pages, share buttons, trackers or profiles; on real pages and on a made one."""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import urlsplit

from newsdesk import extract
from newsdesk.model import Article
from tests.conftest import BENCH, require_shared

FUNDUS = BENCH / "extraction" / "fundus-dev"
BUTTON = re.compile(r"/(?:share|sharer|intent)(?:[/.]|$)", re.IGNORECASE)


def _fundus(file: str) -> Article:
    case = next(
        json.loads(line)
        for line in require_shared(FUNDUS / "cases.jsonl").read_text("utf-8").splitlines()
        if json.loads(line)["file"] == file
    )
    html = gzip.decompress(require_shared(FUNDUS / "html" / file).read_bytes())
    return extract(html, url=case["url"])


def test_the_post_and_the_papers_a_report_cites():
    rubio = _fundus("ca-NationalPost_2025_05_08.html.gz")
    assert rubio.links == ("https://twitter.com/SecRubio/status/1919902403999965441",)
    dw = _fundus("de-DW_2023_06_13.html.gz")  # a vaccine study, the sources it rests on
    assert "https://www.nature.com/articles/s41591-021-01630-0" in dw.links
    assert not any("dw.com" in link for link in dw.links)


def test_no_real_page_links_its_own_site_a_front_page_or_a_button():
    cases = [
        json.loads(line)
        for line in require_shared(FUNDUS / "cases.jsonl").read_text("utf-8").splitlines()
    ]
    with_links = 0
    for case in cases:
        html = gzip.decompress((FUNDUS / "html" / case["file"]).read_bytes())
        article = extract(html, url=case["url"])
        own = urlsplit(case["url"]).hostname.removeprefix("www.")
        with_links += bool(article.links)
        assert len(article.links) <= 20
        for link in article.links:
            parts = urlsplit(link)
            assert parts.scheme in ("http", "https"), link
            assert not parts.hostname.removeprefix("www.").endswith(own), link
            assert parts.path.strip("/"), link
            assert not BUTTON.search(parts.path), link
        assert Article.from_dict(article.to_dict()).links == article.links
    assert with_links >= 20  # a quarter of the pages cite something


def test_only_the_bodys_links_to_other_sites_documents_are_kept():
    body = (
        "<p>The port authority said in a <a href='https://portofklaipeda.lt/en/news/"
        "crew-rescued-2026-03-14?utm_source=x#top'>notice</a> that all 18 crew members were "
        "safe, and the navy posted <a href='https://twitter.com/LTNavy/status/190011'>a "
        "video</a> of the rescue from the deck of its patrol boat.</p>"
        "<p>Our <a href='/world/baltic'>Baltic page</a> and <a href='https://weather.example-"
        "news.com/storm-2026'>our storm tracker</a> follow the storm, which also hit "
        "<a href='https://en.wikipedia.org/'>the coast</a>; watch <a href='https://www."
        "youtube.com/watch?v=abc123'>the video</a>, follow <a href='https://x.com/ltnavy'>"
        "the navy</a>, and <a href='https://click.tracker.example/deal-123'>buy a "
        "raincoat</a> while the port stays closed to every ship until Monday.</p>"
        "<p>Engineers said the ship's hull was intact and that tugs would try to pull it "
        "free at high tide on Sunday, weather permitting, the authority added, as <a "
        "href='https://www.ad.nl/buitenland/bemanning-gered~a4f2e1/'>AD</a> reported.</p>"
    )
    page = (
        "<html lang='en'><head><title>Crew rescued</title></head><body>"
        "<nav><a href='https://other.example/sections/world-1'>World</a></nav>"
        f"<article><h1>Crew rescued off Klaipeda</h1>{body}"
        "<div class='share'><a href='https://www.facebook.com/sharer/sharer.php?u=x'>Share"
        "</a></div></article>"
        "<aside><a href='https://elsewhere.example/news/another-story-2026'>Read more</a>"
        "</aside></body></html>"
    )
    article = extract(page, url="https://www.example-news.com/world/crew-rescued-2026")
    assert article.links == (
        "https://portofklaipeda.lt/en/news/crew-rescued-2026-03-14",
        "https://twitter.com/LTNavy/status/190011",
        "https://www.ad.nl/buitenland/bemanning-gered~a4f2e1/",  # a newspaper, no tracker
    )
    # Without the page's URL, its own site is unknown: its storm tracker counts too (and
    # the relative link, with no site to resolve against, does not).
    assert set(extract(page).links) == {
        *article.links,
        "https://weather.example-news.com/storm-2026",
    }


def test_links_read_back_only_from_a_list():
    base = {"id": "a", "title": "T", "paragraphs": ["Text."]}
    assert Article.from_dict({**base, "links": ["https://a.example/x-1"]}).links == (
        "https://a.example/x-1",
    )
    assert Article.from_dict({**base, "links": "https://a.example/x-1"}).links == ()
    assert Article.from_dict(base).links == ()
