"""Schema migrations: an upgrade keeps every row, history is checked, failures leave nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlmodel import SQLModel

from actiontrack.errors import StoreError
from actiontrack.store import LATEST_VERSION, MIGRATIONS, Migration, Store, migrate
from actiontrack.store.engine import create_store_engine, parse_url
from actiontrack.store.migrations import applied
from actiontrack.store.values import SnapshotEntry

T0 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = create_store_engine(parse_url(store_url))
    yield engine
    engine.dispose()


def _write_v1_data(engine: Engine) -> None:
    """Rows as release 1 of the schema wrote them (plain SQL: no code of today involved)."""
    stamp = T0.replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO postmortems (id, path, title, date, first_seen_at, last_seen_at) "
            "VALUES ('pm-1', 'pm/db.md', 'DB outage', :d, :t, :t)"), {"d": dt.date(2025, 2, 27),
                                                                      "t": stamp})
        conn.execute(sa.text(
            "INSERT INTO actions (id, postmortem_id, position, title, text, owner, due, phase,"
            " category, phase_source, category_source, vague, done_in_file, content_hash,"
            " first_seen_at, last_seen_at) VALUES ('a-1', 'pm-1', 0, 'Alert on replica lag',"
            " 'Alert on replica lag', 'kim', :due, 'post-release', 'detection', 'explicit',"
            " 'suggested', :f, :f, 'h1', :t, :t)"),
            {"due": dt.date(2025, 3, 31), "t": stamp, "f": False})
        conn.execute(sa.text(
            "INSERT INTO links (action_id, tracker, target, key, state, base_labels, created_at)"
            " VALUES ('a-1', 'jira', 'OPS', 'OPS-12', 'open', :labels, :t)"),
            {"labels": '["phase:post-release", "category:detection"]', "t": stamp})
        conn.execute(sa.text(
            "INSERT INTO watermarks (tracker, target, value, updated_at)"
            " VALUES ('jira', 'OPS', '2025-03-01 09:00', :t)"), {"t": stamp})


def test_upgrade_from_v1_keeps_data(engine: Engine, store_url: str) -> None:
    assert migrate(engine, target=1) == 1
    _write_v1_data(engine)

    with Store.open(store_url) as store:
        assert store.schema_version == LATEST_VERSION >= 2
        action = store.action("a-1")
        assert action is not None
        assert (action.title, action.owner, action.due) == (
            "Alert on replica lag", "kim", dt.date(2025, 3, 31))
        assert (action.phase_source, action.category_source) == ("explicit", "suggested")
        assert action.first_seen_at == T0
        link = store.links()["a-1"]
        assert (link.key, link.base_labels) == (
            "OPS-12", ["phase:post-release", "category:detection"])
        assert store.watermark("jira", "OPS") == "2025-03-01 09:00"
        # the tables and indexes of later migrations are there and usable
        entry = SnapshotEntry("a-1", "pm-1", "open", dt.date(2025, 3, 31), "kim", None, False, 0)
        store.take_snapshot(dt.date(2025, 3, 3), [entry])
        assert store.snapshot(dt.date(2025, 3, 3)) == [entry]
    index_names = {ix["name"] for ix in sa.inspect(engine).get_indexes("actions")}
    assert {"ix_actions_phase_category", "ix_actions_owner", "ix_actions_due"} <= index_names


def test_each_migration_is_recorded_once_with_its_name(engine: Engine, store_url: str) -> None:
    Store.open(store_url).close()
    Store.open(store_url).close()  # reopening applies nothing twice
    assert applied(engine) == {m.version: m.name for m in MIGRATIONS}
    with engine.connect() as conn:
        stamps = conn.execute(sa.text("SELECT applied_at FROM schema_migrations")).scalars().all()
    assert len(stamps) == LATEST_VERSION


def test_migrated_schema_matches_the_table_classes(engine: Engine, store_url: str) -> None:
    """tables.py (what queries expect) and migrations.py (what exists) must agree."""
    Store.open(store_url).close()
    inspector = sa.inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        reflected = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
        declared = {c.name: c.nullable for c in table.columns}
        assert reflected == declared, table.name
        reflected_pk = inspector.get_pk_constraint(table.name)["constrained_columns"]
        assert set(reflected_pk) == {c.name for c in table.primary_key}, table.name
        reflected_ix = {ix["name"] for ix in inspector.get_indexes(table.name)}
        assert reflected_ix == {ix.name for ix in table.indexes}, table.name


def test_store_newer_than_the_code_is_refused(engine: Engine, store_url: str) -> None:
    Store.open(store_url).close()
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO schema_migrations (version, name, applied_at) "
                             "VALUES (:v, 'from_the_future', :t)"),
                     {"v": LATEST_VERSION + 1, "t": T0.replace(tzinfo=None)})
    with pytest.raises(StoreError, match="newer than this actiontrack") as caught:
        Store.open(store_url)
    assert caught.value.hint and "upgrade actiontrack" in caught.value.hint


def test_a_failing_migration_leaves_no_trace(engine: Engine) -> None:
    def broken(conn: Connection) -> None:
        conn.exec_driver_sql("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("ALTER TABLE actions ADD COLUMN half_column VARCHAR")
        raise RuntimeError("boom")

    steps = (*MIGRATIONS, Migration(LATEST_VERSION + 1, "broken", broken))
    with pytest.raises(RuntimeError, match="boom"):
        migrate(engine, migrations=steps)

    assert max(applied(engine)) == LATEST_VERSION  # every good step is kept
    inspector = sa.inspect(engine)
    assert not inspector.has_table("half_done")
    assert "half_column" not in {c["name"] for c in inspector.get_columns("actions")}


def test_a_different_history_is_refused(engine: Engine, store_url: str) -> None:
    migrate(engine, target=1)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE schema_migrations SET name = 'someone_elses' "
                             "WHERE version = 1"))
    with pytest.raises(StoreError, match="someone_elses"):
        Store.open(store_url)
