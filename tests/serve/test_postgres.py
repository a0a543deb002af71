"""The API over PostgreSQL too: same answers as over SQLite (time filters, aliases, feed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient

from newsdesk.serve import ServeSettings, create_app
from tests.serve.conftest import TOKEN, fill_store
from tests.store.conftest import Targets, require_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_client(tmp_path: Any) -> Iterator[TestClient]:
    require_postgres()
    targets = Targets("postgresql", tmp_path)
    try:
        with targets.new().open() as store:
            fill_store(store)
            with TestClient(create_app(store, ServeSettings(ingest_token=TOKEN))) as client:
                yield client
    finally:
        targets.cleanup()


def test_api_over_postgres(pg_client: TestClient):
    listed = pg_client.get("/api/stories").json()
    assert listed["total"] == 3
    in_2019 = pg_client.get("/api/stories", params={"since": "2019-11-01", "until": "2019-12-01"})
    assert [s["id"] for s in in_2019.json()["items"]] == ["wework-nyag"]
    alias = pg_client.get("/api/stories/wework-old").json()
    assert alias["id"] == "wework-nyag" and alias["draft"]["sources"]
    assert pg_client.get("/stories/wework-nyag").status_code == 200
    feed = feedparser.parse(pg_client.get("/feed.atom").content)
    assert not feed.bozo and len(feed.entries) == 2
    made = pg_client.post(
        "/api/ingest",
        json={"title": "On PostgreSQL", "text": "A paragraph."},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert made.status_code == 201


def test_runs_over_postgres(tmp_path: Any) -> None:
    """The run history over PostgreSQL: a run whose store closed unfinished is interrupted."""
    require_postgres()
    targets = Targets("postgresql", tmp_path)
    try:
        target = targets.new()
        with target.open() as store:
            store.start_run("left")
        with (
            target.open() as store,
            TestClient(create_app(store, ServeSettings(ingest_token=TOKEN))) as client,
        ):
            store.start_run("live")
            runs = client.get("/api/runs", headers={"Authorization": f"Bearer {TOKEN}"}).json()
            assert {r["id"]: r["status"] for r in runs} == {
                "left": "interrupted",
                "live": "running",
            }
            store.finish_run("live", "ok")
    finally:
        targets.cleanup()
