"""`sync --write-back`: put each action's issue key into its file and tick done actions.

The reader knows where every action sits (model.Anchor: offsets into the text it read,
whose digest the Postmortem keeps), so write-back edits exactly those characters: a key
goes after the action's words and fields, or into the empty Ticket cell of its row; a
TOML action gets `ticket = "…"` in its table; `- [ ]` becomes `- [x]`. Every other byte,
line endings and BOM included, stays as it was.

Safety, in order: the file must still be what was read (same digest), or it is refused
with a message and left alone; every edit is checked by reading the edited text again —
the action must come back with the same id, owner and due date and the new ticket — and
an edit that would change anything else is not made. The file is replaced atomically,
keeping its mode, owner, symlink and links (actiontrack.safe_write).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from actiontrack.model import Action, Postmortem
from actiontrack.reader.edits import Edit, Reading, Wanted, apply, choose_edits, file_reading
from actiontrack.safe_write import replace_text
from actiontrack.store.tables import LinkRow
from actiontrack.textcodec import decode
from actiontrack.trackers.registry import known

__all__ = ["KeyPlan", "WriteBack", "plan_keys", "reference", "ticket_recorded", "write_back"]


@dataclass(slots=True)
class WriteBack:
    """What write-back did to one file: how many actions changed, and what it refused."""

    path: Path
    changed: int = 0
    refused: list[str] = field(default_factory=list)  # one message per action or for the file


def reference(link: LinkRow) -> str | None:
    """What to write: what the tracker says names the issue outside it (a key, or a URL
    where a bare number would be ambiguous)."""
    if not link.key:
        return None
    found = known(link.tracker)
    return found.reference(link.key, link.url) if found is not None else (link.url or link.key)


def write_back(pm: Postmortem, links: Mapping[str, LinkRow], reopened: Set[str] = frozenset()) -> WriteBack:
    """Update one postmortem file with its actions' issue keys and done marks; a postmortem
    read from elsewhere (a Confluence page) is written back by its origin, under the same rules.
    `reopened`: actions whose issue a person reopened in this sync: their box is unticked, so
    the file does not claim done what the tracker says is open (a box a person ticked while
    the issue stayed open is left alone)."""
    if pm.origin is not None:
        done = pm.origin.write_back(pm, links)
        assert isinstance(done, WriteBack)
        return done
    result = WriteBack(pm.path)
    decoded = decode(pm.path.read_bytes())
    text = decoded.text
    from actiontrack.reader import text_digest

    if pm.digest is not None and text_digest(text) != pm.digest:
        result.refused.append(
            f"{pm.path}: changed since it was read; nothing written (run sync again to add the keys)")
        return result
    planned = plan_keys(
        pm.actions, links, text, file_reading(pm.path), text,
        tick=lambda action, link: _tick(text, action, link, reopen=action.id in reopened),
        candidates=lambda action, _link, ref: _candidates(text, action, ref),
        where=lambda action: action.location)
    result.changed, result.refused = planned.changed, planned.refused
    if planned.edits:
        _replace(pm.path, apply(text, planned.edits), decoded.encoding)
    return result


class KeyPlan(NamedTuple):
    """The edits that record a document's keys and ticks, how many actions they change, what is refused."""

    edits: list[Edit]
    changed: int
    refused: list[str]


