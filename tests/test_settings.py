"""newsdesk.settings: every NEWSDESK_* variable read in one place, and honoured by every command.

The three bugs it closed, each tested on real pages: commands that ignored NEWSDESK_STORE,
``--max-words`` lost by one of the writers, and an LLM client built for every story.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk import extract
from newsdesk.cli import app
from newsdesk.settings import Settings
from tests.pipeline_support.cli import cli_runner, drafts_written
from tests.pipeline_support.corpus import cluster_docs, seed_doc, story_clusters, write_docs
from tests.write.llm_server import ScriptedLLMServer
from tests.write.support import ok


def test_every_variable_lands_in_its_typed_setting():
    read = Settings.from_env(
        {
            "NEWSDESK_STORE": "postgresql://db/news",
            "NEWSDESK_MAX_PAGE_BYTES": "1000",
            "NEWSDESK_ALLOW_PRIVATE": "1",
            "NEWSDESK_IGNORE_ROBOTS": "yes",
            "NEWSDESK_HTTP_TIMEOUT": "2.5",
            "NEWSDESK_HOST_INTERVAL": "0",
            "NEWSDESK_HTTP_RETRIES": "4",
            "NEWSDESK_FETCH_WORKERS": "3",
            "NEWSDESK_USER_AGENT": "bot/1",
            "NEWSDESK_LLM_BASE_URL": "http://llm/v1",
            "NEWSDESK_LLM_MODEL": "m",
            "NEWSDESK_LLM_API_KEY": "k",
            "NEWSDESK_INGEST_TOKEN": " in ",
            "NEWSDESK_EXTRACT_TOKEN": "ex",
            "NEWSDESK_EXTRACT_PUBLIC": "true",
            "NEWSDESK_MAX_EXTRACTIONS": "2",
            "NEWSDESK_SITE_TITLE": "Desk",
            "NEWSDESK_FEED_LIMIT": "7",
        }
    )
    assert read.store.url == "postgresql://db/news"
    assert read.limits.max_page_bytes == 1000
    fetch = read.fetch
    assert (fetch.allow_private, fetch.ignore_robots, fetch.timeout) == (True, True, 2.5)
    assert (fetch.host_interval, fetch.retries, fetch.workers) == (0.0, 4, 3)
    assert fetch.user_agent == "bot/1"
    assert (read.llm.base_url, read.llm.model, read.llm.api_key) == ("http://llm/v1", "m", "k")
    serve = read.serve
    assert (serve.ingest_token, serve.extract_token, serve.extract_public) == ("in", "ex", True)
    assert (serve.max_extractions, serve.site_title, serve.feed_limit) == (2, "Desk", 7)
    # Unset or unreadable: the defaults, never an error.
    empty = Settings.from_env({"NEWSDESK_HTTP_RETRIES": "many", "NEWSDESK_MAX_PAGE_BYTES": "x"})
    assert empty == Settings.from_env({})
    assert empty.store.url == "newsdesk.db" and empty.llm.api_key == "not-needed"


def test_no_module_but_settings_reads_a_newsdesk_variable():
    src = Path(__file__).resolve().parents[1] / "src" / "newsdesk"
    readers = [
        path.relative_to(src).as_posix()
        for path in src.rglob("*.py")
        if re.search(
            r"environ(?:\.get)?\(?\[?[\"']NEWSDESK_|getenv\([\"']NEWSDESK_", path.read_text()
        )
        or re.search(r"envvar=[\"']NEWSDESK_", path.read_text())
    ]
    assert readers == []


def _stories_in(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT COUNT(*) FROM stories").fetchone()[0]


def test_every_command_with_a_store_honours_newsdesk_store(tmp_path, monkeypatch):
    """`cluster` and `stories` passed "newsdesk.db" and ignored the variable: with it set,
    `run` wrote one store and `stories` listed another."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "elsewhere" / "env.db"
    db.parent.mkdir()
    monkeypatch.setenv("NEWSDESK_STORE", str(db))
    runner = cli_runner(monkeypatch)
    pages = write_docs(tmp_path / "pages", [seed_doc()])
    ran = runner.invoke(app, ["run", str(pages), "--out", str(tmp_path / "site")])
    assert ran.exit_code == 0, ran.output
    assert _stories_in(db) == 1
    articles = tmp_path / "articles.jsonl"
    articles.write_text(
        json.dumps({"id": "x1", "title": "Storm closes the harbour of Brest for two days"}) + "\n"
    )
    clustered = runner.invoke(app, ["cluster", str(articles)])
    assert clustered.exit_code == 0, clustered.output
    assert _stories_in(db) == 2
    listed = runner.invoke(app, ["stories", "--format", "jsonl", "--limit", "0"])
    assert listed.exit_code == 0, listed.output
    assert len(listed.stdout.splitlines()) == 2
    runs = runner.invoke(app, ["runs", "--json"])
    assert runs.exit_code == 0, runs.output
    assert len(runs.stdout.splitlines()) == 1
    served: list[str] = []

    def fake_run(application, **_options):
        served.append(str(application.state.store.url))

    monkeypatch.setattr("uvicorn.run", fake_run)
    assert runner.invoke(app, ["serve"]).exit_code == 0
    assert served and served[0].endswith("env.db")
    assert not (tmp_path / "newsdesk.db").exists(), "no command fell back to ./newsdesk.db"


