"""Publishing drafts: files written, sources linked, untrusted text escaped, feed valid."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import lxml.html
from markdown_it import MarkdownIt

from newsdesk.model import Draft
from newsdesk.publish import publish_site, render_atom, render_html, render_index, render_markdown
from newsdesk.publish.links import safe_url
from tests.publish.samples import (
    HOSTILE_TITLE,
    hostile_draft,
    seed_article,
    seed_draft,
    wework_articles,
    wework_draft,
)


def _scripts(html: str) -> list[str]:
    return [s.text_content() for s in lxml.html.fromstring(html).iter("script")]


def _hrefs(html: str) -> list[str]:
    return [a.get("href") for a in lxml.html.fromstring(html).iter("a")]


def test_safe_url_allows_only_http():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("HTTP://example.org/") == "HTTP://example.org/"
    for bad in (
        "javascript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:x",
        "data:text/html,x",
        "//example.org",
        "/relative",
        "",
        None,
        "https://",
        "vbscript:x",
    ):
        assert safe_url(bad) is None, bad


def test_story_page_cites_and_links_every_source():
    draft = wework_draft()
    vb, tc = wework_articles()
    html = render_html(draft, [vb, tc])
    doc = lxml.html.fromstring(html)
    assert doc.findtext(".//h1").strip() == draft.headline
    links = {a.get("href") for a in doc.cssselect("a.source-link")}
    assert links == {vb.url, tc.url}
    # Each sentence carries numbered citation links that point at its sources' entries.
    sentences = doc.cssselect(".sentence")
    assert len(sentences) == len(draft.sentences())
    for span in sentences:
        cites = span.getnext().cssselect("a.cite")
        assert cites, span.text_content()
        for a in cites:
            assert doc.get_element_by_id(a.get("href")[1:]).get("class") == "source"
    # Verbatim sentences point at the paragraph that holds them.
    standfirst = doc.cssselect(".standfirst .sentence")[0]
    (passage_id,) = standfirst.get("data-passages").split()
    assert standfirst.text_content() in doc.get_element_by_id(passage_id).text_content()
    # ...and the words it quotes are marked inside that paragraph.
    (quoted,) = doc.get_element_by_id(passage_id).cssselect(".quoted")
    assert quoted.get("data-for") == standfirst.get("id")
    assert quoted.text_content() == standfirst.text_content()
    # The reworded sentence (cites both) still finds the spokesperson's quote in both articles.
    reworded = next(s for s in sentences if s.text_content().startswith("A WeWork spokesperson"))
    found = [doc.get_element_by_id(p).text_content() for p in reworded.get("data-passages").split()]
    assert {p.split("-")[1] for p in reworded.get("data-passages").split()} == {"1", "2"}
    assert all("inquiry" in text for text in found)
    # Inside each, the closest source sentence (the spokesperson's quote) is marked.
    for passage_id in reworded.get("data-passages").split():
        marked = [
            q.text_content()
            for q in doc.get_element_by_id(passage_id).cssselect(".quoted")
            if reworded.get("id") in q.get("data-for").split()
        ]
        assert "cooperating in the matter" in "".join(marked)


def test_story_page_without_articles_still_lists_sources():
    draft = seed_draft()
    html = render_html(draft)
    doc = lxml.html.fromstring(html)
    assert len(doc.cssselect("li.source")) == 1
    assert not doc.cssselect(".passage")
    assert doc.cssselect(".sentence")[0].get("data-sources") == "source-1"


def test_hostile_text_is_escaped_everywhere(tmp_path: Path):
    draft, article = hostile_draft()
    html = render_html(draft, [article])
    assert HOSTILE_TITLE not in html
    assert not any("alert" in s for s in _scripts(html))
    doc = lxml.html.fromstring(html)
    assert doc.findtext(".//h1") == HOSTILE_TITLE  # shown as text
    assert not doc.cssselect("img")
    assert not any(h and "javascript" in h.lower() for h in _hrefs(html))
    assert "Held for review" in doc.text_content()
    # The sentence the verifier objected to is flagged where it stands, with the reason.
    (flagged,) = doc.cssselect(".sentence.flagged")
    assert HOSTILE_TITLE in flagged.text_content()
    assert "quote: <i>not</i> in any source" in flagged.get("title")

    index = render_index([draft])
    assert not any("alert" in s for s in _scripts(index))
    assert lxml.html.fromstring(index).cssselect("a.story-link")[0].text_content() == HOSTILE_TITLE

    rendered = MarkdownIt("commonmark").render(render_markdown(draft))
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "javascript:" not in " ".join(h or "" for h in _hrefs("<div>" + rendered + "</div>"))
    assert HOSTILE_TITLE in lxml.html.fromstring(rendered).text_content()

    feed = feedparser.parse(render_atom([draft], "https://news.example.org/", include_held=True))
    assert not feed.bozo
    assert feed.entries[0].title == HOSTILE_TITLE
    assert "<script" not in feed.entries[0].content[0].value


def test_markdown_has_citations_and_source_list():
    draft = wework_draft()
    vb, tc = wework_articles()
    text = render_markdown(draft)
    html = MarkdownIt("commonmark").render(text)
    doc = lxml.html.fromstring(html)
    assert doc.findtext(".//h1") == draft.headline
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert hrefs.count(vb.url) >= 2 and hrefs.count(tc.url) >= 2  # cited and listed
    assert "[1]" in doc.text_content() and "[2]" in doc.text_content()
    assert "## Sources" in text


def test_atom_feed_parses_back():
    drafts = [wework_draft(), seed_draft()]
    feed = feedparser.parse(
        render_atom(
            drafts, "https://news.example.org/", feed_url="https://news.example.org/feed.atom"
        )
    )
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == [d.headline for d in drafts]  # newest first
    for entry in feed.entries:
        assert entry.link.startswith("https://news.example.org/stories/")
        assert entry.id and entry.updated_parsed
        assert "Sources" in entry.content[0].value
    vb, _tc = wework_articles()
    assert vb.url in feed.entries[0].content[0].value


def test_atom_feed_leaves_out_held_drafts():
    held, _ = hostile_draft()
    feed = feedparser.parse(render_atom([held, seed_draft()], "https://news.example.org/"))
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [seed_draft().headline]


def test_publish_site_writes_every_file(tmp_path: Path):
    wework, seed = wework_draft(), seed_draft()
    hostile, hostile_article = hostile_draft()
    report = publish_site(
        [(wework, list(wework_articles())), (seed, [seed_article()]), (hostile, [hostile_article])],
        tmp_path,
        site_url="https://news.example.org/",
    )
    assert report.stories == ["wework-nyag", "wagner-mali", "hostile"]
    for sid in report.stories:
        for ext in ("json", "md", "html"):
            assert (tmp_path / "stories" / f"{sid}.{ext}").stat().st_size > 0
        data = json.loads((tmp_path / "stories" / f"{sid}.json").read_text())
        assert Draft.from_dict(data).story_id == sid
    assert (
        Draft.from_dict(json.loads((tmp_path / "stories/wework-nyag.json").read_text())) == wework
    )
    index = (tmp_path / "index.html").read_text()
    doc = lxml.html.fromstring(index)
    assert [a.get("href") for a in doc.cssselect("a.story-link")] == [
        "stories/wework-nyag.html",
        "stories/wagner-mali.html",
        "stories/hostile.html",
    ]
    assert "held for review" in doc.cssselect("li.is-held")[0].text_content()
    page = lxml.html.fromstring((tmp_path / "stories/wework-nyag.html").read_text())
    # Relative links from a story page resolve inside the site.
    assert (
        (tmp_path / "stories" / page.cssselect("link[rel=stylesheet]")[0].get("href"))
        .resolve()
        .exists()
    )
    assert (tmp_path / "stories" / page.cssselect("script")[0].get("src")).resolve().exists()
    feed = feedparser.parse((tmp_path / "feed.atom").read_bytes())
    assert not feed.bozo
    assert {e.link for e in feed.entries} == {
        "https://news.example.org/stories/wework-nyag.html",
        "https://news.example.org/stories/wagner-mali.html",
    }


def test_odd_story_ids_get_safe_file_names(tmp_path: Path):
    draft = Draft.from_dict({**seed_draft().to_dict(), "story_id": "../../etc/passwd"})
    publish_site([draft], tmp_path)
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {"stories", "index.html", "feed.atom", "static"}
    (page,) = (tmp_path / "stories").glob("*.html")
    assert ".." not in page.name and "/" not in page.name


def test_republishing_renders_only_changed_stories(tmp_path: Path):
    wework, seed = wework_draft(), seed_draft()
    items = [(wework, list(wework_articles())), (seed, [seed_article()])]
    first = publish_site(items, tmp_path)
    page = tmp_path / "stories/wagner-mali.html"
    page.write_text("stale marker", encoding="utf-8")  # an unchanged draft's page is kept as is
    second = publish_site(items, tmp_path)
    assert sorted(map(str, second.files)) == sorted(map(str, first.files))
    assert page.read_text(encoding="utf-8") == "stale marker"
    # A changed draft is rendered again, and so is a story whose page went missing.
    changed = Draft.from_dict({**seed.to_dict(), "headline": "Wagner leaves Mali"})
    (tmp_path / "stories/wework-nyag.html").unlink()
    publish_site([(wework, list(wework_articles())), (changed, [seed_article()])], tmp_path)
    assert "Wagner leaves Mali" in page.read_text(encoding="utf-8")
    assert (tmp_path / "stories/wework-nyag.html").stat().st_size > 100
