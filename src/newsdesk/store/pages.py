"""Pages the pipeline has seen (what happened to each) and the HTTP validators of fetched URLs."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import sqlalchemy as sa

from newsdesk.model import Page, canonical_url
from newsdesk.store import schema as t
from newsdesk.store.database import Database, chunks
from newsdesk.store.records import HttpCacheEntry, PageState
from newsdesk.store.times import now_iso, to_utc_iso

# What a PageState holds, in its order.
_STATE_COLUMNS = (
    t.pages.c.status,
    t.pages.c.etag,
    t.pages.c.last_modified,
    t.pages.c.content_hash,
    t.pages.c.article_id,
)


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _url_key(text: str | None) -> str | None:
    if not text:
        return None
    if re.match(r"^https?://", text, re.I):
        return canonical_url(text)
    return text


class PageStore(Database):
    """Pages and HTTP cache: ``add_page``, ``get_page_state(s)``, ``set_http_cache``,
    ``get_http_cache``."""

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
        self.add_pages([(page, status, reason, article_id)])

    def add_pages(self, entries: Iterable[tuple[Page, str, str | None, str | None]]) -> None:
        """``add_page`` for many pages, ``(page, status, reason, article_id)`` each, in one
        statement; a page listed twice keeps its last entry."""
        rows: dict[str, dict[str, object]] = {}
        for page, status, reason, article_id in entries:
            rows[page.source] = {
                "source": page.source,
                "url": page.url,
                "url_key": _url_key(page.url) or _url_key(page.source),
                "status": status,
                "reason": reason,
                "article_id": article_id,
                "content_hash": hashlib.sha1(page.content).hexdigest(),
                "content_type": page.content_type,
                "etag": _header(page.headers, "etag"),
                "last_modified": _header(page.headers, "last-modified"),
                "fetched_at": to_utc_iso(page.fetched_at) if page.fetched_at else None,
                "updated_at": now_iso(),
            }
        if not rows:
            return
        update = [c for c in next(iter(rows.values())) if c != "source"]
        with self._begin(write=True) as conn:
            self._upsert(conn, t.pages, list(rows.values()), ["source"], update)

    def set_page_etags(self, etags: dict[str, str]) -> None:
        """Record new validators for pages already recorded, by source (a file touched but
        not changed: its bytes are the same, its modification time is not)."""
        if not etags:
            return
        rows = [{"key": source, "etag": etag} for source, etag in etags.items()]
        stmt = (
            sa.update(t.pages)
            .where(t.pages.c.source == sa.bindparam("key"))
            .values(etag=sa.bindparam("etag"))
        )
        with self._begin(write=True) as conn:
            conn.execute(stmt, rows)

    def get_page_state(self, source_or_url: str) -> PageState | None:
        """The state of a page already recorded, looked up by its source, else by its URL.

        ``None`` when the page was never recorded. Incremental runs skip pages whose
        state is done and whose content hash is unchanged.
        """
        cols = _STATE_COLUMNS
        with self._begin() as conn:
            row = conn.execute(sa.select(*cols).where(t.pages.c.source == source_or_url)).first()
            if row is None:
                key = _url_key(source_or_url)
                row = conn.execute(
                    sa.select(*cols)
                    .where(t.pages.c.url_key == key)
                    .order_by(t.pages.c.updated_at.desc())
                    .limit(1)
                ).first()
        return PageState(*row) if row is not None else None

    def get_page_states(
        self, sources: Iterable[str], *, by_url: bool = False
    ) -> dict[str, PageState]:
        """The states of the pages recorded under these sources (exactly), in a few queries:
        what an incremental run checks for every page it reads. Sources never recorded are
        left out; with ``by_url``, a source not recorded as such is looked up by its URL
        as ``get_page_state`` does (the page last recorded under that URL)."""
        wanted = list(dict.fromkeys(sources))
        found: dict[str, PageState] = {}
        cols = [t.pages.c.source, *_STATE_COLUMNS]
        with self._begin() as conn:
            for part in chunks(wanted):
                for row in conn.execute(sa.select(*cols).where(t.pages.c.source.in_(part))):
                    found[row[0]] = PageState(*row[1:])
            if by_url:
                keys = {source: _url_key(source) for source in wanted if source not in found}
                latest = self._latest_by_url(conn, {key for key in keys.values() if key})
                found.update((s, latest[key]) for s, key in keys.items() if key in latest)
        return found

    @staticmethod
    def _latest_by_url(conn: sa.Connection, keys: set[str]) -> dict[str, PageState]:
        """The state of the page last recorded under each URL key."""
        latest: dict[str, tuple[str, PageState]] = {}
        cols = [t.pages.c.url_key, t.pages.c.updated_at, *_STATE_COLUMNS]
        for part in chunks(sorted(keys)):
            for row in conn.execute(sa.select(*cols).where(t.pages.c.url_key.in_(part))):
                if row[0] not in latest or row[1] > latest[row[0]][0]:
                    latest[row[0]] = (row[1], PageState(*row[2:]))
        return {key: state for key, (_, state) in latest.items()}

    def set_http_cache(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators a server sent for ``url`` (a feed, sitemap or page)."""
        row = {"url": url, "etag": etag, "last_modified": last_modified, "updated_at": now_iso()}
        with self._begin(write=True) as conn:
            self._upsert(
                conn, t.http_cache, [row], ["url"], ["etag", "last_modified", "updated_at"]
            )

    def get_http_cache(self, url: str) -> HttpCacheEntry | None:
        """``(etag, last_modified)`` last remembered for ``url``, or ``None``."""
        with self._begin() as conn:
            row = conn.execute(
                sa.select(t.http_cache.c.etag, t.http_cache.c.last_modified).where(
                    t.http_cache.c.url == url
                )
            ).first()
        return HttpCacheEntry(*row) if row is not None else None
