"""Store test fixtures: every store test runs on SQLite (a file in tmp_path) and PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432 (user postgres, database test), or
``$NEWSDESK_TEST_POSTGRES_URL``. Each test gets its own fresh schema, dropped afterwards, so
tests are isolated and can run again and again. When the server is not reachable the
PostgreSQL tests FAIL saying so, unless ``NEWSDESK_SKIP_POSTGRES=1``, which skips them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import sqlalchemy as sa

from newsdesk.store import Store
from newsdesk.store import schema as t
from newsdesk.store.urls import store_url

# synchronous_commit=off: a commit does not wait for the server's disk. Tests kill clients,
# never the server, so what they check is the same, and hundreds of commits run faster.
POSTGRES_URL = os.environ.get(
    "NEWSDESK_TEST_POSTGRES_URL",
    "postgresql://postgres@127.0.0.1:5432/test?options=-csynchronous_commit%3Doff",
)
# Columns holding the wall-clock time of a write, or the process that wrote it: they differ
# between two runs by nature.
CLOCK_COLUMNS = {
    "updated_at",
    "added_at",
    "at",
    "started_at",
    "finished_at",
    "host",
    "pid",
    "process_started",
}


@cache
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used for tests, or None when it can."""
    engine = sa.create_engine(store_url(POSTGRES_URL), connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:  # any failure to connect is reported in words below
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
    finally:
        engine.dispose()
    return None


def require_postgres() -> None:
    problem = postgres_problem()
    if problem is None:
        return
    where = store_url(POSTGRES_URL).render_as_string(hide_password=True)
    if os.environ.get("NEWSDESK_SKIP_POSTGRES") == "1":
        pytest.skip(f"PostgreSQL not reachable at {where} and NEWSDESK_SKIP_POSTGRES=1: skipped")
    pytest.fail(
        f"PostgreSQL is not reachable at {where} ({problem}). Start it "
        "(bash scripts/test-services.sh) or set NEWSDESK_SKIP_POSTGRES=1 to skip these tests.",
        pytrace=False,
    )


@dataclass(frozen=True)
class Target:
    """Where a test's store lives: a URL plus, on PostgreSQL, its own schema."""

    url: str
    schema: str | None = None

    def open(self, **kwargs: Any) -> Store:
        return Store(self.url, schema=self.schema, **kwargs)

    def engine(self) -> sa.Engine:
        """A raw engine on the same database and schema (to look at rows directly)."""
        url = store_url(self.url).difference_update_query(["options"])
        args = {"options": f"-csearch_path={self.schema}"} if self.schema else {}
        return sa.create_engine(url, connect_args=args)


class Targets:
    """Makes fresh, isolated store locations for one engine and cleans them up."""

    def __init__(self, backend: str, tmp_path: Any) -> None:
        self.backend = backend
        self.tmp_path = tmp_path
        self.schemas: list[str] = []

    def new(self) -> Target:
        if self.backend == "sqlite":
            return Target(str(self.tmp_path / f"store-{uuid.uuid4().hex[:8]}.db"))
        schema = f"t_{uuid.uuid4().hex[:16]}"
        self.schemas.append(schema)
        return Target(POSTGRES_URL, schema)

    def cleanup(self) -> None:
        if not self.schemas:
            return
        engine = sa.create_engine(store_url(POSTGRES_URL))
        try:
            with engine.begin() as conn:
                for schema in self.schemas:
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def targets(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Targets]:
    """Fresh store locations on one engine (the test runs once per engine)."""
    if request.param == "postgresql":
        require_postgres()
    made = Targets(request.param, tmp_path)
    try:
        yield made
    finally:
        made.cleanup()


@pytest.fixture
def target(targets: Targets) -> Target:
    return targets.new()


class Templates:
    """Stores already migrated once per session, handed out empty to each test.

    Migrating costs about half a second of DDL on PostgreSQL; tests of the API (not of the
    migrations) get a copy of a migrated SQLite file, or the session's PostgreSQL schema
    with every table emptied. Migration tests use ``target``, a truly fresh location.
    """

    def __init__(self, folder: Any) -> None:
        self.folder = folder
        self.made: dict[str, Target] = {}
        self.schemas: list[str] = []

    def empty(self, targets: Targets) -> Target:
        template = self.made.get(targets.backend)
        if template is None:
            template = self.made[targets.backend] = self._create(targets.backend)
        if targets.backend == "sqlite":
            path = targets.tmp_path / f"store-{uuid.uuid4().hex[:8]}.db"
            shutil.copyfile(template.url, path)
            return Target(str(path))
        engine = template.engine()
        try:
            with engine.begin() as conn:
                # DELETE, not TRUNCATE: on a few rows it is much cheaper (no new files).
                for table in reversed(t.metadata.sorted_tables):
                    conn.execute(table.delete())
        finally:
            engine.dispose()
        return template

    def _create(self, backend: str) -> Target:
        if backend == "sqlite":
            made = Target(str(self.folder / "template.db"))
        else:
            made = Target(POSTGRES_URL, f"t_{uuid.uuid4().hex[:16]}")
            self.schemas.append(made.schema or "")
        made.open().close()  # migrates; closing the last connection folds the WAL back in
        return made

    def cleanup(self) -> None:
        cleaner = Targets("postgresql", self.folder)
        cleaner.schemas = self.schemas
        cleaner.cleanup()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("store-templates"))
    try:
        yield made
    finally:
        made.cleanup()


@pytest.fixture
def store(targets: Targets, templates: Templates) -> Iterator[Store]:
    """An empty, migrated store on one engine (the test runs once per engine)."""
    opened = templates.empty(targets).open()
    try:
        yield opened
    finally:
        opened.close()


def dump(engine_or_store: sa.Engine | Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every store table, wall-clock columns left out, in a stable order."""
    engine = engine_or_store.engine if isinstance(engine_or_store, Store) else engine_or_store
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in t.metadata.sorted_tables:
            cols = [c for c in table.c if c.name not in CLOCK_COLUMNS]
            rows = conn.execute(sa.select(*cols)).all()
            out[table.name] = sorted((_plain(tuple(r)) for r in rows), key=repr)
    return out


def _plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


def rows(store: Store, table: sa.Table) -> list[tuple[Any, ...]]:
    """Every row of one table, all columns, sorted (to see that nothing changed)."""
    with store.engine.connect() as conn:
        return sorted((_plain(tuple(r)) for r in conn.execute(sa.select(table))), key=repr)
