"""Stories: membership (an article in at most one story), aliases left by merges, listing by
time and language, which stories need a draft; and the clusterer's saved state."""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from newsdesk.model import Article, Story
from newsdesk.store import schema as t
from newsdesk.store.articles import article_from_row
from newsdesk.store.database import Database, TimeLike, chunks, since_value
from newsdesk.store.errors import StoreError
from newsdesk.store.records import story_signature
from newsdesk.store.times import now_iso, to_utc_iso


def resolve(conn: sa.Connection, story_id: str) -> str | None:
    """The surviving id of a story or alias, or ``None`` when it is neither."""
    target = conn.scalar(
        sa.select(t.story_aliases.c.story_id).where(t.story_aliases.c.alias_id == story_id)
    )
    if target is not None:
        return str(target)
    exists = conn.scalar(sa.select(t.stories.c.id).where(t.stories.c.id == story_id))
    return str(exists) if exists is not None else None


def resolve_all(conn: sa.Connection, story_ids: Sequence[str]) -> dict[str, str]:
    """``resolve`` of many ids at once: {id: surviving id} for those that are a story or an
    alias (the others left out)."""
    a, c = t.story_aliases.c, t.stories.c
    out: dict[str, str] = {}
    for chunk in chunks(list(dict.fromkeys(story_ids))):
        out.update(
            (row.alias_id, row.story_id)
            for row in conn.execute(sa.select(a.alias_id, a.story_id).where(a.alias_id.in_(chunk)))
        )
        stored = conn.scalars(sa.select(c.id).where(c.id.in_(chunk)))
        out.update((story_id, story_id) for story_id in stored if story_id not in out)
    return out


def _require_stored(story_id: str, members: Sequence[str], stored: Container[str]) -> None:
    missing = [a for a in members if a not in stored]
    if missing:
        raise StoreError(
            f"story {story_id}: {len(missing)} member article(s) are not stored "
            f"(add them first): {', '.join(missing[:5])}"
        )


def story_members(conn: sa.Connection, story_id: str) -> list[str]:
    """Member article ids of a story, in joined order."""
    c = t.story_articles.c
    return list(
        conn.scalars(
            sa.select(c.article_id).where(c.story_id == story_id).order_by(c.position, c.article_id)
        )
    )


def member_rows(conn: sa.Connection, article_ids: Sequence[str]) -> list[Any]:
    """The stored articles among ``article_ids``: (id, published, published_utc, language)."""
    c = t.articles.c
    rows: list[Any] = []
    for chunk in chunks(list(article_ids)):
        rows.extend(
            conn.execute(
                sa.select(c.id, c.published, c.published_utc, c.language).where(c.id.in_(chunk))
            )
        )
    return rows


def span_and_language(
    conn: sa.Connection, article_ids: Sequence[str], rows: Sequence[Any] | None = None
) -> tuple[str | None, str | None, str | None]:
    """Earliest and latest publication time (as given) and most common language.
    ``rows``: the articles' ``member_rows`` when the caller read them already."""
    dated: list[tuple[str, str]] = []
    languages: Counter[str] = Counter()
    for row in member_rows(conn, article_ids) if rows is None else rows:
        if row.published_utc:
            dated.append((row.published_utc, row.published))
        if row.language:
            languages[row.language] += 1
    first = min(dated)[1] if dated else None
    last = max(dated)[1] if dated else None
    language = min(languages, key=lambda k: (-languages[k], k)) if languages else None
    return first, last, language


