"""Write-back and `tag --write` on documents people have mangled: whatever the file holds,
every action reads the same afterwards (title, owner, due date, team), only gains its key or
tags, and nothing raises.

The documents are the repository's real postmortems and samples, each damaged by a seeded
random edit of the kind editors and merges make (a line deleted, duplicated, moved, indented,
repeated; a stray pipe, backtick, comment opener, fence, bullet or full-width colon; a
character cut). Seeds are fixed, so a failure names its case and reproduces.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from actiontrack.lint import lint
from actiontrack.model import Action
from actiontrack.reader import read_file
from actiontrack.store.tables import LinkRow
from actiontrack.sync.writeback import write_back
from actiontrack.tagwrite import plan_tags

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCUMENTS = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".md", ".txt", ".toml")
                   and not p.name.endswith(".expected.toml"))
DAMAGE = ["\u200b", "\ufeff", "\r", "\t", "\u3000", "|", "\\", "`", "*", "<!--", "-->", "```", "#", "- ", "1.",
          ":", "：", "【", "】", "\n", "    ", "[", "](", "**", "~~"]
CASES = 120


def _mangle(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        if not lines:
            break
        i, kind = rng.randrange(len(lines)), rng.randint(0, 6)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif kind == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3:
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(DAMAGE) + lines[i][at:]
        elif kind == 4:
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + lines[i][at + rng.randint(1, 5):]
        elif kind == 5:
            lines[i] = " " * rng.randint(1, 6) + lines[i]
        else:
            lines[i] = lines[i] * rng.randint(2, 5)
    return "\n".join(lines)


def _case(tmp_path: Path, seed: int) -> Path:
    rng = random.Random(seed)
    source = rng.choice(DOCUMENTS)
    path = tmp_path / f"case{seed}{source.suffix}"
    path.write_text(_mangle(rng, source.read_text(encoding="utf-8", errors="replace")), encoding="utf-8")
    return path


def _words(actions: tuple[Action, ...]) -> dict[str, tuple[object, ...]]:
    first: dict[str, tuple[object, ...]] = {}
    for a in actions:
        first.setdefault(a.id, (a.title, a.owner, a.due, a.team))
    return first


@pytest.mark.parametrize("seed", range(CASES))
def test_write_back_on_a_mangled_document_changes_no_action(tmp_path: Path, seed: int) -> None:
    path = _case(tmp_path, seed)
    pm = read_file(path).postmortem
    if pm is None:
        return
    links = {a.id: LinkRow(action_id=a.id, tracker="jira", target="OPS", key=f"OPS-{n}",
                           url=f"https://example.test/browse/OPS-{n}", state="done" if n % 2 else "open")
             for n, a in enumerate(pm.actions)}

    write_back(pm, links)

    again = read_file(path).postmortem
    assert again is not None
    assert _words(again.actions) == _words(pm.actions)
    before = {a.id: a.ticket for a in reversed(pm.actions)}  # the first action of a repeated id
    for a in again.actions:  # each kept the ticket it had, or gained its own key (or was left alone)
        assert a.ticket in (before[a.id], None, links[a.id].key), a


@pytest.mark.parametrize("seed", range(CASES, 2 * CASES))
def test_tag_write_on_a_mangled_document_changes_no_action(tmp_path: Path, seed: int) -> None:
    path = _case(tmp_path, seed)
    report = lint([read_file(path)])
    for pm in report.postmortems:
        plan = plan_tags(pm, report.tags)
        path.write_text(plan.after, encoding="utf-8")
        again = read_file(path).postmortem
        assert again is not None
        assert _words(again.actions) == _words(pm.actions)
        assert [(a.ticket, a.done) for a in again.actions] == [(a.ticket, a.done) for a in pm.actions]
