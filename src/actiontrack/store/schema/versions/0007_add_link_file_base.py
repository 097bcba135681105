"""links.file_base: the file's side of the three-way base, where it differs from the
tracker's (a JSON object of field → value), so a conflict settled with --resolve tracker
stays settled and a person's edit left alone is not taken for a new one."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("links", sa.Column("file_base", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("links") as batch:
        batch.drop_column("file_base")
