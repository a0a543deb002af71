"""`newsdesk serve`'s start-up message and help say which endpoints are open, and what they
say is what a server built from the same environment does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.serve import ServeSettings, create_app
from newsdesk.store import open_store

ENV_NAMES = ("NEWSDESK_INGEST_TOKEN", "NEWSDESK_EXTRACT_TOKEN", "NEWSDESK_EXTRACT_PUBLIC")
PAGE = {"title": "T", "text": "A page of text to extract."}
TEXT_PAGE = "A headline\n\n" + "A paragraph of a news page, long enough to extract. " * 8


def _start_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> list[str]:
    """What `newsdesk serve` prints before it starts serving (the server itself not run)."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(args))
    result = CliRunner(env=env).invoke(app, ["serve", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 0, result.output
    assert started, "serve never started the server"
    return [line for line in result.stderr.splitlines() if line.startswith("newsdesk:")]


def _line(lines: list[str], endpoint: str) -> str:
    (line,) = [line for line in lines if endpoint in line]
    return line


def _statuses(tmp_path: Path, env: dict[str, str]) -> dict[str, int]:
    """Status codes of the guarded endpoints, asked without any token."""
    with (
        open_store(tmp_path / "s.db") as store,
        TestClient(create_app(store, ServeSettings.from_env(env))) as client,
    ):
        return {
            "extract": client.post(
                "/api/extract",
                content=TEXT_PAGE,
                params={"input_format": "text"},
                headers={"Content-Type": "text/plain"},
            ).status_code,
            "ingest": client.post("/api/ingest", json=PAGE).status_code,
            "runs": client.get("/api/runs").status_code,
        }


CASES = [
    ({}, "open to anyone", "disabled"),
    ({"NEWSDESK_INGEST_TOKEN": "i-tok"}, "NEWSDESK_INGEST_TOKEN", "need the bearer token"),
    (
        {"NEWSDESK_INGEST_TOKEN": "i-tok", "NEWSDESK_EXTRACT_TOKEN": "e-tok"},
        "NEWSDESK_EXTRACT_TOKEN",
        "need the bearer token",
    ),
    (
        {"NEWSDESK_INGEST_TOKEN": "i-tok", "NEWSDESK_EXTRACT_PUBLIC": "1"},
        "open to anyone",
        "need the bearer token",
    ),
    ({"NEWSDESK_EXTRACT_TOKEN": "e-tok"}, "NEWSDESK_EXTRACT_TOKEN", "disabled"),
]


@pytest.mark.parametrize(("env", "extract_says", "ingest_says"), CASES)
def test_start_message_says_what_the_server_does(
    env: dict[str, str],
    extract_says: str,
    ingest_says: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = _start_message(tmp_path, monkeypatch, env)
    extract, ingest = _line(lines, "POST /api/extract"), _line(lines, "POST /api/ingest")
    assert extract_says in extract and ingest_says in ingest
    assert "GET /api/runs" in ingest  # runs share the ingest token
    assert "GET /api/stories" in _line(lines, "open to anyone: GET")

    statuses = _statuses(tmp_path, env)
    # "open" means a request with no token gets in; "needs a token" means 401 without one.
    assert (statuses["extract"] == 401) == ("needs the bearer token" in extract)
    assert statuses["extract"] in (200, 401)
    if "disabled" in ingest:
        assert statuses["ingest"] == statuses["runs"] == 403
    else:
        assert statuses["ingest"] == statuses["runs"] == 401


def test_help_names_every_token_and_the_guarded_endpoints() -> None:
    text = CliRunner().invoke(app, ["serve", "--help"], terminal_width=200).output
    for needed in (*ENV_NAMES, "/api/extract", "/api/ingest", "/api/runs"):
        assert needed in text
