"""Drafts: the one stored draft per story, its status (published / held) and the member
signature it was written for."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from newsdesk.model import Draft
from newsdesk.store import schema as t
from newsdesk.store.database import Database, chunks
from newsdesk.store.errors import StoreError
from newsdesk.store.records import DRAFT_STATUSES, StoredDraft
from newsdesk.store.stories import resolve as resolve_story
from newsdesk.store.stories import resolve_all
from newsdesk.store.times import now_iso


class DraftStore(Database):
    """Drafts: ``save_draft`` (``save_drafts``), ``get_draft`` / ``get_drafts`` (->
    ``StoredDraft``), ``list_drafts``."""

    def save_draft(self, draft: Draft, status: str, story_signature: str) -> None:
        """Create or replace the draft of ``draft.story_id``.

        ``status`` is ``"published"`` or ``"held"`` (anything else raises ``StoreError``);
        ``story_signature`` is ``records.story_signature(member ids)`` of the story as it
        was written, so a later change of members shows as a different signature. A draft
        for an alias id is kept under (and rewritten to) the surviving story's id.
        """
        self.save_drafts([(draft, status, story_signature)])

    def save_drafts(self, drafts: Iterable[tuple[Draft, str, str]]) -> None:
        """``save_draft`` of each ``(draft, status, story_signature)`` in turn, their story
        ids resolved and their rows written a statement each (a batch of a run's drafts)."""
        drafts = list(drafts)
        for _, status, _ in drafts:
            if status not in DRAFT_STATUSES:
                raise StoreError(f"draft status must be one of {DRAFT_STATUSES}, not {status!r}")
        if not drafts:
            return
        with self._begin(write=True) as conn:
            resolved = resolve_all(conn, [draft.story_id for draft, _, _ in drafts])
            rows: dict[str, dict[str, Any]] = {}  # by story: a later draft replaces an earlier
            for draft, status, signature in drafts:
                story_id = resolved.get(draft.story_id, draft.story_id)
                if story_id != draft.story_id:
                    draft = dataclasses.replace(draft, story_id=story_id)
                rows.pop(story_id, None)
                rows[story_id] = {
                    "story_id": story_id,
                    "status": status,
                    "signature": signature,
                    "headline": draft.headline,
                    "language": draft.language,
                    "writer": draft.writer,
                    "written_at": draft.written_at,
                    "data": draft.to_dict(),
                    "updated_at": now_iso(),
                }
            columns = [c for c in next(iter(rows.values())) if c != "story_id"]
            self._upsert(conn, t.drafts, list(rows.values()), ["story_id"], columns)

    @staticmethod
    def _stored_draft(row: Any) -> StoredDraft:
        return StoredDraft(
            draft=Draft.from_dict(row.data),
            status=row.status,
            story_signature=row.signature,
            updated_at=row.updated_at,
        )

    def get_draft(self, story_id: str) -> StoredDraft | None:
        """The stored draft of a story (alias resolved), with status and signature."""
        with self._begin() as conn:
            resolved = resolve_story(conn, story_id) or story_id
            row = conn.execute(sa.select(t.drafts).where(t.drafts.c.story_id == resolved)).first()
        return self._stored_draft(row) if row is not None else None

    def get_drafts(self, story_ids: Iterable[str]) -> dict[str, StoredDraft]:
        """The stored drafts of these stories, by the id asked (aliases resolved; none: absent)."""
        asked = list(dict.fromkeys(story_ids))
        found: dict[str, StoredDraft] = {}
        with self._begin() as conn:
            alias_of: dict[str, str] = {}
            al = t.story_aliases.c
            for chunk in chunks(asked):
                for row in conn.execute(
                    sa.select(al.alias_id, al.story_id).where(al.alias_id.in_(chunk))
                ):
                    alias_of[row.alias_id] = row.story_id
            resolved = {i: alias_of.get(i, i) for i in asked}
            targets = sorted(set(resolved.values()))
            by_story: dict[str, StoredDraft] = {}
            for chunk in chunks(targets):
                for row in conn.execute(sa.select(t.drafts).where(t.drafts.c.story_id.in_(chunk))):
                    by_story[row.story_id] = self._stored_draft(row)
        for asked_id, target in resolved.items():
            if target in by_story:
                found[asked_id] = by_story[target]
        return found

    def list_drafts(
        self,
        status: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        language: str | None = None,
    ) -> list[StoredDraft]:
        """Stored drafts, most recently saved first (then by story id)."""
        c = t.drafts.c
        query = sa.select(t.drafts).order_by(c.updated_at.desc(), c.story_id).offset(max(0, offset))
        if status is not None:
            query = query.where(c.status == status)
        if language is not None:
            query = query.where(c.language == language)
        if limit is not None:
            query = query.limit(max(0, limit))
        with self._begin() as conn:
            return [self._stored_draft(r) for r in conn.execute(query)]
