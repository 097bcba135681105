"""Pure translation between actiontrack values and Jira REST v2 JSON, plus the JQL we send.

Kept free of I/O so request shapes can be tested without a server. REST v2 is used on
Cloud and Data Center alike because its description is a plain wiki-markup string
(v3 on Cloud wants an ADF document).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from actiontrack.model import IssueState
from actiontrack.trackers import limits, markers
from actiontrack.trackers.base import Change, IssueFields, OptionalField, RemoteIssue
from actiontrack.trackers.jira_kind import JiraSettings

SUMMARY_MAX = 255
SEARCH_FIELDS = (
    "summary", "description", "labels", "duedate", "assignee", "priority",
    "status", "resolution", "resolutiondate", "updated",
)
PROPERTIES = (markers.PROPERTY_KEY,)  # returned by every search, so the hidden marker is read for free
# The body marker as a JQL phrase: text search is tokenised ("actiontrack", "id") and fuzzy,
# so it only finds candidates; the exact marker is checked on what comes back.
BODY_MARKER_PHRASE = '"\\"actiontrack-id\\""'
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Flavour:
    """What differs between the deployments for one project: how users are named, where links go."""

    cloud: bool
    server: str  # base URL without a trailing slash
    settings: JiraSettings
    parent_field: str = "parent"  # how an issue names its parent ([sync] group = "parent")
    epic_name_field: str | None = None  # set to the title on a parent issue (Data Center epics)

    @property
    def user_key(self) -> str:
        """Cloud removed usernames (GDPR): users are accountIds there, names on Data Center."""
        return "accountId" if self.cloud else "name"


# -- writing ---------------------------------------------------------------------------------


def summary(title: str) -> str:
    """One line of at most 255 characters as Jira counts them (UTF-16 units: an emoji is
    two): Jira rejects newlines and longer summaries."""
    return limits.cut(_WHITESPACE.sub(" ", title).strip(), SUMMARY_MAX, measure=limits.java_length)


def _unique(labels: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(label for label in labels if label))


def create_element(item: IssueFields, flavour: Flavour) -> dict[str, Any]:
    """One `issueUpdates` element; project key and issue type name need no lookup request."""
    settings = flavour.settings
    fields: dict[str, Any] = {
        "project": {"key": settings.project},
        "issuetype": {"name": settings.issue_type},
        "summary": summary(item.title),
        "description": item.body,
        "labels": _unique(item.labels),
    }
    if item.due is not None:
        fields["duedate"] = item.due.isoformat()
    if item.assignee:
        fields["assignee"] = {flavour.user_key: item.assignee}
    priority = _priority(item.priority, settings)
    if priority is not None:
        fields["priority"] = priority
    if item.is_parent:
        fields["issuetype"] = {"name": settings.parent_issue_type}
        if flavour.epic_name_field:
            fields[flavour.epic_name_field] = summary(item.title)
    if item.parent:
        link = flavour.parent_field
        fields[link] = {"key": item.parent} if link == "parent" else item.parent
    # The entity property is the marker people rarely touch: no screen shows it.
    properties = [{"key": markers.PROPERTY_KEY, "value": markers.property_value(item.action_id)}]
    return {"fields": fields, "properties": properties}


def _priority(priority: str | None, settings: JiraSettings) -> dict[str, str] | None:
    name = settings.priorities.get(priority) if priority else None
    return {"name": name} if name else None


def edit_body(change: Change, flavour: Flavour) -> dict[str, Any]:
    """PUT /issue body: `fields` replaces values, `update` adds/removes labels so people's labels stay."""
    fields: dict[str, Any] = {}
    if change.title is not None:
        fields["summary"] = summary(change.title)
    if change.body is not None:
        fields["description"] = change.body
    if change.clear_due:
        fields["duedate"] = None
    elif change.due is not None:
        fields["duedate"] = change.due.isoformat()
    if change.clear_assignee:
        fields["assignee"] = None
    elif change.assignee:
        fields["assignee"] = {flavour.user_key: change.assignee}
    priority = _priority(change.priority, flavour.settings)
    if priority is not None:
        fields["priority"] = priority
    body: dict[str, Any] = {}
    if fields:
        body["fields"] = fields
    ops = _label_ops(change)
    if ops:
        body["update"] = {"labels": ops}
    return body


