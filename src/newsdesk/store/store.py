"""The store: pages, articles, stories, drafts, failures and runs in one SQL database.

``Store`` is the one face of it; each aggregate lives in its own module (``pages``,
``articles``, ``stories`` with the clusterer state, ``drafts``, ``runs`` with failures)
over ``database.Database`` (engine, transactions, upserts).

SQLAlchemy 2 Core over SQLite (default: ``newsdesk.db`` in the working folder) or
PostgreSQL (``postgresql://...``, driver psycopg 3). Opening a store brings its schema
up to date with the Alembic migrations shipped in ``newsdesk/store/migrations``.

Every write is an upsert (``INSERT ... ON CONFLICT``), and every method call is one
transaction, unless it runs inside ``with store.transaction():``, which makes a group
of calls one transaction. So a run killed at any point (even ``kill -9``) and started
again ends with the same rows as a run that was never interrupted.

Times are kept as ISO 8601 text in UTC (``2026-11-22T04:10:00.000000+00:00``) on both
engines, so they sort and compare as text the same way everywhere.
"""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa

from newsdesk.store import schema as t
from newsdesk.store.articles import ArticleStore
from newsdesk.store.drafts import DraftStore
from newsdesk.store.pages import PageStore
from newsdesk.store.records import DRAFT_STATUSES
from newsdesk.store.runs import RunStore
from newsdesk.store.stories import StoryStore


class Store(PageStore, ArticleStore, StoryStore, DraftStore, RunStore):
    """A newsdesk database. Thread-safe: each call takes its own connection from a pool.

    ``Store(url)`` opens (creating if needed) and migrates the database at ``url``:
    a SQLAlchemy URL, a ``postgresql://`` / ``postgres://`` URL (mapped to psycopg 3),
    or a file path for SQLite. ``schema`` (PostgreSQL only) keeps every table in that
    schema, created if missing (tests use one schema per test). ``migrate=False`` opens
    without touching the schema (for Alembic's own command line). ``engine`` is the
    SQLAlchemy engine, for tools that need to look at the tables directly.
    """

    def stats(self) -> dict[str, int]:
        """Row counts for a summary: pages, articles, stories, aliases, drafts by status, runs,
        failures."""
        counts: dict[str, int] = {}
        tables = {
            "pages": t.pages,
            "articles": t.articles,
            "stories": t.stories,
            "aliases": t.story_aliases,
            "runs": t.runs,
            "failures": t.failures,
        }
        with self._begin() as conn:
            for name, table in tables.items():
                counts[name] = int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
            for status in DRAFT_STATUSES:
                counts[f"drafts_{status}"] = int(
                    conn.scalar(
                        sa.select(sa.func.count())
                        .select_from(t.drafts)
                        .where(t.drafts.c.status == status)
                    )
                    or 0
                )
        return counts

    def content_version(self) -> str:
        """A token that changes whenever a story or a draft is saved, merged or removed, so
        that what was made from them (a published site) can be told current without reading
        them: counts and latest update times of the stories, their aliases and the drafts."""
        parts: list[str] = []
        with self._begin() as conn:
            for table in (t.stories, t.drafts):
                count, latest = conn.execute(
                    sa.select(sa.func.count(), sa.func.max(table.c.updated_at))
                ).one()
                parts += [str(count), latest or ""]
            parts.append(str(conn.scalar(sa.select(sa.func.count()).select_from(t.story_aliases))))
        return " ".join(parts)


def open_store(url_or_path: str | os.PathLike[str] | None = None, **kwargs: Any) -> Store:
    """Open the store at a URL or path; ``None`` means ``$NEWSDESK_STORE`` or ``./newsdesk.db``.

    Keyword arguments go to ``Store`` (``schema=``, ``migrate=``).
    """
    return Store(url_or_path, **kwargs)
