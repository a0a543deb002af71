"""Small read-only records the store hands back, besides the model's own nouns.

Kept apart from ``newsdesk.model`` because they describe bookkeeping (page states,
HTTP cache entries, stored drafts with their status, failures, runs), not news.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from newsdesk.model import Draft

DraftStatus = Literal["published", "held"]
DRAFT_STATUSES: tuple[str, ...] = ("published", "held")


def story_signature(article_ids: Iterable[str]) -> str:
    """A story's signature: sha1 of its sorted, de-duplicated member article ids.

    Saved with each draft, so the pipeline can tell that a story gained or lost
    articles since it was written (signature differs) and needs a rewrite.
    """
    joined = "\n".join(sorted(set(article_ids)))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()


class PageState(NamedTuple):
    """What the store knows about a page already handled (for incremental runs)."""

    status: str  # e.g. "extracted", "failed", "skipped", "duplicate"
    etag: str | None
    last_modified: str | None
    content_hash: str | None  # sha1 hex of the page's bytes
    article_id: str | None


class HttpCacheEntry(NamedTuple):
    """The validators a server sent for a URL (feed or page), for conditional GETs."""

    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class StoredDraft:
    """A draft as the store keeps it: the draft, its status and the story signature it was written for."""

    draft: Draft
    status: str  # "published" | "held"
    story_signature: str
    updated_at: str  # ISO 8601 UTC, when it was last saved

    @property
    def story_id(self) -> str:
        return self.draft.story_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "draft": self.draft.to_dict(),
            "status": self.status,
            "story_signature": self.story_signature,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class Failure:
    """One item that failed at one stage of one run."""

    run_id: str  # "" when recorded outside a run
    source: str
    stage: str
    reason: str
    at: str  # ISO 8601 UTC

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "source": self.source,
            "stage": self.stage,
            "reason": self.reason,
            "at": self.at,
        }


@dataclass(frozen=True)
class RunRecord:
    """One pipeline run: when it started and ended, how it ended, its counts."""

    id: str
    started_at: str
    finished_at: str | None
    # "running" | "ok" | "failed" | "interrupted" (its process died: see Store.start_run)
    # | anything the pipeline chooses
    status: str
    stats: dict[str, Any]
    host: str | None = None  # the process that ran it last (None before the store kept it)
    pid: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "stats": dict(self.stats),
            "host": self.host,
            "pid": self.pid,
        }
