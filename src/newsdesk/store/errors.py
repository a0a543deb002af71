"""The store's error: a database that cannot be opened, read or written, said in words."""

from __future__ import annotations

from newsdesk.errors import NewsdeskError


class StoreError(NewsdeskError):
    """The store cannot do what was asked (unreachable server, bad URL, unknown member...)."""
