"""Turn what a format reader found (RawAction) into validated Actions and input findings.

Markdown and TOML readers differ in syntax only; validation of dates, phases and
categories, and identity, happen here once for both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from actiontrack import catalog, identity
from actiontrack.dates import DateError, parse_date
from actiontrack.model import Action, Anchor, Category, Finding, Phase
from actiontrack.taxonomy import (
    is_done_status,
    is_placeholder,
    normalise,
    parse_category,
    parse_phase,
    parse_priority,
)

T = TypeVar("T")


@dataclass(slots=True)
class RawAction:
    """An action as found in a file, before validation. Values are as written."""

    title: str
    line: int
    end_line: int
    text: str = ""
    owner: str | None = None
    due: str | dt.date | None = None
    due_line: int | None = None
    phase: str | None = None
    category: str | None = None
    priority: str | None = None
    status: str | None = None
    ticket: str | None = None
    done: bool = False
    key: str | None = None  # an id written by the author
    tags: list[str] = field(default_factory=list)
    noqa: frozenset[str] | None = None
    default_phase: Phase | None = None  # from a sub-heading such as "### Detection"
    default_category: Category | None = None
    team: str | None = None
    kind: str | None = None
    unknown: list[tuple[str, str, str]] = field(default_factory=list)  # misspelt keys: (key, value, meant)
    anchor: Anchor | None = None
    cut: bool = False  # its line was longer than the reader reads


@dataclass(slots=True)
class Built:
    actions: list[Action]
    findings: list[Finding]


def build_actions(
    postmortem_id: str, path: Path, raws: list[RawAction], incident_date: dt.date | None = None
) -> Built:
    """Validate raw actions; every problem becomes a finding and the action is still kept.

    ``incident_date`` gives a year to due dates written without one ("7月末").
    """
    findings: list[Finding] = []
    keys = [raw.key or identity.derived_key(raw.title) for raw in raws]
    ids = identity.assign_ids(postmortem_id, keys)
    actions = [
        _build_one(raw, action_id, index, postmortem_id, path, findings, incident_date)
        for index, (raw, action_id) in enumerate(zip(raws, ids, strict=True))
    ]
    return Built(actions, findings)


def _build_one(
    raw: RawAction,
    action_id: str,
    index: int,
    pm_id: str,
    path: Path,
    findings: list[Finding],
    incident_date: dt.date | None,
) -> Action:
    if raw.category is None and raw.kind is not None and parse_category(raw.kind) is not None:
        raw.category = raw.kind  # a Type column or 'type:' whose value names a category is one
    if raw.category is not None and normalise(raw.category) in _HORIZONS:
        raw.category = None  # 「区分: 暫定」 beside 「恒久」: when the measure stands, no category misspelt
    due, due_error = _due(raw, incident_date)
    phase, raw_phase = _tag(raw.phase, parse_phase, raw.default_phase)
    category, raw_category = _tag(raw.category, parse_category, raw.default_category)
    done = raw.done or (raw.status is not None and is_done_status(raw.status))
    action = Action(  # positional: building 20,000 of these a second, keywords cost a third more
        action_id, pm_id, raw.title, path, raw.line, raw.end_line, index, raw.text or raw.title,
        raw.owner.lstrip("@") if raw.owner else None, due, phase, category, raw_phase, raw_category,
        str(raw.due) if due_error is not None else None,
        (parse_priority(raw.priority) or raw.priority) if raw.priority else None,
        done, raw.status, raw.ticket, tuple(raw.tags), raw.key is not None, raw.noqa,
        raw.team, raw.kind, raw.anchor,
    )
    if due_error is not None:
        findings.append(catalog.INVALID_DATE.finding(
            path, raw.due_line or raw.line, f"due date: {due_error}", action=action))
    if raw_phase is not None:
        findings.append(catalog.UNKNOWN_PHASE.finding(
            path, raw.line, f"unknown phase {raw_phase!r}{_did_you_mean(raw_phase, _PHASES)}", action=action))
    if raw_category is not None:
        findings.append(catalog.UNKNOWN_CATEGORY.finding(
            path, raw.line, f"unknown category {raw_category!r}{_did_you_mean(raw_category, _CATEGORIES)}",
            action=action))
    if raw.cut:
        findings.append(catalog.INVALID_VALUE.finding(
            path, raw.line, "this line is longer than 10,000 characters: only its start was read", action=action))
    for key, value, meant in raw.unknown:
        findings.append(catalog.UNKNOWN_FIELD.finding(
            path, raw.line, f"unknown field {key!r} (value {value!r}): did you mean {meant!r}?",
            action=action, fix=f"write '{meant}: {value}'"))
    return action


# Words a Category or 区分 column uses for how long a measure stands, beside the categories it
# names ("恒久" is permanent-fix): the interim fix is the mitigation, of no category.
_HORIZONS = frozenset(normalise(word) for word in (
    "暫定", "暫定対応", "暫定対策", "暫定処置", "応急", "応急処置", "一時対応", "短期", "中期", "長期", "即時",
    "interim", "temporary", "short-term", "short term", "mid-term", "long-term", "long term", "immediate",
    "workaround", "stopgap",
))
_CATEGORIES = tuple(c.value for c in Category)
_PHASES = tuple(p.value for p in Phase)


def _did_you_mean(written: str, known: tuple[str, ...]) -> str:
    import difflib  # only a misspelt value pays for it

    close = difflib.get_close_matches(written.strip().lower(), known, n=1, cutoff=0.6)
    return f": did you mean {close[0]!r}?" if close else f" (expected one of {', '.join(known)})"


def _tag(
    value: str | None, parse: Callable[[str], T | None], default: T | None
) -> tuple[T | None, str | None]:
    """(parsed value, the raw value when it named nothing we know)."""
    if value is None or is_placeholder(value):
        return default, None
    parsed = parse(value)
    return (parsed, None) if parsed is not None else (default, value.strip())


def _due(raw: RawAction, incident_date: dt.date | None) -> tuple[dt.date | None, str | None]:
    """(the due date, or the reason it could not be read); "TBD" is no date, not a bad one."""
    if raw.due is None or (isinstance(raw.due, str) and is_placeholder(raw.due)):
        return None, None
    try:
        return parse_date(raw.due, incident_date), None
    except DateError as exc:
        return None, str(exc)
