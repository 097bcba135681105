"""alembic now keeps the schema's history (alembic_version); schema_migrations is kept as a
tombstone whose version 4 makes releases before alembic refuse the store ("newer than this
actiontrack: upgrade") instead of trying to create its tables again."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LEGACY_VERSION, LEGACY_NAME = 4, "moved_to_alembic"
_legacy = sa.table("schema_migrations", sa.column("version", sa.Integer), sa.column("name", sa.String),
                   sa.column("applied_at", sa.DateTime(timezone=True)))


def upgrade() -> None:
    stamp = dt.datetime.now(dt.UTC)
    if op.get_bind().dialect.name == "sqlite":
        stamp = stamp.replace(tzinfo=None)  # the store keeps UTC without an offset in SQLite
    op.execute(_legacy.insert().values(version=LEGACY_VERSION, name=LEGACY_NAME, applied_at=stamp))


def downgrade() -> None:
    op.execute(_legacy.delete().where(_legacy.c.version == LEGACY_VERSION))
