"""Remove credentials that earlier releases stored inside URLs (links.url, postmortems.url):
``https://user:password@host/…`` and tokens in query strings (actiontrack.urls)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actiontrack.urls import has_credentials, strip_credentials

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLES = {"links": "action_id", "postmortems": "id"}


def upgrade() -> None:
    bind = op.get_bind()
    for name, key in _TABLES.items():
        table = sa.table(name, sa.column(key, sa.String), sa.column("url", sa.String))
        rows = bind.execute(sa.select(table.c[key], table.c.url).where(table.c.url.is_not(None))).all()
        for row_key, url in rows:
            if has_credentials(url):
                bind.execute(table.update().where(table.c[key] == row_key)
                             .values(url=strip_credentials(url)))


def downgrade() -> None:
    pass  # the credentials are gone on purpose
