"""FROZEN: the migration code of release 0.1 (main before alembic), copied verbatim so tests can
build a store exactly as that release wrote it. Never edit: a store of that era is what it is."""


from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine

from actiontrack.errors import StoreError
from actiontrack.store.engine import BEGIN_MODE

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
# A fixed key: only one process migrates a PostgreSQL store at a time.
_PG_MIGRATION_LOCK = 0x61637472_6D696772  # "actrmigr"

_schema_migrations = sa.Table(
    "schema_migrations",
    sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("applied_at", TIMESTAMP, nullable=False),
)


@dataclass(frozen=True)
class Migration:
    """One schema step; ``version`` is its 1-based place in ``MIGRATIONS``."""

    version: int
    name: str
    apply: Callable[[Connection], None]


def _column(name: str, *args: Any, **kw: Any) -> sa.Column[Any]:
    """A column that is NOT NULL unless said otherwise (the common case here)."""
    kw.setdefault("nullable", False)
    return sa.Column(name, *args, **kw)


def _optional(name: str, type_: Any) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=True)


def initial_schema(conn: Connection) -> None:
    """Postmortems, actions, tracker links, watermarks, and the sync runs' journal."""
    meta = sa.MetaData()
    sa.Table(
        "postmortems", meta,
        _column("id", sa.String, primary_key=True),
        _column("path", sa.String), _column("title", sa.String),
        _optional("date", sa.Date), _optional("severity", sa.String),
        _optional("url", sa.String), _optional("tracker", sa.String),
        _optional("project", sa.String),
        _column("first_seen_at", TIMESTAMP), _column("last_seen_at", TIMESTAMP),
    )
    sa.Table(
        "actions", meta,
        _column("id", sa.String, primary_key=True),
        _column("postmortem_id", sa.String, sa.ForeignKey("postmortems.id"), index=True),
        _column("position", sa.Integer), _column("title", sa.String), _column("text", sa.String),
        _optional("owner", sa.String), _optional("due", sa.Date),
        _optional("phase", sa.String), _optional("category", sa.String),
        _optional("priority", sa.String),
        _column("phase_source", sa.String), _column("category_source", sa.String),
        _column("vague", sa.Boolean), _column("done_in_file", sa.Boolean),
        _column("content_hash", sa.String),
        _column("first_seen_at", TIMESTAMP), _column("last_seen_at", TIMESTAMP),
        _optional("removed_at", TIMESTAMP),
    )
    _links_table(meta)
    sa.Table(
        "watermarks", meta,
        _column("tracker", sa.String, primary_key=True),
        _column("target", sa.String, primary_key=True),
        _column("value", sa.String), _column("updated_at", TIMESTAMP),
    )
    _runs_and_journal_tables(meta)
    meta.create_all(conn)


def _links_table(meta: sa.MetaData) -> sa.Table:
    return sa.Table(
        "links", meta,
        _column("action_id", sa.String, primary_key=True),
        _column("tracker", sa.String), _column("target", sa.String),
        _optional("key", sa.String), _optional("remote_id", sa.String),
        _optional("url", sa.String), _column("state", sa.String),
        _optional("state_changed_at", TIMESTAMP), _optional("done_at", TIMESTAMP),
        _optional("remote_due", sa.Date), _optional("remote_updated", sa.String),
        _optional("base_title", sa.String), _optional("base_body_hash", sa.String),
        _optional("base_labels", sa.JSON), _optional("base_assignee", sa.String),
        _optional("base_due", sa.Date), _optional("base_priority", sa.String),
        _optional("base_hash", sa.String),
        _optional("created_at", TIMESTAMP), _optional("synced_at", TIMESTAMP),
        _optional("intent_at", TIMESTAMP),
    )


def _runs_and_journal_tables(meta: sa.MetaData) -> None:
    sa.Table(
        "sync_runs", meta,
        _column("id", BIG_ID, primary_key=True, autoincrement=True),
        _column("tracker", sa.String), _column("target", sa.String),
        _column("started_at", TIMESTAMP), _optional("finished_at", TIMESTAMP),
        _column("dry_run", sa.Boolean), _column("status", sa.String),
        _optional("counts", sa.JSON), _optional("error", sa.String),
    )
    sa.Table(
        "journal", meta,
        _column("id", BIG_ID, primary_key=True, autoincrement=True),
        _column("run_id", BIG_ID, sa.ForeignKey("sync_runs.id"), index=True),
        _column("at", TIMESTAMP),
        sa.Column("action_id", sa.String, nullable=True, index=True),
        _column("op", sa.String), _optional("detail", sa.JSON),
    )


