"""Pure translation between GitHub's issue JSON and actiontrack's values (no I/O).

Kept apart from the client so the rules (what counts as dropped, where the due date
lives, how labels are merged) can be read and tested without a server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from actiontrack.model import IssueState
from actiontrack.trackers import markers
from actiontrack.trackers.base import OptionalField, RemoteIssue
from actiontrack.urls import strip_credentials

MAX_TITLE = 256  # GitHub rejects longer titles with 422
MILESTONE_PREFIX = "due-"
PRIORITY_PREFIX = "priority:"
DROPPED_REASONS = frozenset({"not_planned", "duplicate"})

_DUE_LINE = re.compile(r"(?im)^[ \t>*_-]*due[ \t*_]*:[ \t*_]*(\d{4}-\d{2}-\d{2})\b.*$")
_MILESTONE_TITLE = re.compile(r"^due-(\d{4}-\d{2}-\d{2})$")


def milestone_title(due: dt.date) -> str:
    """One milestone per due date: an issue has one milestone, so the date is the milestone."""
    return f"{MILESTONE_PREFIX}{due.isoformat()}"


def milestone_due_on(due: dt.date) -> str:
    """Noon UTC, so GitHub's time-zone shift of due_on cannot move the calendar date."""
    return f"{due.isoformat()}T12:00:00Z"


def truncate_title(title: str) -> str:
    """Fit GitHub's title limit instead of failing the whole create."""
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def ensure_marker(body: str, action_id: str) -> str:
    """The body must name its action, or a lost store could no longer find the issue."""
    if markers.action_id_in(body) == action_id:
        return body
    rest = markers.without_body_marker(body).rstrip()  # a marker naming another id goes
    return f"{rest}\n\n{markers.body_marker(action_id, html_comment=True)}\n"


def due_in_body(body: str | None) -> dt.date | None:
    """The date of a 'Due: YYYY-MM-DD' line (also '**Due:** …' or '- Due: …')."""
    match = _DUE_LINE.search(body or "")
    return _date(match.group(1)) if match else None


def with_due_line(body: str, due: dt.date | None) -> str:
    """Set, replace or remove the body's due line (settings.due == "body")."""
    line = f"Due: {due.isoformat()}" if due else ""
    if _DUE_LINE.search(body):
        updated = _DUE_LINE.sub(line, body, count=1)
        return re.sub(r"\n{3,}", "\n\n", updated) if not due else updated
    return f"{line}\n\n{body}" if due else body


def priority_of(labels: Iterable[str]) -> str | None:
    """P0..P4 from a 'priority:P1' label; another value is returned as written."""
    for name in labels:
        if name.lower().startswith(PRIORITY_PREFIX):
            value = name[len(PRIORITY_PREFIX):].strip()
            return value.upper() if re.fullmatch(r"[pP][0-4]", value) else value
    return None


def priority_label(priority: str) -> str:
    return f"{PRIORITY_PREFIX}{priority}"


def merge_labels(current: Sequence[str], add: Iterable[str], remove: Iterable[str],
                 priority: str | None = None) -> list[str]:
    """PATCH replaces the label set: keep what people added, drop only what we manage away.

    GitHub matches label names case-insensitively, so this does too.
    """
    drop = {name.lower() for name in remove}
    wanted = list(add)
    if priority is not None:
        wanted.append(priority_label(priority))
        drop |= {n.lower() for n in current if n.lower().startswith(PRIORITY_PREFIX)}
    keep_wanted = {name.lower() for name in wanted}
    merged = [n for n in current if n.lower() not in drop or n.lower() in keep_wanted]
    seen = {n.lower() for n in merged}
    for name in wanted:
        if name.lower() not in seen:
            merged.append(name)
            seen.add(name.lower())
    return merged


def same_labels(left: Iterable[str], right: Iterable[str]) -> bool:
    return {n.lower() for n in left} == {n.lower() for n in right}


def state_of(raw: dict[str, Any]) -> IssueState:
    """Closed as not planned (or duplicate) is dropped, not done: reports must tell them apart."""
    if raw.get("state") != "closed":
        return IssueState.OPEN
    return IssueState.DROPPED if raw.get("state_reason") in DROPPED_REASONS else IssueState.DONE


