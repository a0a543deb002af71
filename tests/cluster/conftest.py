"""Real samples for the cluster tests: UCI headlines and Multi-News articles from ../shared."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bench.clustering import load_uci as read_uci
from newsdesk.cli import app
from newsdesk.model import Article
from tests.conftest import BENCH, require_shared

CLUSTERING = BENCH / "clustering"


def load_uci(limit: int | None = None) -> tuple[list[Article], dict[str, str]]:
    """The first ``limit`` UCI headlines and their gold stories (bench/clustering's reader)."""
    articles, gold = read_uci(require_shared(CLUSTERING / "uci-news-aggregator" / "articles.csv"))
    articles = articles[:limit]
    return articles, {a.id: gold[a.id] for a in articles}


def load_multinews() -> list[dict]:
    path = require_shared(CLUSTERING / "multinews-longbench-pooled" / "articles.jsonl")
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [r for r in rows if not r.get("boilerplate")]


def write_jsonl(path: Path, rows: Sequence[dict | str]) -> Path:
    """Rows as JSON lines (a str row is written as it is: a bad line for the CLI)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def printed_objects(output: str) -> list[dict]:
    """The JSON objects a command printed, one a line (other lines skipped)."""
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def headline_rows(uci_sample, count: int = 60) -> list[dict]:
    """The first ``count`` UCI headlines as `newsdesk cluster` input objects."""
    articles, _ = uci_sample
    return [
        {
            "id": a.id,
            "title": a.title,
            "published": a.published_iso,
            "url": a.url,
            "site_name": a.site_name,
        }
        for a in articles[:count]
    ]


def run_cli(*args: str) -> Result:
    """A newsdesk command run in this process."""
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="session")
def uci_sample() -> tuple[list[Article], dict[str, str]]:
    return load_uci(limit=800)


@pytest.fixture(scope="session")
def multinews_rows() -> list[dict]:
    return load_multinews()