def _label_ops(change: Change) -> list[dict[str, str]]:
    removing = set(change.labels_remove)
    adds = [{"add": label} for label in _unique(change.labels_add) if label not in removing]
    adding = set(change.labels_add)
    removes = [{"remove": label} for label in _unique(change.labels_remove) if label not in adding]
    return adds + removes


# -- JQL -------------------------------------------------------------------------------------


def jql_string(value: str) -> str:
    """A JQL string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def labelled_jql(project: str, label: str, updated_since: dt.datetime | None, now: dt.datetime) -> str:
    """Issues of the project with the label, optionally changed since a moment.

    The delta uses a relative time: JQL absolute dates are read in the API user's time
    zone, which we cannot know, while "-Nm" means the same everywhere.
    """
    jql = f"project = {jql_string(project)} AND labels = {jql_string(label)}"
    if updated_since is not None:
        jql += f' AND updated >= "-{minutes_since(updated_since, now)}m"'
    return jql + " ORDER BY key ASC"


def minutes_since(moment: dt.datetime, now: dt.datetime) -> int:
    """Whole minutes back to `moment`, rounded up, plus one for clock skew and JQL's minute grain."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    seconds = max((now - moment).total_seconds(), 0.0)
    return math.ceil(seconds / 60) + 1


def markers_jql(labels: Sequence[str]) -> str:
    """Issues carrying any of these marker labels (exact-match, unlike description text search),
    in any project: a person may have moved one to another project, and a marker label names
    one action wherever its issue is."""
    listed = ", ".join(jql_string(label) for label in labels)
    return f"labels in ({listed}) ORDER BY key ASC"


def listing_jql(project: str, label: str, updated_since: dt.datetime | None, now: dt.datetime,
                look_for: Sequence[str]) -> str:
    """Our issues (the base label, or the body marker's words), changed since a moment, plus
    whatever their labels and age the issues carrying one of the `look_for` marker labels:
    the listing and the check before a create in one search."""
    ours = f"labels = {jql_string(label)} OR description ~ {BODY_MARKER_PHRASE}"
    if updated_since is not None:
        ours = f"({ours}) AND updated >= \"-{minutes_since(updated_since, now)}m\""
    mine = f"project = {jql_string(project)} AND ({ours})"
    if look_for:  # in any project, as markers_jql
        listed = ", ".join(jql_string(marker) for marker in look_for)
        mine = f"({mine}) OR labels in ({listed})"
    return f"{mine} ORDER BY key ASC"


def ids_jql(ids: Sequence[str]) -> str:
    """Issues by numeric id, in any project (a moved issue still exists)."""
    return f"id in ({', '.join(ids)}) ORDER BY id ASC"


def project_jql(project: str) -> str:
    return f"project = {jql_string(project)} ORDER BY key ASC"


# -- reading ---------------------------------------------------------------------------------


def remote_issue(raw: Mapping[str, Any], flavour: Flavour, *, label: str | None = None,
                 by_label: Mapping[str, str] | None = None) -> RemoteIssue:
    """A search result (fields = SEARCH_FIELDS) as a RemoteIssue.

    The action comes from the strongest marker left: the entity property, then the body
    line, then a marker label (`by_label`: marker label → action id of the actions known).
    With `label` (the base label), the identity labels the issue lacks are named.
    """
    fields: Mapping[str, Any] = raw.get("fields") or {}
    key = str(raw["key"])
    body = fields.get("description")
    body = body if isinstance(body, str) else ""
    status: Mapping[str, Any] = fields.get("status") or {}
    state = _state(status, fields.get("resolution"), flavour.settings)
    labels = tuple(fields.get("labels") or ())
    action_id = _action_of(raw, body, labels, by_label or {})
    issue = RemoteIssue(
        key=key,
        remote_id=str(raw["id"]),
        url=f"{flavour.server}/browse/{key}",
        action_id=action_id,
        title=str(fields.get("summary") or ""),
        body=body,
        labels=labels,
        assignee=_user(fields.get("assignee"), flavour),
        due=_date(fields.get("duedate")),
        priority=_priority_back(fields.get("priority"), flavour.settings),
        state=state,
        done_at=None if state is IssueState.OPEN else parse_time(fields.get("resolutiondate")),
        updated=fields.get("updated"),
        status_name=status.get("name"),
    )
    if label is None or action_id is None:
        return issue
    missing = missing_labels(labels, label, action_id)
    return replace(issue, missing_markers=tuple(f"label {name}" for name in missing), missing_labels=missing)


