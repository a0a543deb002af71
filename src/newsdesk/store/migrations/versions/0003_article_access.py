"""Articles say whether their text is free, behind a paywall, or not known (``access``);
articles stored before are "unknown". Indexed, so free sources can be picked in SQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("articles") as batch:
        batch.add_column(
            sa.Column("access", sa.String(length=16), nullable=False, server_default="unknown")
        )
    op.create_index("ix_articles_access", "articles", ["access"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_articles_access", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("access")