def status_name(raw: dict[str, Any]) -> str:
    """What a person sees: 'open', 'closed (not_planned)' …"""
    state = str(raw.get("state") or "open")
    reason = raw.get("state_reason")
    return f"{state} ({reason})" if reason else state


def is_pull_request(raw: dict[str, Any]) -> bool:
    """The issues API lists pull requests too; they carry a `pull_request` key."""
    return raw.get("pull_request") is not None


def to_remote(raw: dict[str, Any], *, due_from: str, label: str | None = None) -> RemoteIssue:
    """An issue object (create, PATCH or list element) as a RemoteIssue.

    With `label` (the base label), the identity markers it lacks are named: the label, and
    the hidden body comment (only knowable as missing once the engine names the action).
    """
    labels = tuple(str(lb["name"]) for lb in raw.get("labels") or () if isinstance(lb, dict))
    body = raw.get("body") or ""
    number = str(raw["number"])
    return RemoteIssue(
        key=number,
        remote_id=number,
        url=strip_credentials(str(raw.get("html_url") or "")),
        action_id=markers.action_id_in(body),
        title=str(raw.get("title") or ""),
        body=body,
        labels=labels,
        assignee=_assignee(raw),
        due=_milestone_due(raw.get("milestone")) if due_from == "milestone" else due_in_body(body),
        priority=priority_of(labels),
        state=state_of(raw),
        done_at=_timestamp(raw.get("closed_at")) if raw.get("state") == "closed" else None,
        updated=raw.get("updated_at"),
        status_name=status_name(raw),
        missing_markers=missing_markers(labels, body, label) if label is not None else (),
        missing_labels=(label,) if label is not None and not has_label(labels, label) else (),
    )


def as_addressed(issue: RemoteIssue, number: str) -> RemoteIssue:
    """An issue read by its number, keyed by that number even when GitHub answered from
    elsewhere: a transferred issue's old number redirects (every verb) to its new home,
    whose number there may be another issue's here. Keyed by the new number, the plan
    would take it for that issue, and a PATCH by it would edit the wrong one."""
    if issue.key == number:
        return issue
    return replace(issue, key=number, remote_id=number)


def has_label(labels: Sequence[str], label: str) -> bool:
    return label.lower() in {name.lower() for name in labels}


def missing_markers(labels: Sequence[str], body: str, label: str) -> tuple[str, ...]:
    gaps = [] if has_label(labels, label) else [f"label {label}"]
    if markers.action_id_in(body) is None:
        gaps.append("body marker")
    return tuple(gaps)


def creator(raw: dict[str, Any]) -> str | None:
    user = raw.get("user")
    return str(user["login"]) if isinstance(user, dict) and user.get("login") else None


def _assignee(raw: dict[str, Any]) -> str | None:
    people = raw.get("assignees") or ([raw["assignee"]] if raw.get("assignee") else [])
    return str(people[0]["login"]) if people else None


def _milestone_due(milestone: dict[str, Any] | None) -> dt.date | None:
    """Our title carries the date exactly; due_on is the fallback for milestones people made."""
    if not milestone:
        return None
    match = _MILESTONE_TITLE.match(str(milestone.get("title") or ""))
    if match:
        return _date(match.group(1))
    due_on = milestone.get("due_on")
    return _date(str(due_on)[:10]) if due_on else None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _timestamp(text: Any) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def since_param(moment: dt.datetime) -> str:
    """GitHub's `since`: ISO-8601 in UTC, to the second (naive values are taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Validation-error fields of the things an issue can be created without.
_OPTIONAL_FIELDS: dict[str, OptionalField] = {"assignees": "assignee", "assignee": "assignee",
                                              "milestone": "due"}


def refused_fields(data: Any) -> frozenset[OptionalField]:
    """The optional fields a 422 body's `errors` name, when they name nothing else."""
    errors = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(errors, list) or not errors:
        return frozenset()
    named = [str(e.get("field")) if isinstance(e, dict) else "" for e in errors]
    if not all(name in _OPTIONAL_FIELDS for name in named):
        return frozenset()
    return frozenset(_OPTIONAL_FIELDS[name] for name in named)
