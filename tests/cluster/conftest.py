"""Real samples for the cluster tests: UCI headlines and Multi-News articles from ../shared."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime

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


@pytest.fixture(scope="session")
def uci_sample() -> tuple[list[Article], dict[str, str]]:
    return load_uci(limit=800)


@pytest.fixture(scope="session")
def multinews_rows() -> list[dict]:
    return load_multinews()