class StoryStore(Database):
    """Stories: ``save_story`` (``save_stories``), ``get_story`` (aliases resolved),
    ``resolve_story_id``, ``story_for_article``, ``list_stories``, ``count_stories``,
    ``story_articles``, ``merge_stories``, ``delete_story``, ``story_signature``,
    ``stories_needing_draft`` (``stories_needing_draft_signed``);
    clusterer state: ``set_state``, ``get_state``, ``delete_state``.
    """

    def _write_story_row(
        self,
        conn: sa.Connection,
        story_id: str,
        headline: str,
        first_seen: str | None,
        last_seen: str | None,
        member_ids: Sequence[str],
        rows: Sequence[Any] | None = None,
    ) -> None:
        row = self._story_row(
            story_id, headline, first_seen, last_seen, span_and_language(conn, member_ids, rows)
        )
        self._upsert(conn, t.stories, [row], ["id"], [c for c in row if c != "id"])

    @staticmethod
    def _story_row(
        story_id: str,
        headline: str,
        first_seen: str | None,
        last_seen: str | None,
        derived: tuple[str | None, str | None, str | None],
    ) -> dict[str, Any]:
        """A story's row: its span as given, else its members' (``span_and_language``)."""
        derived_first, derived_last, language = derived
        first_seen = first_seen or derived_first
        last_seen = last_seen or derived_last
        return {
            "id": story_id,
            "headline": headline,
            "first_seen": first_seen,
            "last_seen": last_seen,
            "first_seen_utc": to_utc_iso(first_seen),
            "last_seen_utc": to_utc_iso(last_seen),
            "language": language,
            "updated_at": now_iso(),
        }

    def _set_members(self, conn: sa.Connection, story_id: str, member_ids: Sequence[str]) -> None:
        self._set_all_members(conn, {story_id: list(member_ids)})

    def _absorb(self, conn: sa.Connection, survivor: str, gone: str) -> None:
        """Make ``gone`` an alias of ``survivor``: aliases move, its row and draft go."""
        conn.execute(
            sa.update(t.story_aliases)
            .where(t.story_aliases.c.story_id == gone)
            .values(story_id=survivor)
        )
        self._upsert(
            conn,
            t.story_aliases,
            [{"alias_id": gone, "story_id": survivor}],
            ["alias_id"],
            ["story_id"],
        )
        conn.execute(sa.delete(t.drafts).where(t.drafts.c.story_id == gone))
        conn.execute(sa.delete(t.stories).where(t.stories.c.id == gone))

    def save_story(self, story: Story, article_ids: Sequence[str] | None = None) -> str:
        """Create or replace a story and its membership; return the id it is stored under.

        ``article_ids`` (default ``story.article_ids``) is the full member list in joined
        order: members no longer listed leave the story. An article belongs to at most
        one story, so listed articles leave any other story they were in. Members must
        already be stored (``add_articles``); an unknown id raises ``StoreError``.
        ``first_seen`` / ``last_seen``, when ``None``, are taken from the members'
        publication dates. The story's language is the most common member language.
        If ``story.id`` is an alias of a merged story, the surviving story is updated.
        Ids in ``story.aliases`` become aliases of this story (a stored story with such
        an id is folded into this one, as by ``merge_stories``, but this story survives).
        """
        members = list(dict.fromkeys(story.article_ids if article_ids is None else article_ids))
        with self._begin(write=True) as conn:
            rows = member_rows(conn, members)  # read once: which are stored, and their span
            known = {row.id for row in rows}
            _require_stored(story.id, members, known)
            story_id = resolve(conn, story.id) or story.id
            self._write_story_row(
                conn, story_id, story.headline, story.first_seen, story.last_seen, members, rows
            )
            self._set_members(conn, story_id, members)
            for alias in dict.fromkeys(story.aliases):
                target = resolve(conn, alias)
                if alias == story_id or target == story_id:
                    continue
                if target == alias:  # a live story: its remaining members join this one
                    rest = [a for a in story_members(conn, alias) if a not in members]
                    members.extend(rest)
                    self._set_members(conn, story_id, members)
                self._absorb(conn, story_id, alias)
            return story_id

    def save_stories(self, stories: Sequence[Story]) -> list[str]:
        """``save_story`` of each story in turn, in one transaction and with far fewer
        statements: a run of stories without aliases whose member lists share no article
        (a clusterer's batch of changed stories) has its members, ids, rows and
        memberships read and written a statement each, where ``save_story`` needs half a
        dozen a story. The stored result is the same. A story with aliases is saved alone,
        in its turn. Returns the ids the stories are stored under, in order."""
        ids: list[str] = []
        with self.transaction():
            run: list[Story] = []
            for story in stories:
                if story.aliases:
                    ids.extend(self._save_run(run))
                    run = []
                    ids.append(self.save_story(story))
                else:
                    run.append(story)
            ids.extend(self._save_run(run))
        return ids

    def _save_run(self, stories: Sequence[Story]) -> list[str]:
        """``save_story`` of stories without aliases, together (see ``save_stories``)."""
        if len(stories) < 2:
            return [self.save_story(story) for story in stories]
        member_lists = [list(dict.fromkeys(story.article_ids)) for story in stories]
        listed = [a for members in member_lists for a in members]
        if len(set(listed)) < len(listed):  # an article two of them list: one at a time
            return [self.save_story(story) for story in stories]
        with self._begin(write=True) as conn:
            rows = {row.id: row for row in member_rows(conn, listed)}
            for story, members in zip(stories, member_lists, strict=True):
                _require_stored(story.id, members, rows)
            resolved = resolve_all(conn, [story.id for story in stories])
            story_ids = [resolved.get(story.id) or story.id for story in stories]
            if len(set(story_ids)) < len(story_ids):  # two ids of one stored story
                return [self.save_story(story) for story in stories]
            story_rows = [
                self._story_row(
                    story_id, story.headline, story.first_seen, story.last_seen,
                    span_and_language(conn, members, [rows[a] for a in members]),
                )
                for story, story_id, members in zip(stories, story_ids, member_lists, strict=True)
            ]  # fmt: skip
            self._upsert(
                conn, t.stories, story_rows, ["id"], [c for c in story_rows[0] if c != "id"]
            )
            self._set_all_members(conn, dict(zip(story_ids, member_lists, strict=True)))
        return story_ids

    def _set_all_members(self, conn: sa.Connection, members_of: dict[str, list[str]]) -> None:
        """The member lists of stories that share no article: members no longer listed
        leave, listed articles leave the other stories they were in (whose languages are
        worked out again), and each list's order is kept."""
        c = t.story_articles.c
        story_of = {a: story_id for story_id, members in members_of.items() for a in members}
        leaving: list[str] = []  # members no longer listed by their story
        for chunk in chunks(list(members_of)):
            for row in conn.execute(
                sa.select(c.story_id, c.article_id).where(c.story_id.in_(chunk))
            ):
                if story_of.get(row.article_id) != row.story_id:
                    leaving.append(row.article_id)
        for chunk in chunks(leaving):
            conn.execute(sa.delete(t.story_articles).where(c.article_id.in_(chunk)))
        losers: set[str] = set()  # other stories the listed articles leave
        for chunk in chunks(list(story_of)):
            losers.update(conn.scalars(sa.select(c.story_id).where(c.article_id.in_(chunk))))
        losers.difference_update(members_of)
        rows = [
            {"article_id": a, "story_id": story_id, "position": i}
            for story_id, members in members_of.items()
            for i, a in enumerate(members)
        ]
        # article_id is the key: an article listed here leaves whatever story it was in.
        self._upsert(conn, t.story_articles, rows, ["article_id"], ["story_id", "position"])
        for loser in sorted(losers):
            # Its language may have changed; its time span is left as it was given.
            _, _, language = span_and_language(conn, story_members(conn, loser))
            conn.execute(
                sa.update(t.stories).where(t.stories.c.id == loser).values(language=language)
            )

    def _stories(self, conn: sa.Connection, rows: Sequence[Any]) -> list[Story]:
        """Build Story objects for story rows, with members and aliases, in two queries."""
        ids = [r.id for r in rows]
        members: dict[str, list[str]] = {i: [] for i in ids}
        aliases: dict[str, list[str]] = {i: [] for i in ids}
        m, al = t.story_articles.c, t.story_aliases.c
        for chunk in chunks(ids):
            for row in conn.execute(
                sa.select(m.story_id, m.article_id)
                .where(m.story_id.in_(chunk))
                .order_by(m.story_id, m.position, m.article_id)
            ):
                members[row.story_id].append(row.article_id)
            for row in conn.execute(
                sa.select(al.story_id, al.alias_id)
                .where(al.story_id.in_(chunk))
                .order_by(al.story_id, al.alias_id)
            ):
                aliases[row.story_id].append(row.alias_id)
        return [
            Story(
                id=r.id,
                article_ids=tuple(members[r.id]),
                headline=r.headline,
                first_seen=r.first_seen,
                last_seen=r.last_seen,
                aliases=tuple(aliases[r.id]),
            )
            for r in rows
        ]

    def get_story(self, story_id: str) -> Story | None:
        """The story with this id, or the story it was merged into when it is an alias.

        The returned story has its current members (joined order) and its aliases.
        """
        with self._begin() as conn:
            resolved = resolve(conn, story_id)
            if resolved is None:
                return None
            row = conn.execute(sa.select(t.stories).where(t.stories.c.id == resolved)).first()
            return self._stories(conn, [row])[0] if row is not None else None

    def resolve_story_id(self, story_id: str) -> str | None:
        """The surviving story id for ``story_id`` (itself when not an alias), or ``None``."""
        with self._begin() as conn:
            return resolve(conn, story_id)

    def existing_story_ids(self, story_ids: Iterable[str]) -> set[str]:
        """Which of ``story_ids`` are stories in the store (aliases not resolved)."""
        return self._existing_ids(t.stories, story_ids)

    def story_for_article(self, article_id: str) -> str | None:
        """The id of the story the article belongs to, or ``None``."""
        c = t.story_articles.c
        with self._begin() as conn:
            return conn.scalar(sa.select(c.story_id).where(c.article_id == article_id))

    @staticmethod
    def _story_filters(
        since: TimeLike | None, until: TimeLike | None, language: str | None
    ) -> list[Any]:
        c = t.stories.c
        # A story all of whose articles moved to other stories has nothing to show.
        has_members = sa.exists().where(t.story_articles.c.story_id == c.id)
        where: list[Any] = [has_members]
        since_iso = since_value(since, "since")
        until_iso = since_value(until, "until")
        if since_iso is not None:
            where.append(c.last_seen_utc >= since_iso)
        if until_iso is not None:
            where.append(c.first_seen_utc <= until_iso)
        if language is not None:
            where.append(c.language == language)
        return where

    def list_stories(
        self,
        limit: int | None = 50,
        offset: int = 0,
        since: TimeLike | None = None,
        until: TimeLike | None = None,
        language: str | None = None,
    ) -> list[Story]:
        """Stories, most recently seen first (undated last, then by id), for paging.

        ``since`` / ``until``: stories whose time span ``[first_seen, last_seen]`` overlaps
        that window (date-only values count as midnight UTC; undated stories are left out
        when a window is given). ``language``: ISO 639-1 code of the story's most common
        member language. ``limit=None`` means no limit.
        """
        c = t.stories.c
        query = (
            sa.select(t.stories)
            .where(*self._story_filters(since, until, language))
            .order_by(c.last_seen_utc.desc().nulls_last(), c.id)
            .offset(max(0, offset))
        )
        if limit is not None:
            query = query.limit(max(0, limit))
        with self._begin() as conn:
            return self._stories(conn, conn.execute(query).all())

    def count_stories(
        self,
        since: TimeLike | None = None,
        until: TimeLike | None = None,
        language: str | None = None,
    ) -> int:
        """How many stories ``list_stories`` would give with these filters and no limit."""
        query = (
            sa.select(sa.func.count())
            .select_from(t.stories)
            .where(*self._story_filters(since, until, language))
        )
        with self._begin() as conn:
            return int(conn.scalar(query) or 0)

    def story_articles(self, story_id: str) -> list[Article]:
        """The member articles of a story (alias resolved), in joined order."""
        with self._begin() as conn:
            resolved = resolve(conn, story_id)
            if resolved is None:
                return []
            m, a = t.story_articles.c, t.articles.c
            rows = conn.execute(
                sa.select(a.data)
                .join(t.story_articles, m.article_id == a.id)
                .where(m.story_id == resolved)
                .order_by(m.position, m.article_id)
            ).all()
        return [article_from_row(r.data) for r in rows]

    def merge_stories(self, keep_id: str, gone_id: str) -> str:
        """Merge two stories into one and return the surviving id.

        The OLDER story survives (earlier ``first_seen``; ``keep_id`` when equal or
        unknown), so published links stay stable. The other one's members join the
        survivor after its own, its aliases move over, it becomes an alias of the
        survivor, and its draft is deleted (the survivor's signature changed, so the
        pipeline rewrites it). Merging two ids that already resolve to one story is a no-op.
        Either id may be an alias; an id that is no story raises ``StoreError``.
        """
        with self._begin(write=True) as conn:
            keep = resolve(conn, keep_id)
            gone = resolve(conn, gone_id)
            for asked, found in ((keep_id, keep), (gone_id, gone)):
                if found is None:
                    raise StoreError(f"cannot merge: no story {asked!r}")
            assert keep is not None and gone is not None
            if keep == gone:
                return keep
            rows = {
                r.id: r
                for r in conn.execute(sa.select(t.stories).where(t.stories.c.id.in_([keep, gone])))
            }
            k, g = rows[keep], rows[gone]
            if k.first_seen_utc and g.first_seen_utc and g.first_seen_utc < k.first_seen_utc:
                keep, gone, k, g = gone, keep, g, k
            members = story_members(conn, keep)
            members += [a for a in story_members(conn, gone) if a not in members]
            spans = [(s.first_seen_utc, s.first_seen) for s in (k, g) if s.first_seen_utc]
            ends = [(s.last_seen_utc, s.last_seen) for s in (k, g) if s.last_seen_utc]
            self._set_members(conn, keep, members)
            self._write_story_row(
                conn,
                keep,
                k.headline or g.headline,
                min(spans)[1] if spans else None,
                max(ends)[1] if ends else None,
                members,
            )
            self._absorb(conn, keep, gone)
            return keep

    def delete_story(self, story_id: str) -> None:
        """Remove a story (alias resolved), its membership, aliases and draft."""
        with self._begin(write=True) as conn:
            resolved = resolve(conn, story_id)
            if resolved is None:
                return
            conn.execute(sa.delete(t.drafts).where(t.drafts.c.story_id == resolved))
            conn.execute(sa.delete(t.story_aliases).where(t.story_aliases.c.story_id == resolved))
            conn.execute(sa.delete(t.story_articles).where(t.story_articles.c.story_id == resolved))
            conn.execute(sa.delete(t.stories).where(t.stories.c.id == resolved))

    def story_signature(self, story_id: str) -> str | None:
        """The signature of the story's current members (see ``records.story_signature``)."""
        with self._begin() as conn:
            resolved = resolve(conn, story_id)
            return story_signature(story_members(conn, resolved)) if resolved else None

    def stories_needing_draft(self) -> list[str]:
        """Ids of stories with members and no draft, or a draft written for other members."""
        return list(self.stories_needing_draft_signed())

    def stories_needing_draft_signed(self) -> dict[str, str]:
        """``stories_needing_draft`` with the signature of each story's members now."""
        members: dict[str, list[str]] = {}
        m = t.story_articles.c
        with self._begin() as conn:
            for sid in conn.scalars(sa.select(t.stories.c.id).order_by(t.stories.c.id)):
                members[sid] = []
            for row in conn.execute(sa.select(m.story_id, m.article_id)):
                members[row.story_id].append(row.article_id)
            signed = {
                row.story_id: row.signature
                for row in conn.execute(sa.select(t.drafts.c.story_id, t.drafts.c.signature))
            }
        now = {sid: story_signature(ids) for sid, ids in members.items() if ids}
        return {sid: sign for sid, sign in now.items() if signed.get(sid) != sign}

    # -- opaque state (for the incremental clusterer and others) ---------------------------

    def set_state(self, key: str, value: bytes | str) -> None:
        """Keep ``value`` under ``key`` (replacing it); bytes come back as bytes, str as str."""
        if isinstance(value, str):
            raw, is_text = value.encode("utf-8"), True
        elif isinstance(value, bytes | bytearray | memoryview):
            raw, is_text = bytes(value), False
        else:
            raise StoreError(
                f"state {key!r}: value must be bytes or str, not {type(value).__name__}"
            )
        row = {"key": key, "value": raw, "is_text": is_text, "updated_at": now_iso()}
        with self._begin(write=True) as conn:
            self._upsert(conn, t.state, [row], ["key"], ["value", "is_text", "updated_at"])

    def get_state(self, key: str) -> bytes | str | None:
        """The value kept under ``key``, or ``None``."""
        with self._begin() as conn:
            row = conn.execute(
                sa.select(t.state.c.value, t.state.c.is_text).where(t.state.c.key == key)
            ).first()
        if row is None:
            return None
        raw = bytes(row.value)
        return raw.decode("utf-8") if row.is_text else raw

    def delete_state(self, key: str) -> None:
        """Forget ``key`` (no error when absent)."""
        with self._begin(write=True) as conn:
            conn.execute(sa.delete(t.state).where(t.state.c.key == key))
