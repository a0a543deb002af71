"""Alembic revision files, oldest first (alembic ignores this file)."""