def _action_of(raw: Mapping[str, Any], body: str, labels: Sequence[str], by_label: Mapping[str, str]) -> str | None:
    properties = raw.get("properties")
    if isinstance(properties, Mapping):
        found = markers.action_id_of_property(properties.get(markers.PROPERTY_KEY))
        if found:
            return found
    found = markers.action_id_in(body)
    if found:
        return found
    return next((by_label[name] for name in labels if name in by_label), None)


def missing_labels(labels: Sequence[str], base: str, action_id: str) -> tuple[str, ...]:
    """The identity labels an issue of `action_id` should carry and does not."""
    wanted = (base, markers.marker_label(action_id))
    return tuple(name for name in wanted if name not in labels)


def _state(status: Mapping[str, Any], resolution: Any, settings: JiraSettings) -> IssueState:
    """Done-ness by status category (names are per workflow); dropped by resolution name."""
    category = (status.get("statusCategory") or {}).get("key")
    if category != "done":
        return IssueState.OPEN
    name = resolution.get("name") if isinstance(resolution, Mapping) else None
    dropped = {n.casefold() for n in settings.done_resolutions_dropped}
    if name and name.casefold() in dropped:
        return IssueState.DROPPED
    if not name and status.get("name", "").casefold() in dropped:
        return IssueState.DROPPED  # a "Won't Do" status on a workflow that sets no resolution
    return IssueState.DONE


def _user(value: Any, flavour: Flavour) -> str | None:
    if not isinstance(value, Mapping):
        return None
    found = value.get(flavour.user_key)
    return str(found) if found else None


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _priority_back(value: Any, settings: JiraSettings) -> str | None:
    if not isinstance(value, Mapping) or not value.get("name"):
        return None
    name = str(value["name"])
    for level, mapped in settings.priorities.items():
        if mapped == name:
            return level
    return name


def parse_time(value: Any) -> dt.datetime | None:
    """Jira's `2025-11-20T10:15:30.000+0000` as an aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z")
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def as_created(item: IssueFields, raw: Mapping[str, Any], flavour: Flavour) -> RemoteIssue:
    """The issue a bulk create made, from what we sent: no GET per created issue."""
    key = str(raw["key"])
    return RemoteIssue(
        key=key,
        remote_id=str(raw["id"]),
        url=f"{flavour.server}/browse/{key}",
        action_id=item.action_id,
        title=summary(item.title),
        body=item.body,
        labels=tuple(_unique(item.labels)),
        assignee=item.assignee,
        due=item.due,
        priority=item.priority if _priority(item.priority, flavour.settings) else None,
        state=IssueState.OPEN,
    )


def error_text(collection: Any) -> str:
    """Jira's error collection (`errorMessages` + `errors` by field) as one line."""
    if not isinstance(collection, Mapping):
        return str(collection) if collection else ""
    parts = [str(m) for m in collection.get("errorMessages") or () if m]
    errors = collection.get("errors")
    if isinstance(errors, Mapping):
        parts += [f"{name}: {message}" for name, message in errors.items()]
    for single in ("message", "errorMessage"):
        if not parts and collection.get(single):
            parts.append(str(collection[single]))
    return "; ".join(parts)


# The error-collection keys of the fields an issue can be created without.
_OPTIONAL_KEYS: dict[str, OptionalField] = {"duedate": "due", "assignee": "assignee", "priority": "priority",
                                             "parent": "parent"}


def refused_fields(collection: Any, *, parent_field: str = "parent") -> frozenset[OptionalField]:
    """The optional fields an error collection names, when it names nothing else.

    Jira puts a refused field under `errors` by field id ("duedate": "Field 'duedate'
    cannot be set …"); a general `errorMessages` entry or a required field means the
    create cannot succeed by leaving fields out.
    """
    if not isinstance(collection, Mapping):
        return frozenset()
    errors = collection.get("errors")
    if not isinstance(errors, Mapping) or not errors or collection.get("errorMessages"):
        return frozenset()
    optional = {**_OPTIONAL_KEYS, parent_field: "parent"}
    if not set(errors) <= set(optional):
        return frozenset()
    return frozenset(optional[name] for name in errors)
