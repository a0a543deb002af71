"""Migrations: an empty database is brought to head on open, matching the tables in code."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from newsdesk.store import StoreError
from newsdesk.store import schema as t
from newsdesk.store.migrate import (
    HEAD,
    alembic_config,
    current_revision,
    head_revision,
    migrations_dir,
)
from tests.conftest import REPO
from tests.store.conftest import Target, Targets

SHIPPED = [
    "alembic.ini",
    "env.py",
    "script.py.mako",
    "versions/0001_initial_schema.py",
    "versions/0002_run_owner.py",
    "versions/0003_article_access.py",
]


def test_empty_database_is_migrated_to_head(target: Target) -> None:
    engine = target.engine()
    try:
        with engine.connect() as conn:
            assert current_revision(conn) is None
            assert not set(t.metadata.tables) & set(sa.inspect(conn).get_table_names())
        target.open().close()
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision() == HEAD == "0003"
            assert set(t.metadata.tables) <= set(sa.inspect(conn).get_table_names())
            # The migrations build exactly the tables the code describes.
            diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
            assert diff == []
    finally:
        engine.dispose()


def _schema_of(engine: sa.Engine) -> dict:
    """Every table's columns (name, type, nullability, default), keys, indexes and unique
    and foreign-key constraints, as the database reports them."""
    inspector = sa.inspect(engine)
    described = {}
    for table in sorted(inspector.get_table_names()):
        described[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                for c in inspector.get_columns(table)
            ],
            "primary key": inspector.get_pk_constraint(table),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
            "foreign keys": sorted(
                (
                    f["name"],
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    tuple(f["referred_columns"]),
                    str(f.get("options")),
                )
                for f in inspector.get_foreign_keys(table)
            ),
        }
    return described


def test_a_new_store_has_the_schema_the_migrations_build(targets: Targets) -> None:
    """A new store is made from schema.py and stamped at head, without running the
    migrations: what the migrations build from an empty database must be the same."""
    made, migrated = targets.new(), targets.new()
    made.open().close()
    migrated.open(migrate=False).close()
    _migrate(migrated, "upgrade", "head")
    made_engine, migrated_engine = made.engine(), migrated.engine()
    try:
        with migrated_engine.connect() as conn:
            assert current_revision(conn) == HEAD
            assert compare_metadata(MigrationContext.configure(conn), t.metadata) == []
        with made_engine.connect() as conn:
            assert current_revision(conn) == HEAD
        assert _schema_of(made_engine) == _schema_of(migrated_engine)
        assert len(_schema_of(made_engine)) == len(t.metadata.tables) + 1  # alembic_version
    finally:
        made_engine.dispose()
        migrated_engine.dispose()


def test_downgrade_to_empty_and_up_again(target: Target) -> None:
    """Every revision's downgrade undoes its upgrade (so a bad release can be rolled back)."""
    target.open().close()
    engine = target.engine()
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        with engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
            assert left == set() and current_revision(conn) is None
    finally:
        engine.dispose()
    with target.open() as store:  # and opening migrates it back to head
        store.set_state("k", "v")
        assert store.get_state("k") == "v"


def test_reopening_keeps_data_and_revision(target: Target) -> None:
    with target.open() as store:
        store.set_state("k", "v")
    with target.open() as store:
        assert store.get_state("k") == "v"
        with store.engine.connect() as conn:
            assert current_revision(conn) == head_revision()


def test_store_from_a_newer_version_is_refused_in_words(target: Target) -> None:
    target.open().close()
    engine = target.engine()
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="cannot bring the store's schema up to date"):
        target.open()


def test_migration_files_are_found_from_the_installed_package() -> None:
    folder = migrations_dir()
    for name in SHIPPED:
        assert (folder / name).is_file(), name


