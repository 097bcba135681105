"""Test-side control of tracker state: inspect, and change issues as a person in the UI would.

Used by the Python API (`Sandbox.jira`, `Sandbox.github`) and by the admin endpoints.
Views are plain dicts with friendly values (names, usernames), not API shapes.
"""

from __future__ import annotations

from typing import Any

from actiontrack.sandbox.github_render import gh_time
from actiontrack.sandbox.github_state import GHIssue, GHMilestone, GHRepo, GitHubStore
from actiontrack.sandbox.jira_fields import FieldError, check_label
from actiontrack.sandbox.jira_model import EPIC_LINK, EPIC_NAME, ISSUE_TYPES, PRIORITIES, RESOLUTIONS, STATUSES
from actiontrack.sandbox.jira_render import jira_time
from actiontrack.sandbox.jira_state import JiraIssue, JiraStore


class ControlError(LookupError):
    """The issue/status/milestone named by a test does not exist or the change is invalid."""


class JiraControl:
    """Inspect and manipulate Jira issues directly (no request counting, no faults)."""

    def __init__(self, store: JiraStore) -> None:
        self._store = store

    def _get(self, key: str) -> JiraIssue:
        issue = self._store.find(key)
        if issue is None:
            raise ControlError(f"no Jira issue {key}")
        return issue

    def view(self, issue: JiraIssue) -> dict[str, Any]:
        """A friendly dict of one issue."""
        f = issue.fields
        status = STATUSES[f["status"]]
        return {
            "id": str(issue.id), "key": issue.key, "project": issue.project,
            "summary": f["summary"], "description": f["description"],
            "labels": list(f["labels"]), "duedate": f["duedate"], "assignee": f["assignee"],
            "priority": PRIORITIES[f["priority"]][0], "status": status.name,
            "issuetype": ISSUE_TYPES[f["issuetype"]][0],
            "parent": f["parent"]["key"] if f.get("parent") else None,
            "epic_link": f.get(EPIC_LINK), "epic_name": f.get(EPIC_NAME),
            "statusCategory": status.category,
            "resolution": RESOLUTIONS[f["resolution"]] if f["resolution"] else None,
            "properties": dict(issue.properties), "remote_links": list(issue.remote_links),
            "created": jira_time(f["created"]), "updated": jira_time(f["updated"]),
        }

    def issues(self, project: str | None = None) -> list[dict[str, Any]]:
        """All issues (optionally of one project), oldest first."""
        with self._store.lock:
            return [self.view(i) for i in self._store.ordered()
                    if project is None or i.project == project]

    def issue(self, key: str) -> dict[str, Any]:
        """One issue by key or id."""
        with self._store.lock:
            return self.view(self._get(key))

    def transition(self, key: str, to: str, resolution: str | None = None) -> dict[str, Any]:
        """Move to a status (name/id) or category (new/indeterminate/done), e.g. "Won't Do"."""
        with self._store.lock:
            issue = self._get(key)
            try:
                status_id = self._store.find_status(to)
            except KeyError as exc:
                raise ControlError(f"no status or category {to!r}") from exc
            rid = None
            if STATUSES[status_id].category == "done":
                rid = self._resolution(resolution or STATUSES[status_id].name)
            self._store.move_to(issue, status_id, rid)
            return self.view(issue)

    def _resolution(self, name: str) -> str:
        for rid, rname in RESOLUTIONS.items():
            if name.lower() in (rid, rname.lower()):
                return rid
        raise ControlError(f"no resolution {name!r}")

    def set_fields(self, key: str, **fields: Any) -> dict[str, Any]:
        """Edit summary/description/labels/duedate/priority (name)/assignee (username)."""
        with self._store.lock:
            issue = self._get(key)
            self._store.set_fields_raw(issue, self._convert(fields))
            return self.view(issue)

    def _convert(self, fields: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "priority":
                match = [pid for pid, (pname, _) in PRIORITIES.items() if pname == value]
                if not match:
                    raise ControlError(f"no priority {value!r}")
                out[name] = match[0]
            elif name == "assignee":
                if value is not None and value not in self._store.users:
                    raise ControlError(f"no Jira user {value!r}")
                out[name] = value
            elif name == "labels":
                try:
                    out[name] = [check_label(v) for v in value]
                except FieldError as exc:
                    raise ControlError(str(exc)) from exc
            elif name in ("summary", "description", "duedate"):
                out[name] = value
            else:
                raise ControlError(f"field {name!r} cannot be edited here")
        return out

    def set_property(self, key: str, prop: str, value: Any) -> None:
        """Set an issue entity property."""
        with self._store.lock:
            self._store.set_property(self._get(key), prop, value)

    def delete(self, key: str) -> None:
        """Delete an issue (later GETs answer 404)."""
        with self._store.lock:
            self._store.delete(self._get(key))

    def move(self, key: str, project: str) -> dict[str, Any]:
        """Move an issue to another project (new key, same id; the old key still resolves)."""
        with self._store.lock:
            if project not in self._store.projects:
                raise ControlError(f"no Jira project {project}")
            issue = self._get(key)
            self._store.move(issue, project)
            return self.view(issue)


class GitHubControl:
    """Inspect and manipulate GitHub issues directly."""

    def __init__(self, store: GitHubStore, default_repo: str) -> None:
        self._store = store
        self._default = default_repo

    def _repo(self, repo: str | None) -> GHRepo:
        owner, _, name = (repo or self._default).partition("/")
        found = self._store.repo(owner, name)
        if found is None:
            raise ControlError(f"no GitHub repository {repo}")
        return found

    def _get(self, number: int, repo: str | None) -> tuple[GHRepo, GHIssue]:
        found = self._repo(repo)
        issue = found.issues.get(int(number))
        if issue is None or issue.deleted:
            raise ControlError(f"no GitHub issue #{number}")
        return found, issue

    def view(self, repo: GHRepo, issue: GHIssue) -> dict[str, Any]:
        """A friendly dict of one issue or PR."""
        milestone = repo.milestones.get(issue.milestone) if issue.milestone else None
        return {
            "number": issue.number, "id": issue.id, "title": issue.title, "body": issue.body,
            "state": issue.state, "state_reason": issue.state_reason,
            "labels": list(issue.labels), "assignees": list(issue.assignees),
            "milestone": issue.milestone, "milestone_title": milestone.title if milestone else None,
            "is_pull_request": issue.is_pull, "created_at": gh_time(issue.created_at),
            "updated_at": gh_time(issue.updated_at), "closed_at": gh_time(issue.closed_at),
        }

    def issues(self, repo: str | None = None, include_pulls: bool = False) -> list[dict[str, Any]]:
        """Issues of a repository by number (PRs only when asked)."""
        with self._store.lock:
            found = self._repo(repo)
            return [self.view(found, i) for _, i in sorted(found.issues.items())
                    if not i.deleted and (include_pulls or not i.is_pull)]

    def issue(self, number: int, repo: str | None = None) -> dict[str, Any]:
        """One issue."""
        with self._store.lock:
            return self.view(*self._get(number, repo))

    def close_issue(self, number: int, reason: str = "completed",
                    repo: str | None = None) -> dict[str, Any]:
        """Close as a person would: reason completed, not_planned or duplicate."""
        if reason not in ("completed", "not_planned", "duplicate"):
            raise ControlError(f"bad close reason {reason!r}")
        with self._store.lock:
            found, issue = self._get(number, repo)
            self._store.close(issue, reason)
            return self.view(found, issue)

    def reopen_issue(self, number: int, repo: str | None = None) -> dict[str, Any]:
        """Reopen (state_reason becomes "reopened")."""
        with self._store.lock:
            found, issue = self._get(number, repo)
            self._store.reopen(issue)
            return self.view(found, issue)

    def edit_issue(self, number: int, repo: str | None = None, **fields: Any) -> dict[str, Any]:
        """Change title/body/labels/assignees/milestone (number, title or None)."""
        with self._store.lock:
            found, issue = self._get(number, repo)
            for name, value in fields.items():
                if name == "milestone":
                    issue.milestone = self._milestone_number(found, value)
                elif name == "labels":
                    issue.labels = [self._store.ensure_label(found, v).name for v in value]
                elif name in ("title", "body", "assignees"):
                    setattr(issue, name, value)
                else:
                    raise ControlError(f"field {name!r} cannot be edited here")
            issue.updated_at = self._store.clock.now()
            return self.view(found, issue)

    def _milestone_number(self, repo: GHRepo, value: Any) -> int | None:
        if value is None:
            return None
        for ms in repo.milestones.values():
            if value in (ms.number, str(ms.number), ms.title):
                return ms.number
        raise ControlError(f"no milestone {value!r}")

    def delete_issue(self, number: int, repo: str | None = None) -> None:
        """Delete (GET then answers 410 Gone, and lists omit it)."""
        with self._store.lock:
            _, issue = self._get(number, repo)
            issue.deleted = True

    def transfer_issue(self, number: int, to_repo: str, repo: str | None = None) -> dict[str, Any]:
        """Transfer to another repository of the sandbox: a new number there with the title,
        body, state, labels and assignees (not the milestone); the old number answers 301."""
        with self._store.lock:
            _, issue = self._get(number, repo)
            target = self._repo(to_repo)
            moved = self._store.add_issue(target, issue.title, issue.body)
            moved.labels = [self._store.ensure_label(target, name).name for name in issue.labels]
            moved.assignees = list(issue.assignees)
            moved.state, moved.state_reason, moved.closed_at = issue.state, issue.state_reason, issue.closed_at
            issue.deleted, issue.moved_to = True, (target.id, moved.number)
            return self.view(target, moved)

    def milestones(self, repo: str | None = None) -> list[dict[str, Any]]:
        """Milestones as title/number/state/due_on."""
        with self._store.lock:
            found = self._repo(repo)
            return [_milestone_view(m) for m in found.milestones.values()]

    def labels(self, repo: str | None = None) -> list[str]:
        """Label names of a repository."""
        with self._store.lock:
            return [lb.name for lb in self._repo(repo).labels.values()]


def _milestone_view(ms: GHMilestone) -> dict[str, Any]:
    return {"number": ms.number, "title": ms.title, "state": ms.state, "due_on": ms.due_on}
