"""Per-action state on each report date, for the weekly week-over-week comparison (v2)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True, nullable=False),
        sa.Column("taken_at", TIMESTAMP, nullable=False), sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("action_id", sa.String, nullable=False), sa.Column("postmortem_id", sa.String, nullable=False),
        sa.Column("state", sa.String, nullable=False), sa.Column("due", sa.Date, nullable=True),
        sa.Column("owner", sa.String, nullable=True), sa.Column("priority", sa.String, nullable=True),
        sa.Column("overdue", sa.Boolean, nullable=False), sa.Column("days_overdue", sa.Integer, nullable=False),
    )
    op.create_index("ix_snapshots_as_of_action_id", "snapshots", ["as_of", "action_id"], unique=True)
    op.create_index("ix_snapshots_action_id", "snapshots", ["action_id"])


def downgrade() -> None:
    op.drop_table("snapshots")
