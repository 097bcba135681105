"""--write-back adds issue keys and ticks done actions, leaving every other byte alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from actiontrack.cli import app
from actiontrack.reader import read_file

DOC = (
    "---\r\nid: PM-WB\r\ndate: 2024-05-01\r\n---\r\n# Outage\r\n\r\n## Action items\r\n"
    "- [ ] Alert when lag exceeds 60 s for 5 minutes — owner: ikki, due: 2024-06-01 #post-release #detection\r\n"
    "- [ ] Add a CI test that fails when the pool exceeds 20 <!-- noqa: AT202 -->\r\n"
    "\r\n## 再発防止策\r\n"
    "| 対応内容 | 担当 | 期限 |\r\n|---|---|---|\r\n| 手順書を作成する | @sato | 2024-06-10 |\r\n"
    "\r\nNotes after the list stay as they are.\r\n"
)


def sync_cli(env: Any, *extra: str) -> Any:
    config = env.write_config()
    return CliRunner().invoke(app, ["--config", str(config), "sync", str(env.folder), "--tracker", env.tracker, *extra])


def test_keys_written_back_and_nothing_else_changes(tracker_env: Any) -> None:
    env = tracker_env("jira")
    path = env.folder / "pm.md"
    path.write_bytes(DOC.encode())
    ids_before = [a.id for a in read_file(path).postmortem.actions]  # type: ignore[union-attr]
    result = sync_cli(env, "--write-back")
    assert result.exit_code == 0, result.output
    after = path.read_bytes().decode()
    keys = [issue["key"] for issue in env.issues()]
    before_lines, after_lines = DOC.split("\r\n"), after.split("\r\n")
    changed = [(b, a) for b, a in zip(before_lines, after_lines, strict=True) if b != a]
    assert len(changed) == 3
    for (before, after_line), key in zip(changed, keys, strict=True):
        assert " ".join(after_line.replace(f" {key}", "", 1).split()) == " ".join(before.split())
    assert "<!-- noqa: AT202 -->" in after and after.count("\r\n") == DOC.count("\r\n")
    pm = read_file(path).postmortem
    assert pm is not None and [a.id for a in pm.actions] == ids_before  # ids survive the write-back
    assert [a.ticket for a in pm.actions] == keys
    again = sync_cli(env, "--write-back")
    assert again.exit_code == 0 and path.read_bytes().decode() == after  # idempotent


def test_done_issues_tick_their_task(tracker_env: Any) -> None:
    env = tracker_env("github")
    path = env.folder / "pm.md"
    path.write_bytes(DOC.encode())
    assert sync_cli(env).exit_code == 0
    first = min(env.issues(), key=lambda issue: issue["number"])
    env.sb.github.close_issue(first["number"], "completed", repo="acme/ops")
    env.sb.advance_time(5)
    assert sync_cli(env, "--write-back").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "- [x] Alert when lag exceeds 60 s" in text and "- [ ] Add a CI test" in text
    assert f"/issues/{first['number']}" in text
    pm = read_file(Path(path)).postmortem
    assert pm is not None and pm.actions[0].done


def test_gitlab_writes_the_issue_url_back(tracker_env: Any) -> None:
    """A bare #12 in a postmortem names no project: GitLab issues are written back as URLs."""
    env = tracker_env("gitlab")
    path = env.folder / "pm.md"
    path.write_bytes(DOC.encode())
    assert sync_cli(env, "--write-back").exit_code == 0
    text = path.read_text(encoding="utf-8")
    urls = [f"{env.sb.gitlab_url}/acme/platform/ops/-/issues/{issue['iid']}" for issue in env.issues()]
    assert len(urls) == 3 and all(url in text for url in urls)


def test_a_file_that_cannot_be_written_is_named_and_the_others_are_written(tracker_env: Any) -> None:
    env = tracker_env("jira")
    locked, fine = env.folder / "locked.md", env.folder / "fine.md"
    locked.write_bytes(DOC.encode())
    fine.write_bytes(DOC.replace("PM-WB", "PM-OK").encode())
    locked.chmod(0o444)
    result = sync_cli(env, "--write-back")
    assert result.exit_code == 1
    assert f"error: write-back: {locked}: the file is read-only" in result.output
    assert locked.read_bytes() == DOC.encode()
    assert "OPS-" in fine.read_text(encoding="utf-8")
    assert not [p for p in env.folder.iterdir() if ".actiontrack-" in p.name]
