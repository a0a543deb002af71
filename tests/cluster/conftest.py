"""Real samples for the cluster tests: UCI headlines and Multi-News articles from ../shared."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.model import Article
from tests.conftest import BENCH, require_shared

CLUSTERING = BENCH / "clustering"


def load_uci(limit: int | None = None) -> tuple[list[Article], dict[str, str]]:
    path = require_shared(CLUSTERING / "uci-news-aggregator" / "articles.csv")
    articles, gold = [], {}
    with path.open(encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            if limit is not None and index >= limit:
                break
            published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, UTC).isoformat()
            article = Article(
                id=f"uci-{row['ID']}",
                url=row["URL"],
                title=row["TITLE"],
                paragraphs=(),
                site_name=row["PUBLISHER"],
                published=published,
            )
            articles.append(article)
            gold[article.id] = row["STORY"]
    return articles, gold


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


@pytest.fixture(scope="session")
def uci_sample() -> tuple[list[Article], dict[str, str]]:
    return load_uci(limit=800)


@pytest.fixture(scope="session")
def multinews_rows() -> list[dict]:
    return load_multinews()
