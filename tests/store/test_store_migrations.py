"""Schema migrations through alembic: a store of the current release upgrades with its data,
models and revisions agree (`alembic check`), each revision is recorded, failures leave nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import legacy_release_0_1 as legacy
import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine

from actiontrack.errors import StoreError
from actiontrack.store import Store, head_revision
from actiontrack.store.engine import create_store_engine, parse_url
from actiontrack.store.migrations import alembic_config, current_revision, upgrade
from actiontrack.store.values import SnapshotEntry

T0 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = create_store_engine(parse_url(store_url))
    yield engine
    engine.dispose()


def _write_release_data(engine: Engine) -> None:
    """Rows as release 0.1 wrote them (plain SQL: no code of today involved)."""
    stamp = T0.replace(tzinfo=None) if engine.dialect.name == "sqlite" else T0
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO postmortems (id, path, title, date, url, first_seen_at, last_seen_at) "
            "VALUES ('pm-1', 'pm/db.md', 'DB outage', :d, :u, :t, :t)"),
            {"d": dt.date(2025, 2, 27), "t": stamp,
             "u": "https://wiki.example.com/pm/1?token=hunter22&page=2"})
        conn.execute(sa.text(
            "INSERT INTO actions (id, postmortem_id, position, title, text, owner, due, phase,"
            " category, phase_source, category_source, vague, done_in_file, content_hash,"
            " first_seen_at, last_seen_at) VALUES ('a-1', 'pm-1', 0, 'Alert on replica lag',"
            " 'Alert on replica lag', 'kim', :due, 'post-release', 'detection', 'explicit',"
            " 'suggested', :f, :f, 'h1', :t, :t)"),
            {"due": dt.date(2025, 3, 31), "t": stamp, "f": False})
        conn.execute(sa.text(
            "INSERT INTO links (action_id, tracker, target, key, url, state, base_labels, created_at)"
            " VALUES ('a-1', 'jira', 'OPS', 'OPS-12', :url, 'open', :labels, :t)"),
            {"labels": '["phase:post-release", "category:detection"]', "t": stamp,
             "url": "https://bot:s3cret-pass@jira.example.com/browse/OPS-12"})
        conn.execute(sa.text(
            "INSERT INTO watermarks (tracker, target, value, updated_at)"
            " VALUES ('jira', 'OPS', '2025-03-01 09:00', :t)"), {"t": stamp})
        conn.execute(sa.text(
            "INSERT INTO snapshots (taken_at, as_of, action_id, postmortem_id, state, due, owner,"
            " overdue, days_overdue) VALUES (:t, :d, 'a-1', 'pm-1', 'open', :d, 'kim', :f, 0)"),
            {"t": stamp, "d": dt.date(2025, 3, 3), "f": False})


def test_a_store_of_the_current_release_upgrades_with_its_data(engine: Engine, store_url: str) -> None:
    assert legacy.migrate(engine) == 3  # exactly what release 0.1 creates
    _write_release_data(engine)

    with Store.open(store_url) as store:
        assert store.schema_version == head_revision()
        action = store.action("a-1")
        assert action is not None
        assert (action.title, action.owner, action.due) == ("Alert on replica lag", "kim", dt.date(2025, 3, 31))
        assert (action.phase_source, action.category_source) == ("explicit", "suggested")
        assert action.first_seen_at == T0
        link = store.links()["a-1"]
        assert (link.key, link.base_labels) == ("OPS-12", ["phase:post-release", "category:detection"])
        assert link.url == "https://jira.example.com/browse/OPS-12"  # revision 0005 removed the password
        postmortem = store.postmortem("pm-1")
        assert postmortem is not None and postmortem.url == "https://wiki.example.com/pm/1?page=2"
        assert store.watermark("jira", "OPS") == "2025-03-01 09:00"
        assert [e.action_id for e in store.snapshot(dt.date(2025, 3, 3))] == ["a-1"]
        entry = SnapshotEntry("a-1", "pm-1", "open", dt.date(2025, 3, 31), "kim", None, False, 0)
        store.take_snapshot(dt.date(2025, 3, 10), [entry])
        assert store.snapshot(dt.date(2025, 3, 10)) == [entry]
    _assert_models_match(engine)


def test_release_0_1_refuses_a_store_upgraded_by_alembic(engine: Engine, store_url: str) -> None:
    """Rolling back the tool must not let an old release recreate or misread a newer store."""
    Store.open(store_url).close()
    with pytest.raises(StoreError, match="newer than this actiontrack"):
        legacy.migrate(engine)


def _assert_models_match(engine: Engine) -> None:
    with engine.connect() as conn:
        command.check(alembic_config(conn))  # raises when autogenerate finds a difference


def test_alembic_check_finds_no_drift_between_models_and_revisions(engine: Engine, store_url: str) -> None:
    Store.open(store_url).close()
    _assert_models_match(engine)


def test_alembic_check_fails_when_a_model_changes_without_a_revision(engine: Engine, store_url: str) -> None:
    """The check above can fail: a column that exists only in the models is reported."""
    from alembic.util import AutogenerateDiffsDetected

    Store.open(store_url).close()
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE links ADD COLUMN not_in_models VARCHAR"))
    with pytest.raises(AutogenerateDiffsDetected, match="not_in_models"):
        _assert_models_match(engine)


def test_each_revision_is_recorded_and_reopening_applies_nothing(engine: Engine, store_url: str) -> None:
    Store.open(store_url).close()
    with engine.connect() as conn:
        before = conn.execute(sa.text("SELECT version, name FROM schema_migrations")).all()
    Store.open(store_url).close()
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version, name FROM schema_migrations")).all() == before
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]


def test_upgrade_is_step_by_step_from_any_revision(engine: Engine, store_url: str) -> None:
    assert upgrade(engine, target="0002") == "0002"
    assert sa.inspect(engine).has_table("snapshots")
    assert "ix_actions_owner" not in {ix["name"] for ix in sa.inspect(engine).get_indexes("actions")}
    with Store.open(store_url) as store:
        assert store.schema_version == head_revision()
    assert "ix_actions_owner" in {ix["name"] for ix in sa.inspect(engine).get_indexes("actions")}


def test_a_failing_revision_leaves_no_trace_and_keeps_the_good_ones(engine: Engine, tmp_path: Path) -> None:
    """Each revision runs in its own transaction: the broken one rolls back whole."""
    location = _scripts_with_a_broken_revision(tmp_path)
    with engine.connect() as conn, pytest.raises(RuntimeError, match="boom"):
        command.upgrade(alembic_config(conn, location=location), "head")
    assert current_revision(engine) == head_revision()  # every good step is kept
    inspector = sa.inspect(engine)
    assert not inspector.has_table("half_done")
    assert "half_column" not in {c["name"] for c in inspector.get_columns("actions")}


def _scripts_with_a_broken_revision(tmp_path: Path) -> Path:
    import shutil

    from actiontrack.store import migrations

    with migrations._script_location() as source:
        target = tmp_path / "schema"
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "versions" / "9999_broken.py").write_text(
        "from alembic import op\n"
        f"revision = '9999'\ndown_revision = {head_revision()!r}\nbranch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    op.execute('CREATE TABLE half_done (id INTEGER PRIMARY KEY)')\n"
        "    op.execute('ALTER TABLE actions ADD COLUMN half_column VARCHAR')\n"
        "    raise RuntimeError('boom')\n"
        "def downgrade():\n    pass\n", encoding="utf-8")
    return target


def test_a_store_newer_than_the_code_is_refused(engine: Engine, store_url: str) -> None:
    Store.open(store_url).close()
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="does not know") as caught:
        Store.open(store_url)
    assert caught.value.hint and "upgrade actiontrack" in caught.value.hint


def test_a_release_store_with_a_different_history_is_refused(engine: Engine, store_url: str) -> None:
    legacy.migrate(engine, target=1)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE schema_migrations SET name = 'someone_elses' WHERE version = 1"))
    with pytest.raises(StoreError, match="someone_elses"):
        Store.open(store_url)


def test_two_processes_opening_a_new_store_at_once_both_succeed(store_url: str) -> None:
    """The migration lock: the second waits, then finds the store at head."""
    import concurrent.futures

    def open_close(_: int) -> str | None:
        with Store.open(store_url) as store:
            return store.schema_version

    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        assert set(pool.map(open_close, range(3))) == {head_revision()}