def test_wheel_ships_the_migrations(tmp_path: Path) -> None:
    """A regular (non-editable) wheel carries alembic.ini, the .mako template and revisions,
    and the data files the package reads."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, project / name)
    shutil.copytree(
        REPO / "src" / "newsdesk",
        project / "src" / "newsdesk",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    out = tmp_path / "dist"
    # Build with the venv's setuptools when it has one (no download); else pip fetches it.
    isolation = ["--no-build-isolation"] if importlib.util.find_spec("setuptools") else []
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation]
    subprocess.run(
        [*command, "-w", str(out), str(project)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("newsdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in SHIPPED:
        assert f"newsdesk/store/migrations/{name}" in names, name
    # the other data files the package reads at run time
    for name in ("text/places.json", "verify/support_model.json"):
        assert f"newsdesk/{name}" in names, name


def _migrate(target: Target, how: str, revision: str) -> None:
    engine = target.engine()
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            getattr(command, how)(config, revision)
    finally:
        engine.dispose()


def test_0002_adds_the_run_owner_and_keeps_runs(target: Target) -> None:
    """A store at 0001 with runs in it is brought to 0002 on open, and back down again."""
    target.open(migrate=False).close()  # creates the test's PostgreSQL schema, no tables
    _migrate(target, "upgrade", "0001")
    engine = target.engine()
    try:
        with engine.begin() as conn:
            assert current_revision(conn) == "0001"
            assert "pid" not in {c["name"] for c in sa.inspect(conn).get_columns("runs")}
            conn.exec_driver_sql(
                "INSERT INTO runs (id, started_at, finished_at, status, stats) VALUES "
                "('old-ok', '2026-11-01T00:00:00+00:00', '2026-11-01T00:01:00+00:00', 'ok',"
                " '{\"pages\": 3}'), "
                "('old-killed', '2026-11-02T00:00:00+00:00', NULL, 'running', '{}')"
            )
    finally:
        engine.dispose()
    with target.open() as store:  # opening migrates to head
        old = {r.id: r for r in store.list_runs()}
        assert old["old-ok"].status == "ok" and old["old-ok"].stats == {"pages": 3}
        assert old["old-killed"].pid is None and old["old-killed"].host is None
        store.start_run("new")
        store.finish_run("new", "ok")
        new = store.get_run("new")
        assert new.pid == os.getpid() and new.host == socket.gethostname()
        assert store.get_run("old-killed").status == "running"  # its process is unknown
        with store.engine.connect() as conn:
            indexes = {i["name"] for i in sa.inspect(conn).get_indexes("runs")}
            assert "ix_runs_status" in indexes
    _migrate(target, "downgrade", "0001")
    engine = target.engine()
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == "0001"
            columns = {c["name"] for c in sa.inspect(conn).get_columns("runs")}
            assert columns == {"id", "started_at", "finished_at", "status", "stats"}
            ids = conn.exec_driver_sql("SELECT id FROM runs ORDER BY id").scalars().all()
            assert ids == ["new", "old-killed", "old-ok"]
    finally:
        engine.dispose()


def test_0003_adds_article_access_and_keeps_articles(target: Target) -> None:
    """Articles stored at 0002 are "unknown" after 0003; new ones keep their flag, in the
    column and in the article read back; downgrading drops the column."""
    from newsdesk.model import Article

    target.open(migrate=False).close()
    _migrate(target, "upgrade", "0002")
    engine = target.engine()
    try:
        with engine.begin() as conn:
            assert "access" not in {c["name"] for c in sa.inspect(conn).get_columns("articles")}
            conn.exec_driver_sql(
                "INSERT INTO articles (id, url, title, data, added_at) VALUES ('old', NULL, "
                '\'Old\', \'{"id": "old", "title": "Old", "paragraphs": ["x"]}\', '
                "'2026-11-01T00:00:00+00:00')"
            )
    finally:
        engine.dispose()
    walled = Article.create(url=None, title="New", paragraphs=["Teaser."], access="paywalled")
    with target.open() as store:
        assert store.get_article("old").access == "unknown"  # type: ignore[union-attr]
        store.add_article(walled)
        assert store.get_article(walled.id).access == "paywalled"  # type: ignore[union-attr]
        with store.engine.connect() as conn:
            column = dict(conn.execute(sa.select(t.articles.c.id, t.articles.c.access)).all())
            indexes = {i["name"] for i in sa.inspect(conn).get_indexes("articles")}
        assert column == {"old": "unknown", walled.id: "paywalled"}
        assert "ix_articles_access" in indexes
    _migrate(target, "downgrade", "0002")
    engine = target.engine()
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == "0002"
            assert "access" not in {c["name"] for c in sa.inspect(conn).get_columns("articles")}
    finally:
        engine.dispose()
