"""Alembic migrations of the store, run programmatically by ``Store(url)`` (see ``migrate.py``)."""
