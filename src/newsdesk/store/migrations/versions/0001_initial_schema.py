"""Initial schema: pages, http cache, articles, stories, membership, aliases, drafts,
state, runs and failures.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("site_name", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("published", sa.String(length=64), nullable=True),
        sa.Column("published_utc", sa.String(length=40), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("added_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_articles_added_at", "articles", ["added_at"])
    op.create_index("ix_articles_language", "articles", ["language"])
    op.create_index("ix_articles_published_utc", "articles", ["published_utc"])

    op.create_table(
        "drafts",
        sa.Column("story_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=40), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("writer", sa.String(length=64), nullable=True),
        sa.Column("written_at", sa.String(length=64), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("story_id"),
    )
    op.create_index("ix_drafts_status", "drafts", ["status"])
    op.create_index("ix_drafts_updated_at", "drafts", ["updated_at"])

    op.create_table(
        "failures",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "source", "stage"),
    )
    op.create_index("ix_failures_at", "failures", ["at"])

    op.create_table(
        "http_cache",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("url"),
    )
    op.create_table(
        "pages",
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("url_key", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("article_id", sa.String(length=64), nullable=True),
        sa.Column("content_hash", sa.String(length=40), nullable=True),
        sa.Column("content_type", sa.Text(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.String(length=40), nullable=True),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("source"),
    )
    op.create_index("ix_pages_article_id", "pages", ["article_id"])
    op.create_index("ix_pages_url_key", "pages", ["url_key"])

    op.create_table(
        "runs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.String(length=40), nullable=False),
        sa.Column("finished_at", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])

    op.create_table(
        "state",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("is_text", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.String(length=64), nullable=True),
        sa.Column("last_seen", sa.String(length=64), nullable=True),
        sa.Column("first_seen_utc", sa.String(length=40), nullable=True),
        sa.Column("last_seen_utc", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stories_first_seen_utc", "stories", ["first_seen_utc"])
    op.create_index("ix_stories_language", "stories", ["language"])
    op.create_index("ix_stories_last_seen_utc", "stories", ["last_seen_utc"])

    op.create_table(
        "story_aliases",
        sa.Column("alias_id", sa.String(length=64), nullable=False),
        sa.Column("story_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("alias_id"),
    )
    op.create_index("ix_story_aliases_story_id", "story_aliases", ["story_id"])

    op.create_table(
        "story_articles",
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("story_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    op.create_index("ix_story_articles_story_id", "story_articles", ["story_id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_story_articles_story_id", table_name="story_articles")

    op.drop_table("story_articles")
    op.drop_index("ix_story_aliases_story_id", table_name="story_aliases")

    op.drop_table("story_aliases")
    op.drop_index("ix_stories_last_seen_utc", table_name="stories")
    op.drop_index("ix_stories_language", table_name="stories")
    op.drop_index("ix_stories_first_seen_utc", table_name="stories")

    op.drop_table("stories")
    op.drop_table("state")
    op.drop_index("ix_runs_started_at", table_name="runs")

    op.drop_table("runs")
    op.drop_index("ix_pages_url_key", table_name="pages")
    op.drop_index("ix_pages_article_id", table_name="pages")

    op.drop_table("pages")
    op.drop_table("http_cache")
    op.drop_index("ix_failures_at", table_name="failures")

    op.drop_table("failures")
    op.drop_index("ix_drafts_updated_at", table_name="drafts")
    op.drop_index("ix_drafts_status", table_name="drafts")

    op.drop_table("drafts")
    op.drop_index("ix_articles_published_utc", table_name="articles")
    op.drop_index("ix_articles_language", table_name="articles")
    op.drop_index("ix_articles_added_at", table_name="articles")

    op.drop_table("articles")
