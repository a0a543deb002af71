"""Articles: stored once per ``Article.id``, read back by id, in pages, or as not yet clustered."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from newsdesk.model import Article
from newsdesk.store import schema as t
from newsdesk.store.database import CHUNK, Database, TimeLike, chunks, since_value
from newsdesk.store.times import now_iso, to_utc_iso


def article_from_row(data: dict[str, Any]) -> Article:
    return Article.from_dict(data)


class ArticleStore(Database):
    """Articles: ``add_articles``, ``add_article``, ``existing_article_ids``, ``get_article``,
    ``get_articles``, ``iter_articles``, ``count_articles``, ``unclustered_article_ids``."""

    @staticmethod
    def _article_row(article: Article, added_at: str) -> dict[str, Any]:
        data = article.to_dict()
        del data["text"]  # derived from the paragraphs
        return {
            "id": article.id,
            "url": article.url,
            "title": article.title,
            "site_name": article.site_name,
            "language": article.language,
            "published": article.published_iso,
            "published_utc": to_utc_iso(article.published),
            "data": data,
            "added_at": added_at,
            "access": article.access,
        }

    def add_articles(self, articles: Iterable[Article], *, replace: bool = False) -> int:
        """Store articles; return how many were new. One transaction for the whole batch.

        Idempotent on ``Article.id``: an article already stored is left as it is (writing
        it again changes nothing), unless ``replace`` is true, which overwrites its fields
        (but keeps the time it was first added).
        """
        unique: dict[str, Article] = {}
        for article in articles:
            unique.setdefault(article.id, article)
        if not unique:
            return 0
        added_at = now_iso()
        ids = list(unique)
        with self._begin(write=True) as conn:
            existing: set[str] = set()
            for chunk in chunks(ids):
                existing.update(
                    conn.scalars(sa.select(t.articles.c.id).where(t.articles.c.id.in_(chunk)))
                )
            # ON CONFLICT still guards rows that another writer adds meanwhile.
            chosen = ids if replace else [i for i in ids if i not in existing]
            rows = [self._article_row(unique[i], added_at) for i in chosen]
            update = [c for c in rows[0] if c not in ("id", "added_at")] if replace else None
            self._upsert(conn, t.articles, rows, ["id"], update)
        return len(ids) - len(existing)

    def existing_article_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of ``article_ids`` are stored."""
        return self._existing_ids(t.articles, article_ids)

    def add_article(self, article: Article, *, replace: bool = False) -> bool:
        """Store one article; ``True`` when it was new."""
        return self.add_articles([article], replace=replace) == 1

    def get_article(self, article_id: str) -> Article | None:
        """The article with this id, or ``None``."""
        found = self.get_articles([article_id])
        return found[0] if found else None

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        """The stored articles among these ids, in the order asked (unknown ids left out)."""
        ids = list(dict.fromkeys(article_ids))
        by_id: dict[str, Article] = {}
        with self._begin() as conn:
            for chunk in chunks(ids):
                for row in conn.execute(
                    sa.select(t.articles.c.id, t.articles.c.data).where(t.articles.c.id.in_(chunk))
                ):
                    by_id[row.id] = article_from_row(row.data)
        return [by_id[i] for i in ids if i in by_id]

    def iter_articles(self, since: TimeLike | None = None) -> Iterator[Article]:
        """Every article, in the order they were added; ``since``: only those added at or after it.

        ``since`` is compared with the time the store first saw the article (not its
        publication date), so an incremental clusterer can ask for what is new since its
        last run. Reads in pages, so memory stays small on big stores.
        """
        after: tuple[str, str] | None = None
        since_iso = since_value(since, "since")
        c = t.articles.c
        while True:
            query = sa.select(c.id, c.added_at, c.data).order_by(c.added_at, c.id).limit(CHUNK)
            if since_iso is not None:
                query = query.where(c.added_at >= since_iso)
            if after is not None:
                query = query.where(
                    sa.or_(c.added_at > after[0], sa.and_(c.added_at == after[0], c.id > after[1]))
                )
            with self._begin() as conn:
                rows = conn.execute(query).all()
            for row in rows:
                yield article_from_row(row.data)
            if len(rows) < CHUNK:
                return
            after = (rows[-1].added_at, rows[-1].id)

    def count_articles(self) -> int:
        """How many articles are stored."""
        with self._begin() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(t.articles)) or 0)

    def unclustered_article_ids(self) -> list[str]:
        """Ids of stored articles that belong to no story, in the order they were added."""
        a, m = t.articles.c, t.story_articles.c
        query = (
            sa.select(a.id)
            .outerjoin(t.story_articles, m.article_id == a.id)
            .where(m.article_id.is_(None))
            .order_by(a.added_at, a.id)
        )
        with self._begin() as conn:
            return list(conn.scalars(query))
