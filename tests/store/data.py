"""Real articles for store tests: a small sample of the UCI News Aggregator set (../shared).

Each row has a title, URL, publisher, a millisecond timestamp and the id of the story it
belongs to, which is all the store needs to exercise articles, stories and their times.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from itertools import islice

from newsdesk.model import Article
from tests.conftest import BENCH, require_shared

UCI_CSV = BENCH / "clustering" / "uci-news-aggregator" / "articles.csv"


def uci_sample(limit: int = 120, step: int = 1) -> list[tuple[Article, str]]:
    """``limit`` rows (every ``step``-th) as (article, story key); skips when data is absent."""
    path = require_shared(UCI_CSV)
    out: list[tuple[Article, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in islice(csv.DictReader(handle), 0, limit * step, step):
            published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, UTC).isoformat()
            article = Article.create(
                url=row["URL"],
                title=row["TITLE"],
                paragraphs=[row["TITLE"]],
                site_name=row["PUBLISHER"],
                published=published,
                language="en",
                source=row["URL"],
            )
            out.append((article, row["STORY"]))
    return out


def small_articles() -> list[Article]:
    """Three hand-made articles in three languages, with and without a URL."""
    return [
        Article.create(
            url="https://example.org/news/bamako-2026-11-20",
            title="Talks resume in Bamako",
            paragraphs=["Delegates met on Thursday.", "A second round is planned."],
            site_name="Example News",
            authors=("A. Writer",),
            published="2026-11-20",
            language="en",
        ),
        Article.create(
            url="https://exemple.fr/actualites/bamako",
            title="Reprise des pourparlers à Bamako",
            paragraphs=["Les délégués se sont réunis jeudi."],
            published="2026-11-21T09:30:00+01:00",
            language="fr",
        ),
        Article.create(
            url=None,
            title="Gespräche in Bamako",
            paragraphs=["Die Delegierten trafen sich am Donnerstag."],
            published="2026-11-22T08:00:00Z",
            language="de",
            input_format="text",
        ),
    ]
