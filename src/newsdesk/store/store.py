"""The store: pages, articles, stories, drafts, failures and runs in one SQL database.

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

import dataclasses
import hashlib
import os
import re
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from newsdesk.model import Article, Draft, Page, Story, canonical_url
from newsdesk.store import schema as t
from newsdesk.store.errors import StoreError
from newsdesk.store.migrate import upgrade
from newsdesk.store.records import (
    DRAFT_STATUSES,
    Failure,
    HttpCacheEntry,
    PageState,
    RunRecord,
    StoredDraft,
    story_signature,
)
from newsdesk.store.runs import (
    INTERRUPTED,
    KEEPALIVE_SETTINGS,
    RUN_LOCK_KEYS,
    RUNNING,
    process_alive,
    this_process,
)
from newsdesk.store.times import now_iso, to_utc_iso
from newsdesk.store.urls import store_url

TimeLike = datetime | date | str

# Rows per INSERT / IN (...) list: far below SQLite's 32766 bound variables.
_CHUNK = 500
_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# How long a run waits for its id's lock: a run killed a moment ago holds it until the
# server notices its closed socket; a run of that id alive elsewhere holds it for good.
_RUN_LOCK_WAIT = "15s"
# A connection option telling the SQLite "begin" hook to take the write lock at once.
_WRITE = "newsdesk_write"


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _url_key(text: str | None) -> str | None:
    if not text:
        return None
    if re.match(r"^https?://", text, re.I):
        return canonical_url(text)
    return text


def _since_value(value: TimeLike | None, what: str) -> str | None:
    if value is None:
        return None
    normalised = to_utc_iso(value)
    if normalised is None:
        raise StoreError(f"{what} is not an ISO 8601 time: {value!r}")
    return normalised


class Store:
    """A newsdesk database. Thread-safe: each call takes its own connection from a pool.

    ``Store(url)`` opens (creating if needed) and migrates the database at ``url``:
    a SQLAlchemy URL, a ``postgresql://`` / ``postgres://`` URL (mapped to psycopg 3),
    or a file path for SQLite. ``schema`` (PostgreSQL only) keeps every table in that
    schema, created if missing (tests use one schema per test). ``migrate=False`` opens
    without touching the schema (for Alembic's own command line). ``engine`` is the
    SQLAlchemy engine, for tools that need to look at the tables directly.
    """

    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        schema: str | None = None,
        migrate: bool = True,
    ) -> None:
        self._url = store_url(url)
        self._local = threading.local()
        self._statements: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Any] = {}
        self._schema = schema
        # PostgreSQL: the connection holding each live run's advisory lock (see start_run).
        self._run_locks: dict[str, sa.Connection] = {}
        self._open_runs: set[str] = set()  # started here, not finished yet
        self._run_locks_guard = threading.Lock()
        backend = self._url.get_backend_name()
        if schema is not None:
            if backend != "postgresql":
                raise StoreError("a schema can only be given for a PostgreSQL store")
            if not _SCHEMA_NAME.match(schema):
                raise StoreError(f"not a plain schema name: {schema!r}")
        self.engine = self._create_engine()
        self._write_engine = self.engine.execution_options(**{_WRITE: True})
        try:
            if schema is not None:
                self._create_schema(schema)
            if migrate:
                upgrade(self.engine, self._write_engine)
            else:
                with self.engine.connect():
                    pass
        except sa.exc.DBAPIError as exc:  # unreachable server, not a database file, ...
            self.engine.dispose()
            raise StoreError(f"cannot open the store at {self.url}: {exc.orig}") from exc

    def _create_schema(self, schema: str) -> None:
        try:
            with self.engine.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        except sa.exc.IntegrityError:
            pass  # two openers raced to create it: PostgreSQL lets only one win, which suffices

    def _create_engine(self) -> sa.Engine:
        url = self._url
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            memory = database in ("", ":memory:")
            if not memory:
                parent = os.path.dirname(os.path.abspath(database))
                if not os.path.isdir(parent):
                    raise StoreError(f"cannot create the store {database}: no folder {parent}")
            engine = sa.create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": 60},
                # One shared connection for an in-memory database, else each has its own.
                poolclass=sa.pool.StaticPool if memory else None,
            )
            _sqlite_setup(engine, wal=not memory)
            return engine
        connect_args: dict[str, Any] = {"connect_timeout": 10}
        # libpq "options" from the URL (?options=-c...) are kept beside the schema's path.
        options = [str(url.query["options"])] if "options" in url.query else []
        if self._schema is not None:
            options.append(f"-csearch_path={self._schema}")
        if options:
            connect_args["options"] = " ".join(options)
            url = url.difference_update_query(["options"])
        try:
            return sa.create_engine(url, connect_args=connect_args, pool_pre_ping=True)
        except ImportError as exc:
            raise StoreError(
                f"a PostgreSQL store needs the psycopg driver ({exc}): "
                "pip install 'newsdesk[postgres]'"
            ) from exc

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release every connection. The store cannot be used afterwards.

        A run started here and not finished is marked ``"interrupted"``: nothing can finish
        it any more (best effort: a store that cannot be reached is closed all the same).
        """
        with self._run_locks_guard:
            held, self._run_locks = list(self._run_locks.values()), {}
            unfinished, self._open_runs = sorted(self._open_runs), set()
        try:
            if unfinished:
                self._mark_own_runs_interrupted(unfinished)
        except sa.exc.SQLAlchemyError:
            pass  # the next run's check marks them once it sees the process is gone
        finally:
            for conn in held:
                _drop_connection(conn)
            self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Make every store call inside the block one atomic transaction (per thread).

        Commits when the block ends normally, rolls back on an exception. Nested blocks
        join the outer transaction.
        """
        if getattr(self._local, "conn", None) is not None:
            yield self
            return
        with self._write_engine.begin() as conn:
            self._local.conn = conn
            try:
                yield self
            finally:
                self._local.conn = None

    @contextmanager
    def _begin(self, write: bool = False) -> Iterator[sa.Connection]:
        """The connection of the current ``transaction()``, or a new transaction."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with (self._write_engine if write else self.engine).begin() as conn:
            yield conn

    def _insert(self, table: sa.Table) -> Any:
        """An INSERT that knows ``ON CONFLICT`` in this store's dialect."""
        if self.dialect == "postgresql":
            return pg_dialect.insert(table)
        return sqlite_dialect.insert(table)

    def _upsert_statement(
        self, table: sa.Table, keys: tuple[str, ...], update: tuple[str, ...]
    ) -> Any:
        """The upsert for a table, built once: building it costs more than running it."""
        cache_key = (table.name, keys, update)
        stmt = self._statements.get(cache_key)
        if stmt is None:
            stmt = self._insert(table)
            if update:
                stmt = stmt.on_conflict_do_update(
                    index_elements=list(keys), set_={c: stmt.excluded[c] for c in update}
                )
            else:
                stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
            self._statements[cache_key] = stmt
        return stmt

    def _upsert(
        self,
        conn: sa.Connection,
        table: sa.Table,
        rows: list[dict[str, Any]],
        keys: Sequence[str],
        update: Sequence[str] | None,
    ) -> None:
        """Insert rows; on a key conflict update the ``update`` columns (None: do nothing)."""
        if not rows:
            return
        stmt = self._upsert_statement(table, tuple(keys), tuple(update) if update else ())
        for chunk in _chunks(rows, max(1, _CHUNK // 4)):
            conn.execute(stmt, list(chunk))

    # -- pages and HTTP cache --------------------------------------------------------------

    def add_page(
        self,
        page: Page,
        status: str,
        reason: str | None = None,
        article_id: str | None = None,
    ) -> None:
        """Record what happened to a page (keyed by ``page.source``); a later call replaces it.

        ``status`` is free text chosen by the pipeline ("extracted", "failed", "skipped",
        "duplicate", ...); ``reason`` says why in words; ``article_id`` links the article
        extracted from it. Keeps the page's URL, content type, sha1 of its bytes, and its
        ``ETag`` / ``Last-Modified`` headers; not the bytes themselves.
        """
        row = {
            "source": page.source,
            "url": page.url,
            "url_key": _url_key(page.url) or _url_key(page.source),
            "status": status,
            "reason": reason,
            "article_id": article_id,
            "content_hash": hashlib.sha1(page.content).hexdigest(),
            "content_type": page.content_type,
            "etag": _header(page.headers, "etag"),
            "last_modified": _header(page.headers, "last-modified"),
            "fetched_at": to_utc_iso(page.fetched_at) if page.fetched_at else None,
            "updated_at": now_iso(),
        }
        update = [c for c in row if c != "source"]
        with self._begin(write=True) as conn:
            self._upsert(conn, t.pages, [row], ["source"], update)

    def get_page_state(self, source_or_url: str) -> PageState | None:
        """The state of a page already recorded, looked up by its source, else by its URL.

        ``None`` when the page was never recorded. Incremental runs skip pages whose
        state is done and whose content hash is unchanged.
        """
        cols = [
            t.pages.c.status,
            t.pages.c.etag,
            t.pages.c.last_modified,
            t.pages.c.content_hash,
            t.pages.c.article_id,
        ]
        with self._begin() as conn:
            row = conn.execute(sa.select(*cols).where(t.pages.c.source == source_or_url)).first()
            if row is None:
                key = _url_key(source_or_url)
                row = conn.execute(
                    sa.select(*cols)
                    .where(t.pages.c.url_key == key)
                    .order_by(t.pages.c.updated_at.desc())
                    .limit(1)
                ).first()
        return PageState(*row) if row is not None else None

    def set_http_cache(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators a server sent for ``url`` (a feed, sitemap or page)."""
        row = {"url": url, "etag": etag, "last_modified": last_modified, "updated_at": now_iso()}
        with self._begin(write=True) as conn:
            self._upsert(
                conn, t.http_cache, [row], ["url"], ["etag", "last_modified", "updated_at"]
            )

    def get_http_cache(self, url: str) -> HttpCacheEntry | None:
        """``(etag, last_modified)`` last remembered for ``url``, or ``None``."""
        with self._begin() as conn:
            row = conn.execute(
                sa.select(t.http_cache.c.etag, t.http_cache.c.last_modified).where(
                    t.http_cache.c.url == url
                )
            ).first()
        return HttpCacheEntry(*row) if row is not None else None

    # -- articles --------------------------------------------------------------------------

    @staticmethod
    def _article_row(article: Article, added_at: str) -> dict[str, Any]:
        # Article.to_dict() without "text" (derived from paragraphs), built directly: the
        # fields are flat, and dataclasses.asdict's deep copies cost more than the INSERT.
        data = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
        data["paragraphs"] = list(article.paragraphs)
        data["authors"] = list(article.authors)
        return {
            "id": article.id,
            "url": article.url,
            "title": article.title,
            "site_name": article.site_name,
            "language": article.language,
            "published": article.published,
            "published_utc": to_utc_iso(article.published),
            "data": data,
            "added_at": added_at,
        }

    @staticmethod
    def _article_from_row(data: dict[str, Any]) -> Article:
        return Article.from_dict(data)

    def add_articles(self, articles: Iterable[Article], *, replace: bool = False) -> int:
        """Store articles; return how many were new. One transaction for the whole batch.

        Idempotent on ``Article.id``: an article already stored is left as it is (writing
        it again changes nothing), unless ``replace`` is true, which overwrites its fields
        (but keeps the time it was first added).
        """
        unique: dict[str, Article] = {}
        for article in articles:
            unique.setdefault(article.id, article)
        if not unique:
            return 0
        added_at = now_iso()
        ids = list(unique)
        with self._begin(write=True) as conn:
            existing: set[str] = set()
            for chunk in _chunks(ids):
                existing.update(
                    conn.scalars(sa.select(t.articles.c.id).where(t.articles.c.id.in_(chunk)))
                )
            # ON CONFLICT still guards rows that another writer adds meanwhile.
            chosen = ids if replace else [i for i in ids if i not in existing]
            rows = [self._article_row(unique[i], added_at) for i in chosen]
            update = [c for c in rows[0] if c not in ("id", "added_at")] if replace else None
            self._upsert(conn, t.articles, rows, ["id"], update)
        return len(ids) - len(existing)

    def add_article(self, article: Article, *, replace: bool = False) -> bool:
        """Store one article; ``True`` when it was new."""
        return self.add_articles([article], replace=replace) == 1

    def get_article(self, article_id: str) -> Article | None:
        """The article with this id, or ``None``."""
        found = self.get_articles([article_id])
        return found[0] if found else None

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        """The stored articles among these ids, in the order asked (unknown ids left out)."""
        ids = list(dict.fromkeys(article_ids))
        by_id: dict[str, Article] = {}
        with self._begin() as conn:
            for chunk in _chunks(ids):
                for row in conn.execute(
                    sa.select(t.articles.c.id, t.articles.c.data).where(t.articles.c.id.in_(chunk))
                ):
                    by_id[row.id] = self._article_from_row(row.data)
        return [by_id[i] for i in ids if i in by_id]

    def iter_articles(self, since: TimeLike | None = None) -> Iterator[Article]:
        """Every article, in the order they were added; ``since``: only those added at or after it.

        ``since`` is compared with the time the store first saw the article (not its
        publication date), so an incremental clusterer can ask for what is new since its
        last run. Reads in pages, so memory stays small on big stores.
        """
        after: tuple[str, str] | None = None
        since_iso = _since_value(since, "since")
        c = t.articles.c
        while True:
            query = sa.select(c.id, c.added_at, c.data).order_by(c.added_at, c.id).limit(_CHUNK)
            if since_iso is not None:
                query = query.where(c.added_at >= since_iso)
            if after is not None:
                query = query.where(
                    sa.or_(c.added_at > after[0], sa.and_(c.added_at == after[0], c.id > after[1]))
                )
            with self._begin() as conn:
                rows = conn.execute(query).all()
            for row in rows:
                yield self._article_from_row(row.data)
            if len(rows) < _CHUNK:
                return
            after = (rows[-1].added_at, rows[-1].id)

    def count_articles(self) -> int:
        """How many articles are stored."""
        with self._begin() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(t.articles)) or 0)

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

    # -- stories ---------------------------------------------------------------------------

    def _resolve(self, conn: sa.Connection, story_id: str) -> str | None:
        target = conn.scalar(
            sa.select(t.story_aliases.c.story_id).where(t.story_aliases.c.alias_id == story_id)
        )
        if target is not None:
            return str(target)
        exists = conn.scalar(sa.select(t.stories.c.id).where(t.stories.c.id == story_id))
        return str(exists) if exists is not None else None

    def _member_ids(self, conn: sa.Connection, story_id: str) -> list[str]:
        c = t.story_articles.c
        return list(
            conn.scalars(
                sa.select(c.article_id)
                .where(c.story_id == story_id)
                .order_by(c.position, c.article_id)
            )
        )

    def _span_and_language(
        self, conn: sa.Connection, article_ids: Sequence[str]
    ) -> tuple[str | None, str | None, str | None]:
        """Earliest and latest publication time (as given) and most common language."""
        c = t.articles.c
        dated: list[tuple[str, str]] = []
        languages: Counter[str] = Counter()
        for chunk in _chunks(list(article_ids)):
            for row in conn.execute(
                sa.select(c.published, c.published_utc, c.language).where(c.id.in_(chunk))
            ):
                if row.published_utc:
                    dated.append((row.published_utc, row.published))
                if row.language:
                    languages[row.language] += 1
        first = min(dated)[1] if dated else None
        last = max(dated)[1] if dated else None
        language = min(languages, key=lambda k: (-languages[k], k)) if languages else None
        return first, last, language

    def _write_story_row(
        self,
        conn: sa.Connection,
        story_id: str,
        headline: str,
        first_seen: str | None,
        last_seen: str | None,
        member_ids: Sequence[str],
    ) -> None:
        derived_first, derived_last, language = self._span_and_language(conn, member_ids)
        first_seen = first_seen or derived_first
        last_seen = last_seen or derived_last
        row = {
            "id": story_id,
            "headline": headline,
            "first_seen": first_seen,
            "last_seen": last_seen,
            "first_seen_utc": to_utc_iso(first_seen),
            "last_seen_utc": to_utc_iso(last_seen),
            "language": language,
            "updated_at": now_iso(),
        }
        self._upsert(conn, t.stories, [row], ["id"], [c for c in row if c != "id"])

    def _set_members(self, conn: sa.Connection, story_id: str, member_ids: Sequence[str]) -> None:
        c = t.story_articles.c
        conn.execute(
            sa.delete(t.story_articles).where(
                c.story_id == story_id, c.article_id.not_in(list(member_ids))
            )
        )
        losers: set[str] = set()
        for chunk in _chunks(list(member_ids)):
            losers.update(
                conn.scalars(
                    sa.select(c.story_id).where(c.article_id.in_(chunk), c.story_id != story_id)
                )
            )
        rows = [
            {"article_id": a, "story_id": story_id, "position": i} for i, a in enumerate(member_ids)
        ]
        # article_id is the key: an article listed here leaves whatever story it was in.
        self._upsert(conn, t.story_articles, rows, ["article_id"], ["story_id", "position"])
        for loser in sorted(losers):
            # Its language may have changed; its time span is left as it was given.
            _, _, language = self._span_and_language(conn, self._member_ids(conn, loser))
            conn.execute(
                sa.update(t.stories).where(t.stories.c.id == loser).values(language=language)
            )

    def _absorb(self, conn: sa.Connection, survivor: str, gone: str) -> None:
        """Make ``gone`` an alias of ``survivor``: aliases move, its row and draft go."""
        conn.execute(
            sa.update(t.story_aliases)
            .where(t.story_aliases.c.story_id == gone)
            .values(story_id=survivor)
        )
        self._upsert(
            conn,
            t.story_aliases,
            [{"alias_id": gone, "story_id": survivor}],
            ["alias_id"],
            ["story_id"],
        )
        conn.execute(sa.delete(t.drafts).where(t.drafts.c.story_id == gone))
        conn.execute(sa.delete(t.stories).where(t.stories.c.id == gone))

    def save_story(self, story: Story, article_ids: Sequence[str] | None = None) -> str:
        """Create or replace a story and its membership; return the id it is stored under.

        ``article_ids`` (default ``story.article_ids``) is the full member list in joined
        order: members no longer listed leave the story. An article belongs to at most
        one story, so listed articles leave any other story they were in. Members must
        already be stored (``add_articles``); an unknown id raises ``StoreError``.
        ``first_seen`` / ``last_seen``, when ``None``, are taken from the members'
        publication dates. The story's language is the most common member language.
        If ``story.id`` is an alias of a merged story, the surviving story is updated.
        Ids in ``story.aliases`` become aliases of this story (a stored story with such
        an id is folded into this one, as by ``merge_stories``, but this story survives).
        """
        members = list(dict.fromkeys(story.article_ids if article_ids is None else article_ids))
        with self._begin(write=True) as conn:
            known: set[str] = set()
            for chunk in _chunks(members):
                known.update(
                    conn.scalars(sa.select(t.articles.c.id).where(t.articles.c.id.in_(chunk)))
                )
            missing = [a for a in members if a not in known]
            if missing:
                raise StoreError(
                    f"story {story.id}: {len(missing)} member article(s) are not stored "
                    f"(add them first): {', '.join(missing[:5])}"
                )
            story_id = self._resolve(conn, story.id) or story.id
            self._write_story_row(
                conn, story_id, story.headline, story.first_seen, story.last_seen, members
            )
            self._set_members(conn, story_id, members)
            for alias in dict.fromkeys(story.aliases):
                target = self._resolve(conn, alias)
                if alias == story_id or target == story_id:
                    continue
                if target == alias:  # a live story: its remaining members join this one
                    rest = [a for a in self._member_ids(conn, alias) if a not in members]
                    members.extend(rest)
                    self._set_members(conn, story_id, members)
                self._absorb(conn, story_id, alias)
            return story_id

    def _stories(self, conn: sa.Connection, rows: Sequence[Any]) -> list[Story]:
        """Build Story objects for story rows, with members and aliases, in two queries."""
        ids = [r.id for r in rows]
        members: dict[str, list[str]] = {i: [] for i in ids}
        aliases: dict[str, list[str]] = {i: [] for i in ids}
        m, al = t.story_articles.c, t.story_aliases.c
        for chunk in _chunks(ids):
            for row in conn.execute(
                sa.select(m.story_id, m.article_id)
                .where(m.story_id.in_(chunk))
                .order_by(m.story_id, m.position, m.article_id)
            ):
                members[row.story_id].append(row.article_id)
            for row in conn.execute(
                sa.select(al.story_id, al.alias_id)
                .where(al.story_id.in_(chunk))
                .order_by(al.story_id, al.alias_id)
            ):
                aliases[row.story_id].append(row.alias_id)
        return [
            Story(
                id=r.id,
                article_ids=tuple(members[r.id]),
                headline=r.headline,
                first_seen=r.first_seen,
                last_seen=r.last_seen,
                aliases=tuple(aliases[r.id]),
            )
            for r in rows
        ]

    def get_story(self, story_id: str) -> Story | None:
        """The story with this id, or the story it was merged into when it is an alias.

        The returned story has its current members (joined order) and its aliases.
        """
        with self._begin() as conn:
            resolved = self._resolve(conn, story_id)
            if resolved is None:
                return None
            row = conn.execute(sa.select(t.stories).where(t.stories.c.id == resolved)).first()
            return self._stories(conn, [row])[0] if row is not None else None

    def resolve_story_id(self, story_id: str) -> str | None:
        """The surviving story id for ``story_id`` (itself when not an alias), or ``None``."""
        with self._begin() as conn:
            return self._resolve(conn, story_id)

    def story_for_article(self, article_id: str) -> str | None:
        """The id of the story the article belongs to, or ``None``."""
        c = t.story_articles.c
        with self._begin() as conn:
            return conn.scalar(sa.select(c.story_id).where(c.article_id == article_id))

    @staticmethod
    def _story_filters(
        since: TimeLike | None, until: TimeLike | None, language: str | None
    ) -> list[Any]:
        c = t.stories.c
        # A story all of whose articles moved to other stories has nothing to show.
        has_members = sa.exists().where(t.story_articles.c.story_id == c.id)
        where: list[Any] = [has_members]
        since_iso = _since_value(since, "since")
        until_iso = _since_value(until, "until")
        if since_iso is not None:
            where.append(c.last_seen_utc >= since_iso)
        if until_iso is not None:
            where.append(c.first_seen_utc <= until_iso)
        if language is not None:
            where.append(c.language == language)
        return where

    def list_stories(
        self,
        limit: int | None = 50,
        offset: int = 0,
        since: TimeLike | None = None,
        until: TimeLike | None = None,
        language: str | None = None,
    ) -> list[Story]:
        """Stories, most recently seen first (undated last, then by id), for paging.

        ``since`` / ``until``: stories whose time span ``[first_seen, last_seen]`` overlaps
        that window (date-only values count as midnight UTC; undated stories are left out
        when a window is given). ``language``: ISO 639-1 code of the story's most common
        member language. ``limit=None`` means no limit.
        """
        c = t.stories.c
        query = (
            sa.select(t.stories)
            .where(*self._story_filters(since, until, language))
            .order_by(c.last_seen_utc.desc().nulls_last(), c.id)
            .offset(max(0, offset))
        )
        if limit is not None:
            query = query.limit(max(0, limit))
        with self._begin() as conn:
            return self._stories(conn, conn.execute(query).all())

    def count_stories(
        self,
        since: TimeLike | None = None,
        until: TimeLike | None = None,
        language: str | None = None,
    ) -> int:
        """How many stories ``list_stories`` would give with these filters and no limit."""
        query = (
            sa.select(sa.func.count())
            .select_from(t.stories)
            .where(*self._story_filters(since, until, language))
        )
        with self._begin() as conn:
            return int(conn.scalar(query) or 0)

    def story_articles(self, story_id: str) -> list[Article]:
        """The member articles of a story (alias resolved), in joined order."""
        with self._begin() as conn:
            resolved = self._resolve(conn, story_id)
            if resolved is None:
                return []
            m, a = t.story_articles.c, t.articles.c
            rows = conn.execute(
                sa.select(a.data)
                .join(t.story_articles, m.article_id == a.id)
                .where(m.story_id == resolved)
                .order_by(m.position, m.article_id)
            ).all()
        return [self._article_from_row(r.data) for r in rows]

    def merge_stories(self, keep_id: str, gone_id: str) -> str:
        """Merge two stories into one and return the surviving id.

        The OLDER story survives (earlier ``first_seen``; ``keep_id`` when equal or
        unknown), so published links stay stable. The other one's members join the
        survivor after its own, its aliases move over, it becomes an alias of the
        survivor, and its draft is deleted (the survivor's signature changed, so the
        pipeline rewrites it). Merging two ids that already resolve to one story is a no-op.
        Either id may be an alias; an id that is no story raises ``StoreError``.
        """
        with self._begin(write=True) as conn:
            keep = self._resolve(conn, keep_id)
            gone = self._resolve(conn, gone_id)
            for asked, found in ((keep_id, keep), (gone_id, gone)):
                if found is None:
                    raise StoreError(f"cannot merge: no story {asked!r}")
            assert keep is not None and gone is not None
            if keep == gone:
                return keep
            rows = {
                r.id: r
                for r in conn.execute(sa.select(t.stories).where(t.stories.c.id.in_([keep, gone])))
            }
            k, g = rows[keep], rows[gone]
            if k.first_seen_utc and g.first_seen_utc and g.first_seen_utc < k.first_seen_utc:
                keep, gone, k, g = gone, keep, g, k
            members = self._member_ids(conn, keep)
            members += [a for a in self._member_ids(conn, gone) if a not in members]
            spans = [(s.first_seen_utc, s.first_seen) for s in (k, g) if s.first_seen_utc]
            ends = [(s.last_seen_utc, s.last_seen) for s in (k, g) if s.last_seen_utc]
            self._set_members(conn, keep, members)
            self._write_story_row(
                conn,
                keep,
                k.headline or g.headline,
                min(spans)[1] if spans else None,
                max(ends)[1] if ends else None,
                members,
            )
            self._absorb(conn, keep, gone)
            return keep

    def delete_story(self, story_id: str) -> None:
        """Remove a story (alias resolved), its membership, aliases and draft."""
        with self._begin(write=True) as conn:
            resolved = self._resolve(conn, story_id)
            if resolved is None:
                return
            conn.execute(sa.delete(t.drafts).where(t.drafts.c.story_id == resolved))
            conn.execute(sa.delete(t.story_aliases).where(t.story_aliases.c.story_id == resolved))
            conn.execute(sa.delete(t.story_articles).where(t.story_articles.c.story_id == resolved))
            conn.execute(sa.delete(t.stories).where(t.stories.c.id == resolved))

    def story_signature(self, story_id: str) -> str | None:
        """The signature of the story's current members (see ``records.story_signature``)."""
        with self._begin() as conn:
            resolved = self._resolve(conn, story_id)
            return story_signature(self._member_ids(conn, resolved)) if resolved else None

    def stories_needing_draft(self) -> list[str]:
        """Ids of stories with members and no draft, or a draft written for other members."""
        members: dict[str, list[str]] = {}
        m = t.story_articles.c
        with self._begin() as conn:
            for sid in conn.scalars(sa.select(t.stories.c.id).order_by(t.stories.c.id)):
                members[sid] = []
            for row in conn.execute(sa.select(m.story_id, m.article_id)):
                members[row.story_id].append(row.article_id)
            signed = {
                row.story_id: row.signature
                for row in conn.execute(sa.select(t.drafts.c.story_id, t.drafts.c.signature))
            }
        return [
            sid for sid, ids in members.items() if ids and signed.get(sid) != story_signature(ids)
        ]

    def unclustered_article_ids(self) -> list[str]:
        """Ids of stored articles that belong to no story, in the order they were added."""
        a, m = t.articles.c, t.story_articles.c
        query = (
            sa.select(a.id)
            .outerjoin(t.story_articles, m.article_id == a.id)
            .where(m.article_id.is_(None))
            .order_by(a.added_at, a.id)
        )
        with self._begin() as conn:
            return list(conn.scalars(query))

    # -- opaque state (for the incremental clusterer and others) ---------------------------

    def set_state(self, key: str, value: bytes | str) -> None:
        """Keep ``value`` under ``key`` (replacing it); bytes come back as bytes, str as str."""
        if isinstance(value, str):
            raw, is_text = value.encode("utf-8"), True
        elif isinstance(value, bytes | bytearray | memoryview):
            raw, is_text = bytes(value), False
        else:
            raise StoreError(
                f"state {key!r}: value must be bytes or str, not {type(value).__name__}"
            )
        row = {"key": key, "value": raw, "is_text": is_text, "updated_at": now_iso()}
        with self._begin(write=True) as conn:
            self._upsert(conn, t.state, [row], ["key"], ["value", "is_text", "updated_at"])

    def get_state(self, key: str) -> bytes | str | None:
        """The value kept under ``key``, or ``None``."""
        with self._begin() as conn:
            row = conn.execute(
                sa.select(t.state.c.value, t.state.c.is_text).where(t.state.c.key == key)
            ).first()
        if row is None:
            return None
        raw = bytes(row.value)
        return raw.decode("utf-8") if row.is_text else raw

    def delete_state(self, key: str) -> None:
        """Forget ``key`` (no error when absent)."""
        with self._begin(write=True) as conn:
            conn.execute(sa.delete(t.state).where(t.state.c.key == key))

    # -- drafts ----------------------------------------------------------------------------

    def save_draft(self, draft: Draft, status: str, story_signature: str) -> None:
        """Create or replace the draft of ``draft.story_id``.

        ``status`` is ``"published"`` or ``"held"`` (anything else raises ``StoreError``);
        ``story_signature`` is ``records.story_signature(member ids)`` of the story as it
        was written, so a later change of members shows as a different signature. A draft
        for an alias id is kept under (and rewritten to) the surviving story's id.
        """
        if status not in DRAFT_STATUSES:
            raise StoreError(f"draft status must be one of {DRAFT_STATUSES}, not {status!r}")
        with self._begin(write=True) as conn:
            resolved = self._resolve(conn, draft.story_id)
            if resolved is not None and resolved != draft.story_id:
                draft = dataclasses.replace(draft, story_id=resolved)
            row = {
                "story_id": draft.story_id,
                "status": status,
                "signature": story_signature,
                "headline": draft.headline,
                "language": draft.language,
                "writer": draft.writer,
                "written_at": draft.written_at,
                "data": draft.to_dict(),
                "updated_at": now_iso(),
            }
            self._upsert(conn, t.drafts, [row], ["story_id"], [c for c in row if c != "story_id"])

    @staticmethod
    def _stored_draft(row: Any) -> StoredDraft:
        return StoredDraft(
            draft=Draft.from_dict(row.data),
            status=row.status,
            story_signature=row.signature,
            updated_at=row.updated_at,
        )

    def get_draft(self, story_id: str) -> StoredDraft | None:
        """The stored draft of a story (alias resolved), with status and signature."""
        with self._begin() as conn:
            resolved = self._resolve(conn, story_id) or story_id
            row = conn.execute(sa.select(t.drafts).where(t.drafts.c.story_id == resolved)).first()
        return self._stored_draft(row) if row is not None else None

    def get_drafts(self, story_ids: Iterable[str]) -> dict[str, StoredDraft]:
        """The stored drafts of these stories, by the id asked (aliases resolved; none: absent)."""
        asked = list(dict.fromkeys(story_ids))
        found: dict[str, StoredDraft] = {}
        with self._begin() as conn:
            alias_of: dict[str, str] = {}
            al = t.story_aliases.c
            for chunk in _chunks(asked):
                for row in conn.execute(
                    sa.select(al.alias_id, al.story_id).where(al.alias_id.in_(chunk))
                ):
                    alias_of[row.alias_id] = row.story_id
            resolved = {i: alias_of.get(i, i) for i in asked}
            targets = sorted(set(resolved.values()))
            by_story: dict[str, StoredDraft] = {}
            for chunk in _chunks(targets):
                for row in conn.execute(sa.select(t.drafts).where(t.drafts.c.story_id.in_(chunk))):
                    by_story[row.story_id] = self._stored_draft(row)
        for asked_id, target in resolved.items():
            if target in by_story:
                found[asked_id] = by_story[target]
        return found

    def list_drafts(
        self,
        status: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        language: str | None = None,
    ) -> list[StoredDraft]:
        """Stored drafts, most recently saved first (then by story id)."""
        c = t.drafts.c
        query = sa.select(t.drafts).order_by(c.updated_at.desc(), c.story_id).offset(max(0, offset))
        if status is not None:
            query = query.where(c.status == status)
        if language is not None:
            query = query.where(c.language == language)
        if limit is not None:
            query = query.limit(max(0, limit))
        with self._begin() as conn:
            return [self._stored_draft(r) for r in conn.execute(query)]

    # -- runs and failures -----------------------------------------------------------------

    def start_run(self, run_id: str | None = None) -> str:
        """Record a run as started by this process and return its id (a new one when ``None``).

        Starting a run id that exists (a restarted run) keeps its first start time and
        sets it running again. Then earlier runs whose process died without finishing
        them are marked ``"interrupted"`` (``mark_interrupted_runs``). On PostgreSQL the run
        holds an advisory lock until ``finish_run`` or ``close``; a run id already running
        in a live process raises ``StoreError``.
        """
        run_id = run_id or f"{now_iso()[:19].replace(':', '')}-{uuid.uuid4().hex[:8]}"
        owner = this_process()
        row = {
            "id": run_id,
            "started_at": now_iso(),
            "finished_at": None,
            "status": RUNNING,
            "stats": {},
            "host": owner.host,
            "pid": owner.pid,
            "process_started": owner.started,
        }
        if self.dialect == "postgresql":
            # Locked before the row says "running", so no other run sees it unlocked.
            self._hold_run_lock(run_id)
        update = ["finished_at", "status", "host", "pid", "process_started"]
        try:
            with self._begin(write=True) as conn:
                self._upsert(conn, t.runs, [row], ["id"], update)
        except BaseException:
            self._release_run_lock(run_id)
            raise
        with self._run_locks_guard:
            self._open_runs.add(run_id)
        self.mark_interrupted_runs()
        return run_id

    def mark_interrupted_runs(self) -> list[str]:
        """Mark ``"interrupted"`` every run still ``"running"`` whose process is dead; their ids.

        Dead means: on PostgreSQL, nobody holds the run's advisory lock; on SQLite, the run's
        pid on this host is gone or is another process now (``newsdesk.store.runs`` says
        why these rules). Live runs, runs of other hosts on SQLite and runs recorded
        before the store kept their process are left as they are. A run that finishes
        while this looks at it keeps its own status (the update is conditional).
        """
        c = t.runs.c
        candidates = sa.select(c.id, c.host, c.pid, c.process_started).where(
            c.status == RUNNING, c.pid.is_not(None)
        )
        with self._begin() as conn:
            if not conn.execute(candidates.limit(1)).first():
                return []  # the common case: no write lock taken
        marked: list[str] = []
        with self._begin(write=True) as conn:
            for row in conn.execute(candidates).all():
                if self.dialect == "postgresql":
                    # Held until this transaction ends: a restart of that run id waits.
                    lock = f"SELECT pg_try_advisory_xact_lock({RUN_LOCK_KEYS})"
                    dead = bool(conn.execute(sa.text(lock), {"run_id": row.id}).scalar())
                else:
                    dead = not process_alive(row.host, row.pid, row.process_started)
                if not dead:
                    continue
                done = conn.execute(
                    t.runs.update()
                    .where(
                        c.id == row.id,
                        c.status == RUNNING,
                        c.host == row.host,
                        c.pid == row.pid,
                        c.process_started.is_not_distinct_from(row.process_started),
                    )
                    .values(status=INTERRUPTED)
                )
                if done.rowcount:
                    marked.append(row.id)
        return marked

    def _mark_own_runs_interrupted(self, run_ids: Sequence[str]) -> None:
        c = t.runs.c
        owner = this_process()
        with self._begin(write=True) as conn:
            conn.execute(
                t.runs.update()
                .where(
                    c.id.in_(run_ids),
                    c.status == RUNNING,
                    c.host == owner.host,
                    c.pid == owner.pid,
                )
                .values(status=INTERRUPTED)
            )

    def _hold_run_lock(self, run_id: str) -> None:
        """Take the run's session advisory lock on a connection kept until the run ends."""
        with self._run_locks_guard:
            if run_id in self._run_locks:
                return  # started again by this store: it holds the lock already
            conn = self.engine.connect()
            try:
                for name, value in KEEPALIVE_SETTINGS.items():
                    conn.exec_driver_sql(f"SET {name} = {int(value)}")
                # A just-killed holder's lock lasts until the server sees its socket close.
                conn.exec_driver_sql(f"SET lock_timeout = '{_RUN_LOCK_WAIT}'")
                conn.execute(
                    sa.text(f"SELECT pg_advisory_lock({RUN_LOCK_KEYS})"), {"run_id": run_id}
                )
                conn.commit()
            except sa.exc.OperationalError as exc:
                _drop_connection(conn)
                if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
                    raise StoreError(f"run {run_id!r} is running in another process") from exc
                raise StoreError(f"cannot start run {run_id!r}: {exc.orig}") from exc
            except BaseException:
                _drop_connection(conn)
                raise
            self._run_locks[run_id] = conn

    def _release_run_lock(self, run_id: str) -> None:
        with self._run_locks_guard:
            conn = self._run_locks.pop(run_id, None)
        if conn is not None:
            _drop_connection(conn)

    def finish_run(
        self, run_id: str, status: str = "ok", stats: dict[str, Any] | None = None
    ) -> None:
        """Record how a run ended and its counts (a run never started is recorded too)."""
        now = now_iso()
        row = {
            "id": run_id,
            "started_at": now,
            "finished_at": now,
            "status": status,
            "stats": dict(stats or {}),
        }
        with self._begin(write=True) as conn:
            self._upsert(conn, t.runs, [row], ["id"], ["finished_at", "status", "stats"])
        # After the status is written: a run that sees the lock free sees the status too.
        with self._run_locks_guard:
            self._open_runs.discard(run_id)
        self._release_run_lock(run_id)

    @staticmethod
    def _run(row: Any) -> RunRecord:
        return RunRecord(
            id=row.id,
            started_at=row.started_at,
            finished_at=row.finished_at,
            status=row.status,
            stats=dict(row.stats or {}),
            host=row.host,
            pid=row.pid,
        )

    def get_run(self, run_id: str) -> RunRecord | None:
        """The run with this id, or ``None``."""
        with self._begin() as conn:
            row = conn.execute(sa.select(t.runs).where(t.runs.c.id == run_id)).first()
        return self._run(row) if row is not None else None

    def list_runs(self, limit: int | None = 20) -> list[RunRecord]:
        """Runs, most recently started first."""
        query = sa.select(t.runs).order_by(t.runs.c.started_at.desc(), t.runs.c.id)
        if limit is not None:
            query = query.limit(max(0, limit))
        with self._begin() as conn:
            return [self._run(r) for r in conn.execute(query)]

    def record_failure(
        self, source: str, stage: str, reason: str, run_id: str | None = None
    ) -> None:
        """Record that ``source`` failed at ``stage`` (extract, cluster, write, ...) and why.

        Keyed by ``(run_id, source, stage)``: recording it again replaces the reason (and
        keeps the first time). ``run_id=None`` records it outside any run (as ``""``).
        """
        row = {
            "run_id": run_id or "",
            "source": source,
            "stage": stage,
            "reason": reason,
            "at": now_iso(),
        }
        with self._begin(write=True) as conn:
            self._upsert(conn, t.failures, [row], ["run_id", "source", "stage"], ["reason"])

    def list_failures(self, run_id: str | None = None) -> list[Failure]:
        """Failures of one run, or of all runs when ``run_id`` is ``None``, oldest first."""
        c = t.failures.c
        query = sa.select(t.failures).order_by(c.at, c.run_id, c.source, c.stage)
        if run_id is not None:
            query = query.where(c.run_id == run_id)
        with self._begin() as conn:
            return [
                Failure(run_id=r.run_id, source=r.source, stage=r.stage, reason=r.reason, at=r.at)
                for r in conn.execute(query)
            ]


def _drop_connection(conn: sa.Connection) -> None:
    """Close a connection for good (not back to the pool): the server frees its session's
    advisory locks and settings with it."""
    try:
        conn.invalidate()
    finally:
        conn.close()


def _sqlite_setup(engine: sa.Engine, *, wal: bool) -> None:
    """WAL, foreign keys, a busy timeout, and real transactions on SQLite.

    pysqlite's own transaction handling does not BEGIN before DDL and cannot take the write
    lock up front; SQLAlchemy's documented recipe hands transactions to us: writes start with
    ``BEGIN IMMEDIATE`` so two writers queue instead of failing to upgrade a read lock.
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL survives a killed process (not a power cut) and is faster.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_store(url_or_path: str | os.PathLike[str] | None = None, **kwargs: Any) -> Store:
    """Open the store at a URL or path; ``None`` means ``$NEWSDESK_STORE`` or ``./newsdesk.db``.

    Keyword arguments go to ``Store`` (``schema=``, ``migrate=``).
    """
    return Store(url_or_path, **kwargs)
