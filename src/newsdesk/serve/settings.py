"""Settings of the web server, read from the environment (NEWSDESK_*) with safe defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from newsdesk.config import MAX_PAGE_BYTES


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    try:
        return int(env.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class ServeSettings:
    """What ``create_app`` needs besides the store.

    ``ingest_token``: the bearer token ``POST /api/ingest`` demands; ``None`` disables ingest.
    ``max_body_bytes``: bodies larger than this are refused with 413 before parsing.
    """

    ingest_token: str | None = None
    max_body_bytes: int = MAX_PAGE_BYTES
    site_title: str = "newsdesk"
    page_size: int = 20
    max_page_size: int = 200
    feed_limit: int = 50

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServeSettings:
        env = os.environ if env is None else env
        return cls(
            ingest_token=(env.get("NEWSDESK_INGEST_TOKEN") or "").strip() or None,
            max_body_bytes=_int(env, "NEWSDESK_MAX_PAGE_BYTES", MAX_PAGE_BYTES),
            site_title=env.get("NEWSDESK_SITE_TITLE") or "newsdesk",
            feed_limit=_int(env, "NEWSDESK_FEED_LIMIT", 50),
        )
