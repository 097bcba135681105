"""`sync --write-back`: put each action's issue key into its file and tick done actions.

Only the bytes that change are touched: the key is appended to the action's line (or
put in the Ticket cell of a table row), `- [ ]` becomes `- [x]`, and every other byte,
line endings included, stays as it was. The file is replaced atomically, keeping its
mode, owner, symlink and links (actiontrack.safe_write).
The key lands in the trailing fields, so the action's words, and so its id, do not change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from actiontrack.model import Action, Postmortem
from actiontrack.reader.markdown import table_columns
from actiontrack.safe_write import replace_text
from actiontrack.store.tables import LinkRow
from actiontrack.trackers.registry import known

_CHECKBOX = re.compile(r"^(\s*(?:[-*+]|\d{1,3}[.)])\s+)\[ \]")
_TRAILING_COMMENTS = re.compile(r"(\s*(?:<!--.*?-->\s*)*)$")


def reference(link: LinkRow) -> str | None:
    """What to write: what the tracker says names the issue outside it (a key, or a URL
    where a bare number would be ambiguous)."""
    if not link.key:
        return None
    found = known(link.tracker)
    return found.reference(link.key, link.url) if found is not None else (link.url or link.key)


def write_back(pm: Postmortem, links: Mapping[str, LinkRow]) -> int:
    """Update one postmortem file; returns how many actions changed. TOML files are left alone."""
    if pm.path.suffix.lower() == ".toml":
        return 0
    raw = pm.path.read_bytes()
    lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    changed = 0
    plain = [line.rstrip("\r\n") for line in lines]
    for action in pm.actions:
        link = links.get(action.id)
        if link is None or action.line > len(lines):
            continue
        index = action.line - 1
        updated = _update_line(lines[index], action, link, table_columns(plain, index))
        if updated != lines[index]:
            lines[index] = updated
            changed += 1
    if changed:
        bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
        _replace(pm.path, bom + "".join(lines))
    return changed


def _update_line(line: str, action: Action, link: LinkRow, columns: dict[int, str] | None) -> str:
    body, newline = (line[:-2], "\r\n") if line.endswith("\r\n") else (
        (line[:-1], "\n") if line.endswith("\n") else (line, ""))
    ref = reference(link)
    if ref and not action.ticket and ref not in body:
        body = _add_to_row(body, ref, columns) if columns is not None else _add_to_item(body, ref)
    if link.state == "done" and not action.done:
        body = _CHECKBOX.sub(r"\1[x]", body, count=1)
    return body + newline


def _add_to_item(body: str, ref: str) -> str:
    """Append the reference to a list item, before any trailing HTML comments."""
    comments = _TRAILING_COMMENTS.search(body)
    cut = comments.start() if comments else len(body)
    return f"{body[:cut].rstrip()} {ref}{body[cut:]}"


def _add_to_row(row: str, ref: str, columns: dict[int, str]) -> str:
    """Fill an empty Ticket cell, or append the reference to the action's cell."""
    cells = row.split("|")
    offset = 1 if row.lstrip().startswith("|") else 0  # cells[0] is what precedes the first pipe
    by_field = {name: index + offset for index, name in columns.items()}
    ticket = by_field.get("ticket")
    if ticket is not None and ticket < len(cells) and cells[ticket].strip() in ("", "-", "—"):
        cells[ticket] = f" {ref} "
    elif by_field.get("title", len(cells)) < len(cells):
        title = by_field["title"]
        cells[title] = f"{cells[title].rstrip()} {ref} "
    else:
        return row
    return "|".join(cells)


def _replace(path: Path, text: str) -> None:
    """Mode, owner, symlinks and hard links kept, no torn file, no temp left (safe_write)."""
    replace_text(path, text)
