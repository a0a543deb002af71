"""`newsdesk serve` as a real process on 127.0.0.1, spoken to over HTTP."""

from __future__ import annotations

import feedparser
import httpx
from typer.testing import CliRunner

from newsdesk.cli import app
from tests.conftest import SEED_PAGE
from tests.serve.conftest import TOKEN


def test_served_api_pages_and_feed(server: str):
    with httpx.Client(base_url=server, timeout=10) as http:
        stories = http.get("/api/stories", params={"limit": 2}).json()
        assert stories["total"] == 3 and len(stories["items"]) == 2
        page = http.get("/stories/wework-nyag")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert http.get("/static/newsdesk.css").status_code == 200
        feed = feedparser.parse(http.get("/feed.atom").content)
        assert not feed.bozo and len(feed.entries) == 2
        assert all(e.link.startswith(server + "/stories/") for e in feed.entries)
        assert http.get("/docs").status_code == 200

        # The token comes from NEWSDESK_INGEST_TOKEN in the server's environment.
        article = {"url": "https://example.org/served", "title": "Served", "text": "One paragraph."}
        assert http.post("/api/ingest", json=article).status_code == 401
        made = http.post("/api/ingest", json=article, headers={"Authorization": f"Bearer {TOKEN}"})
        assert made.status_code == 201
        assert http.get(f"/api/articles/{made.json()['article']['id']}").status_code == 200

        # Extraction wants the same token by default (the server sets no extract token).
        page = {"content": SEED_PAGE.read_text(encoding="utf-8"), "input_format": "text"}
        assert http.post("/api/extract", json=page).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        extracted = http.post("/api/extract", json=page, headers=auth)
        assert extracted.status_code == 200 and extracted.json()["paragraphs"]
        assert http.get("/api/runs", headers=auth).json() == []


def test_serve_reports_a_store_it_cannot_open(tmp_path):
    # --db makes a missing folder, but not one under a plain file
    (tmp_path / "a-file").write_text("not a folder")
    missing = tmp_path / "a-file" / "folder" / "x.db"
    done = CliRunner().invoke(app, ["serve", "--db", str(missing), "--port", "1"])
    assert done.exit_code == 1
    assert done.exception is None or isinstance(done.exception, SystemExit)
    assert str(missing) in done.stderr
