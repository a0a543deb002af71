"""A canonical dump of a store: what two runs must agree on, timestamps and run ids left out."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa

from newsdesk.pipeline.run import SITE_STATE
from newsdesk.store import Store
from newsdesk.store import schema as t

_TIMES = {"written_at", "updated_at", "fetched_at", "added_at", "at", "checked_at"}


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _TIMES}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def canonical_dump(store: Store) -> dict[str, Any]:
    """Pages with status, articles, stories with members and aliases, drafts, failures,
    HTTP validators and the kept state (the clusterer's, as a hash; not a site's mark)."""
    with store.engine.connect() as conn:
        pages = sorted(
            (r.source, r.url, r.status, r.reason, r.article_id, r.content_hash)
            for r in conn.execute(sa.select(t.pages))
        )
        articles = {r.id: _strip(r.data) for r in conn.execute(sa.select(t.articles))}
        members: dict[str, list[tuple[int, str]]] = {}
        for r in conn.execute(sa.select(t.story_articles)):
            members.setdefault(r.story_id, []).append((r.position, r.article_id))
        stories = {
            r.id: {
                "headline": r.headline,
                "first_seen": r.first_seen,
                "last_seen": r.last_seen,
                "language": r.language,
                "members": sorted(members.get(r.id, [])),
            }
            for r in conn.execute(sa.select(t.stories))
        }
        aliases = sorted((r.alias_id, r.story_id) for r in conn.execute(sa.select(t.story_aliases)))
        drafts = {
            r.story_id: {"status": r.status, "signature": r.signature, "data": _strip(r.data)}
            for r in conn.execute(sa.select(t.drafts))
        }
        failures = sorted(
            {(r.source, r.stage, r.reason) for r in conn.execute(sa.select(t.failures))}
        )
        http_cache = sorted(
            (r.url, r.etag, r.last_modified) for r in conn.execute(sa.select(t.http_cache))
        )
        # The mark of a published site names its folder and the times it was made from.
        state = {
            r.key: hashlib.sha1(bytes(r.value)).hexdigest()
            for r in conn.execute(sa.select(t.state))
            if not r.key.startswith(f"{SITE_STATE}:")
        }
    return {
        "pages": pages,
        "articles": articles,
        "stories": stories,
        "aliases": aliases,
        "drafts": drafts,
        "failures": failures,
        "http_cache": http_cache,
        "state": state,
    }
