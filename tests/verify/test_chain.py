"""`newsdesk stories | newsdesk write - | newsdesk verify -` as real processes, and `verify --db`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED_PAGE, require_shared

ENV = {**os.environ, "PYTHONPATH": str(REPO / "src")}
NEWSDESK = [sys.executable, "-m", "newsdesk"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NEWSDESK, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=ENV,
        timeout=300,
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seed page as a clustered story."""
    page = require_shared(SEED_PAGE)
    db = tmp_path_factory.mktemp("chain") / "news.db"
    extracted = run("extract", "--input-format", "text", str(page))
    assert extracted.returncode == 0, extracted.stderr
    clustered = run("cluster", "-", "--db", str(db), stdin=extracted.stdout)
    assert clustered.returncode == 0, clustered.stderr
    return db


def test_stories_write_verify_chain_as_processes(store: Path):
    pipe = f"{' '.join(NEWSDESK)} stories --db {store} --with-articles -f jsonl"
    pipe += f" | {' '.join(NEWSDESK)} write - | {' '.join(NEWSDESK)} verify -"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", pipe],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=ENV,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(reports) == 1
    assert reports[0]["passed"], reports[0]["problems"]


def test_verify_exits_1_on_a_failing_draft_and_reads_articles_from_the_store(store: Path):
    stories = run("stories", "--db", str(store), "--with-articles", "-f", "jsonl")
    [story] = [json.loads(line) for line in stories.stdout.splitlines()]
    assert story["article_count"] == len(story["articles"]) == 1
    written = run("write", "-", stdin=stories.stdout)
    assert written.returncode == 0, written.stderr
    draft = json.loads(written.stdout)
    assert [a["id"] for a in draft["articles"]] == [a["id"] for a in story["articles"]]

    # the same draft with no articles: checked against the store's with --db
    bare = {k: v for k, v in draft.items() if k != "articles"}
    from_store = run("verify", "-", "--db", str(store), stdin=json.dumps(bare) + "\n")
    assert from_store.returncode == 0, from_store.stderr
    assert json.loads(from_store.stdout)["passed"]
    without = run("verify", "-", stdin=json.dumps(bare) + "\n")
    assert without.returncode == 1
    assert "no source articles" in without.stderr

    # a number changed in the lead: the report fails and so does the command
    lead = draft["lead"][0]
    wrong = dict(draft, lead=[dict(lead, text=lead["text"] + " It cost 987,654 dollars.")])
    failed = run("verify", "-", stdin=json.dumps(draft) + "\n" + json.dumps(wrong) + "\n")
    assert failed.returncode == 1
    assert [json.loads(line)["passed"] for line in failed.stdout.splitlines()] == [True, False]
