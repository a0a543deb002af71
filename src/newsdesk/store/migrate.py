"""Bring a store's schema up to date with the Alembic migrations shipped in this package.

The migrations live in ``newsdesk/store/migrations`` (``alembic.ini``, ``env.py``,
``script.py.mako``, ``versions/``) and are found through ``importlib.resources``, so they
work from a source checkout, an editable install and a wheel alike.

An empty database gets the tables ``schema.py`` describes and the head revision directly,
as Alembic's docs advise for a new database ("create_all", then "stamp head"): the same
schema the migrations build (tests/store/test_migrations.py compares the two on SQLite and
PostgreSQL), without Alembic's import, a fifth of the start-up of a run on a new store.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from newsdesk.store.errors import StoreError
from newsdesk.store.schema import metadata

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in versions/ (a test checks it). Opening a store that is already there
# needs no Alembic at all, which keeps every command's start-up short.
HEAD = "0003"

# Alembic's own table of the revision, as Alembic creates it.
_VERSION = sa.Table(
    "alembic_version",
    sa.MetaData(),
    sa.Column("version_num", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def migrations_dir() -> Path:
    """The folder of the shipped migrations (holds ``alembic.ini``)."""
    path = Path(str(resources.files("newsdesk.store") / "migrations"))
    if not (path / "alembic.ini").is_file():
        raise FileNotFoundError(f"newsdesk store migrations are missing: no alembic.ini in {path}")
    return path


def alembic_config() -> Config:
    """An Alembic config pointing at the shipped migrations."""
    from alembic.config import Config

    folder = migrations_dir()
    config = Config(str(folder / "alembic.ini"))
    config.set_main_option("script_location", str(folder))
    config.set_main_option("version_locations", str(folder / "versions"))
    return config


def head_revision() -> str | None:
    """The newest revision the shipped migrations know (read from the files)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database is at (``None`` for an empty database)."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()
    return next(iter(versions), None)


def upgrade(engine: sa.Engine, write_engine: sa.Engine | None = None) -> None:
    """Upgrade the database behind ``engine`` to head, in one transaction.

    ``write_engine`` (default ``engine``) is the one to write with: on SQLite the store's
    write engine starts transactions with ``BEGIN IMMEDIATE``.

    Concurrent openers are serialised: SQLite by the write transaction (``BEGIN
    IMMEDIATE``), PostgreSQL by an advisory lock on the current schema.
    """
    with engine.connect() as conn:
        if current_revision(conn) == HEAD:
            return  # the common case: nothing to do, no write lock taken
    with (write_engine or engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(current_schema()))"))
        tables = set(sa.inspect(conn).get_table_names())
        if not tables & {_VERSION.name, *metadata.tables}:
            # A new store (looked at under the lock: a racing opener may have made it).
            metadata.create_all(conn)
            _VERSION.create(conn)
            conn.execute(_VERSION.insert().values(version_num=HEAD))
            return
        from alembic import command
        from alembic.util import CommandError

        config = alembic_config()
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except CommandError as exc:  # e.g. a database written by a newer newsdesk
            raise StoreError(f"cannot bring the store's schema up to date: {exc}") from exc
