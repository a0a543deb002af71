"""Store benchmark: what the store's upserts, JSON rows and bookkeeping cost against the bare driver.

Data: the 2,990 real headlines of ``../shared/bench/clustering/uci-news-aggregator`` as
articles (title, URL, publisher, publication time). For each engine (SQLite in a temporary
folder, PostgreSQL on 127.0.0.1 in a throw-away schema) and each round, side by side:

- ``add_articles``: every article in batches of ``--batch`` (one transaction each) with
  ``Store.add_articles`` (existence check, ``INSERT ... ON CONFLICT DO NOTHING``, JSON),
  against the anchor: the bare driver (``sqlite3`` / ``psycopg``) doing ``executemany`` of
  ``INSERT ... ON CONFLICT DO NOTHING`` of id + the article's fields as JSON text (made in
  the timed region) into a two-column table, one transaction per batch, same connection
  settings (SQLite: WAL, synchronous=NORMAL).
- ``re-add``: the same again, every article already there (the idempotent no-op path).
- ``set_state``: ``--calls`` single-row upserts, one transaction each (one method call),
  against the bare driver doing the same upsert with a commit after each.

    python bench/store.py [--rounds 3] [--batch 100] [--calls 300] [--no-postgres]

Figures are rows (or calls) per second, best of ``--rounds``; ratio = ours / anchor.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import sqlalchemy as sa

from newsdesk.model import Article
from newsdesk.store import Store

UCI = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "clustering"
UCI = UCI / "uci-news-aggregator" / "articles.csv"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def load_articles() -> list[Article]:
    if not UCI.exists():
        raise SystemExit(f"benchmark data not found at {UCI}")
    out: dict[str, Article] = {}
    with UCI.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, UTC).isoformat()
            article = Article.create(
                url=row["URL"],
                title=row["TITLE"],
                paragraphs=[row["TITLE"]],
                site_name=row["PUBLISHER"],
                published=published,
                language="en",
            )
            out.setdefault(article.id, article)
    return list(out.values())


class BareSqlite:
    """The anchor on SQLite: sqlite3, two columns, executemany per batch."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, data TEXT NOT NULL)")
        self.conn.execute("CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB NOT NULL)")

    def add(self, rows: list[tuple[str, str]]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany(
            "INSERT INTO articles (id, data) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", rows
        )
        self.conn.execute("COMMIT")

    def set_state(self, key: str, value: bytes) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(
            "INSERT INTO state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


class BarePostgres:
    """The anchor on PostgreSQL: psycopg 3, two columns, executemany per batch."""

    def __init__(self, schema: str) -> None:
        self.conn = psycopg.connect(POSTGRES, options=f"-csearch_path={schema}")
        with self.conn.transaction():
            self.conn.execute(f'CREATE SCHEMA "{schema}"')
            self.conn.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, data JSON NOT NULL)")
            self.conn.execute("CREATE TABLE state (key TEXT PRIMARY KEY, value BYTEA NOT NULL)")

    def add(self, rows: list[tuple[str, str]]) -> None:
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO articles (id, data) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING",
                rows,
            )

    def set_state(self, key: str, value: bytes) -> None:
        with self.conn.transaction():
            self.conn.execute(
                "INSERT INTO state (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        self.conn.close()


FIELDS = tuple(f.name for f in dataclasses.fields(Article))


def bare_rows(batch: list[Article]) -> list[tuple[str, str]]:
    """The anchor's rows: id and the article's fields as JSON, built inside the timing."""
    return [(a.id, json.dumps({name: getattr(a, name) for name in FIELDS})) for a in batch]


def timed(work: Callable[[], None]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def one_round(engine: str, articles: list[Article], batch: int, calls: int) -> dict[str, tuple]:
    """Seconds for (ours, anchor) per measure, on fresh databases."""
    batches = [articles[i : i + batch] for i in range(0, len(articles), batch)]
    folder = Path(tempfile.mkdtemp(prefix="store-bench-"))
    schemas = [f"bench_{uuid.uuid4().hex[:12]}", f"bench_{uuid.uuid4().hex[:12]}"]
    if engine == "sqlite":
        store = Store(folder / "ours.db")
        bare: BareSqlite | BarePostgres = BareSqlite(folder / "anchor.db")
    else:
        store = Store(POSTGRES, schema=schemas[0])
        bare = BarePostgres(schemas[1])
    try:
        results = {}
        # Alternate who goes first so neither always gets the warmer cache.
        results["add_articles"] = (
            timed(lambda: [store.add_articles(b) for b in batches]),
            timed(lambda: [bare.add(bare_rows(b)) for b in batches]),
        )
        assert store.count_articles() == len(articles)
        anchor_again = timed(lambda: [bare.add(bare_rows(b)) for b in batches])
        results["re-add"] = (timed(lambda: [store.add_articles(b) for b in batches]), anchor_again)
        value = b"x" * 2048
        results["set_state"] = (
            timed(lambda: [store.set_state(f"k{i % 10}", value) for i in range(calls)]),
            timed(lambda: [bare.set_state(f"k{i % 10}", value) for i in range(calls)]),
        )
        return results
    finally:
        store.close()
        bare.close()
        if engine == "postgresql":
            engine_ = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
            with engine_.begin() as conn:
                for schema in schemas:
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            engine_.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    articles = load_articles()
    engines = ["sqlite"] if args.no_postgres else ["sqlite", "postgresql"]
    print(f"{len(articles)} articles, batches of {args.batch}, {args.calls} state calls")
    print("| engine | measure | newsdesk /s | anchor /s | ratio |")
    print("|---|---|---:|---:|---:|")
    for engine in engines:
        best: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for name, (ours, anchor) in one_round(engine, articles, args.batch, args.calls).items():
                prev = best.get(name)
                best[name] = [
                    min(prev[0], ours) if prev else ours,
                    min(prev[1], anchor) if prev else anchor,
                ]
        for name, (ours, anchor) in best.items():
            count = args.calls if name == "set_state" else len(articles)
            print(
                f"| {engine} | {name} | {count / ours:,.0f} | {count / anchor:,.0f} "
                f"| {anchor / ours:.2f} |"
            )


if __name__ == "__main__":
    main()
