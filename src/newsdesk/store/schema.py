"""The store's tables (SQLAlchemy Core), the one description the code and Alembic agree on.

Times are ISO 8601 text in UTC; the ``*_utc`` columns hold a normalised copy of a free-form
time (an article's publication date, a story's span) so that it sorts and filters as text
the same way on SQLite and PostgreSQL. JSON columns hold the nouns' ``to_dict`` shapes.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

pages = sa.Table(
    "pages",
    metadata,
    sa.Column("source", sa.Text, primary_key=True),  # the path or URL read
    sa.Column("url", sa.Text, nullable=True),  # the page's own URL where known
    sa.Column("url_key", sa.Text, nullable=True, index=True),  # canonical form of url/source
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("article_id", sa.String(64), nullable=True, index=True),
    sa.Column("content_hash", sa.String(40), nullable=True),
    sa.Column("content_type", sa.Text, nullable=True),
    sa.Column("etag", sa.Text, nullable=True),
    sa.Column("last_modified", sa.Text, nullable=True),
    sa.Column("fetched_at", sa.String(40), nullable=True),
    sa.Column("updated_at", sa.String(40), nullable=False),
)

http_cache = sa.Table(
    "http_cache",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text, nullable=True),
    sa.Column("last_modified", sa.Text, nullable=True),
    sa.Column("updated_at", sa.String(40), nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("site_name", sa.Text, nullable=True),
    sa.Column("language", sa.String(16), nullable=True, index=True),
    sa.Column("published", sa.String(64), nullable=True),  # as the article gave it
    sa.Column("published_utc", sa.String(40), nullable=True, index=True),
    sa.Column("data", sa.JSON, nullable=False),  # Article.to_dict() without "text"
    sa.Column("added_at", sa.String(40), nullable=False, index=True),
    # Article.access: free, paywalled or unknown (also in data; a column to pick by it)
    sa.Column("access", sa.String(16), nullable=False, server_default="unknown", index=True),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("first_seen", sa.String(64), nullable=True),
    sa.Column("last_seen", sa.String(64), nullable=True),
    sa.Column("first_seen_utc", sa.String(40), nullable=True, index=True),
    sa.Column("last_seen_utc", sa.String(40), nullable=True, index=True),
    sa.Column("language", sa.String(16), nullable=True, index=True),
    sa.Column("updated_at", sa.String(40), nullable=False),
)

# An article belongs to at most one story, hence article_id is the key.
story_articles = sa.Table(
    "story_articles",
    metadata,
    sa.Column(
        "article_id",
        sa.String(64),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "story_id",
        sa.String(64),
        sa.ForeignKey("stories.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("position", sa.Integer, nullable=False),  # joined order within the story
)

# Ids of stories merged away, each pointing at the story that survived (always one hop).
story_aliases = sa.Table(
    "story_aliases",
    metadata,
    sa.Column("alias_id", sa.String(64), primary_key=True),
    sa.Column(
        "story_id",
        sa.String(64),
        sa.ForeignKey("stories.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)

drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("story_id", sa.String(64), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("signature", sa.String(40), nullable=False),
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("writer", sa.String(64), nullable=True),
    sa.Column("written_at", sa.String(64), nullable=True),
    sa.Column("data", sa.JSON, nullable=False),  # Draft.to_dict()
    sa.Column("updated_at", sa.String(40), nullable=False, index=True),
)

state = sa.Table(
    "state",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("value", sa.LargeBinary, nullable=False),
    sa.Column("is_text", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("started_at", sa.String(40), nullable=False, index=True),
    sa.Column("finished_at", sa.String(40), nullable=True),
    sa.Column("status", sa.String(32), nullable=False, index=True),
    sa.Column("stats", sa.JSON, nullable=False),
    # The process that runs it, so a later run can tell a killed run from a live one
    # (see Store.mark_interrupted_runs). NULL on runs recorded before revision 0002.
    sa.Column("host", sa.String(255), nullable=True),
    sa.Column("pid", sa.Integer, nullable=True),
    sa.Column("process_started", sa.String(40), nullable=True),  # psutil create_time
)

failures = sa.Table(
    "failures",
    metadata,
    sa.Column("run_id", sa.String(64), primary_key=True),  # "" outside a run
    sa.Column("source", sa.Text, primary_key=True),
    sa.Column("stage", sa.String(32), primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.String(40), nullable=False, index=True),
)
