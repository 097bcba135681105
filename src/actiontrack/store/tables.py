"""The store's rows as typed SQLModel classes: the schema as of the latest migration.

These classes describe the tables for queries; they never create them. Tables are
created and changed only by the alembic revisions in ``schema/versions`` (a test runs
``alembic check`` so both agree), so that an existing store is upgraded step by step
and never rebuilt.

Enumerated values are stored as plain strings so a later value needs no migration:
``*_source`` is "explicit" | "suggested" | "unknown"; ``LinkRow.state`` is an
IssueState's value ("open" | "done" | "dropped"), read back as the enum;
``SyncRunRow.status`` is "running" | "ok" | "failed" | "interrupted".
"""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from actiontrack.model import IssueState

# SQLite needs INTEGER PRIMARY KEY for autoincrement; PostgreSQL gets room for years of rows.
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamps go in as aware datetimes and come out as aware UTC, on both backends.

    SQLite keeps no offset, so values are normalised to UTC before they are written;
    a naive datetime is refused because its meaning would depend on the machine.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} (store timestamps are UTC)")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class IssueStateType(TypeDecorator[IssueState]):
    """An IssueState kept as its plain string value (the column was always a string)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: IssueState | str | None, dialect: Dialect) -> Any:
        return None if value is None else IssueState(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> IssueState | None:
        return None if value is None else IssueState(value)


class SchemaMigrationRow(SQLModel, table=True):
    """The pre-alembic migration record (release 0.1), kept so that those releases refuse a
    newer store: its version 4 row says "moved to alembic" (revision 0004)."""

    __tablename__ = "schema_migrations"

    version: int = Field(
        primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False}
    )
    name: str
    applied_at: dt.datetime = Field(sa_type=UTCDateTime)


class PostmortemRow(SQLModel, table=True):
    """A postmortem document as last read."""

    __tablename__ = "postmortems"

    id: str = Field(primary_key=True)
    path: str
    title: str
    date: dt.date | None = None
    severity: str | None = None
    url: str | None = None
    tracker: str | None = None
    project: str | None = None
    first_seen_at: dt.datetime = Field(sa_type=UTCDateTime)
    last_seen_at: dt.datetime = Field(sa_type=UTCDateTime)


class ActionRow(SQLModel, table=True):
    """An action as last read from its file, with its tags and lint verdict."""

    __tablename__ = "actions"
    __table_args__ = (
        Index("ix_actions_phase_category", "phase", "category"),
        Index("ix_actions_category", "category"),
        Index("ix_actions_owner", "owner"),
        Index("ix_actions_due", "due"),
    )

    id: str = Field(primary_key=True)
    postmortem_id: str = Field(foreign_key="postmortems.id", index=True)
    position: int
    title: str
    text: str
    owner: str | None = None
    due: dt.date | None = None
    phase: str | None = None
    category: str | None = None
    priority: str | None = None
    phase_source: str = "unknown"
    category_source: str = "unknown"
    vague: bool = False
    done_in_file: bool = False
    content_hash: str
    first_seen_at: dt.datetime = Field(sa_type=UTCDateTime)
    last_seen_at: dt.datetime = Field(sa_type=UTCDateTime)
    removed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class LinkRow(SQLModel, table=True):
    """An action's tracker issue and the values of the last sync (the three-way base).

    ``key`` is None while a create is pending: the intent is saved before the create
    request is sent, so a crash in between is found by looking for these rows.
    ``base_*`` are the tracker's values as of the last sync; ``file_base`` holds, for the
    fields where the file's value at that sync was different (a person's edit left alone,
    a conflict settled with ``--resolve tracker``, a field the tracker refused), the
    file's value, so neither side's old value is mistaken for a new change.
    """

    __tablename__ = "links"
    __table_args__ = (
        Index("ix_links_tracker_target", "tracker", "target"),
        Index("ix_links_state", "state"),
        Index("ix_links_key", "key"),
    )

    action_id: str = Field(primary_key=True)
    tracker: str
    target: str
    key: str | None = None
    remote_id: str | None = None
    url: str | None = None
    state: IssueState = Field(default=IssueState.OPEN, sa_type=IssueStateType)
    state_changed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    remote_due: dt.date | None = None
    remote_updated: str | None = None
    base_title: str | None = None
    base_body_hash: str | None = None
    base_labels: list[str] | None = Field(default=None, sa_type=JSON)
    base_assignee: str | None = None
    base_due: dt.date | None = None
    base_priority: str | None = None
    base_hash: str | None = None
    file_base: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    created_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    synced_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    intent_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class WatermarkRow(SQLModel, table=True):
    """The tracker's 'updated' value of the last status pull, per tracker and target."""

    __tablename__ = "watermarks"

    tracker: str = Field(primary_key=True)
    target: str = Field(primary_key=True)
    value: str
    updated_at: dt.datetime = Field(sa_type=UTCDateTime)


class SyncRunRow(SQLModel, table=True):
    """One sync run: what it did in total and how it ended."""

    __tablename__ = "sync_runs"

    id: int | None = Field(default=None, primary_key=True, sa_type=BIG_ID)
    tracker: str
    target: str
    started_at: dt.datetime = Field(sa_type=UTCDateTime)
    finished_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    dry_run: bool = False
    status: str = "running"
    counts: dict[str, int] | None = Field(default=None, sa_type=JSON)
    error: str | None = None


class JournalRow(SQLModel, table=True):
    """One thing a run did to one action, for `actiontrack status` and post-mortems of syncs."""

    __tablename__ = "journal"

    id: int | None = Field(default=None, primary_key=True, sa_type=BIG_ID)
    run_id: int = Field(foreign_key="sync_runs.id", index=True, sa_type=BIG_ID)
    at: dt.datetime = Field(sa_type=UTCDateTime)
    action_id: str | None = Field(default=None, index=True)
    op: str
    detail: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class SnapshotRow(SQLModel, table=True):
    """An action's state on a report date, for week-over-week comparison."""

    __tablename__ = "snapshots"
    __table_args__ = (
        Index("ix_snapshots_as_of_action_id", "as_of", "action_id", unique=True),
        Index("ix_snapshots_action_id", "action_id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BIG_ID)
    taken_at: dt.datetime = Field(sa_type=UTCDateTime)
    as_of: dt.date
    action_id: str
    postmortem_id: str
    state: str
    due: dt.date | None = None
    owner: str | None = None
    priority: str | None = None
    overdue: bool = False
    days_overdue: int = 0


class ReminderRow(SQLModel, table=True):
    """A reminder `remind --post` sent: kind is "due-soon" | "overdue" | "escalation", or "summary"
    (with action_id "*") for the day's nothing-is-due line."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_day_action_id_kind", "day", "action_id", "kind", unique=True),)

    id: int | None = Field(default=None, primary_key=True, sa_type=BIG_ID)
    day: dt.date
    action_id: str
    kind: str
    channel: str
    sent_at: dt.datetime = Field(sa_type=UTCDateTime)
