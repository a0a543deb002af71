"""POST /api/extract is guarded: the ingest token by default (or its own, or open when the
server has none), and a bound on extractions at once that refuses extra requests with 503
and Retry-After instead of queueing them. Also the run history at GET /api/runs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

import newsdesk.serve.api as api
from newsdesk.serve import ServeSettings, create_app
from newsdesk.store import Store, open_store
from tests.conftest import SEED_PAGE
from tests.publish.samples import seed_article
from tests.serve.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
PAGE = {"params": {"input_format": "text"}, "headers": {"Content-Type": "text/plain"}}


def _post_page(client: TestClient, headers: dict[str, str] | None = None) -> Any:
    return client.post(
        "/api/extract",
        content=SEED_PAGE.read_bytes(),
        params=PAGE["params"],
        headers={**PAGE["headers"], **(headers or {})},
    )


@contextmanager
def _client(store: Store, **settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(store, ServeSettings(**settings))) as client:
        yield client


def test_extract_needs_the_ingest_token_when_one_is_configured(client: TestClient) -> None:
    missing = _post_page(client)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert _post_page(client, {"Authorization": "Bearer nope"}).status_code == 403
    assert _post_page(client, {"Authorization": "Basic " + TOKEN}).status_code == 401
    done = _post_page(client, AUTH)
    assert done.status_code == 200
    assert done.json()["paragraphs"] == list(seed_article().paragraphs)
    # The token is checked before the body is read: an oversized page gets no 413 hint.
    huge = client.post("/api/extract", content=b"x" * (1024 * 1024))
    assert huge.status_code == 401


def test_extract_token_of_its_own(store: Store) -> None:
    with _client(store, ingest_token=TOKEN, extract_token="extract-only-7c2e") as client:
        assert _post_page(client, AUTH).status_code == 403  # the ingest token is not it
        assert _post_page(client, {"Authorization": "Bearer extract-only-7c2e"}).status_code == 200
        # Ingest keeps its own token.
        ingest = client.post(
            "/api/ingest",
            json={"title": "T", "text": "x"},
            headers={"Authorization": "Bearer extract-only-7c2e"},
        )
        assert ingest.status_code == 403


def test_extract_is_open_without_tokens_or_when_made_public(store: Store) -> None:
    with _client(store, ingest_token=None) as client:
        assert _post_page(client).status_code == 200
    with _client(store, ingest_token=TOKEN, extract_public=True) as client:
        assert _post_page(client).status_code == 200
        assert client.post("/api/ingest", json={"title": "T", "text": "x"}).status_code == 401


def test_docs_say_what_extract_needs(store: Store) -> None:
    with _client(store, ingest_token=TOKEN, max_extractions=3) as client:
        operation = client.get("/openapi.json").json()["paths"]["/api/extract"]["post"]
        assert operation["security"] == [{"ExtractBearer": []}]
        assert {"401", "403", "413", "503"} <= set(operation["responses"])
        assert "At most 3 pages" in operation["description"]
        assert "Needs the bearer token" in operation["description"]
    with _client(store, ingest_token=None) as client:
        operation = client.get("/openapi.json").json()["paths"]["/api/extract"]["post"]
        assert "security" not in operation
        assert "401" not in operation["responses"] and "503" in operation["responses"]
        assert "Open to anyone" in operation["description"]


def test_busy_extraction_slots_refuse_with_retry_after(store: Store) -> None:
    with _client(store, ingest_token=TOKEN, max_extractions=2) as client:
        slots = client.app.state.extraction_slots
        assert slots.try_acquire() and slots.try_acquire()  # both slots held by the test
        try:
            refused = _post_page(client, AUTH)
            assert refused.status_code == 503
            assert int(refused.headers["retry-after"]) > 0
            assert "2 pages" in refused.json()["detail"]
            # Ingest of a page extracts too, in the same slots; a ready article does not.
            page = client.post(
                "/api/ingest",
                content=SEED_PAGE.read_bytes(),
                params={"url": "https://example.org/busy", "input_format": "text"},
                headers={**AUTH, "Content-Type": "text/plain"},
            )
            assert page.status_code == 503 and "retry-after" in page.headers
            ready = client.post(
                "/api/ingest", json={"title": "Ready", "text": "Made."}, headers=AUTH
            )
            assert ready.status_code == 201
            # Unauthenticated requests are refused for that, not for want of a slot.
            assert _post_page(client).status_code == 401
        finally:
            slots.release()
        assert _post_page(client, AUTH).status_code == 200  # one slot free again
        slots.release()


def test_a_running_extraction_holds_its_slot(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real request in flight takes the only slot: a second is refused, a third (after it)
    is served. Events order the steps; nothing waits on the clock."""
    entered, go_on = threading.Event(), threading.Event()
    real_extract = api.extract_page

    def held_extract(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        assert go_on.wait(timeout=60)
        return real_extract(*args, **kwargs)

    monkeypatch.setattr(api, "extract_page", held_extract)
    with (
        _client(store, ingest_token=None, max_extractions=1) as client,
        ThreadPoolExecutor(1) as pool,
    ):
        first = pool.submit(_post_page, client)
        assert entered.wait(timeout=60), "the first extraction never started"
        assert _post_page(client).status_code == 503
        go_on.set()
        assert first.result(timeout=60).status_code == 200
        assert _post_page(client).status_code == 200  # its slot was given back


def test_failed_extraction_gives_its_slot_back(store: Store) -> None:
    with _client(store, ingest_token=None, max_extractions=1) as client:
        assert client.post("/api/extract", content=b"\x00\x01\x02" * 100).status_code == 422
        assert client.post("/api/extract", content=b"").status_code == 422
        assert _post_page(client).status_code == 200


def test_guard_settings_from_the_environment() -> None:
    both = ServeSettings.from_env(
        {
            "NEWSDESK_INGEST_TOKEN": "in",
            "NEWSDESK_EXTRACT_TOKEN": " ex ",
            "NEWSDESK_MAX_EXTRACTIONS": "3",
        }
    )
    assert both.required_extract_token == "ex" and both.max_extractions == 3
    assert ServeSettings.from_env({"NEWSDESK_INGEST_TOKEN": "in"}).required_extract_token == "in"
    public = ServeSettings.from_env({"NEWSDESK_INGEST_TOKEN": "in", "NEWSDESK_EXTRACT_PUBLIC": "1"})
    assert public.required_extract_token is None and public.ingest_token == "in"
    assert ServeSettings.from_env({}).required_extract_token is None
    assert ServeSettings.from_env({"NEWSDESK_MAX_EXTRACTIONS": "0"}).max_extractions == 1
    default = ServeSettings().max_extractions
    assert ServeSettings.from_env({"NEWSDESK_MAX_EXTRACTIONS": "many"}).max_extractions == default
    with pytest.raises(ValueError, match="max_extractions"):
        ServeSettings(max_extractions=0)


# -- run history ----------------------------------------------------------------------------


def test_runs_history_shows_interrupted_runs(tmp_path: Any) -> None:
    with open_store(tmp_path / "runs.db") as store:
        store.start_run("finished")
        store.finish_run("finished", "ok", {"pages_read": 4})
        store.start_run("abandoned")
    # The store was closed with "abandoned" unfinished: nothing can finish it now.
    with (
        open_store(tmp_path / "runs.db") as store,
        _client(store, ingest_token=TOKEN) as client,
    ):
        assert client.get("/api/runs").status_code == 401
        assert client.get("/api/runs", headers={"Authorization": "Bearer no"}).status_code == 403
        runs = {r["id"]: r for r in client.get("/api/runs", headers=AUTH).json()}
        assert runs["abandoned"]["status"] == "interrupted"
        assert runs["abandoned"]["finished_at"] is None
        assert runs["finished"]["status"] == "ok"
        assert runs["finished"]["stats"] == {"pages_read": 4}
        assert isinstance(runs["finished"]["pid"], int) and runs["finished"]["host"]
        limited = client.get("/api/runs", params={"limit": 1}, headers=AUTH).json()
        assert len(limited) == 1
    with open_store(tmp_path / "runs.db") as store, _client(store, ingest_token=None) as client:
        disabled = client.get("/api/runs", headers=AUTH)
        assert disabled.status_code == 403 and "disabled" in disabled.json()["detail"]
