"""A damaged store (bad date, bad JSON, NULL where a value is required) and a full disk are
clear errors naming the file, the table and the action — in sync, status and reports — and
nothing half-written is left: not the lock's holder file, not a row, not a file."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from actiontrack.errors import StoreError
from actiontrack.store import Store
from actiontrack.store.tables import LinkRow
from fixtures_disk import fill

ACTION = "- [ ] Alert when lag exceeds 60 s for 5 minutes — owner: ikki, due: 2024-06-01 #post-release #detection\n"


def cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "actiontrack", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=120)


def synced_env(tracker_env: Any) -> tuple[Any, Path, Path]:
    env = tracker_env("jira")
    (env.folder / "pm.md").write_text("---\nid: PM-DMG\ndate: 2024-05-01\n---\n# Outage\n## Action items\n" + ACTION,
                                      encoding="utf-8")
    config = env.write_config()
    done = cli(config, "sync", str(env.folder))
    assert done.returncode == 0, done.stderr
    return env, config, Path(env.store_url.removeprefix("sqlite:///"))


def damage(db: Path, *statements: str) -> None:
    with sqlite3.connect(db) as conn:
        for statement in statements:
            conn.execute(statement)


ALLOW_NULL_TITLE = (
    "PRAGMA writable_schema = ON",
    "UPDATE sqlite_master SET sql = replace(sql, 'title VARCHAR NOT NULL', 'title VARCHAR') WHERE name = 'actions'",
)


STATUS, REPORT, SYNC = ("status",), ("report", "overdue", "--as-of", "2024-07-01"), ("sync",)


@pytest.mark.parametrize(("statements", "table", "column", "problem", "readers"), [
    (("UPDATE links SET remote_due = '2024-13-45'",), "links", "remote_due", "is not a date", (STATUS, REPORT, SYNC)),
    (("UPDATE links SET base_labels = '{not json'",), "links", "base_labels", "is not valid JSON", (STATUS, SYNC)),
    (("UPDATE actions SET first_seen_at = 'yesterday'",), "actions", "first_seen_at", "is not a timestamp", (SYNC,)),
    ((*ALLOW_NULL_TITLE,), "actions", "title", "NULL", (STATUS, REPORT, SYNC)),
], ids=["bad-date", "bad-json", "bad-timestamp", "null"])
def test_a_damaged_cell_is_named_in_sync_status_and_reports(
        tracker_env: Any, statements: tuple[str, ...], table: str, column: str, problem: str,
        readers: tuple[tuple[str, ...], ...]) -> None:
    """Each command that reads the bad cell stops with its name; the others still work."""
    env, config, db = synced_env(tracker_env)
    damage(db, *statements)
    if column == "title":
        damage(db, "UPDATE actions SET title = NULL")
    before = db.read_bytes()
    action_id = next(iter(sqlite3.connect(db).execute("SELECT id FROM actions")))[0]

    for command in (STATUS, REPORT, SYNC):
        args = [*command, str(env.folder)] if command == SYNC else list(command)
        done = cli(config, *args)
        assert "Traceback" not in done.stderr, done.stderr
        if command not in readers:
            assert done.returncode == 0, (args, done.stderr)
            continue
        assert done.returncode != 0, (args, done.stdout)
        message = done.stderr
        assert str(db) in message and f"table {table}, column {column}" in message, (args, message)
        assert f"action {action_id}" in message and problem in message
        assert "hint:" in message
    assert not (db.parent / (db.name + ".lock.holder")).exists()
    if SYNC not in readers:
        assert db.read_bytes() == before


def test_a_programming_error_is_not_blamed_on_the_store(tmp_path: Path) -> None:
    """The scan finds every cell readable: the original error stays (a bug must not read as damage)."""
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.save_link(LinkRow(action_id="a", tracker="jira", target="OPS", state="open"))
        with pytest.raises(ValueError, match="not the data"), store.session():
            raise ValueError("not the data")
        assert [link.action_id for link in store.links().values()] == ["a"]


def test_a_simulated_full_disk_in_the_lock_leaves_no_holder_file(tmp_path: Path, monkeypatch: Any) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    real = Path.write_text

    def full(self: Path, *args: Any, **kwargs: Any) -> int:
        if self.name.endswith(".lock.holder"):
            real(self, "{\"hol", encoding="utf-8")  # half of it got out
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(StoreError, match="no space left") as caught, store.sync_lock():
        pass
    monkeypatch.undo()
    assert "s.db.lock.holder" in caught.value.message and "Traceback" not in caught.value.message
    assert not (tmp_path / "s.db.lock.holder").exists()
    with store.sync_lock():  # the lock itself was released
        pass
    store.close()


@pytest.mark.parametrize("leave", [0, 40 * 1024], ids=["full", "nearly-full"])
def test_a_real_full_disk_during_sync_is_a_clear_error_and_the_store_stays_whole(
        tracker_env: Any, small_disk: Path, leave: int) -> None:
    """Full: the store cannot even be opened; nearly full: it fails in the middle of the run.
    Either way the message names the store, and the next run ends with one issue per action."""
    env = tracker_env("jira", store_url=f"sqlite:///{small_disk / 'store.db'}")
    (env.folder / "pm.md").write_text("---\nid: PM-FULL\ndate: 2024-05-01\n---\n# Outage\n## Action items\n"
                                      + "".join(ACTION.replace("Alert", f"Alert {n}") for n in range(40)),
                                      encoding="utf-8")
    Store.open(env.store_url).close()  # the schema fits; the rest of the disk is filled
    fill(small_disk, leave=leave)
    config = env.write_config()

    done = cli(config, "sync", str(env.folder))

    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert "no space left" in done.stderr.lower() or "disk is full" in done.stderr.lower(), done.stderr
    assert str(small_disk) in done.stderr
    assert not (small_disk / "store.db.lock.holder").exists()
    os.remove(small_disk / "filler.bin")
    check = sqlite3.connect(small_disk / "store.db").execute("PRAGMA integrity_check").fetchone()
    assert check == ("ok",)
    again = cli(config, "sync", str(env.folder))  # with space again, the run completes
    assert again.returncode == 0, again.stderr
    assert len(env.issues()) == 40
