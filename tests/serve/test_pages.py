"""The web pages over a real store: index, story beside its sources, escaping, redirects."""

from __future__ import annotations

import lxml.html
from fastapi.testclient import TestClient

from tests.publish.samples import HOSTILE_TITLE, wework_articles


def _doc(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html)


def test_index_lists_stories(client: TestClient):
    response = client.get("/")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    doc = _doc(response.text)
    links = {a.get("href"): a.text_content() for a in doc.cssselect("a.story-link")}
    assert links["/stories/wework-nyag"] == "New York attorney general investigates WeWork"
    assert links["/stories/hostile"] == HOSTILE_TITLE
    held = doc.cssselect("li.is-held")
    assert len(held) == 1 and "held for review" in held[0].text_content()
    assert not any("alert" in (s.text or "") for s in doc.iter("script"))
    assert doc.cssselect('link[rel="alternate"]')[0].get("href") == "/feed.atom"


def test_story_page_sets_article_beside_sources(client: TestClient):
    response = client.get("/stories/wework-nyag")
    assert response.status_code == 200
    doc = _doc(response.text)
    main = doc.cssselect("main.columns")[0]
    assert [c.tag for c in main] == ["article", "aside"]
    vb, tc = wework_articles()
    assert {a.get("href") for a in doc.cssselect("a.source-link")} == {vb.url, tc.url}
    sentences = doc.cssselect(".sentence")
    assert sentences
    supported = 0
    for sentence in sentences:
        for passage_id in sentence.get("data-passages").split():
            passage = doc.get_element_by_id(passage_id)
            assert "passage" in passage.get("class")
            assert sentence.get("id") in passage.get("data-supports").split()
            supported += 1
    assert supported >= len(sentences)  # every sentence of this draft is found in a source
    assert doc.cssselect("script")[0].get("src") == "/static/newsdesk.js"
    js = client.get("/static/newsdesk.js")
    assert js.headers["content-type"].startswith("text/javascript") and "highlight" in js.text
    assert client.get("/static/../app.py").status_code == 404


def test_hostile_story_is_shown_as_text(client: TestClient):
    doc = _doc(client.get("/stories/hostile").text)
    assert doc.findtext(".//h1") == HOSTILE_TITLE
    assert not any("alert" in (s.text or "") for s in doc.iter("script"))
    assert not doc.cssselect("img")
    assert not any("javascript" in (a.get("href") or "").lower() for a in doc.iter("a"))
    assert "Held for review" in doc.cssselect("aside.held")[0].text_content()


def test_alias_redirects_and_unknown_is_404(client: TestClient):
    moved = client.get("/stories/wework-old", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/stories/wework-nyag"
    missing = client.get("/stories/nope", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "Story not found" in missing.text


def test_story_markdown(client: TestClient):
    response = client.get("/stories/wework-nyag.md")
    assert response.status_code == 200
    assert response.text.startswith("# New York attorney general investigates WeWork")
    assert client.get("/stories/nope.md").status_code == 404


def test_empty_store_and_settings_from_env(tmp_path):
    from newsdesk.serve import ServeSettings, create_app
    from newsdesk.store import open_store

    settings = ServeSettings.from_env(
        {"NEWSDESK_INGEST_TOKEN": " secret ", "NEWSDESK_FEED_LIMIT": "x"}
    )
    assert settings.ingest_token == "secret" and settings.feed_limit == 50
    assert ServeSettings.from_env({}).ingest_token is None
    with (
        open_store(str(tmp_path / "empty.db")) as store,
        TestClient(create_app(store, settings)) as client,
    ):
        assert "No stories yet" in client.get("/").text
        assert client.get("/api/stories").json() == {
            "items": [],
            "total": 0,
            "limit": 20,
            "offset": 0,
            "next_offset": None,
        }
        feed = client.get("/feed.atom")
        assert feed.status_code == 200 and b"<entry>" not in feed.content
