"""A real SQLite store filled with real articles, stories and drafts, and an app over it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.model import Article, Story
from newsdesk.serve import ServeSettings, create_app
from newsdesk.store import Store, open_store, story_signature
from tests.publish.samples import (
    hostile_draft,
    seed_article,
    seed_draft,
    wework_articles,
    wework_draft,
)
from tests.servers import free_port, running_server

TOKEN = "test-ingest-token-5f1c"
# Generous: a cold start of Python + the app on a loaded 2-core machine.
SERVER_START_TIMEOUT = 60.0
# A small body limit so the 413 test needs no megabytes.
MAX_BODY = 256 * 1024


def fill_store(store: Store) -> None:
    """Three stories: WeWork (two outlets), Wagner/Mali (seed page), and a hostile held one."""
    vb, tc = wework_articles()
    seed = seed_article()
    hostile, hostile_article = hostile_draft()
    follow_up = Article.create(
        url="https://example.org/wework-follow-up",
        title="WeWork follow-up",
        paragraphs=("A later report on the WeWork inquiry.",),
        site_name="Example",
        language="en",
    )
    store.add_articles([vb, tc, seed, hostile_article, follow_up])
    for story_id, members, draft, status in (
        ("wework-nyag", [vb, tc], wework_draft(), "published"),
        ("wagner-mali", [seed], seed_draft(), "published"),
        ("hostile", [hostile_article], hostile, "held"),
    ):
        ids = [a.id for a in members]
        store.save_story(Story(id=story_id, article_ids=tuple(ids), headline=draft.headline), ids)
        store.save_draft(draft, status, story_signature(ids))
    # A story merged into the WeWork one: its id must keep working as an alias.
    store.save_story(Story(id="wework-old", article_ids=(follow_up.id,), headline="WeWork"))
    store.merge_stories("wework-nyag", "wework-old")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("serve") / "newsdesk.db"
    with open_store(str(path)) as opened:
        fill_store(opened)
        yield opened


@pytest.fixture(scope="module")
def settings() -> ServeSettings:
    return ServeSettings(ingest_token=TOKEN, max_body_bytes=MAX_BODY)


@pytest.fixture(scope="module")
def client(store: Store, settings: ServeSettings) -> Iterator[TestClient]:
    with TestClient(create_app(store, settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`newsdesk serve` on a free port of 127.0.0.1 over a filled SQLite store."""
    db = tmp_path_factory.mktemp("browser") / "newsdesk.db"
    with open_store(str(db)) as store:
        fill_store(store)
    port = free_port()
    log = db.with_name("server.log")
    env = {**os.environ, "NEWSDESK_INGEST_TOKEN": TOKEN}
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "newsdesk", "serve", "--db", str(db), "--port", str(port)]
    with running_server(
        command,
        base + "/api/stories",
        log,
        name="newsdesk serve",
        timeout=SERVER_START_TIMEOUT,
        env=env,
    ):
        yield base
