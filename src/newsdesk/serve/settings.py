"""Settings of the web server, read from the environment (NEWSDESK_*) with safe defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from newsdesk.config import MAX_PAGE_BYTES


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    try:
        return int(env.get(name, default))
    except ValueError:
        return default


def _default_extractions() -> int:
    # Extraction is CPU work: about one at a time per core, a few at most.
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class ServeSettings:
    """What ``create_app`` needs besides the store.

    ``ingest_token``: the bearer token ``POST /api/ingest`` (and ``GET /api/runs``) demands;
    ``None`` disables them.
    ``extract_token``: the bearer token ``POST /api/extract`` demands; ``None`` means the
    ingest token. With neither, or with ``extract_public``, extraction is open to anyone.
    ``max_extractions``: pages extracted at once (by /api/extract and /api/ingest); a
    request finding them all busy gets 503 with Retry-After instead of waiting in a queue.
    ``max_body_bytes``: bodies larger than this are refused with 413 before parsing.
    """

    ingest_token: str | None = None
    extract_token: str | None = None
    extract_public: bool = False
    max_extractions: int = field(default_factory=_default_extractions)
    max_body_bytes: int = MAX_PAGE_BYTES
    site_title: str = "newsdesk"
    page_size: int = 20
    max_page_size: int = 200
    feed_limit: int = 50

    def __post_init__(self) -> None:
        if self.max_extractions < 1:
            raise ValueError(f"max_extractions must be at least 1, not {self.max_extractions}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServeSettings:
        env = os.environ if env is None else env
        return cls(
            ingest_token=(env.get("NEWSDESK_INGEST_TOKEN") or "").strip() or None,
            extract_token=(env.get("NEWSDESK_EXTRACT_TOKEN") or "").strip() or None,
            extract_public=env.get("NEWSDESK_EXTRACT_PUBLIC", "").strip().lower()
            in ("1", "true", "yes"),
            max_extractions=max(1, _int(env, "NEWSDESK_MAX_EXTRACTIONS", _default_extractions())),
            max_body_bytes=_int(env, "NEWSDESK_MAX_PAGE_BYTES", MAX_PAGE_BYTES),
            site_title=env.get("NEWSDESK_SITE_TITLE") or "newsdesk",
            feed_limit=_int(env, "NEWSDESK_FEED_LIMIT", 50),
        )

    @property
    def required_extract_token(self) -> str | None:
        """The token ``POST /api/extract`` demands, or ``None`` when it is open."""
        if self.extract_public:
            return None
        return self.extract_token or self.ingest_token
