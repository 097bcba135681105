"""Pure translation between GitLab's REST v4 JSON and actiontrack's values (no I/O).

Kept apart from the client so the rules (what counts as dropped, where the priority
lives, what a refusal names) can be read and tested without a server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from actiontrack.model import IssueState
from actiontrack.trackers import markers
from actiontrack.trackers.base import Change, IssueFields, OptionalField, RemoteIssue
from actiontrack.trackers.gitlab_kind import GitLabSettings

MAX_TITLE = 255  # GitLab refuses longer titles ("is too long (maximum is 255 characters)")
CLOSE_NOTE_WINDOW = dt.timedelta(minutes=5)  # a "close with comment" note precedes the close
PRIORITIES = ("P0", "P1", "P2", "P3", "P4")
_GRAPE_PARAM = re.compile(r"^\s*(?P<name>[a-z_\[\]]+) (?:is invalid|is missing|does not have a valid value)")

Json = dict[str, Any]


def truncate_title(title: str) -> str:
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def ensure_marker(body: str, action_id: str) -> str:
    """The description must name its action, or a lost store could no longer find the issue
    (a marker naming another id, left by a rewording, goes)."""
    if markers.action_id_in(body) == action_id:
        return body
    rest = markers.without_body_marker(body).rstrip()
    return f"{rest}\n\n{markers.body_marker(action_id, html_comment=True)}\n"


# -- writing ---------------------------------------------------------------------------------


def create_payload(item: IssueFields, settings: GitLabSettings, *, assignee_id: int | None,
                   milestone_id: int | None) -> Json:
    """POST /projects/:id/issues. Labels that do not exist yet are created by GitLab itself."""
    payload: Json = {"title": truncate_title(item.title), "description": ensure_marker(item.body, item.action_id),
                     "labels": ",".join(dict.fromkeys(item.labels))}
    if item.due is not None:
        payload["due_date"] = item.due.isoformat()
    if assignee_id is not None:
        payload["assignee_ids"] = [assignee_id]
    if milestone_id is not None:
        payload["milestone_id"] = milestone_id
    weight = _weight(item.priority, settings)
    if weight is not None:
        payload["weight"] = weight
    return payload


def edit_payload(change: Change, settings: GitLabSettings, *, action_id: str | None,
                 assignee_id: int | None, current_body: str = "") -> Json:
    """PUT /projects/:id/issues/:iid with only what changed; labels by add/remove, so the
    labels people added stay without reading the issue first. `restore_markers` puts the
    marker back into the description as it is (a person's rewording stays)."""
    out: Json = {}
    if change.title is not None:
        out["title"] = truncate_title(change.title)
    if change.body is not None:
        out["description"] = ensure_marker(change.body, action_id) if action_id else change.body
    elif change.restore_markers and action_id:
        marked = ensure_marker(current_body, action_id)
        if marked != current_body:
            out["description"] = marked
    removing = set(change.labels_remove) - set(change.labels_add)
    if change.labels_add:
        out["add_labels"] = ",".join(dict.fromkeys(change.labels_add))
    if removing:
        out["remove_labels"] = ",".join(sorted(removing))
    if change.clear_assignee:
        out["assignee_ids"] = []
    elif assignee_id is not None:
        out["assignee_ids"] = [assignee_id]
    if change.clear_due:
        out["due_date"] = None
    elif change.due is not None:
        out["due_date"] = change.due.isoformat()
    weight = _weight(change.priority, settings)
    if weight is not None:
        out["weight"] = weight
    return out


def _weight(priority: str | None, settings: GitLabSettings) -> int | None:
    if settings.priority != "weight" or priority is None:
        return None
    return settings.weights.get(priority)


# -- reading ---------------------------------------------------------------------------------


def to_remote(raw: Mapping[str, Any], settings: GitLabSettings, *, dropped_by_note: bool = False,
              label: str | None = None) -> RemoteIssue:
    """An issue object (create, edit or list element) as a RemoteIssue.

    With `label` (the base label), the identity markers it lacks are named: the label, and
    the hidden description comment.
    """
    labels = tuple(str(label) for label in raw.get("labels") or ())
    body = raw.get("description") or ""
    iid = str(raw["iid"])
    state = state_of(raw, settings, dropped_by_note=dropped_by_note)
    return RemoteIssue(
        key=iid,
        remote_id=iid,
        url=str(raw.get("web_url") or ""),
        action_id=markers.action_id_in(body),
        title=str(raw.get("title") or ""),
        body=body,
        labels=labels,
        assignee=_assignee(raw),
        due=_date(raw.get("due_date")),
        priority=priority_of(raw, labels, settings),
        state=state,
        done_at=timestamp(raw.get("closed_at")) if state is not IssueState.OPEN else None,
        updated=raw.get("updated_at"),
        status_name=_status_name(raw, state),
        missing_markers=missing_markers(labels, body, label) if label is not None else (),
        missing_labels=(label,) if label is not None and label not in labels else (),
    )


def missing_markers(labels: Sequence[str], body: str, label: str) -> tuple[str, ...]:
    """Label names are case-sensitive on GitLab: `Actiontrack` is not the base label."""
    gaps = [] if label in labels else [f"label {label}"]
    if markers.action_id_in(body) is None:
        gaps.append("body marker")
    return tuple(gaps)


def state_of(raw: Mapping[str, Any], settings: GitLabSettings, *, dropped_by_note: bool = False) -> IssueState:
    """opened → open; closed → dropped with a drop label or closing note, else done."""
    if raw.get("state") != "closed":
        return IssueState.OPEN
    if dropped_by_note or has_dropped_label(raw, settings):
        return IssueState.DROPPED
    return IssueState.DONE


def has_dropped_label(raw: Mapping[str, Any], settings: GitLabSettings) -> bool:
    wanted = {name.casefold() for name in settings.dropped_labels}
    return any(str(label).casefold() in wanted for label in raw.get("labels") or ())


def needs_close_note(raw: Mapping[str, Any], settings: GitLabSettings, me: str | None) -> bool:
    """A closed issue whose drop is not already told by a label, closed by someone else
    (actiontrack's own drops carry the label): only these cost a notes request."""
    if raw.get("state") != "closed" or has_dropped_label(raw, settings) or not settings.dropped_phrases:
        return False
    closer = raw.get("closed_by")
    return not (isinstance(closer, Mapping) and me is not None and closer.get("username") == me)


def dropped_by_notes(raw: Mapping[str, Any], notes: Sequence[Mapping[str, Any]], settings: GitLabSettings) -> bool:
    """Whether the closer's notes around the close (a "close with comment", a `/duplicate`
    quick action's system note) say one of `dropped_phrases`."""
    closed_at = timestamp(raw.get("closed_at"))
    if closed_at is None:
        return False
    closer = raw.get("closed_by")
    who = closer.get("username") if isinstance(closer, Mapping) else None
    phrases = [phrase.casefold() for phrase in settings.dropped_phrases]
    for note in notes:
        made = timestamp(note.get("created_at"))
        author = note.get("author")
        if made is None or not (closed_at - CLOSE_NOTE_WINDOW <= made <= closed_at + dt.timedelta(seconds=5)):
            continue
        if who is not None and isinstance(author, Mapping) and author.get("username") != who:
            continue
        text = str(note.get("body") or "").casefold()
        if any(phrase in text for phrase in phrases):
            return True
    return False


def priority_of(raw: Mapping[str, Any], labels: Iterable[str], settings: GitLabSettings) -> str | None:
    """P0..P4 from the weight or the `priority:`/`priority::` label; another label value as written."""
    if settings.priority == "weight":
        weight = raw.get("weight")
        for level, mapped in settings.weights.items():
            if weight is not None and mapped == weight:
                return level
        return None
    for name in labels:
        lowered = name.lower()
        if lowered.startswith("priority:"):
            value = name.split(":")[-1].strip()
            return value.upper() if value.upper() in PRIORITIES else value
    return None


def _assignee(raw: Mapping[str, Any]) -> str | None:
    people = raw.get("assignees") or ([raw["assignee"]] if raw.get("assignee") else [])
    first = people[0] if people else None
    return str(first["username"]) if isinstance(first, Mapping) and first.get("username") else None


def _status_name(raw: Mapping[str, Any], state: IssueState) -> str:
    name = str(raw.get("state") or "opened")
    return f"{name} (dropped)" if state is IssueState.DROPPED else name


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def timestamp(value: Any) -> dt.datetime | None:
    """GitLab's `2025-01-07T12:44:33.959Z` as an aware datetime."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def since_param(moment: dt.datetime) -> str:
    """`updated_after`: ISO 8601 in UTC (naive values are taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- errors ----------------------------------------------------------------------------------

# Parameter and attribute names of the fields an issue can be created without.
_OPTIONAL: dict[str, OptionalField] = {"due_date": "due", "assignee_ids": "assignee", "assignee_id": "assignee",
                                       "assignee_ids[]": "assignee", "weight": "priority"}


def message_of(body: Any) -> str:
    """GitLab's error as one line: `{"message": {"title": ["is too long"]}}`, `{"error": "…"}`."""
    if not isinstance(body, Mapping):
        return str(body or "").strip()
    message = body.get("message", body.get("error"))
    if isinstance(message, Mapping):
        return "; ".join(f"{name} {'; '.join(map(str, v)) if isinstance(v, list) else v}"
                         for name, v in message.items())
    if isinstance(message, list):
        return "; ".join(map(str, message))
    return str(message or "").strip()


def refused_fields(body: Any) -> frozenset[OptionalField]:
    """The optional fields a 400 names, when it names nothing else.

    Model validation names attributes (`{"message": {"due_date": [...]}}`); parameter
    validation (Grape) writes one sentence per parameter (`{"error": "due_date is invalid"}`).
    """
    if not isinstance(body, Mapping):
        return frozenset()
    message = body.get("message")
    if isinstance(message, Mapping):
        names = [str(name) for name in message]
    elif isinstance(body.get("error"), str):
        parts = [_GRAPE_PARAM.match(part) for part in str(body["error"]).split(",")]
        if not all(parts):
            return frozenset()
        names = [match.group("name") for match in parts if match]
    else:
        return frozenset()
    if not names or not all(name in _OPTIONAL for name in names):
        return frozenset()
    return frozenset(_OPTIONAL[name] for name in names)