def add_snapshots(conn: Connection) -> None:
    """Per-action state on each report date, for the weekly week-over-week comparison."""
    meta = sa.MetaData()
    sa.Table(
        "snapshots", meta,
        _column("id", BIG_ID, primary_key=True, autoincrement=True),
        _column("taken_at", TIMESTAMP), _column("as_of", sa.Date),
        _column("action_id", sa.String), _column("postmortem_id", sa.String),
        _column("state", sa.String), _optional("due", sa.Date),
        _optional("owner", sa.String), _optional("priority", sa.String),
        _column("overdue", sa.Boolean), _column("days_overdue", sa.Integer),
        sa.Index("ix_snapshots_as_of_action_id", "as_of", "action_id", unique=True),
        sa.Index("ix_snapshots_action_id", "action_id"),
    )
    meta.create_all(conn)


def add_report_indexes(conn: Connection) -> None:
    """Indexes for reports that group 100,000 actions by phase/category/owner/due/state.

    No index on actions.removed_at: nearly every row has NULL there, and SQLite, without
    statistics, would pick it for ``removed_at IS NULL`` and read the table in random order.
    """
    for name, table, columns in (
        ("ix_actions_phase_category", "actions", "phase, category"),
        ("ix_actions_category", "actions", "category"),
        ("ix_actions_owner", "actions", "owner"),
        ("ix_actions_due", "actions", "due"),
        ("ix_links_tracker_target", "links", "tracker, target"),
        ("ix_links_state", "links", "state"),
        ("ix_links_key", "links", "key"),
    ):
        conn.exec_driver_sql(f"CREATE INDEX {name} ON {table} ({columns})")


def _numbered(*functions: Callable[[Connection], None]) -> tuple[Migration, ...]:
    return tuple(Migration(i, f.__name__, f) for i, f in enumerate(functions, start=1))


MIGRATIONS: tuple[Migration, ...] = _numbered(
    initial_schema,
    add_snapshots,
    add_report_indexes,
)
LATEST_VERSION = len(MIGRATIONS)


def applied(engine: Engine) -> dict[int, str]:
    """Version → name of every migration recorded in the store."""
    with _migration_transaction(engine) as conn:
        _schema_migrations.create(conn, checkfirst=True)
        rows = conn.execute(sa.select(_schema_migrations.c.version, _schema_migrations.c.name))
        return {int(version): str(name) for version, name in rows}


def migrate(
    engine: Engine,
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
    target: int | None = None,
) -> int:
    """Apply pending migrations up to ``target`` (default: all); return the schema version.

    Refuses a store that is newer than this code or whose history differs from it.
    """
    known = migrations[:target] if target is not None else migrations
    done = applied(engine)
    _check_history(done, migrations)
    for migration in known:
        if migration.version not in done:
            _apply(engine, migration)
    return max(applied(engine), default=0)


def _check_history(done: dict[int, str], migrations: Sequence[Migration]) -> None:
    newest = max(done, default=0)
    if newest > len(migrations):
        raise StoreError(
            f"the store is at schema version {newest}, newer than this actiontrack "
            f"(which knows up to version {len(migrations)})",
            hint="upgrade actiontrack; the store was written by a newer release",
        )
    for migration in migrations:
        recorded = done.get(migration.version)
        if recorded is not None and recorded != migration.name:
            raise StoreError(
                f"the store's migration {migration.version} is {recorded!r}, "
                f"this actiontrack expects {migration.name!r}",
                hint="the store was written by a different build of actiontrack",
            )


def _apply(engine: Engine, migration: Migration) -> None:
    """Run one migration and record it in the same transaction (re-checked under a lock)."""
    with _migration_transaction(engine) as conn:
        if _is_recorded(conn, migration.version):
            return  # another process applied it while we waited
        migration.apply(conn)
        conn.execute(
            _schema_migrations.insert().values(
                version=migration.version,
                name=migration.name,
                applied_at=dt.datetime.now(dt.UTC),
            )
        )


@contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction no other migrating process can interleave with."""
    with engine.connect() as conn:
        conn.execution_options(**{BEGIN_MODE: "IMMEDIATE"})
        with conn.begin():
            _lock_migrations(conn)
            yield conn


def _lock_migrations(conn: Connection) -> None:
    """PostgreSQL: one migrating process at a time (SQLite: BEGIN IMMEDIATE does it)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))


def _is_recorded(conn: Connection, version: int) -> bool:
    query = sa.select(_schema_migrations.c.version).where(
        _schema_migrations.c.version == version
    )
    return conn.execute(query).first() is not None
