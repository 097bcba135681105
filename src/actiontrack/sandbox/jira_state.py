"""Jira issues and everything attached to them; callers hold `JiraStore.lock` around use."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from typing import Any

from actiontrack.sandbox.clock import Clock
from actiontrack.sandbox.jira_fields import FieldContext, FieldError, collect_changes, not_settable
from actiontrack.sandbox.jira_model import (
    CREATE_FIELDS,
    DEFAULT_PRIORITY,
    EDIT_FIELDS,
    EPIC,
    EPIC_NAME,
    HIERARCHY,
    INITIAL_STATUS,
    RESOLUTIONS,
    STATUSES,
    TRANSITIONS,
    Transition,
    User,
)


class ValidationErrors(Exception):
    """A write was rejected; carries Jira's `errorMessages` and `errors`."""

    def __init__(self, errors: dict[str, str], messages: list[str] | None = None) -> None:
        super().__init__(errors or messages)
        self.errors = errors
        self.messages = messages or []

    def body(self) -> dict[str, Any]:
        """Jira's error-collection body."""
        return {"errorMessages": self.messages, "errors": self.errors}


@dataclass
class JiraIssue:
    """One issue; `fields` holds internal values (ids, usernames, epoch floats)."""

    id: int
    key: str
    fields: dict[str, Any]
    properties: dict[str, Any] = field(default_factory=dict)
    remote_links: list[dict[str, Any]] = field(default_factory=list)
    versions: list[tuple[float, dict[str, Any]]] = field(default_factory=list)

    @property
    def project(self) -> str:
        """The project key."""
        return str(self.fields["project"])

    def view(self) -> dict[str, Any]:
        """The issue as a search sees it now, without copying: for use under the store's
        lock within one request (a search over 10,000 issues copies none of them)."""
        return {"id": self.id, "key": self.key, "fields": self.fields, "properties": self.properties}

    def snapshot(self) -> dict[str, Any]:
        """What the search index would hold for this issue now (a copy, kept as a version)."""
        return {
            "id": self.id,
            "key": self.key,
            "fields": copy.deepcopy(self.fields),
            "properties": copy.deepcopy(self.properties),
        }


def _check_hierarchy(changes: dict[str, Any], current: dict[str, Any], errors: dict[str, str],
                     ctx: FieldContext) -> None:
    """A parent sits one level up (an Epic above a Task); an epic on Data Center needs an Epic Name."""
    issuetype = str(changes.get("issuetype", current.get("issuetype")))
    parent = changes.get("parent")
    level = HIERARCHY.get(issuetype, 0)
    if parent and "parent" not in errors and HIERARCHY.get(parent["issuetype"], 0) != level + 1:
        errors["parent"] = "Given parent work item does not belong to appropriate hierarchy."
    if ctx.deployment != "Cloud" and issuetype == EPIC and not changes.get(EPIC_NAME, current.get(EPIC_NAME)):
        errors.setdefault(EPIC_NAME, "Epic Name is required.")


