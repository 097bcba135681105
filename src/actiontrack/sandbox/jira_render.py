"""Jira JSON shapes: issues, users, statuses, priorities, as Cloud or Data Center sends them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from actiontrack.sandbox.jira_fields import text_to_adf
from actiontrack.sandbox.jira_model import (
    ALL_FIELD_IDS,
    CATEGORIES,
    HIERARCHY,
    ISSUE_TYPES,
    PRIORITIES,
    RESOLUTIONS,
    STATUSES,
    User,
)

ISSUE_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"


def jira_time(epoch: float) -> str:
    """Jira's timestamp format, e.g. 2025-11-20T10:15:30.000+0000."""
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


class Renderer:
    """Builds response bodies for one request (base URL, API version, deployment)."""

    def __init__(
        self, base_url: str, api_version: str, deployment: str, projects: dict[str, str]
    ) -> None:
        self.base = base_url
        self.rest = f"{base_url}/rest/api/{api_version}"
        self.api_version = api_version
        self.cloud = deployment == "Cloud"
        self.projects = projects

    def user(self, user: User | None) -> dict[str, Any] | None:
        """A user object: accountId on Cloud, name/key on Data Center."""
        if user is None:
            return None
        common = {
            "displayName": user.display_name,
            "active": True,
            "timeZone": "UTC",
            "emailAddress": user.email,
        }
        if self.cloud:
            return {
                "self": f"{self.rest}/user?accountId={user.account_id}",
                "accountId": user.account_id,
                "accountType": "atlassian",
                **common,
            }
        return {
            "self": f"{self.rest}/user?username={user.name}",
            "name": user.name,
            "key": user.key,
            **common,
        }

    def status_category(self, key: str) -> dict[str, Any]:
        """A status category object."""
        cat = CATEGORIES[key]
        return {
            "self": f"{self.rest}/statuscategory/{cat.id}",
            "id": cat.id,
            "key": cat.key,
            "colorName": cat.color,
            "name": cat.name,
        }

    def status(self, status_id: str) -> dict[str, Any]:
        """A status object carrying its category."""
        status = STATUSES[status_id]
        return {
            "self": f"{self.rest}/status/{status.id}",
            "description": "",
            "iconUrl": f"{self.base}/images/icons/statuses/generic.png",
            "name": status.name,
            "id": status.id,
            "statusCategory": self.status_category(status.category),
        }

    def priority(self, pid: str) -> dict[str, Any]:
        """A priority object."""
        name, color = PRIORITIES[pid]
        return {
            "self": f"{self.rest}/priority/{pid}",
            "statusColor": color,
            "description": name,
            "iconUrl": f"{self.base}/images/icons/priorities/{name.lower()}.svg",
            "name": name,
            "id": pid,
        }

    def issuetype(self, tid: str) -> dict[str, Any]:
        """An issue type object."""
        name, description = ISSUE_TYPES[tid]
        out: dict[str, Any] = {
            "self": f"{self.rest}/issuetype/{tid}",
            "id": tid,
            "description": description,
            "iconUrl": f"{self.base}/images/icons/issuetypes/{name.lower()}.svg",
            "name": name,
            "subtask": False,
        }
        if self.cloud:
            out["hierarchyLevel"] = HIERARCHY.get(tid, 0)
        return out

    def project(self, key: str, with_types: bool = False) -> dict[str, Any]:
        """A project object (issue types included for GET /project/{key})."""
        pid = self.projects[key]
        out: dict[str, Any] = {
            "self": f"{self.rest}/project/{pid}",
            "id": pid,
            "key": key,
            "name": f"{key} project",
            "projectTypeKey": "software",
            "simplified": False,
        }
        if with_types:
            out["issueTypes"] = [self.issuetype(t) for t in ISSUE_TYPES]
        return out

    def resolution(self, rid: str | None) -> dict[str, Any] | None:
        """A resolution object or None."""
        if rid is None:
            return None
        name = RESOLUTIONS[rid]
        return {"self": f"{self.rest}/resolution/{rid}", "id": rid, "description": name,
                "name": name}

    def field_value(self, name: str, raw: dict[str, Any], users: dict[str, User]) -> Any:
        """One field in API form."""
        value: Any = raw.get(name)
        renderers: dict[str, Any] = {
            "status": lambda: self.status(value),
            "priority": lambda: self.priority(value),
            "issuetype": lambda: self.issuetype(value),
            "project": lambda: self.project(value),
            "resolution": lambda: self.resolution(value),
            "assignee": lambda: self.user(users.get(value)) if value else None,
            "reporter": lambda: self.user(users.get(value)) if value else None,
            "created": lambda: jira_time(value),
            "updated": lambda: jira_time(value),
            "resolutiondate": lambda: jira_time(value) if value else None,
            "description": lambda: self._description(value),
            "labels": lambda: list(value),
            "parent": lambda: self._parent(value),
        }
        if name in renderers:
            return renderers[name]()
        return value

    def _parent(self, value: dict[str, str] | None) -> Any:
        if value is None:
            return None
        return {"id": value["id"], "key": value["key"], "self": f"{self.rest}/issue/{value['id']}",
                "fields": {"summary": value["summary"], "issuetype": self.issuetype(value["issuetype"])}}

    def _description(self, value: str | None) -> Any:
        if value is None or self.api_version != "3":
            return value
        return text_to_adf(value)

    def issue(
        self,
        snap: dict[str, Any],
        users: dict[str, User],
        fields: list[str] | None,
        properties: list[str] | None = None,
        id_only_default: bool = False,
    ) -> dict[str, Any]:
        """An issue; `fields=None` means the endpoint default (all, or id only for /search/jql)."""
        wanted = select_fields(fields, id_only_default)
        if wanted is None:
            out: dict[str, Any] = {"id": str(snap["id"])}
            if fields and "key" in fields:
                out["key"] = snap["key"]
        else:
            out = {
                "expand": ISSUE_EXPAND,
                "id": str(snap["id"]),
                "self": f"{self.rest}/issue/{snap['id']}",
                "key": snap["key"],
                "fields": {n: self.field_value(n, snap["fields"], users) for n in wanted},
            }
        if properties:
            props = snap.get("properties", {})
            out["properties"] = {k: props[k] for k in properties if k in props}
        return out


def select_fields(fields: list[str] | None, id_only_default: bool) -> list[str] | None:
    """Resolve `fields` (`*all`, `*navigable`, names, `-name`); None = no field content."""
    if not fields:
        return None if id_only_default else list(ALL_FIELD_IDS)
    chosen: list[str] = []
    for name in fields:
        if name in ("*all", "*navigable"):
            chosen.extend(f for f in ALL_FIELD_IDS if f not in chosen)
        elif not name.startswith("-") and name in ALL_FIELD_IDS and name not in chosen:
            chosen.append(name)
    chosen = [f for f in chosen if f"-{f}" not in fields]
    if not chosen and all(f in ("id", "key") for f in fields):
        return None
    return chosen
