"""Editing a postmortem at its anchors, checked by reading the result again.

Write-back (issue keys, ticks) and `tag --write` (phase and category) both change a file a
person wrote. Both go through here: an edit is a (start, end, replacement) at offsets the
reader's anchors gave, and an edit counts only if the edited text, read again by the same
reader, still holds the same action — same id, title, owner and due date — now with what was
added. The first candidate edit that passes is taken; none passing means the action is left
alone, never corrupted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from actiontrack.model import Action

__all__ = ["Edit", "apply", "first_that_keeps", "reread"]

Edit = tuple[int, int, str]  # (start, end, replacement) in the decoded text


def apply(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits, last first so the earlier offsets hold."""
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def reread(path: Path, text: str, action_id: str) -> Action | None:
    """The action with `action_id` as the reader reads it in `text` (None if it is gone)."""
    from actiontrack.reader import read_text  # the same reader that read the file

    pm = read_text(path, text).postmortem
    if pm is None:
        return None
    return next((a for a in pm.actions if a.id == action_id), None)


def same_action(before: Action, after: Action) -> bool:
    return (after.title, after.owner, after.due, after.team) == (before.title, before.owner, before.due, before.team)


def first_that_keeps(
    text: str, action: Action, candidates: Iterable[Edit], added: Callable[[Action], bool], *, base: Iterable[Edit] = ()
) -> Edit | None:
    """The first candidate edit after which `action` reads the same and `added(action)` holds.
    `base` edits (already chosen for other actions of the file) are applied first."""
    chosen = list(base)
    for candidate in candidates:
        again = reread(action.path, apply(text, [*chosen, candidate]), action.id)
        if again is not None and same_action(action, again) and added(again):
            return candidate
    return None
