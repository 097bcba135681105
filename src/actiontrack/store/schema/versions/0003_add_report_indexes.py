"""Indexes for reports that group 100,000 actions by phase/category/owner/due/state (v3).

No index on actions.removed_at: nearly every row has NULL there, and SQLite, without
statistics, would pick it for ``removed_at IS NULL`` and read the table in random order.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_actions_phase_category", "actions", ["phase", "category"]),
    ("ix_actions_category", "actions", ["category"]),
    ("ix_actions_owner", "actions", ["owner"]),
    ("ix_actions_due", "actions", ["due"]),
    ("ix_links_tracker_target", "links", ["tracker", "target"]),
    ("ix_links_state", "links", ["state"]),
    ("ix_links_key", "links", ["key"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
