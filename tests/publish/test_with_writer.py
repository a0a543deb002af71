"""Publishing what the real writer and verifier produce (not hand-made drafts)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import feedparser
import lxml.html

from newsdesk.publish import publish_site, render_html, render_markdown
from newsdesk.verify import verify_draft
from newsdesk.write import write_story
from tests.publish.samples import seed_article, wework_articles


def test_written_and_verified_drafts_publish(tmp_path: Path):
    stories = []
    for story_id, articles in (("wework", list(wework_articles())), ("mali", [seed_article()])):
        draft = write_story(articles, story_id)
        draft = dataclasses.replace(draft, checks=verify_draft(draft, articles))
        stories.append((draft, articles))

    for draft, articles in stories:
        doc = lxml.html.fromstring(render_html(draft, articles))
        sentences = doc.cssselect(".sentence")
        assert len(sentences) == len([s for s in draft.sentences() if s.text.strip()])
        # The extractive writer copies source sentences: each one finds its passage.
        for sentence in sentences:
            passages = sentence.get("data-passages").split()
            assert passages, sentence.text_content()
            assert any(
                sentence.text_content() in doc.get_element_by_id(p).text_content() for p in passages
            )
        urls = {a.url for a in articles if a.url}
        assert urls <= {a.get("href") for a in doc.cssselect("a.source-link")}
        assert draft.headline.split()[0] in render_markdown(draft)

    publish_site(stories, tmp_path, site_url="https://news.example.org/")
    feed = feedparser.parse((tmp_path / "feed.atom").read_bytes())
    assert not feed.bozo
    published = [d for d, _ in stories if d.checks is None or d.checks.passed]
    assert len(feed.entries) == len(published)
