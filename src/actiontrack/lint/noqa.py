"""Suppression: noqa markers on an action or a whole file, and the markers that suppress nothing.

A separate small step over immutable findings, as in ruff: `apply` drops what the markers
cover and remembers which entries were used, so `unused` can report the stale ones
(ruff's RUF100, our AT901).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from actiontrack import catalog
from actiontrack.model import Action, Finding, Postmortem

BLANKET = "*"  # a marker with no codes: suppresses every rule
FILE = ""  # the key of the file-wide marker in `used`


def file_noqa(pm: Postmortem | None) -> frozenset[str] | None:
    """`noqa: [AT302]` in front matter or top-level TOML suppresses those rules file-wide."""
    if pm is None or "noqa" not in pm.metadata:
        return None
    value = pm.metadata["noqa"]
    items = value if isinstance(value, list) else [value]
    return frozenset(str(item) for item in items if item not in (None, True))


def matching_entry(finding: Finding, noqa: frozenset[str] | None) -> str | None:
    """The marker entry that suppresses `finding` (BLANKET for a bare noqa), or None."""
    if noqa is None:
        return None
    if not noqa:
        return BLANKET
    for item in sorted(noqa):
        if finding.code in {r.code for r in catalog.expand_selector(item)}:
            return item
    return None


def apply(findings: list[Finding], enabled: frozenset[str], pm: Postmortem | None) -> list[Finding]:
    """The enabled findings no marker suppresses, then AT901 for the markers that suppressed nothing."""
    whole_file = file_noqa(pm)
    if whole_file is None and (pm is None or all(a.noqa is None for a in pm.actions)):
        return [f for f in findings if f.code in enabled]  # no marker anywhere: only the selection applies
    actions: dict[str, Action] = {a.id: a for a in pm.actions} if pm else {}
    used: dict[str, set[str]] = defaultdict(set)
    kept = []
    for finding in findings:
        if finding.code not in enabled:
            continue
        entry = matching_entry(finding, whole_file)
        if entry is not None:
            used[FILE].add(entry)
            continue
        action = actions.get(finding.action_id or "")
        entry = matching_entry(finding, action.noqa) if action else None
        if action and entry is not None:
            used[action.id].add(entry)
            continue
        kept.append(finding)
    if pm is not None and catalog.UNUSED_NOQA.code in enabled:
        kept += unused(pm, whole_file, used, enabled)
    return kept


def unused(pm: Postmortem, whole_file: frozenset[str] | None, used: dict[str, set[str]],
           enabled: frozenset[str]) -> Iterator[Finding]:
    """AT901 for each marker entry that matched no finding, or that names no rule at all."""
    rule = catalog.UNUSED_NOQA
    if whole_file is not None:
        stale = _stale(whole_file, used[FILE], enabled)
        if stale:
            yield rule.finding(pm.path, 1, f"file-wide noqa {stale}", postmortem_id=pm.id)
    for action in pm.actions:
        if action.noqa is not None:
            stale = _stale(action.noqa, used[action.id], enabled)
            if stale:
                yield rule.finding(action.path, action.line, f"noqa {stale}", action=action)


def _stale(noqa: frozenset[str], used: set[str], enabled: frozenset[str]) -> str:
    """'suppresses nothing' / 'AT101 matches no finding' / …, or '' when every entry earned its place."""
    if not noqa:
        return "" if used else "suppresses nothing: this action has no finding"
    parts = []
    for item in sorted(noqa):
        rules = {r.code for r in catalog.expand_selector(item)}
        if not rules:
            from actiontrack.configfile import unknown_selector

            parts.append(unknown_selector(item) or item)
        elif item not in used and rules & enabled and catalog.UNUSED_NOQA.code not in rules:
            parts.append(f"{item} matches no finding")
    return "; ".join(parts)
