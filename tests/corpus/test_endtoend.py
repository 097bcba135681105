"""bench/endtoend.py scores what a user sees: a missed action is a missed flag, a flagged
non-action is a false alarm, and a tag counts only on an action that was read."""

from __future__ import annotations

from pathlib import Path

from bench_modules import load

endtoend = load("endtoend")
extraction = endtoend.extraction


def _doc(path: Path, *lines: tuple[int, str]) -> object:
    expected = [extraction.Expected(line, title, None, None, False, True) for line, title in lines]
    return extraction.Doc(path, "heldout6", "en", False, expected)


def test_read_flagged_missed_and_extra_actions_are_scored_as_a_user_meets_them(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text("# Outage\n\n## Action items\n\n- Improve monitoring\n"
                    "- Alert when replication lag exceeds 60 seconds for 5 minutes\n"
                    "- Be more careful\n",
                    encoding="utf-8")
    doc = _doc(path, (5, "Improve monitoring"), (6, "Alert when replication lag exceeds 60 seconds for 5 minutes"),
               (99, "Write the capacity runbook"))
    items = [{"vague": True, "phase": "post-release", "category": "detection"},
             {"vague": False, "phase": "post-release", "category": "detection"},
             {"vague": True, "phase": "development", "category": "recovery"}]
    counts = endtoend.Counts()
    endtoend.score_doc(doc, items, counts)
    assert (counts.docs, counts.actions, counts.read) == (1, 3, 2)
    assert counts.extra == 1  # "Be more careful" was read but is no written-down action
    assert sorted(counts.vague) == [(False, False), (False, True), (True, False), (True, True)]
    assert counts.right["category"] <= counts.tagged["category"] <= 2  # never a tag on the missed action
    assert any("not read: Write the capacity runbook" in line for line in counts.misses)
