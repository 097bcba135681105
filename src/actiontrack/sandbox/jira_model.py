"""Fixed Jira reference data: the default workflow, priorities, issue types, users and fields.

Ids follow a freshly created Jira Cloud site so that clients see familiar values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StatusCategory:
    """One of Jira's fixed status categories (decide done-ness by `key`)."""

    id: int
    key: str
    name: str
    color: str


CATEGORIES = {
    "new": StatusCategory(2, "new", "To Do", "blue-gray"),
    "indeterminate": StatusCategory(4, "indeterminate", "In Progress", "yellow"),
    "done": StatusCategory(3, "done", "Done", "green"),
}


@dataclass(frozen=True)
class Status:
    """A workflow status."""

    id: str
    name: str
    category: str


STATUSES = {
    "10000": Status("10000", "To Do", "new"),
    "3": Status("3", "In Progress", "indeterminate"),
    "10001": Status("10001", "Done", "done"),
    "10002": Status("10002", "Won't Do", "done"),
}
INITIAL_STATUS = "10000"


@dataclass(frozen=True)
class Transition:
    """A global transition of the default workflow; `resolution` is set when it ends in done."""

    id: str
    name: str
    to_status: str
    resolution: str | None


TRANSITIONS = [
    Transition("11", "To Do", "10000", None),
    Transition("21", "In Progress", "3", None),
    Transition("31", "Done", "10001", "10000"),
    Transition("41", "Won't Do", "10002", "10001"),
]

RESOLUTIONS = {
    "10000": "Done",
    "10001": "Won't Do",
    "10002": "Duplicate",
    "10003": "Cannot Reproduce",
}

PRIORITIES = {
    "1": ("Highest", "#d04437"),
    "2": ("High", "#f15C75"),
    "3": ("Medium", "#f79232"),
    "4": ("Low", "#707070"),
    "5": ("Lowest", "#999999"),
}
DEFAULT_PRIORITY = "3"

ISSUE_TYPES = {
    "10002": ("Task", "A small, distinct piece of work."),
    "10004": ("Bug", "A problem or error."),
    "10000": ("Epic", "A big user story that needs to be broken down."),
}
# Jira Cloud's issue hierarchy: an Epic (1) is the parent of standard issues (0).
HIERARCHY = {"10000": 1}
EPIC = "10000"
# Jira Software's Epic fields on Data Center (and older company-managed Cloud sites): a
# standard issue names its epic in Epic Link; an epic must have an Epic Name.
EPIC_LINK, EPIC_NAME = "customfield_10014", "customfield_10011"


@dataclass(frozen=True)
class User:
    """A Jira user; Cloud identifies users by accountId, Data Center by name/key."""

    name: str
    key: str
    account_id: str
    display_name: str
    email: str


def default_users(api_username: str, api_email: str) -> dict[str, User]:
    """The API user plus two assignable people, keyed by DC username."""
    users = [
        User(api_username, "JIRAUSER10000", "5b10a2844c20165700ede21g", "Sandbox Bot", api_email),
        User("dana", "JIRAUSER10100", "5b10ac8d82e05b22cc7d4ef5", "Dana Ops", "dana@example.com"),
        User("lee", "JIRAUSER10101", "5b10ac8d82e05b22cc7d4ef6", "Lee Chen", "lee@example.com"),
    ]
    return {u.name: u for u in users}


def _field(
    fid: str, name: str, schema: dict[str, Any], clauses: list[str], orderable: bool = True
) -> dict[str, Any]:
    return {
        "id": fid,
        "key": fid,
        "name": name,
        "custom": False,
        "orderable": orderable,
        "navigable": True,
        "searchable": True,
        "clauseNames": clauses,
        "schema": schema,
    }


FIELDS: list[dict[str, Any]] = [
    _field("summary", "Summary", {"type": "string", "system": "summary"}, ["summary"]),
    _field(
        "description",
        "Description",
        {"type": "string", "system": "description"},
        ["description"],
    ),
    _field(
        "labels",
        "Labels",
        {"type": "array", "items": "string", "system": "labels"},
        ["labels"],
    ),
    _field("duedate", "Due date", {"type": "date", "system": "duedate"}, ["due", "duedate"]),
    _field("assignee", "Assignee", {"type": "user", "system": "assignee"}, ["assignee"]),
    _field("reporter", "Reporter", {"type": "user", "system": "reporter"}, ["reporter"]),
    _field("priority", "Priority", {"type": "priority", "system": "priority"}, ["priority"]),
    _field(
        "issuetype",
        "Issue Type",
        {"type": "issuetype", "system": "issuetype"},
        ["issuetype", "type"],
    ),
    _field("project", "Project", {"type": "project", "system": "project"}, ["project"]),
    _field("status", "Status", {"type": "status", "system": "status"}, ["status"], False),
    _field(
        "resolution",
        "Resolution",
        {"type": "resolution", "system": "resolution"},
        ["resolution"],
        False,
    ),
    _field(
        "resolutiondate",
        "Resolved",
        {"type": "datetime", "system": "resolutiondate"},
        ["resolutiondate", "resolved"],
        False,
    ),
    _field("created", "Created", {"type": "datetime", "system": "created"}, ["created"], False),
    _field("updated", "Updated", {"type": "datetime", "system": "updated"}, ["updated"], False),
    _field("parent", "Parent", {"type": "issuelink", "system": "parent"}, ["parent"]),
]


def _custom(fid: str, name: str, custom: str, kind: str) -> dict[str, Any]:
    out = _field(fid, name, {"type": kind, "custom": custom, "customId": int(fid.split("_")[1])},
                 [name, f"cf[{fid.split('_')[1]}]"])
    out["custom"] = True
    return out


DC_FIELDS: list[dict[str, Any]] = [
    _custom(EPIC_LINK, "Epic Link", "com.pyxis.greenhopper.jira:gh-epic-link", "any"),
    _custom(EPIC_NAME, "Epic Name", "com.pyxis.greenhopper.jira:gh-epic-label", "string"),
]

ALL_FIELD_IDS = [f["id"] for f in FIELDS + DC_FIELDS]
CREATE_FIELDS = frozenset(
    {"project", "issuetype", "summary", "description", "labels", "duedate", "assignee",
     "priority", "reporter", "parent", EPIC_LINK, EPIC_NAME}
)
EDIT_FIELDS = frozenset(
    {"issuetype", "summary", "description", "labels", "duedate", "assignee", "priority", "parent",
     EPIC_LINK, EPIC_NAME}
)
