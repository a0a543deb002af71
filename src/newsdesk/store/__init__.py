"""Persistence: pages, articles, stories, drafts and runs in SQLite (default) or PostgreSQL.

    from newsdesk.store import open_store
    with open_store("newsdesk.db") as store:          # or "postgresql://user@host/db"
        store.add_articles(articles)

See ``newsdesk.store.store.Store`` for the whole API.
"""

from newsdesk.store.errors import StoreError
from newsdesk.store.records import (
    DRAFT_STATUSES,
    Failure,
    HttpCacheEntry,
    PageState,
    RunRecord,
    StoredDraft,
    story_signature,
)
from newsdesk.store.store import Store, open_store

__all__ = [
    "DRAFT_STATUSES",
    "Failure",
    "HttpCacheEntry",
    "PageState",
    "RunRecord",
    "Store",
    "StoreError",
    "StoredDraft",
    "open_store",
    "story_signature",
]
