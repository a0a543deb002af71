"""Settings of the web server: its part of ``newsdesk.settings`` and the page-size knobs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from newsdesk import settings as newsdesk_settings
from newsdesk.settings import LimitSettings, ServeEnv, Settings


def _default_extractions() -> int:
    return ServeEnv().max_extractions


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
    max_body_bytes: int = field(default_factory=lambda: newsdesk_settings.MAX_PAGE_BYTES)
    site_title: str = "newsdesk"
    page_size: int = 20
    max_page_size: int = 200
    feed_limit: int = 50

    def __post_init__(self) -> None:
        if self.max_extractions < 1:
            raise ValueError(f"max_extractions must be at least 1, not {self.max_extractions}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServeSettings:
        """The server's settings from ``env`` (default: this process's environment)."""
        read = Settings.from_env(env)
        return cls.from_settings(read.serve, read.limits)

    @classmethod
    def from_settings(cls, serve: ServeEnv, limits: LimitSettings) -> ServeSettings:
        return cls(
            ingest_token=serve.ingest_token,
            extract_token=serve.extract_token,
            extract_public=serve.extract_public,
            max_extractions=serve.max_extractions,
            max_body_bytes=limits.max_page_bytes,
            site_title=serve.site_title,
            feed_limit=serve.feed_limit,
        )

    @property
    def required_extract_token(self) -> str | None:
        """The token ``POST /api/extract`` demands, or ``None`` when it is open."""
        if self.extract_public:
            return None
        return self.extract_token or self.ingest_token
