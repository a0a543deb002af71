"""The JSON API over a real SQLite store: stories, aliases, articles, extract, ingest."""

from __future__ import annotations

import re

import feedparser
import pytest
from fastapi.testclient import TestClient

from newsdesk.serve.openapi import undefined_references
from newsdesk.store import Store
from tests.conftest import SEED_PAGE
from tests.publish.samples import seed_article, wework_articles
from tests.serve.conftest import MAX_BODY, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_list_stories_pages_and_filters(client: TestClient):
    everything = client.get("/api/stories").json()
    assert everything["total"] == 3
    assert {s["id"] for s in everything["items"]} == {"wework-nyag", "wagner-mali", "hostile"}
    statuses = {s["id"]: s["status"] for s in everything["items"]}
    assert statuses == {"wework-nyag": "published", "wagner-mali": "published", "hostile": "held"}

    first = client.get("/api/stories", params={"limit": 1}).json()
    second = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert first["next_offset"] == 1 and second["next_offset"] == 2
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [
        s["id"] for s in everything["items"][:2]
    ]

    # The WeWork reports are from November 2019; the seed page is later.
    in_2019 = client.get("/api/stories", params={"since": "2019-11-01", "until": "2019-12-01"})
    assert [s["id"] for s in in_2019.json()["items"]] == ["wework-nyag"]
    assert client.get("/api/stories", params={"language": "xx"}).json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"since": "yesterday"},
        {"limit": 0},
        {"limit": 100000},
        {"offset": -1},
        # past SQLite's 64-bit integers: was a 500 (OverflowError)
        {"offset": 9223372036854775808},
        {"offset": 2**31},
    ],
)
def test_list_stories_rejects_bad_parameters(client: TestClient, params: dict):
    response = client.get("/api/stories", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_story_has_draft_checks_and_articles(client: TestClient):
    body = client.get("/api/stories/wework-nyag").json()
    vb, tc = wework_articles()
    assert body["status"] == "published"
    assert body["draft"]["headline"] == "New York attorney general investigates WeWork"
    checks = body["checks"]
    assert {k: checks[k] for k in ("story_id", "passed", "problems")} == {
        "story_id": "wework-nyag",
        "passed": True,
        "problems": [],
    }
    # Per sentence, the source passages the verifier matched (what the page highlights).
    assert len(checks["evidence"]) == len(body["draft"]["standfirst"]) + len(
        body["draft"]["lead"]
    ) + sum(map(len, body["draft"]["body"])) + len(body["draft"]["summary"])
    assert {e["article_id"] for found in checks["evidence"] for e in found} == {vb.id, tc.id}
    ids = [a["id"] for a in body["articles"]]
    assert vb.id in ids and tc.id in ids
    cited = {c for s in body["draft"]["lead"] for c in s["citations"]}
    assert cited <= set(ids)
    article = next(a for a in body["articles"] if a["id"] == vb.id)
    assert article["url"] == vb.url and article["paragraphs"] == list(vb.paragraphs)


def test_alias_resolves_to_the_surviving_story(client: TestClient):
    body = client.get("/api/stories/wework-old").json()
    assert body["id"] == "wework-nyag" and body["requested_id"] == "wework-old"
    assert "wework-old" in body["aliases"]


def test_held_story_shows_its_problems(client: TestClient):
    body = client.get("/api/stories/hostile").json()
    assert body["status"] == "held"
    assert body["checks"]["passed"] is False
    assert body["checks"]["problems"][0]["kind"] == "quote"


def test_unknown_ids_are_404(client: TestClient):
    assert client.get("/api/stories/nope").status_code == 404
    response = client.get("/api/articles/nope")
    assert response.status_code == 404 and "nope" in response.json()["detail"]


def test_get_article(client: TestClient):
    seed = seed_article()
    body = client.get(f"/api/articles/{seed.id}").json()
    assert body["paragraphs"] == list(seed.paragraphs)
    assert body["text"] == seed.text


def test_extract_raw_page_and_json(client: TestClient):
    raw = SEED_PAGE.read_bytes()
    by_bytes = client.post(
        "/api/extract",
        content=raw,
        params={"input_format": "text"},
        headers={**AUTH, "Content-Type": "text/plain; charset=utf-8"},
    )
    assert by_bytes.status_code == 200, by_bytes.text
    assert by_bytes.json()["paragraphs"] == list(seed_article().paragraphs)
    by_json = client.post(
        "/api/extract",
        json={
            "content": raw.decode("utf-8"),
            "url": "https://example.org/mali",
            "input_format": "text",
        },
        headers=AUTH,
    )
    assert by_json.status_code == 200
    assert by_json.json()["url"] == "https://example.org/mali"
    assert by_json.json()["paragraphs"] == by_bytes.json()["paragraphs"]


def test_extract_refuses_oversized_and_bad_bodies(client: TestClient):
    def post(**kwargs) -> int:
        headers = {**AUTH, **kwargs.pop("headers", {})}
        return client.post("/api/extract", headers=headers, **kwargs).status_code

    too_big = b"<html><body><p>" + b"word " * (MAX_BODY // 5 + 10) + b"</p></body></html>"
    assert post(content=too_big) == 413

    def chunks():  # no Content-Length: the limit must hold on the streamed bytes too
        for _ in range(MAX_BODY // 1024 + 2):
            yield b"x" * 1024

    assert post(content=chunks()) == 413
    assert post(content=b"") == 422
    assert post(content=b"\x00\x01\x02" * 100) == 422
    assert post(content=b"{not json", headers={"Content-Type": "application/json"}) == 422
    assert post(json={"content": "<p>x</p>", "url": "javascript:alert(1)"}) == 422


def test_ingest_needs_the_token(client: TestClient):
    article = {"title": "T", "text": "Some text."}
    missing = client.post("/api/ingest", json=article)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    wrong = client.post("/api/ingest", json=article, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403


def test_ingest_disabled_without_configured_token(store: Store):
    from newsdesk.serve import ServeSettings, create_app

    with TestClient(create_app(store, ServeSettings(ingest_token=None))) as open_client:
        response = open_client.post(
            "/api/ingest", json={"title": "T", "text": "x"}, headers={"Authorization": "Bearer "}
        )
        assert response.status_code in (401, 403)
        response = open_client.post("/api/ingest", json={"title": "T", "text": "x"}, headers=AUTH)
        assert response.status_code == 403 and "disabled" in response.json()["detail"]


def test_ingest_article_json_then_page(client: TestClient, store: Store):
    sent = {
        "url": "https://example.org/news/ingested",
        "title": "Ingested report",
        "paragraphs": ["First paragraph of an ingested report.", "Second paragraph."],
        "site_name": "Example News",
        "id": "client-chosen-id-is-ignored",
    }
    created = client.post("/api/ingest", json=sent, headers=AUTH)
    assert created.status_code == 201, created.text
    article = created.json()["article"]
    assert article["id"] != sent["id"] and created.json()["created"] is True
    assert store.get_article(article["id"]).paragraphs == tuple(sent["paragraphs"])
    again = client.post("/api/ingest", json=sent, headers=AUTH)
    assert again.status_code == 200 and again.json()["created"] is False

    page = client.post(
        "/api/ingest",
        content=SEED_PAGE.read_bytes(),
        params={"url": "https://example.org/mali-page", "input_format": "text"},
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    assert page.status_code == 201, page.text
    stored = store.get_article(page.json()["article"]["id"])
    assert stored.url == "https://example.org/mali-page"
    assert client.get(f"/api/articles/{stored.id}").json()["title"] == stored.title

    empty = client.post("/api/ingest", json={"title": "No text"}, headers=AUTH)
    assert empty.status_code == 422
    wrong_type = client.post("/api/ingest", json={"paragraphs": 5}, headers=AUTH)
    assert wrong_type.status_code == 422


def test_feed_lists_published_stories_only(client: TestClient):
    response = client.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert {e.link for e in feed.entries} == {
        "http://testserver/stories/wework-nyag",
        "http://testserver/stories/wagner-mali",
    }
    for entry in feed.entries:
        assert entry.title and entry.id and entry.updated_parsed


def test_openapi_docs(client: TestClient):
    schema = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/extract", "/api/ingest"} <= set(
        schema["paths"]
    )
    assert "StoryDetail" in schema["components"]["schemas"]
    assert client.get("/docs").status_code == 200


def test_openapi_defines_what_it_references(client: TestClient):
    schema = client.get("/openapi.json").json()
    assert undefined_references(schema) == []
    extract_json = schema["paths"]["/api/extract"]["post"]["requestBody"]["content"]
    assert extract_json["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ExtractRequest"
    }
    assert schema["components"]["schemas"]["ExtractRequest"]["required"] == ["content"]
    # a broken reference is seen: the check itself can fail
    assert undefined_references({"a": {"$ref": "#/components/schemas/Nope"}}) == [
        "#/components/schemas/Nope"
    ]


@pytest.mark.parametrize("path", ["/api/extract", "/api/ingest"])
def test_request_bodies_the_server_needs_are_required(client: TestClient, path: str):
    body = client.get("/openapi.json").json()["paths"][path]["post"]["requestBody"]
    assert body["required"] is True
    response = client.post(path, headers=AUTH)
    assert response.status_code == 422 and "empty" in response.json()["detail"]


def test_time_filters_are_typed_date_time(client: TestClient):
    parameters = client.get("/openapi.json").json()["paths"]["/api/stories"]["get"]["parameters"]
    by_name = {p["name"]: p for p in parameters}
    for name in ("since", "until"):
        given = [s for s in by_name[name]["schema"]["anyOf"] if s["type"] != "null"]
        assert given == [{"type": "string", "format": "date-time"}]
        assert by_name[name]["required"] is False
    assert by_name["offset"]["schema"]["maximum"] < 2**63
    moment = client.get("/api/stories", params={"since": "2019-11-01T00:00:00+00:00"})
    assert moment.status_code == 200 and moment.json()["total"] >= 1


def test_docs_work_offline(client: TestClient):
    """/docs and /redoc load their scripts and styles from this server, never a CDN."""
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert any(a.endswith(".js") for a in assets), html
        for asset in assets:
            assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
            fetched = client.get(asset)
            assert fetched.status_code == 200 and len(fetched.content) > 1000, asset
        assert "cdn." not in html and "fonts.googleapis" not in html


def test_served_feed_follows_the_stories_last_sightings(tmp_path):
    """The served feed picks and orders stories as the static site does: by when each story
    was last seen, not by when its draft happened to be saved."""
    from newsdesk.model import Story
    from newsdesk.serve import ServeSettings, create_app
    from newsdesk.store import open_store, story_signature
    from tests.publish.samples import seed_draft, wework_draft

    vb, tc = wework_articles()
    seed = seed_article()
    with open_store(str(tmp_path / "feed.db")) as store:
        store.add_articles([vb, tc, seed])
        # The Mali story was seen last, but its draft is saved first.
        for story_id, members, draft, last_seen in (
            ("wagner-mali", [seed], seed_draft(), "2025-06-09T10:00:00+00:00"),
            ("wework-nyag", [vb, tc], wework_draft(), "2025-06-08T10:00:00+00:00"),
        ):
            ids = [a.id for a in members]
            story = Story(
                id=story_id,
                article_ids=tuple(ids),
                headline=draft.headline,
                first_seen=last_seen,
                last_seen=last_seen,
            )
            store.save_story(story, ids)
            store.save_draft(draft, "published", story_signature(ids))
        with TestClient(create_app(store, ServeSettings())) as client:
            feed = feedparser.parse(client.get("/feed.atom").content)
            assert [e.link for e in feed.entries] == [
                "http://testserver/stories/wagner-mali",
                "http://testserver/stories/wework-nyag",
            ]
        with TestClient(create_app(store, ServeSettings(feed_limit=1))) as client:
            feed = feedparser.parse(client.get("/feed.atom").content)
            assert [e.link for e in feed.entries] == ["http://testserver/stories/wagner-mali"]
