"""The database under every part of the store: engine, transactions and upserts.

``Database`` opens (and migrates) a SQLite file or a PostgreSQL server with SQLAlchemy 2
Core and gives the aggregate modules (``pages``, ``articles``, ``stories``, ``drafts``,
``runs``) what they share: ``transaction()``, a connection per call (``_begin``) and the
dialect's ``INSERT ... ON CONFLICT`` (``_upsert``). ``newsdesk.store.store.Store`` puts
the aggregates together into the one store callers use.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect

from newsdesk.store.errors import StoreError
from newsdesk.store.migrate import upgrade
from newsdesk.store.times import to_utc_iso
from newsdesk.store.urls import store_url

TimeLike = datetime | date | str

# Rows per INSERT / IN (...) list: far below SQLite's 32766 bound variables.
CHUNK = 500
_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# A connection option telling the SQLite "begin" hook to take the write lock at once.
_WRITE = "newsdesk_write"


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def since_value(value: TimeLike | None, what: str) -> str | None:
    if value is None:
        return None
    normalised = to_utc_iso(value)
    if normalised is None:
        raise StoreError(f"{what} is not an ISO 8601 time: {value!r}")
    return normalised


class Database:
    """The connection to a newsdesk database that every aggregate of ``Store`` works through.

    Thread-safe: each call takes its own connection from a pool.
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
        """Release every connection. The store cannot be used afterwards."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"

    @contextmanager
    def transaction(self) -> Iterator[Self]:
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

    def _existing_ids(self, table: sa.Table, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are rows of ``table`` (by its ``id`` column)."""
        found: set[str] = set()
        with self._begin() as conn:
            for chunk in chunks(list(dict.fromkeys(ids))):
                found.update(conn.scalars(sa.select(table.c.id).where(table.c.id.in_(chunk))))
        return found

    def _insert(self, table: sa.Table) -> Any:
        """An INSERT that knows ``ON CONFLICT`` in this store's dialect."""
        if self.dialect == "postgresql":
            # Imported here: the dialect and its drivers' modules take 85 ms to import,
            # which a SQLite store (the default) never needs.
            from sqlalchemy.dialects import postgresql as pg_dialect

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
        for chunk in chunks(rows, max(1, CHUNK // 4)):
            conn.execute(stmt, list(chunk))


def drop_connection(conn: sa.Connection) -> None:
    """Close a connection for good (not back to the pool): the server frees its session's
    advisory locks and settings with it."""
    try:
        conn.invalidate()
    finally:
        conn.close()


def _switch_to_wal(cursor: Any, *, patience: float = 60.0) -> None:
    """Put the database file in WAL mode (a setting the file keeps), waiting for other openers.

    Switching needs the file to itself, and SQLite answers "database is locked" at once rather
    than calling the busy handler when several processes open a new store together, so we
    retry for a while; a file already in WAL mode needs no switch.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


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
        cursor.execute("PRAGMA busy_timeout=60000")
        if wal:
            _switch_to_wal(cursor)
            # With WAL, NORMAL survives a killed process (not a power cut) and is faster.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
