"""Write-back edits exactly the bytes of each action, in every shape the reader reads.

For each shape: the file gets the issue reference (and a tick when the issue is done), every
other byte stays, and reading the file again gives the same action — same id, title, owner
and due date — now with the ticket. A file changed since it was read is refused, and an
action whose key could only be added by changing its words is left alone with a message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actiontrack.model import Postmortem
from actiontrack.reader import read_file
from actiontrack.store.tables import LinkRow
from actiontrack.sync.writeback import write_back

HEAD = "# Outage\n\n## Action items\n"
SHAPES = {
    "task item with fields": (HEAD + "- [ ] Alert on lag above 60 s — owner: @lena, due: 2024-06-01\n", "md"),
    "owner with a space last": (HEAD + "- Alert on lag above 60 s — owner: Tom Baker\n", "md"),
    "owner handle last": (HEAD + "- Add a canary stage (owner: @lena)\n", "md"),
    "no fields": (HEAD + "1. Write the failover runbook\n", "md"),
    "tags last": (HEAD + "* Page on-call when lag exceeds 60 s #post-release #detection\n", "md"),
    "trailing comment": (HEAD + "- Add a pool-size test <!-- noqa: AT202 -->\n", "md"),
    "wrapped title": (HEAD + "- Alert when the replication lag reported by the\n  primary exceeds 60 seconds\n", "md"),
    "fields on a sub-bullet": (HEAD + "- Add a canary stage\n  - owner: @kim\n  - due: 2024-06-01\n", "md"),
    "japanese fields": ("# 障害\n\n## 再発防止策\n- [ ] 手順書を作成する（担当: @natsu, 期限: 2024年6月30日）\n", "md"),
    "plain-text bullet": ("障害のお知らせ\n\n■再発防止策\n・監視アラートを追加する\n", "txt"),
    "list after a bare label item": ("# Outage\n\n- **Review actions**:\n\n1. Write the failover runbook\n", "md"),
    "label line in plain text": ("outage notes\n\n  Future:\n  - file a bug for the flaky host\n", "txt"),
    "bold parent that commits": (HEAD + "1. **Add rate limits to the login API**\n   - 10 a second\n", "md"),
    "numbered heading action": (HEAD + "### 1) Set up websocket metrics `@dma`\n\nWe want socket counts.\n", "md"),
    "table with an empty ticket cell": (
        HEAD + "| Action | Owner | Ticket |\n|---|---|---|\n| Add a lag alert | ana |  |\n", "md"),
    "table without a ticket column": (HEAD + "| Action | Owner |\n|---|---|\n| Add a lag alert | ana |\n", "md"),
    "table with escaped pipes": (
        HEAD + "| Action | Owner | Issue |\n|---|---|---|\n| Split reads \\| writes | ana |   |\n", "md"),
    "crlf and bom": ("\ufeff# Outage\r\n\r\n## Action items\r\n- [ ] Add a lag alert — owner: @ana\r\n", "md"),
    "toml table": ('title = "Outage"\n\n[[actions]]\ntitle = "Add a lag alert"\nowner = "ana"\n\n'
                   '[[actions]]\ntitle = "Write the runbook"\n', "toml"),
    "toml inline tables": ('title = "Outage"\nactions = [\n  { title = "Add a lag alert", owner = "ana" },\n'
                           '  { title = "Write the runbook" },\n]\n', "toml"),
}


def _link(action_id: str, key: str, *, done: bool = False, tracker: str = "jira") -> LinkRow:
    url = f"https://example.test/browse/{key}" if tracker == "jira" else f"https://github.com/o/r/issues/{key}"
    return LinkRow(action_id=action_id, tracker=tracker, target="OPS", key=key, url=url,
                   state="done" if done else "open")


def _read(path: Path) -> Postmortem:
    pm = read_file(path).postmortem
    assert pm is not None and pm.actions
    return pm


@pytest.mark.parametrize("tracker", ["jira", "github"])
@pytest.mark.parametrize("name", sorted(SHAPES))
def test_write_back_in_every_shape(tmp_path: Path, name: str, tracker: str) -> None:
    text, suffix = SHAPES[name]
    path = tmp_path / f"pm.{suffix}"
    path.write_bytes(text.encode("utf-8"))
    before = _read(path)
    keys = {a.id: f"{n + 12}" if tracker == "github" else f"OPS-{n + 12}" for n, a in enumerate(before.actions)}
    links = {a.id: _link(a.id, keys[a.id], done=True, tracker=tracker) for a in before.actions}
    result = write_back(before, links)
    assert not result.refused, result.refused
    assert result.changed == len(before.actions)
    after = _read(path)
    assert [(a.id, a.title, a.owner, a.due) for a in after.actions] == [
        (a.id, a.title, a.owner, a.due) for a in before.actions]
    for action in after.actions:
        link = links[action.id]
        expected = link.key if tracker == "jira" else link.url
        assert action.ticket == expected
    edited = path.read_bytes().decode("utf-8")
    assert edited.startswith("\ufeff") == text.startswith("\ufeff")
    assert ("\r\n" in edited) == ("\r\n" in text)
    # Only characters were added (and a box ticked): the original is a subsequence of the result.
    remaining = iter(edited.replace("[x]", "[ ]"))
    assert all(char in remaining for char in text.replace("[x]", "[ ]"))
    assert not list(tmp_path.glob(".pm.*.tmp"))


def test_a_placeholder_ticket_cell_is_filled(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(HEAD + "| Action | Owner | Ticket |\n|---|---|---|\n| Add a lag alert | ana | - |\n", encoding="utf-8")
    pm = _read(path)
    assert write_back(pm, {pm.actions[0].id: _link(pm.actions[0].id, "OPS-4")}).changed == 1
    assert path.read_text(encoding="utf-8").endswith("| Add a lag alert | ana | OPS-4 |\n")


def test_a_second_write_back_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(SHAPES["task item with fields"][0], encoding="utf-8")
    pm = _read(path)
    links = {a.id: _link(a.id, "OPS-1") for a in pm.actions}
    assert write_back(pm, links).changed == 1
    again = _read(path)
    once = path.read_bytes()
    assert write_back(again, links).changed == 0
    assert path.read_bytes() == once


def test_a_done_issue_ticks_the_box(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(HEAD + "- [ ] Add a lag alert OPS-3\n", encoding="utf-8")
    pm = _read(path)
    assert write_back(pm, {pm.actions[0].id: _link(pm.actions[0].id, "OPS-3", done=True)}).changed == 1
    assert path.read_text(encoding="utf-8") == HEAD + "- [x] Add a lag alert OPS-3\n"


def test_a_file_edited_since_it_was_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(HEAD + "- Add a lag alert\n- Write the runbook\n", encoding="utf-8")
    pm = _read(path)
    edited = HEAD + "- A line a person inserted while sync ran\n- Add a lag alert\n- Write the runbook\n"
    path.write_text(edited, encoding="utf-8")
    result = write_back(pm, {a.id: _link(a.id, f"OPS-{n}") for n, a in enumerate(pm.actions)})
    assert result.changed == 0 and "changed since it was read" in result.refused[0]
    assert path.read_text(encoding="utf-8") == edited  # the person's edit is left alone


def test_a_prose_action_is_left_alone_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    text = "# Outage\n## Next steps\nWe will add an alert on replication lag.\n"
    path.write_text(text, encoding="utf-8")
    pm = _read(path)
    result = write_back(pm, {pm.actions[0].id: _link(pm.actions[0].id, "OPS-9")})
    assert result.changed == 0 and "add it by hand" in result.refused[0]
    assert path.read_text(encoding="utf-8") == text
