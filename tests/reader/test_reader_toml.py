"""TOML postmortems: structured data with [[actions]] tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from actiontrack.model import Category, Phase
from actiontrack.reader import read_file

TOML = '''# comment
id = "PM-2024-041"
title = "Release rolled back"
date = 2024-11-13
url = "https://wiki.example.com/pm/41"
tracker = "github"

[[actions]]
title = "Add an IAM policy simulation step"
owner = "arthur"
due = 2024-12-13
phase = "検証"
category = "prevent"
priority = "high"
tags = ["iam"]

[[actions]]
id = "rewrite"
title = "Rewrite the deployment platform"
deu = 2025-01-01
noqa = ["AT104"]
'''


def test_toml_actions_with_lines_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "pm.toml"
    path.write_text(TOML, encoding="utf-8")
    result = read_file(path)
    pm = result.postmortem
    assert pm is not None and (pm.id, pm.date, pm.tracker) == ("PM-2024-041", dt.date(2024, 11, 13), "github")
    first, second = pm.actions
    assert (first.line, first.owner, first.due, first.phase, first.category, first.priority) == (
        8, "arthur", dt.date(2024, 12, 13), Phase.VERIFICATION, Category.RECURRENCE, "P1")
    assert first.tags == ("iam",)
    assert second.id == "PM-2024-041:rewrite" and second.noqa == frozenset({"AT104"})
    assert [(f.code, f.line) for f in result.findings] == [("AT007", 20)]
    assert "'deu'" in result.findings[0].message


def test_toml_action_without_title_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pm.toml"
    path.write_text('title = "x"\n[[actions]]\nowner = "a"\n[[actions]]\ntitle = "ok"\nowner = ["a"]\n', encoding="utf-8")
    result = read_file(path)
    assert [(f.code, f.line) for f in result.findings] == [("AT008", 2), ("AT008", 6)]
    assert result.postmortem is not None and [a.title for a in result.postmortem.actions] == ["ok"]


def test_toml_that_is_not_a_postmortem_is_an_error_only_when_named(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text("[tool]\nx = 1\n", encoding="utf-8")
    assert read_file(path, explicit=False).postmortem is None
    assert read_file(path, explicit=False).findings == ()
    assert [f.code for f in read_file(path).findings] == ["AT003"]


def test_toml_inline_action_tables_point_at_their_own_lines(tmp_path: Path) -> None:
    path = tmp_path / "pm.toml"
    path.write_text('''title = "Queue consumers stuck"
date = 2025-02-25
actions = [
  { title = "Pin the broker client", owner = "jun", due = 2025-02-28 },

  { title = "Alert on consumer lag", owner = "ana", due = "2025-03-07", status = "done" },
]
''', encoding="utf-8")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [(a.line, a.end_line, a.title, a.done) for a in pm.actions] == [
        (4, 4, "Pin the broker client", False), (6, 6, "Alert on consumer lag", True)]


def test_toml_actions_on_one_line_point_at_the_actions_key(tmp_path: Path) -> None:
    path = tmp_path / "pm.toml"
    path.write_text('title = "x"\nactions = [{ title = "A" }, { title = "B" }]\n', encoding="utf-8")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [a.line for a in pm.actions] == [2, 2]
