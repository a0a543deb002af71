"""Persistence: pages, articles, stories, drafts and runs in SQLite (default) or PostgreSQL.

    from newsdesk.store import open_store
    with open_store("newsdesk.db") as store:          # or "postgresql://user@host/db"
        store.add_articles(articles)                   # -> how many were new

``open_store(None)`` opens ``$NEWSDESK_STORE`` or ``./newsdesk.db``; opening brings the
schema up to date (Alembic migrations shipped in ``store/migrations``). Every method call
is one transaction; ``with store.transaction():`` makes several calls one. Every write is
an idempotent upsert, so a killed run started again ends with the same rows.

- pages: ``add_page``, ``get_page_state`` (-> ``PageState``), ``set_http_cache``,
  ``get_http_cache`` (-> ``HttpCacheEntry``)
- articles: ``add_articles``, ``add_article``, ``get_article``, ``get_articles``,
  ``iter_articles``, ``count_articles``, ``unclustered_article_ids``
- stories: ``save_story`` (``save_stories`` for a batch), ``get_story`` (aliases resolved),
  ``resolve_story_id``, ``story_for_article``, ``list_stories``, ``count_stories``, ``story_articles``,
  ``merge_stories``, ``delete_story``, ``story_signature``, ``stories_needing_draft``
- clusterer state: ``set_state``, ``get_state``, ``delete_state``
- drafts: ``save_draft``, ``get_draft`` / ``get_drafts`` (-> ``StoredDraft``), ``list_drafts``
- runs: ``start_run``, ``finish_run``, ``get_run``, ``list_runs``, ``mark_interrupted_runs``
  (a run whose process died shows ``"interrupted"``), ``record_failure``, ``list_failures``,
  ``stats``

``newsdesk.store.store.Store`` is the one facade over the aggregates, each in its own module
(``pages``, ``articles``, ``stories``, ``drafts``, ``runs``) on ``database.Database``; see
those modules for each signature and what it promises.
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