class JiraStore:
    """All Jira state of one sandbox."""

    def __init__(
        self,
        clock: Clock,
        projects: tuple[str, ...],
        users: dict[str, User],
        api_user: str,
        search_lag_s: float = 0.0,
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.projects = {key: str(10000 + i) for i, key in enumerate(projects)}
        self.users = users
        self.api_user = api_user
        self.search_lag_s = search_lag_s
        self.issues: dict[int, JiraIssue] = {}
        self._by_key: dict[str, int] = {}
        self._next_id = 10001
        self._next_number = dict.fromkeys(self.projects, 1)
        self._next_link_id = 10000

    # -- lookup ----------------------------------------------------------------------------

    def find(self, id_or_key: str) -> JiraIssue | None:
        """An issue by numeric id or key (keys are case-insensitive, as in Jira)."""
        if id_or_key.isdigit():
            return self.issues.get(int(id_or_key))
        issue_id = self._by_key.get(id_or_key.upper())
        return self.issues.get(issue_id) if issue_id is not None else None

    def key_exists(self, key: str) -> bool:
        """Whether a key belongs to a live issue."""
        return key.upper() in self._by_key

    def key_of_id(self, issue_id: str) -> str | None:
        """The key of the live issue with this numeric id, if any."""
        issue = self.issues.get(int(issue_id)) if issue_id.isdigit() else None
        return issue.key if issue is not None else None

    def ordered(self) -> list[JiraIssue]:
        """All issues, oldest first."""
        return [self.issues[i] for i in sorted(self.issues)]

    # -- writes ----------------------------------------------------------------------------

    def context(self, deployment: str, api_version: str) -> FieldContext:
        """Field-validation context for one request."""
        return FieldContext(deployment, api_version, self.projects, self.users,  # type: ignore[arg-type]
                            find_issue=self._issue_ref)

    def _issue_ref(self, ref: str) -> tuple[str, str, str, str] | None:
        found = self.find(ref)
        if found is None:
            return None
        return str(found.id), found.key, str(found.fields["summary"]), str(found.fields["issuetype"])

    def create(
        self, payload: Any, ctx: FieldContext
    ) -> JiraIssue:
        """Validate and store a new issue (the body of POST /issue or one bulk element)."""
        if not isinstance(payload, dict):
            raise ValidationErrors({}, ["Can not deserialize the request body."])
        changes, errors = collect_changes(
            payload.get("fields"), payload.get("update"), CREATE_FIELDS, {}, ctx
        )
        for name, message in (
            ("project", "Specify a valid project ID or key"),
            ("issuetype", "Specify an issue type"),
            ("summary", "You must specify a summary of the issue."),
        ):
            if name not in changes and name not in errors:
                errors[name] = message
        _check_hierarchy(changes, {}, errors, ctx)
        properties = self._parse_properties(payload.get("properties"), errors)
        if errors:
            raise ValidationErrors(errors)
        return self._insert(changes, properties)

    def _parse_properties(self, raw: Any, errors: dict[str, str]) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, list) or not all(
            isinstance(p, dict) and isinstance(p.get("key"), str) for p in raw
        ):
            errors["properties"] = "Properties must be a list of {key, value} objects."
            return {}
        return {p["key"]: p.get("value") for p in raw}

    def _insert(self, changes: dict[str, Any], properties: dict[str, Any]) -> JiraIssue:
        now = self.clock.now()
        project = str(changes["project"])
        number = self._next_number[project]
        self._next_number[project] = number + 1
        fields: dict[str, Any] = {
            "summary": "",
            "description": None,
            "labels": [],
            "duedate": None,
            "assignee": None,
            "reporter": self.api_user,
            "priority": DEFAULT_PRIORITY,
            "status": INITIAL_STATUS,
            "resolution": None,
            "resolutiondate": None,
            "created": now,
            "updated": now,
        }
        fields.update(changes)
        issue = JiraIssue(self._next_id, f"{project}-{number}", fields, properties)
        self._next_id += 1
        self.issues[issue.id] = issue
        self._by_key[issue.key] = issue.id
        self._touch(issue, now)
        return issue

    def _touch(self, issue: JiraIssue, now: float | None = None) -> None:
        """Bump `updated` and remember the version for the lagging search index."""
        now = self.clock.now() if now is None else now
        issue.fields["updated"] = now
        issue.versions.append((now, issue.snapshot()))
        horizon = now - self.search_lag_s
        while len(issue.versions) > 1 and issue.versions[1][0] <= horizon:
            issue.versions.pop(0)

    def edit(self, issue: JiraIssue, payload: Any, ctx: FieldContext) -> None:
        """PUT /issue/{key}: validate everything, then apply all or nothing."""
        if not isinstance(payload, dict):
            raise ValidationErrors({}, ["Can not deserialize the request body."])
        changes, errors = collect_changes(
            payload.get("fields"), payload.get("update"), EDIT_FIELDS, issue.fields, ctx
        )
        if "project" in (payload.get("fields") or {}):
            errors["project"] = not_settable("project")
        _check_hierarchy(changes, issue.fields, errors, ctx)
        if errors:
            raise ValidationErrors(errors)
        if changes:
            issue.fields.update(changes)
            self._touch(issue)

    def set_fields_raw(self, issue: JiraIssue, changes: dict[str, Any]) -> None:
        """Admin edit with internal values (as a person would in the UI)."""
        issue.fields.update(changes)
        self._touch(issue)

    def delete(self, issue: JiraIssue) -> None:
        """Remove an issue for good (with every key it had)."""
        del self.issues[issue.id]
        for key in [k for k, v in self._by_key.items() if v == issue.id]:
            del self._by_key[key]

    def move(self, issue: JiraIssue, project: str) -> None:
        """A person's "Move" to another project: a new key there, the same id; the old key
        still finds the issue (GET answers with the new key), as in Jira."""
        number = self._next_number[project]
        self._next_number[project] = number + 1
        issue.key = f"{project}-{number}"
        issue.fields["project"] = project
        self._by_key[issue.key] = issue.id
        self._touch(issue)

    # -- workflow --------------------------------------------------------------------------

    def transitions_for(self, issue: JiraIssue) -> list[Transition]:
        """Global transitions, minus the one leading to the current status."""
        return [t for t in TRANSITIONS if t.to_status != issue.fields["status"]]

    def transition(self, issue: JiraIssue, transition_id: str, fields: Any) -> None:
        """Move an issue; a done target sets the resolution, others clear it."""
        match = [t for t in self.transitions_for(issue) if t.id == str(transition_id)]
        if not match:
            raise ValidationErrors(
                {}, [f"Transition id '{transition_id}' is not valid for this issue."]
            )
        resolution = self._transition_resolution(match[0], fields or {})
        self.move_to(issue, match[0].to_status, resolution)

    def _transition_resolution(self, transition: Transition, fields: Any) -> str | None:
        if not isinstance(fields, dict):
            raise ValidationErrors({}, ["Can not deserialize the request body."])
        errors: dict[str, str] = {}
        resolution = transition.resolution
        for name, value in fields.items():
            if name != "resolution" or transition.resolution is None:
                errors[name] = not_settable(name)
                continue
            try:
                resolution = _resolution_id(value)
            except FieldError as exc:
                errors[name] = str(exc)
        if errors:
            raise ValidationErrors(errors)
        return resolution

    def move_to(self, issue: JiraIssue, status_id: str, resolution: str | None) -> None:
        """Set status and resolution together, stamping resolutiondate when resolved."""
        issue.fields["status"] = status_id
        issue.fields["resolution"] = resolution
        issue.fields["resolutiondate"] = self.clock.now() if resolution else None
        self._touch(issue)

    def find_status(self, name_or_category: str) -> str:
        """A status id from a status name/id or a category key/name (admin helper)."""
        wanted = name_or_category.lower()
        for sid, status in STATUSES.items():
            if wanted in (sid, status.name.lower()):
                return sid
        for sid, status in STATUSES.items():
            if wanted == status.category:
                return sid
        raise KeyError(name_or_category)

    # -- properties and links --------------------------------------------------------------

    def set_property(self, issue: JiraIssue, key: str, value: Any) -> bool:
        """Store an entity property; True when it was new."""
        created = key not in issue.properties
        issue.properties[key] = value
        self._touch(issue)
        return created

    def upsert_remote_link(self, issue: JiraIssue, body: dict[str, Any]) -> tuple[int, bool]:
        """Create a remote link, or replace the one with the same globalId (Jira's upsert)."""
        global_id = body.get("globalId")
        for link in issue.remote_links:
            if global_id and link.get("globalId") == global_id:
                link_id = int(link["id"])
                link.clear()
                link.update(body, id=link_id)
                return link_id, False
        self._next_link_id += 1
        issue.remote_links.append({**body, "id": self._next_link_id})
        return self._next_link_id, True

    def visible_versions(self, reconcile: set[int]) -> list[dict[str, Any]]:
        """Issue snapshots as the (lagging) search index sees them now."""
        horizon = self.clock.now() - self.search_lag_s
        out: list[dict[str, Any]] = []
        for issue in self.ordered():
            if issue.id in reconcile or self.search_lag_s <= 0:
                out.append(issue.view())
                continue
            indexed = [snap for ts, snap in issue.versions if ts <= horizon]
            if indexed:
                out.append(indexed[-1])
        return out


def _resolution_id(value: Any) -> str:
    if isinstance(value, dict):
        if str(value.get("id")) in RESOLUTIONS:
            return str(value["id"])
        for rid, name in RESOLUTIONS.items():
            if value.get("name") == name:
                return rid
    raise FieldError("Could not find valid 'id' or 'name' in resolution object.")
