"""Write-back and `tag --write` check their edits by reading the document again: all
actions' edits together, a few readings per document, and never at a neighbour's expense.

Checking each action's edit with its own reading made a file of n actions cost n readings of
the whole file (quadratic: minutes for a few thousand actions). These tests feed such files
bounded by pytest-timeout, not by a timing assertion, and show that an edit which keeps its own
action but changes another is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actiontrack.lint import lint
from actiontrack.reader import read_file
from actiontrack.reader.edits import Wanted, choose_edits, file_reading
from actiontrack.store.tables import LinkRow
from actiontrack.sync.writeback import ticket_recorded, write_back
from actiontrack.tagwrite import plan_tags

MANY = 3000  # each reading of such a file takes a good part of a second on a slow machine


def _link(action_id: str, key: str, *, done: bool = False) -> LinkRow:
    return LinkRow(action_id=action_id, tracker="jira", target="OPS", key=key,
                   url=f"https://example.test/browse/{key}", state="done" if done else "open")


@pytest.mark.timeout(120)
def test_write_back_of_thousands_of_actions_reads_the_file_a_few_times(tmp_path: Path) -> None:
    lines = [f"- [ ] Alert when queue {n} is deeper than {n + 10} messages — owner: @dev{n % 7}" for n in range(MANY)]
    path = tmp_path / "pm.md"
    path.write_text("# Outage\n\n## Action items\n" + "\n".join(lines) + "\n", encoding="utf-8")
    pm = read_file(path).postmortem
    assert pm is not None and len(pm.actions) == MANY
    links = {a.id: _link(a.id, f"OPS-{n}", done=n % 3 == 0) for n, a in enumerate(pm.actions)}

    done = write_back(pm, links)

    assert (done.changed, done.refused) == (MANY, [])
    again = read_file(path).postmortem
    assert again is not None
    assert [(a.title, a.owner, a.ticket, a.done) for a in again.actions] == [
        (a.title, a.owner, f"OPS-{n}", n % 3 == 0) for n, a in enumerate(pm.actions)]


@pytest.mark.timeout(120)
def test_tag_write_of_thousands_of_japanese_actions_reads_the_file_a_few_times(tmp_path: Path) -> None:
    lines = [f"- キュー{n}の滞留が{n + 10}件を超えたら通知するアラートを追加する（担当: @dev{n % 7}）" for n in range(MANY)]
    path = tmp_path / "pm.md"
    path.write_text("# 障害報告\n\n## 再発防止策\n" + "\n".join(lines) + "\n", encoding="utf-8")
    report = lint([read_file(path)])
    (pm,) = report.postmortems

    plan = plan_tags(pm, report.tags)

    assert plan.refused == [] and plan.tags == 2 * MANY
    written = tmp_path / "tagged.md"
    written.write_text(plan.after, encoding="utf-8")
    again = read_file(written).postmortem
    assert again is not None
    assert [(a.title, a.owner) for a in again.actions] == [(a.title, a.owner) for a in pm.actions]
    assert all(a.phase is not None and a.category is not None for a in again.actions)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_edit_that_keeps_its_action_but_swallows_the_next_is_refused(tmp_path: Path, lang: str) -> None:
    first, second = (("Add an alert on queue depth — owner: @lena", "Write the restore runbook — owner: @omar")
                     if lang == "en" else
                     ("キュー滞留のアラートを追加する（担当: @lena）", "復旧手順書を作成する（担当: @omar）"))
    text = f"# Outage\n\n## Action items\n- {first}\n- {second}\n"
    path = tmp_path / "pm.md"
    path.write_text(text, encoding="utf-8")
    pm = read_file(path).postmortem
    assert pm is not None and len(pm.actions) == 2
    target = pm.actions[0]
    end = text.index(first) + len(first)
    swallow = (end, text.index(second), " OPS-1\n  ")  # the key, and the next item made its continuation
    append = (end, end, " OPS-1")

    chosen = choose_edits(file_reading(path), text, pm.actions,
                          [Wanted(target, [swallow, append], ticket_recorded(target, "OPS-1"))])

    assert chosen == {target.id: append}
