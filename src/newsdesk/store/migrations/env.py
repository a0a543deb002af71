"""Alembic environment of the newsdesk store.

``newsdesk.store.migrate`` passes an open connection (already inside a transaction) in
``config.attributes["connection"]``. From the ``alembic`` command line, the database is
``$NEWSDESK_STORE`` (a URL or a SQLite path), like ``open_store(None)``.
"""

from __future__ import annotations

from alembic import context

from newsdesk.store.schema import metadata

config = context.config


def _configure_and_run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    # Command-line use: open the store's engine without migrating, then migrate here.
    from newsdesk.store.store import open_store

    store = open_store(None, migrate=False)
    try:
        with store.engine.begin() as conn:
            _configure_and_run(conn)
    finally:
        store.close()


if context.is_offline_mode():
    raise SystemExit("newsdesk store migrations run online only (against a database)")
run_migrations_online()
