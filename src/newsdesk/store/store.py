"""The store: pages, articles, stories, drafts, failures and runs in one SQL database.

SQLAlchemy 2 Core over SQLite (default: ``newsdesk.db`` in the working folder) or
PostgreSQL (``postgresql://...``, driver psycopg 3). Opening a store brings its schema
up to date with the Alembic migrations shipped in ``newsdesk/store/migrations``.

Every write is an upsert (``INSERT ... ON CONFLICT``), and every method call is one
transaction, unless it runs inside ``with store.transaction():``, which makes a group
of calls one transaction. So a run killed at any point (even ``kill -9``) and started
again ends with the same rows as a run that was never interrupted.

Times are kept as ISO 8601 text in UTC (``2026-11-22T04:10:00+00:00``) on both engines,
so they sort and compare as text the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from newsdesk.model import Article, Draft, Page, Story
from newsdesk.store.records import (
    Failure,
    HttpCacheEntry,
    PageState,
    RunRecord,
    StoredDraft,
)

TimeLike = datetime | str


class Store:
    """A newsdesk database. Thread-safe: each call takes its own connection from a pool.

    ``Store(url)`` opens (creating if needed) and migrates the database at ``url``:
    a SQLAlchemy URL, a ``postgresql://`` / ``postgres://`` URL (mapped to psycopg 3),
    or a file path for SQLite. ``schema`` (PostgreSQL only) keeps every table in that
    schema, created if missing (tests use one schema per test).
    """

    def __init__(self, url: str, *, schema: str | None = None, migrate: bool = True) -> None:
        raise NotImplementedError

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        raise NotImplementedError

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        raise NotImplementedError

    def close(self) -> None:
        """Release every connection. The store cannot be used afterwards."""
        raise NotImplementedError

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Make every store call inside the block one atomic transaction (per thread).

        Commits when the block ends normally, rolls back on an exception. Nested blocks
        join the outer transaction.
        """
        raise NotImplementedError
        yield self

    # -- pages and HTTP cache --------------------------------------------------------------

    def add_page(
        self,
        page: Page,
        status: str,
        reason: str | None = None,
        article_id: str | None = None,
    ) -> None:
        """Record what happened to a page (keyed by ``page.source``); a later call replaces it.

        ``status`` is free text chosen by the pipeline ("extracted", "failed", "skipped",
        "duplicate", ...); ``reason`` says why in words; ``article_id`` links the article
        extracted from it. Keeps the page's URL, content type, sha1 of its bytes, and its
        ``ETag`` / ``Last-Modified`` headers; not the bytes themselves.
        """
        raise NotImplementedError

    def get_page_state(self, source_or_url: str) -> PageState | None:
        """The state of a page already recorded, looked up by its source, else by its URL.

        ``None`` when the page was never recorded. Incremental runs skip pages whose
        state is done and whose content hash is unchanged.
        """
        raise NotImplementedError

    def set_http_cache(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators a server sent for ``url`` (a feed, sitemap or page)."""
        raise NotImplementedError

    def get_http_cache(self, url: str) -> HttpCacheEntry | None:
        """``(etag, last_modified)`` last remembered for ``url``, or ``None``."""
        raise NotImplementedError

    # -- articles --------------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article], *, replace: bool = False) -> int:
        """Store articles; return how many were new. One transaction for the whole batch.

        Idempotent on ``Article.id``: an article already stored is left as it is (writing
        it again changes nothing), unless ``replace`` is true, which overwrites its fields.
        """
        raise NotImplementedError

    def add_article(self, article: Article, *, replace: bool = False) -> bool:
        """Store one article; ``True`` when it was new."""
        return self.add_articles([article], replace=replace) == 1

    def get_article(self, article_id: str) -> Article | None:
        """The article with this id, or ``None``."""
        raise NotImplementedError

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        """The stored articles among these ids, in the order asked (unknown ids left out)."""
        raise NotImplementedError

    def iter_articles(self, since: TimeLike | None = None) -> Iterator[Article]:
        """Every article, in the order they were added; ``since``: only those added at or after it.

        ``since`` is compared with the time the store first saw the article (not its
        publication date), so an incremental clusterer can ask for what is new since its
        last run. Reads in pages, so memory stays small on big stores.
        """
        raise NotImplementedError

    def count_articles(self) -> int:
        """How many articles are stored."""
        raise NotImplementedError

    # -- stories ---------------------------------------------------------------------------

    def save_story(self, story: Story, article_ids: Sequence[str] | None = None) -> str:
        """Create or replace a story and its membership; return the id it is stored under.

        ``article_ids`` (default ``story.article_ids``) is the full member list in joined
        order: members no longer listed leave the story. An article belongs to at most
        one story, so listed articles leave any other story they were in. Members must
        already be stored (``add_articles``); an unknown id raises ``StoreError``.
        ``first_seen`` / ``last_seen``, when ``None``, are taken from the members'
        publication dates. The story's language is the most common member language.
        If ``story.id`` is an alias of a merged story, the surviving story is updated.
        """
        raise NotImplementedError

    def get_story(self, story_id: str) -> Story | None:
        """The story with this id, or the story it was merged into when it is an alias.

        The returned story has its current members (joined order) and its aliases.
        """
        raise NotImplementedError

    def resolve_story_id(self, story_id: str) -> str | None:
        """The surviving story id for ``story_id`` (itself when not an alias), or ``None``."""
        raise NotImplementedError

    def story_for_article(self, article_id: str) -> str | None:
        """The id of the story the article belongs to, or ``None``."""
        raise NotImplementedError

    def list_stories(
        self,
        limit: int | None = 50,
        offset: int = 0,
        since: TimeLike | None = None,
        until: TimeLike | None = None,
        language: str | None = None,
    ) -> list[Story]:
        """Stories, most recently seen first (then by id), for paging.

        ``since`` / ``until``: stories whose time span ``[first_seen, last_seen]`` overlaps
        that window (date-only values count as midnight UTC). ``language``: ISO 639-1 code
        of the story's most common member language. ``limit=None`` means no limit.
        """
        raise NotImplementedError

    def count_stories(
        self,
        since: TimeLike | None = None,
        until: TimeLike | None = None,
        language: str | None = None,
    ) -> int:
        """How many stories ``list_stories`` would give with these filters and no limit."""
        raise NotImplementedError

    def story_articles(self, story_id: str) -> list[Article]:
        """The member articles of a story (alias resolved), in joined order."""
        raise NotImplementedError

    def merge_stories(self, keep_id: str, gone_id: str) -> str:
        """Merge two stories into one and return the surviving id.

        The OLDER story survives (earlier ``first_seen``; ``keep_id`` when equal or
        unknown), so published links stay stable. The other one's members join the
        survivor after its own, its aliases move over, it becomes an alias of the
        survivor, and its draft is deleted (the survivor's signature changed, so the
        pipeline rewrites it). Merging two ids that already resolve to one story is a no-op.
        """
        raise NotImplementedError

    def delete_story(self, story_id: str) -> None:
        """Remove a story (alias resolved), its membership, aliases and draft."""
        raise NotImplementedError

    def story_signature(self, story_id: str) -> str | None:
        """The signature of the story's current members (see ``records.story_signature``)."""
        raise NotImplementedError

    def stories_needing_draft(self) -> list[str]:
        """Ids of stories with no draft, or whose draft was written for other members."""
        raise NotImplementedError

    # -- opaque state (for the incremental clusterer and others) ---------------------------

    def set_state(self, key: str, value: bytes | str) -> None:
        """Keep ``value`` under ``key`` (replacing it); bytes come back as bytes, str as str."""
        raise NotImplementedError

    def get_state(self, key: str) -> bytes | str | None:
        """The value kept under ``key``, or ``None``."""
        raise NotImplementedError

    def delete_state(self, key: str) -> None:
        """Forget ``key`` (no error when absent)."""
        raise NotImplementedError

    # -- drafts ----------------------------------------------------------------------------

    def save_draft(self, draft: Draft, status: str, story_signature: str) -> None:
        """Create or replace the draft of ``draft.story_id``.

        ``status`` is ``"published"`` or ``"held"`` (anything else raises ``StoreError``);
        ``story_signature`` is ``records.story_signature(member ids)`` of the story as it
        was written, so a later change of members shows as a different signature.
        """
        raise NotImplementedError

    def get_draft(self, story_id: str) -> StoredDraft | None:
        """The stored draft of a story (alias resolved), with status and signature."""
        raise NotImplementedError

    def list_drafts(
        self,
        status: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        language: str | None = None,
    ) -> list[StoredDraft]:
        """Stored drafts, most recently saved first (then by story id)."""
        raise NotImplementedError

    # -- runs and failures -----------------------------------------------------------------

    def start_run(self, run_id: str | None = None) -> str:
        """Record a run as started and return its id (a new one when ``None``).

        Starting a run id that exists (a restarted run) keeps its first start time.
        """
        raise NotImplementedError

    def finish_run(
        self, run_id: str, status: str = "ok", stats: dict[str, Any] | None = None
    ) -> None:
        """Record how a run ended and its counts."""
        raise NotImplementedError

    def get_run(self, run_id: str) -> RunRecord | None:
        """The run with this id, or ``None``."""
        raise NotImplementedError

    def list_runs(self, limit: int | None = 20) -> list[RunRecord]:
        """Runs, most recently started first."""
        raise NotImplementedError

    def record_failure(
        self, source: str, stage: str, reason: str, run_id: str | None = None
    ) -> None:
        """Record that ``source`` failed at ``stage`` (extract, cluster, write, ...) and why.

        Keyed by ``(run_id, source, stage)``: recording it again replaces the reason.
        ``run_id=None`` records it outside any run (stored as ``""``).
        """
        raise NotImplementedError

    def list_failures(self, run_id: str | None = None) -> list[Failure]:
        """Failures of one run, or of all runs when ``run_id`` is ``None``, oldest first."""
        raise NotImplementedError


def open_store(url_or_path: str | None = None, **kwargs: Any) -> Store:
    """Open the store at a URL or path; ``None`` means ``$NEWSDESK_STORE`` or ``./newsdesk.db``."""
    raise NotImplementedError