def plan_keys(actions: Sequence[Action], links: Mapping[str, Any], shown: str, read: Reading, source: str, *,
              tick: Callable[[Action, Any], list[Edit]], candidates: Callable[[Action, Any, str], list[Edit]],
              where: Callable[[Action], str], suffix: str = "") -> KeyPlan:
    """Write-back's plan for one document, a file or a Confluence page: each linked action's tick
    (always made), and its key at the first candidate place reader.edits finds safe. `shown` is the
    text the anchors index, `source` the text the edits apply to (the same for a file)."""
    ticks: list[Edit] = []
    ticked: set[int] = set()
    wanted: dict[str, Wanted] = {}
    refused: list[str] = []
    for action in actions:
        link = links.get(action.id)
        anchor = action.anchor
        if link is None or anchor is None:
            continue
        tick_edits = tick(action, link)
        if tick_edits:
            ticks += tick_edits
            ticked.add(id(action))
        ref = reference(link)
        if not ref or action.ticket or ref in shown[anchor.start : anchor.end]:
            continue  # nothing to record, or the key is there already
        if action.id in wanted:  # edits are checked by id: only the first of a repeated id is edited
            refused.append(f"{where(action)}: {action.title!r}: its id repeats an earlier action's; "
                           f"give it its own id to record its key{suffix}")
            continue
        wanted[action.id] = Wanted(action, candidates(action, link, ref), ticket_recorded(action, ref))
    chosen = choose_edits(read, source, actions, list(wanted.values()), base=ticks)
    keyed = {id(want.action) for want in wanted.values() if want.action.id in chosen}
    refused += [f"{where(want.action)}: {want.action.title!r}: the key cannot be added without changing the "
                f"action's words or fields; add it by hand{suffix}"
                for want in wanted.values() if want.action.id not in chosen]
    return KeyPlan([*ticks, *chosen.values()], len(ticked | keyed), refused)


def _tick(text: str, action: Action, link: LinkRow, *, reopen: bool = False) -> list[Edit]:
    """`- [ ]` becomes `- [x]` when the issue is done, and `- [x]` `- [ ]` again when a person
    reopened it."""
    anchor = action.anchor
    assert anchor is not None
    at = anchor.checkbox_at
    if at is None:
        return []
    if link.state == "done" and not action.done and text[at] == " ":
        return [(at, at + 1, "x")]
    if reopen and link.state == "open" and action.done and text[at] in "xX":
        return [(at, at + 1, " ")]
    return []


def ticket_recorded(action: Action, ref: str) -> Callable[[Action], bool]:
    """The check an edited action must pass: it carries `ref` as its ticket, tags unchanged."""

    def has_ticket(again: Action) -> bool:
        return (again.ticket or "").rstrip("/") == ref.rstrip("/") and (
            again.phase, again.category) == (action.phase, action.category)

    return has_ticket


def _candidates(text: str, action: Action, ref: str) -> list[Edit]:
    anchor = action.anchor
    assert anchor is not None
    if anchor.shape == "row":
        from actiontrack.reader.blocks import cell_bounds

        row = text[anchor.start : anchor.end]
        cells = {name: (anchor.start + start, anchor.start + end)
                 for name, (start, end) in zip(anchor.columns, cell_bounds(row), strict=False) if name}
        out: list[Edit] = []
        if "ticket" in cells:
            start, end = cells["ticket"]
            if text[start:end].strip() in ("", "-", "—", "–", "TBD", "n/a"):
                if end > start:
                    out.append((start, end, ref))
                else:  # an empty cell: fill the space between its pipes
                    left = text.rfind("|", anchor.start, start)
                    right = text.find("|", start, anchor.end + 1)
                    if left >= 0 and right > left:
                        # keep the cell's own spaces: "|   |" becomes "| OPS-1   |"
                        out.append((left + 2, left + 2, f"{ref} ") if right - left > 1 else
                                   (left + 1, left + 1, f" {ref} "))
        if "title" in cells:
            _, end = cells["title"]
            out.append((end, end, f" {ref}"))
        return out
    if anchor.shape == "toml":
        indent = _indent_of(text, anchor.insert_at)
        return [(anchor.insert_at, anchor.insert_at, f"\n{indent}ticket = {_toml_string(ref)}")]
    if anchor.shape == "toml-inline":
        return [(anchor.insert_at, anchor.insert_at, f", ticket = {_toml_string(ref)}")]
    if anchor.shape == "prose":
        return []
    at = anchor.insert_at
    return [(at, at, f" {ref}"), (at, at, f", {ref}"), (at, at, f" ({ref})")]


def _indent_of(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    line = text[line_start:offset]
    return line[: len(line) - len(line.lstrip())]


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _replace(path: Path, text: str, encoding: str) -> None:
    """Mode, owner, symlinks and hard links kept, no torn file, no temp left (safe_write);
    the file's own encoding kept (actiontrack.textcodec)."""
    replace_text(path, text, encoding=encoding)
