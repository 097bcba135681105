"""The store: actiontrack's persistent state (SQLite file or PostgreSQL), see docs/store.md.

Only the sync and report commands import this package (lazily): the offline commands
must not pay for SQLAlchemy.
"""

from actiontrack.store.migrations import head_revision, upgrade
from actiontrack.store.store import DEFAULT_URL, Store, content_hash
from actiontrack.store.tables import (
    ActionRow,
    JournalRow,
    LinkRow,
    PostmortemRow,
    SchemaMigrationRow,
    SnapshotRow,
    SyncRunRow,
    WatermarkRow,
)
from actiontrack.store.values import ActionTags, ReportRow, SnapshotEntry

__all__ = [
    "DEFAULT_URL",
    "ActionRow",
    "ActionTags",
    "JournalRow",
    "LinkRow",
    "PostmortemRow",
    "ReportRow",
    "SchemaMigrationRow",
    "SnapshotEntry",
    "SnapshotRow",
    "Store",
    "SyncRunRow",
    "WatermarkRow",
    "content_hash",
    "head_revision",
    "upgrade",
]
