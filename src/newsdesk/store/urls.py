"""Turn what a person gives (``None``, a path, a URL) into a SQLAlchemy URL for the store."""

from __future__ import annotations

import os
import re
from pathlib import Path

import sqlalchemy as sa

from newsdesk.settings import Settings
from newsdesk.store.errors import StoreError


def store_url(url_or_path: str | os.PathLike[str] | None) -> sa.URL:
    """The SQLAlchemy URL for a store given as ``None``, a file path or a database URL.

    ``None``: ``$NEWSDESK_STORE``, else ``newsdesk.db`` in the working folder.
    ``postgresql://`` and ``postgres://`` use the psycopg 3 driver. Anything without
    ``://`` is a SQLite file path; ``:memory:`` is a private in-memory database (one
    connection shared by the store: for tests and one-off use from one thread).
    """
    if url_or_path is None:
        url_or_path = Settings.from_env().store.url
    text = os.fspath(url_or_path).strip()
    if not text:
        raise StoreError("empty store location: give a file path or a database URL")
    if "://" not in text:
        return sa.URL.create("sqlite", database=str(Path(text).expanduser()))
    text = re.sub(r"^(postgres|postgresql)://", "postgresql+psycopg://", text)
    try:
        url = sa.make_url(text)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"not a database URL: {text!r} ({exc})") from exc
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"unsupported database {url.get_backend_name()!r}: use a SQLite path or a "
            "postgresql:// URL"
        )
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        url = url.set(database=str(Path(url.database).expanduser()))
    return url


def make_store_folder(url_or_path: str | os.PathLike[str] | None) -> Path | None:
    """Make the folder of a SQLite store file if it is missing (as a site's output folder is
    made); the folder, or None for a database server or an in-memory store. StoreError when
    it cannot be made."""
    url = store_url(url_or_path)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    folder = Path(url.database).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot make the folder {folder} for the store: {exc.strerror or exc}"
        ) from exc
    return folder
