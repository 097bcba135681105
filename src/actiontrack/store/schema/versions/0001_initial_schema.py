"""Postmortems, actions, tracker links, watermarks, sync runs and their journal (release 0.1's v1).

Also the ``schema_migrations`` table of actiontrack's own migrations before alembic: a store
of that era already has it (and is stamped here instead of being upgraded), a new store gets
it so that revision 0004 can tell old releases the store is newer than they are.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def _req(name: str, type_: Any, **kw: Any) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=False, **kw)


def _opt(name: str, type_: Any) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=True)


def upgrade() -> None:
    op.create_table(
        "schema_migrations",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        _req("name", sa.String), _req("applied_at", TIMESTAMP),
    )
    op.create_table(
        "postmortems",
        _req("id", sa.String, primary_key=True),
        _req("path", sa.String), _req("title", sa.String),
        _opt("date", sa.Date), _opt("severity", sa.String), _opt("url", sa.String),
        _opt("tracker", sa.String), _opt("project", sa.String),
        _req("first_seen_at", TIMESTAMP), _req("last_seen_at", TIMESTAMP),
    )
    op.create_table(
        "actions",
        _req("id", sa.String, primary_key=True),
        _req("postmortem_id", sa.String), _req("position", sa.Integer),
        _req("title", sa.String), _req("text", sa.String),
        _opt("owner", sa.String), _opt("due", sa.Date), _opt("phase", sa.String),
        _opt("category", sa.String), _opt("priority", sa.String),
        _req("phase_source", sa.String), _req("category_source", sa.String),
        _req("vague", sa.Boolean), _req("done_in_file", sa.Boolean), _req("content_hash", sa.String),
        _req("first_seen_at", TIMESTAMP), _req("last_seen_at", TIMESTAMP), _opt("removed_at", TIMESTAMP),
        sa.ForeignKeyConstraint(["postmortem_id"], ["postmortems.id"]),
    )
    op.create_index("ix_actions_postmortem_id", "actions", ["postmortem_id"])
    op.create_table(
        "links",
        _req("action_id", sa.String, primary_key=True),
        _req("tracker", sa.String), _req("target", sa.String),
        _opt("key", sa.String), _opt("remote_id", sa.String), _opt("url", sa.String),
        _req("state", sa.String), _opt("state_changed_at", TIMESTAMP), _opt("done_at", TIMESTAMP),
        _opt("remote_due", sa.Date), _opt("remote_updated", sa.String),
        _opt("base_title", sa.String), _opt("base_body_hash", sa.String), _opt("base_labels", sa.JSON),
        _opt("base_assignee", sa.String), _opt("base_due", sa.Date), _opt("base_priority", sa.String),
        _opt("base_hash", sa.String), _opt("created_at", TIMESTAMP), _opt("synced_at", TIMESTAMP),
        _opt("intent_at", TIMESTAMP),
    )
    op.create_table(
        "watermarks",
        _req("tracker", sa.String, primary_key=True), _req("target", sa.String, primary_key=True),
        _req("value", sa.String), _req("updated_at", TIMESTAMP),
    )
    op.create_table(
        "sync_runs",
        _req("id", BIG_ID, primary_key=True, autoincrement=True),
        _req("tracker", sa.String), _req("target", sa.String),
        _req("started_at", TIMESTAMP), _opt("finished_at", TIMESTAMP),
        _req("dry_run", sa.Boolean), _req("status", sa.String),
        _opt("counts", sa.JSON), _opt("error", sa.String),
    )
    op.create_table(
        "journal",
        _req("id", BIG_ID, primary_key=True, autoincrement=True),
        _req("run_id", BIG_ID), _req("at", TIMESTAMP), _opt("action_id", sa.String),
        _req("op", sa.String), _opt("detail", sa.JSON),
        sa.ForeignKeyConstraint(["run_id"], ["sync_runs.id"]),
    )
    op.create_index("ix_journal_run_id", "journal", ["run_id"])
    op.create_index("ix_journal_action_id", "journal", ["action_id"])


def downgrade() -> None:
    for table in ("journal", "sync_runs", "watermarks", "links", "actions", "postmortems",
                  "schema_migrations"):
        op.drop_table(table)
