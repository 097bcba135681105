"""Editing a postmortem at its anchors, checked by reading the result again.

Write-back (issue keys, ticks; files and Confluence pages) and `tag --write` (phase and
category) change a document a person wrote. All go through here: an edit is a (start, end,
replacement) at offsets the reader's anchors gave, and an edit counts only if the edited text,
read again by the same reader, still holds the same action — same id, title, owner and due
date — now with what was added, and every other action of the document reads as it did. Each
action's first candidate that passes is taken; none passing means the action is left alone,
never corrupted. Candidates of all actions are checked together, a few readings per document,
so the cost stays linear in the document's size whatever the number of actions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from actiontrack.model import Action

__all__ = ["Edit", "Reading", "Wanted", "apply", "choose_edits", "file_reading", "same_action"]

Edit = tuple[int, int, str]  # (start, end, replacement) in the decoded text


def apply(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits, last first so the earlier offsets hold."""
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def same_action(before: Action, after: Action) -> bool:
    return (after.title, after.owner, after.due, after.team) == (before.title, before.owner, before.due, before.team)


class Wanted(NamedTuple):
    """One action to edit: the places to try, in order, and what must hold after the edit."""

    action: Action
    candidates: Sequence[Edit]
    added: Callable[[Action], bool]


# A document whose edits keep disturbing neighbouring actions is tried one edit at a time, up to
# this many readings; what is left is refused, so no file costs more than a bounded number of reads.
SERIAL_READS = 24


Reading = Callable[[str], Sequence[Action]]  # the actions an edited text reads as


def file_reading(path: Path) -> Reading:
    """How a file's edited text is read: by the same reader that read the file."""

    def read(text: str) -> Sequence[Action]:
        from actiontrack.reader import read_text

        pm = read_text(path, text).postmortem
        return pm.actions if pm is not None else ()

    return read


def choose_edits(read: Reading, text: str, everyone: Sequence[Action], wanted: Sequence[Wanted],
                 *, base: Sequence[Edit] = ()) -> dict[str, Edit]:
    """For each wanted action, the first candidate that keeps it and adds what it must, such that
    every other action of the file still reads as it did (words, fields, ticket and tags).

    All actions' candidates are tried together and checked with one reading of the edited file,
    so a file costs a few readings however many actions it has (not one per action and candidate).
    `base` edits (ticks) are part of every reading. An action missing from the result is refused."""
    accepted: dict[str, Edit] = {}
    cursor = {w.action.id: 0 for w in wanted if w.candidates}
    by_id = {w.action.id: w for w in wanted}
    serial = SERIAL_READS
    while cursor:
        trial = {**accepted, **{i: by_id[i].candidates[c] for i, c in cursor.items()}}
        again = _by_id(read, apply(text, [*base, *trial.values()]))
        if _settled(everyone, again, by_id, accepted, cursor):
            for i in list(cursor):
                if _holds(by_id[i], again):
                    accepted[i] = by_id[i].candidates[cursor.pop(i)]
                else:
                    _advance(cursor, i, by_id)
            continue
        # some edit of this round changed an action it was not meant for: find which, one by one
        for i in list(cursor):
            if serial == 0:
                return _verified(read, text, everyone, by_id, accepted, base)
            serial -= 1
            alone = _by_id(read, apply(text, [*base, *accepted.values(), by_id[i].candidates[cursor[i]]]))
            if _settled(everyone, alone, by_id, accepted, (i,)) and _holds(by_id[i], alone):
                accepted[i] = by_id[i].candidates[cursor.pop(i)]
            else:
                _advance(cursor, i, by_id)
    return _verified(read, text, everyone, by_id, accepted, base)


def _verified(read: Reading, text: str, everyone: Sequence[Action], by_id: dict[str, Wanted],
              accepted: dict[str, Edit], base: Sequence[Edit]) -> dict[str, Edit]:
    """The accepted edits, read once more as the set that will be written; if that set no
    longer holds (an edit that failed had been holding another up), nothing is chosen."""
    if not accepted:
        return accepted
    again = _by_id(read, apply(text, [*base, *accepted.values()]))
    return accepted if _settled(everyone, again, by_id, accepted, ()) else {}


def _settled(everyone: Sequence[Action], again: dict[str, Action], by_id: dict[str, Wanted],
             accepted: dict[str, Edit], trying: Iterable[str]) -> bool:
    """The accepted actions still hold, and every action not being edited reads as before."""
    return all(_holds(by_id[i], again) for i in accepted) and _undisturbed(
        everyone, again, skip={*accepted, *trying})


def _advance(cursor: dict[str, int], action_id: str, by_id: dict[str, Wanted]) -> None:
    cursor[action_id] += 1
    if cursor[action_id] >= len(by_id[action_id].candidates):
        del cursor[action_id]


def _holds(want: Wanted, again: dict[str, Action]) -> bool:
    found = again.get(want.action.id)
    return found is not None and same_action(want.action, found) and want.added(found)


def _undisturbed(everyone: Sequence[Action], again: dict[str, Action], *, skip: Iterable[str]) -> bool:
    """Every action not being edited reads as before, its ticket and tags included."""
    skipped, seen = set(skip), set()
    for action in everyone:
        if action.id in skipped or action.id in seen:
            continue  # a repeated id is read as its first action, on both sides
        seen.add(action.id)
        found = again.get(action.id)
        if found is None or not same_action(action, found) or _marks(found) != _marks(action):
            return False
    return True


def _marks(action: Action) -> tuple[object, ...]:
    return (action.ticket, action.phase, action.category)


def _by_id(read: Reading, text: str) -> dict[str, Action]:
    """The actions `text` reads as, by id (the first of a repeated id)."""
    out: dict[str, Action] = {}
    for action in read(text):
        out.setdefault(action.id, action)
    return out
