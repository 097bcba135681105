"""What `actiontrack remind --post` sent, one row per action, kind and day, so a second run
on the same day sends nothing again (v6)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True, nullable=False),
        sa.Column("day", sa.Date, nullable=False), sa.Column("action_id", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False), sa.Column("channel", sa.String, nullable=False),
        sa.Column("sent_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_reminders_day_action_id_kind", "reminders", ["day", "action_id", "kind"], unique=True)


def downgrade() -> None:
    op.drop_table("reminders")