def _words_of_lead_and_body(draft: dict) -> int:
    sentences = [*draft["lead"], *(s for p in draft["body"] for s in p)]
    return sum(len(s["text"].split()) for s in sentences)


@pytest.fixture
def story_file(tmp_path) -> Path:
    docs = cluster_docs(0, story_clusters(1)[0], 0, 3, _when(0))
    articles = [extract(d.body, url=d.url).to_dict() for d in docs]
    path = tmp_path / "story.jsonl"
    path.write_text(json.dumps({"id": "s0", "articles": articles}) + "\n")
    return path


def test_max_words_is_honoured_by_both_writers(story_file, monkeypatch):
    runner = cli_runner(monkeypatch)
    default = runner.invoke(app, ["write", str(story_file)])
    short = runner.invoke(app, ["write", str(story_file), "--max-words", "40"])
    assert default.exit_code == short.exit_code == 0, short.output
    assert _words_of_lead_and_body(json.loads(short.stdout)) <= 40
    assert _words_of_lead_and_body(json.loads(default.stdout)) > 40
    # The LLM writer: the prompt asks for the words given, and the extractive draft that
    # replaces a failed answer keeps to them too.
    with ScriptedLLMServer(default=ok("not json")) as server:
        llm = runner.invoke(
            app,
            [
                *("write", str(story_file), "--writer", "llm", "--max-words", "40"),
                *("--llm-url", server.base_url, "--llm-model", "m"),
            ],
        )
    assert llm.exit_code == 0, llm.output
    prompt = server.requests[0]["messages"][1]["content"]
    assert "at most 40 words" in prompt
    fallback = json.loads(llm.stdout)
    assert fallback["writer"].startswith("extractive (fallback")
    assert _words_of_lead_and_body(fallback) <= 40


def test_one_llm_client_per_run(tmp_path, monkeypatch):
    import openai

    built: list[object] = []
    real = openai.OpenAI

    def counting(*args, **kwargs):
        client = real(*args, **kwargs)
        built.append(client)
        return client

    monkeypatch.setattr(openai, "OpenAI", counting)
    texts = story_clusters(3)
    docs = [d for i, t in enumerate(texts) for d in cluster_docs(i, t, 0, 2, _when(i))]
    pages = write_docs(tmp_path / "pages", docs)
    runner = cli_runner(monkeypatch)
    with ScriptedLLMServer(default=ok("not json")) as server:
        result = runner.invoke(
            app,
            [
                *("run", str(pages), "--db", str(tmp_path / "n.db"), "--out", str(tmp_path / "s")),
                *("--writer", "llm", "--llm-url", server.base_url, "--llm-model", "m"),
            ],
        )
    assert result.exit_code == 0, result.output
    assert drafts_written(result.output) >= 3
    assert len(server.requests) >= 3
    assert len(built) == 1


def _when(i: int) -> datetime:
    return datetime(2024, 5, 1, tzinfo=UTC) + timedelta(days=3 * i)
