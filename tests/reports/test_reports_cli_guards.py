"""status and report never create a store, say when nothing matches, and honour PATH."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from reports_support import Spec, fill
from typer.testing import CliRunner, Result

from actiontrack.cli import app
from actiontrack.store import Store


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--config", str(config)])


@pytest.fixture
def empty_config(tmp_path: Path) -> Path:
    config = tmp_path / "actiontrack.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path}/state/store.db"\n', encoding="utf-8")
    return config


@pytest.mark.parametrize("command", [["status"], ["report", "overdue"], ["report", "coverage"],
                                     ["report", "overdue", "--fail-on-overdue"]])
def test_no_store_is_exit_2_and_none_is_created(empty_config: Path, command: list[str]) -> None:
    result = run(empty_config, *command)
    assert result.exit_code == 2, result.output
    assert "no store at " in result.stderr and "run `actiontrack sync` first" in result.stderr
    assert not (empty_config.parent / "state").exists()  # not even its folder


def test_a_store_without_tables_is_no_store(tmp_path: Path) -> None:
    (tmp_path / "empty.db").write_bytes(b"")
    config = tmp_path / "at.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path}/empty.db"\n', encoding="utf-8")
    assert run(config, "report", "overdue").exit_code == 2


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    url = f"sqlite:///{tmp_path}/store.db"
    with Store.open(url) as store:
        fill(store, [Spec("a1", owner="田中", due=dt.date(2025, 2, 1)), Spec("a2", owner="kim"),
                     Spec("b1", pm="pm2", owner="kim", due=dt.date(2025, 2, 10))])
    config = tmp_path / "at.toml"
    config.write_text(f'[store]\nurl = "{url}"\n', encoding="utf-8")
    return config


def test_status_says_no_action_matches_rather_than_the_store_is_empty(filled: Path) -> None:
    result = run(filled, "status", "--owner", "nobody")
    assert result.exit_code == 0
    assert result.stdout.strip() == "no action matches --owner nobody (3 actions in the store)"


def test_status_columns_align_with_east_asian_names(filled: Path) -> None:
    lines = [line for line in run(filled, "status").stdout.splitlines() if line.strip()]
    header, rows = lines[0], [ln for ln in lines[1:] if not set(ln.strip()) <= {"─", "-", " "}]
    from rich.cells import cell_len

    action_column = cell_len(header[: header.index("action")])
    for row in rows:
        title = next(t for t in ("do a1", "do a2", "do b1") if t in row)
        assert cell_len(row[: row.index(title)]) == action_column, row


def test_report_overdue_path_restricts_to_the_postmortems_in_it(filled: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the store holds pm1.md and pm2.md, relative paths as sync read them
    (tmp_path / "pm1.md").write_text("# pm1\n", encoding="utf-8")
    everything = json.loads(run(filled, "report", "overdue", "--as-of", "2025-03-01", "-f", "json").stdout)
    only = json.loads(run(filled, "report", "overdue", "pm1.md", "--as-of", "2025-03-01", "-f", "json").stdout)
    assert {i["postmortem_id"] for i in everything} == {"pm1", "pm2"}
    assert {i["postmortem_id"] for i in only} == {"pm1"}
    table = run(filled, "report", "overdue", "pm1.md", "--as-of", "2025-03-01").stdout
    assert "path=pm1.md" in table


def test_report_overdue_path_with_no_synced_postmortem_is_refused(filled: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    result = run(filled, "report", "overdue", str(elsewhere))
    assert result.exit_code == 2 and "no synced postmortem is in" in result.stderr


def test_report_tables_printed_to_a_terminal_carry_no_escape_sequences(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/esc.db"
    with Store.open(url) as store:
        fill(store, [Spec("e1", owner="mal\x1b]0;owned\x07", due=dt.date(2025, 2, 1),
                          title="Fix \x1b[2Jthe \x9b31mloop")])
    config = tmp_path / "esc.toml"
    config.write_text(f'[store]\nurl = "{url}"\n', encoding="utf-8")
    for fmt in ("table", "markdown"):
        out = run(config, "report", "overdue", "--as-of", "2025-03-01", "-f", fmt).stdout
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "loop" in out, fmt
    raw = json.loads(run(config, "report", "overdue", "--as-of", "2025-03-01", "-f", "json").stdout)
    assert raw[0]["title"] == "Fix \x1b[2Jthe \x9b31mloop"  # machine formats keep the data as it is
    status = run(config, "status").stdout
    assert "\x1b" not in status and "Fix the" in status
