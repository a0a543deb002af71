"""Stories show each source's access flag: in the API's JSON (articles and draft sources),
on the served story page, and in the static site's story page and Markdown."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from newsdesk.extract import extract
from newsdesk.model import Story
from newsdesk.publish import publish_site
from newsdesk.serve import ServeSettings, create_app
from newsdesk.store import open_store, story_signature
from newsdesk.write import write_extractive
from tests.conftest import REPO

PAGES = REPO / "examples" / "pages"
WALLED = PAGES / "ashgrove-chronicle" / "2025-06-13-hydrogen-trains-order.html"
OPEN = PAGES / "quillfield-times" / "2025-06-13-hydrogen-trains.html"


def test_each_source_says_whether_it_is_paywalled(tmp_path: Path) -> None:
    walled = extract(WALLED.read_bytes(), url="https://ashgrove.example/hydrogen")
    other = extract(OPEN.read_bytes(), url="https://quillfield.example/hydrogen")
    assert (walled.access, other.access) == ("paywalled", "unknown")
    draft = write_extractive([walled, other], "hydrogen", max_words=300)
    assert {s.id: s.access for s in draft.sources} == {
        walled.id: "paywalled",
        other.id: "unknown",
    }
    with open_store(str(tmp_path / "nd.db")) as store:
        store.add_articles([walled, other])
        ids = [walled.id, other.id]
        store.save_story(Story(id="hydrogen", article_ids=tuple(ids), headline=draft.headline), ids)
        store.save_draft(draft, "published", story_signature(ids))
        with TestClient(create_app(store, ServeSettings())) as client:
            body = client.get("/api/stories/hydrogen").json()
            assert {a["id"]: a["access"] for a in body["articles"]} == {
                walled.id: "paywalled",
                other.id: "unknown",
            }
            assert {s["id"]: s["access"] for s in body["draft"]["sources"]} == {
                walled.id: "paywalled",
                other.id: "unknown",
            }
            assert client.get(f"/api/articles/{walled.id}").json()["access"] == "paywalled"
            page = client.get("/stories/hydrogen", headers={"accept": "text/html"}).text
            assert page.count("paywall: teaser only") == 1
    publish_site([(draft, [walled, other])], tmp_path / "site")
    html = (tmp_path / "site" / "stories" / "hydrogen.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "site" / "stories" / "hydrogen.md").read_text(encoding="utf-8")
    assert html.count("paywall: teaser only") == 1
    assert markdown.count("(paywall: teaser only)") == 1
